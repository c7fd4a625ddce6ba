// SSRF through metadata-named URLs: a federation member's mdui:Logo (SP_LOGO_FETCH=true) or a metadata URL pointing
// at loopback, a private network or a cloud metadata endpoint must not be fetched (and re-published from our
// origin). The address policy is checked on many address forms; end to end, a server on 127.0.0.1 is reached only
// when the admin names that host, and a redirect to an unnamed internal host is not followed.

import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { fetchMetadata } from '../../src/http/fetch-metadata.ts';
import { isPublicAddress } from '../../src/http/outbound.ts';
import { buildTestIdp } from '../helpers/app.ts';
import { createTestSp } from '../helpers/saml-sp.ts';

const PNG_1PX = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);

describe('the address policy', () => {
  const refused = [
    '127.0.0.1',
    '127.1.2.3',
    '10.0.0.1',
    '172.16.0.1',
    '172.31.255.255',
    '192.168.1.1',
    '100.64.0.1', // CGNAT
    '100.127.255.254',
    '169.254.169.254', // cloud metadata endpoint
    '169.254.0.1',
    '0.0.0.0',
    '224.0.0.1',
    '239.255.255.250',
    '255.255.255.255',
    '::1',
    '::',
    'fe80::1',
    'fe80::1%eth0',
    'febf::1',
    'fc00::1',
    'fd12:3456:789a::1',
    'ff02::1',
    '::ffff:127.0.0.1', // IPv4-mapped
    '::ffff:169.254.169.254',
    '::ffff:a9fe:a9fe',
    '::ffff:10.0.0.1',
    '::127.0.0.1', // IPv4-compatible
    '::7f00:1',
    '64:ff9b::a9fe:a9fe', // NAT64 of 169.254.169.254
    '2002:7f00:1::1', // 6to4 of 127.0.0.1
    '2001::1', // Teredo
    '[::1]',
    'not an address',
  ];
  const allowed = ['8.8.8.8', '1.1.1.1', '93.184.216.34', '2606:4700:4700::1111', '::ffff:8.8.8.8'];

  for (const address of refused) {
    test(`refused: ${address}`, () => assert.equal(isPublicAddress(address), false));
  }
  for (const address of allowed) {
    test(`allowed: ${address}`, () => assert.equal(isPublicAddress(address), true));
  }
});

describe('fetching from internal addresses', () => {
  let server: Server;
  let port: number;
  const hits: string[] = [];

  before(async () => {
    server = createServer((req, res) => {
      hits.push(req.url ?? '');
      if (req.url === '/logo.png') res.writeHead(200, { 'content-type': 'image/png' }).end(PNG_1PX);
      else if (req.url === '/hop') res.writeHead(302, { location: `http://localhost:${port}/md.xml` }).end();
      else res.writeHead(200, { 'content-type': 'application/samlmetadata+xml' }).end('<x/>');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  after(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );

  const fetchOpts = { timeoutMs: 2000, maxBytes: 4096 };

  test('a metadata URL on 127.0.0.1 is refused before any request, unless the admin named the host', async () => {
    const before = hits.length;
    await assert.rejects(fetchMetadata(`http://127.0.0.1:${port}/md.xml`, fetchOpts), /non-public address/);
    assert.equal(hits.length, before, 'the server got nothing');
    const named = await fetchMetadata(`http://127.0.0.1:${port}/md.xml`, {
      ...fetchOpts,
      allowedHosts: ['127.0.0.1'],
    });
    assert.equal(named.status, 'ok');
  });

  test('a name that resolves to loopback (DNS rebinding) is refused at lookup', async () => {
    const before = hits.length;
    await assert.rejects(fetchMetadata(`http://localhost:${port}/md.xml`, fetchOpts), /non-public address/);
    assert.equal(hits.length, before);
  });

  test('IPv4-mapped and cloud metadata literals are refused without connecting', async () => {
    await assert.rejects(fetchMetadata(`http://[::ffff:127.0.0.1]:${port}/md.xml`, fetchOpts), /non-public/);
    await assert.rejects(
      fetchMetadata('http://169.254.169.254/latest/meta-data/', fetchOpts),
      /non-public address 169\.254\.169\.254/,
    );
  });

  test('a redirect from a named host to an unnamed internal one is not followed', async () => {
    const before = hits.length;
    await assert.rejects(
      fetchMetadata(`http://127.0.0.1:${port}/hop`, { ...fetchOpts, allowedHosts: ['127.0.0.1'] }),
      /non-public address/,
    );
    assert.deepEqual(hits.slice(before), ['/hop'], 'only the first hop was requested');
  });

  test('an SP logo on 127.0.0.1 (SP_LOGO_FETCH=true) is not fetched nor shown; named, it is', async () => {
    const sp = createTestSp({
      entityId: 'https://member.federation.example/sp',
      keyName: 'member-sp',
      logoUrl: `http://127.0.0.1:${port}/logo.png`,
    });
    const logs: Record<string, unknown>[] = [];
    const before = hits.length;
    const idp = await buildTestIdp({
      sps: { sp: sp.metadataXml },
      env: { SP_LOGO_FETCH: 'true' },
      logStream: {
        write(chunk: string) {
          for (const line of chunk.split('\n')) if (line !== '') logs.push(JSON.parse(line));
        },
      },
    });
    try {
      const refusal = async () => logs.find((l) => l.msg === 'SP logo not shown');
      for (let i = 0; i < 200 && (await refusal()) === undefined; i++) await sleep(10);
      const logged = await refusal();
      assert.ok(logged !== undefined, 'the refusal is logged');
      assert.match(String(logged.problem), /non-public address 127\.0\.0\.1/);
      assert.equal(hits.length, before, 'the internal server got no request');
    } finally {
      await idp.close();
    }

    const named = await buildTestIdp({
      sps: { sp: sp.metadataXml },
      env: { SP_LOGO_FETCH: 'true', OUTBOUND_PRIVATE_HOSTS: '127.0.0.1' },
    });
    try {
      for (let i = 0; i < 200 && !hits.includes('/logo.png'); i++) await sleep(10);
      assert.ok(hits.includes('/logo.png'), 'a host the admin named is fetched');
    } finally {
      await named.close();
    }
  });
});
