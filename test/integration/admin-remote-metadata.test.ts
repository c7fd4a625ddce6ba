// Remote SP metadata from local HTTP and HTTPS servers: good, expired, unsigned, tampered and foreign-signed documents;
// validUntil and cacheDuration, background refresh, 304s, the last good copy kept (in memory and on disk), and the
// running IdP picking up a newly registered source.

import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, before, beforeEach, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { fetchMetadata } from '../../src/http/fetch-metadata.ts';
import { RemoteMetadata, remoteCacheFile } from '../../src/saml/metadata/remote-metadata.ts';
import { SpRegistry } from '../../src/saml/metadata/sp-registry.ts';
import { buildTestIdp } from '../helpers/app.ts';
import {
  federationKeys,
  MetadataServer,
  signMetadata,
  withRootAttributes,
} from '../helpers/metadata-server.ts';
import { authnRequestXml, entitiesMetadataXml, redirectQuery, testKeys } from '../helpers/saml-sp.ts';

const DAY = 86_400_000;
const A = 'https://a.federation.example/sp';
const B = 'https://b.federation.example/sp';

function aggregate(opts: { validUntil?: Date; cacheDuration?: string; acsOfA?: string } = {}): string {
  const xml = entitiesMetadataXml([
    { entityId: A, acs: [{ url: opts.acsOfA ?? 'https://a.federation.example/acs', index: 0 }] },
    { entityId: B },
  ]);
  return withRootAttributes(xml, {
    validUntil: opts.validUntil ?? new Date(Date.now() + 7 * DAY),
    cacheDuration: opts.cacheDuration,
  });
}

const signed = (opts: Parameters<typeof aggregate>[0] = {}) => signMetadata(aggregate(opts));

let server: MetadataServer;
let tlsServer: MetadataServer;
let dir: string;
let registry: SpRegistry;
let manager: RemoteMetadata | undefined;
let problems: { file: string; message: string }[];

before(async () => {
  server = await MetadataServer.start();
  tlsServer = await MetadataServer.start({ tls: true });
});
after(async () => {
  await server.close();
  await tlsServer.close();
});

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'nsi-remote-'));
  await writeFile(join(dir, 'fed.signer.pem'), federationKeys().certPem);
  registry = await SpRegistry.load(dir);
  problems = [];
  manager = undefined;
  server.routes.clear();
});
afterEach(async () => {
  manager?.close();
  await rm(dir, { recursive: true, force: true });
});

/** The plain http URLs registered so far: the admin names each (REMOTE_METADATA_HTTP_URLS). */
const httpUrls: string[] = [];

async function register(name: string, config: Record<string, unknown>): Promise<void> {
  if (typeof config.url === 'string' && config.url.startsWith('http:')) httpUrls.push(config.url);
  await writeFile(
    join(dir, `${name}.remote.json`),
    JSON.stringify({ certFile: 'fed.signer.pem', ...config }),
  );
}

async function startManager(extra: { minRefreshSeconds?: number } = {}): Promise<RemoteMetadata> {
  manager = await RemoteMetadata.start({
    dir,
    registry,
    fetcher: fetchMetadata,
    // The test servers are on loopback over plain http: hosts and URLs the admin names.
    policy: {
      maxValidityDays: 30,
      httpUrls,
      allowedHosts: ['127.0.0.1', 'localhost'],
    },
    onProblem: (file, message) => problems.push({ file, message }),
    ...extra,
  });
  return manager;
}

const problemText = () => problems.map((p) => p.message).join('\n');

describe('fetching and verifying', () => {
  test('a signed aggregate over HTTP: both SPs trusted, the signature checked against certFile', async () => {
    server.routes.set('/fed.xml', { body: signed() });
    await register('fed', { url: server.url('/fed.xml') });
    await startManager();
    assert.ok(registry.get(A));
    assert.ok(registry.get(B));
    assert.match(registry.get(A)?.sourceFile ?? '', /fed\.remote\.json \(http:\/\/127\.0\.0\.1/);
    assert.deepEqual(problems, []);
  });

  test('over HTTPS with a private CA (caFile); without it the TLS failure is reported', async () => {
    tlsServer.routes.set('/tls.xml', { body: signed() });
    await writeFile(join(dir, 'tls.ca.pem'), tlsServer.tlsCertPem ?? '');
    await register('tls', { url: tlsServer.url('/tls.xml'), caFile: 'tls.ca.pem' });
    await register('untrusted', { url: tlsServer.url('/tls.xml') });
    await startManager();
    assert.ok(registry.get(A));
    assert.match(problemText(), /tls\.xml: cannot be fetched: unable to verify the first certificate/);
    const status = manager!.status().find((s) => s.name === 'untrusted');
    assert.match(status?.lastError ?? '', /UNABLE_TO_VERIFY_LEAF_SIGNATURE/);
  });

  for (const [what, body, expected] of [
    ['unsigned', () => aggregate(), /the metadata is not signed/],
    [
      'tampered after signing',
      () => signed().replace('https://a.federation.example/acs', 'https://evil.example/acs'),
      /does not verify/,
    ],
    [
      'signed by another key',
      () => signMetadata(aggregate(), testKeys('not-the-federation')),
      /does not verify/,
    ],
    [
      'expired (validUntil in the past)',
      () => signed({ validUntil: new Date(Date.now() - 60_000) }),
      /expired/,
    ],
  ] as const) {
    test(`${what}: refused, no SP installed, the reason reported`, async () => {
      server.routes.set('/bad.xml', { body: body() });
      await register('bad', { url: server.url('/bad.xml') });
      await startManager();
      assert.equal(registry.size, 0);
      assert.match(problemText(), expected);
    });
  }

  test('signature wrapping: the signed aggregate wrapped inside an attacker’s with the same ID is refused', async () => {
    // The genuine aggregate, validly signed (it is trusted on its own in the first test of this block).
    const good = signed();
    const signature = /<ds:Signature[\s\S]*<\/ds:Signature>/.exec(good)?.[0] ?? '';
    assert.notEqual(signature, '');
    const genuineCopy = good.replace(/^<\?xml[^>]*\?>\s*/, '').replace(signature, '');
    // The attacker's aggregate: the same root ID, the genuine signature, the genuine document (whose digest the
    // signature holds) tucked into md:Extensions, and A's ACS pointing at the attacker.
    const evil = aggregate({ acsOfA: 'https://evil.example/acs' });
    const wrapped = evil.replace(
      /(<md:EntitiesDescriptor[^>]*>)/,
      `$1${signature}<md:Extensions>${genuineCopy}</md:Extensions>`,
    );
    assert.equal((wrapped.match(/ID="_md1"/g) ?? []).length, 2);
    server.routes.set('/wrapped.xml', { body: wrapped });
    await register('wrapped', { url: server.url('/wrapped.xml') });
    await startManager();
    assert.equal(registry.size, 0);
    assert.match(problemText(), /the metadata signature does not verify/);
  });

  test('an entity whose own validUntil has passed is left out; the rest stay', async () => {
    const xml = aggregate().replace(`entityID="${B}"`, `validUntil="2001-01-01T00:00:00Z" entityID="${B}"`);
    server.routes.set('/partly.xml', { body: signMetadata(xml) });
    await register('partly', { url: server.url('/partly.xml') });
    await startManager();
    assert.ok(registry.get(A));
    assert.equal(registry.get(B), undefined);
    assert.match(problemText(), /b\.federation\.example\/sp left out: its validUntil has passed/);
  });

  test('the sidecar "settings" of the source apply to its SPs', async () => {
    server.routes.set('/fed.xml', { body: signed() });
    await register('fed', {
      url: server.url('/fed.xml'),
      settings: { idpInitiated: true, defaultLocale: 'sv' },
    });
    await startManager();
    assert.equal(registry.get(B)?.settings.idpInitiated, true);
    assert.equal(registry.get(B)?.settings.defaultLocale, 'sv');
  });
});

describe('keeping it fresh', () => {
  test('refreshed in the background; a 304 keeps the copy; a failed refresh keeps the last good copy', async () => {
    server.routes.set('/fed.xml', { body: signed(), etag: '"v1"' });
    await register('fed', { url: server.url('/fed.xml'), refreshSeconds: 1 });
    await startManager();
    assert.equal(registry.get(A)?.acs[0]?.url, 'https://a.federation.example/acs');

    for (let waited = 0; server.count('/fed.xml', 304) === 0 && waited < 5000; waited += 50) await sleep(50);
    assert.ok(server.count('/fed.xml', 304) >= 1, 'a conditional request answered 304');
    assert.ok(registry.get(A));

    server.routes.set('/fed.xml', {
      body: signed({ acsOfA: 'https://a.federation.example/acs2' }),
      etag: '"v2"',
    });
    for (
      let waited = 0;
      registry.get(A)?.acs[0]?.url !== 'https://a.federation.example/acs2' && waited < 5000;
      waited += 50
    ) {
      await sleep(50);
    }
    assert.equal(
      registry.get(A)?.acs[0]?.url,
      'https://a.federation.example/acs2',
      'the change arrived by itself',
    );

    server.routes.set('/fed.xml', { status: 503 });
    await manager!.refresh('fed');
    assert.equal(registry.get(A)?.acs[0]?.url, 'https://a.federation.example/acs2', 'last good copy kept');
    assert.match(problemText(), /HTTP 503 \(keeping the last good copy\)/);

    server.routes.set('/fed.xml', {
      body: signed().replace('https://a.federation.example/acs', 'https://evil.example/'),
    });
    await manager!.refresh('fed');
    assert.equal(
      registry.get(A)?.acs[0]?.url,
      'https://a.federation.example/acs2',
      'a tampered refresh changes nothing',
    );
    assert.match(manager!.status()[0]?.lastError ?? '', /does not verify/);
  });

  test('cacheDuration shortens the refresh interval, validUntil bounds it', async () => {
    server.routes.set('/fed.xml', {
      body: signed({ cacheDuration: 'PT2M', validUntil: new Date(Date.now() + 10 * 60_000) }),
    });
    await register('fed', { url: server.url('/fed.xml') });
    await startManager({ minRefreshSeconds: 1 });
    const next = manager!.status()[0]?.nextRefresh?.getTime() ?? 0;
    assert.ok(
      Math.abs(next - Date.now() - 120_000) < 5_000,
      'next fetch in cacheDuration (2 minutes), not 1 hour',
    );

    server.routes.set('/fed.xml', { body: signed({ validUntil: new Date(Date.now() + 20 * 60_000) }) });
    await manager!.refresh('fed');
    const soon = manager!.status()[0]?.nextRefresh?.getTime() ?? 0;
    assert.ok(Math.abs(soon - Date.now() - 15 * 60_000) < 5_000, 'three quarters of the way to validUntil');
  });

  test('when validUntil passes without a fresh copy, the SPs are removed', async () => {
    server.routes.set('/short.xml', { body: signed({ validUntil: new Date(Date.now() + 2500) }) });
    await register('short', { url: server.url('/short.xml') });
    await startManager({ minRefreshSeconds: 3600 });
    assert.ok(registry.get(A));
    server.routes.set('/short.xml', { status: 500 });
    // The registry refuses A from validUntil on by itself; the source's expiry timer reports it a moment later.
    const removed = /expired .*its SPs are removed until a fresh copy is fetched/;
    for (let waited = 0; !removed.test(problemText()) && waited < 6000; waited += 100) await sleep(100);
    assert.equal(registry.get(A), undefined);
    assert.match(problemText(), removed);
  });

  test('the last good copy is kept on disk: a restart while the URL is down still trusts the SPs', async () => {
    server.routes.set('/fed.xml', { body: signed() });
    await register('fed', { url: server.url('/fed.xml') });
    await startManager();
    const kept = await readFile(remoteCacheFile(dir, 'fed'), 'utf8');
    assert.match(kept, /<ds:Signature/);
    manager!.close();

    server.routes.set('/fed.xml', { status: 502 });
    registry = await SpRegistry.load(dir);
    await startManager();
    assert.ok(registry.get(A), 'trusted from the kept copy');
    assert.match(problemText(), /HTTP 502 \(keeping the last good copy\)/);
  });

  test('a kept copy that was tampered with on disk is not used', async () => {
    server.routes.set('/fed.xml', { status: 500 });
    await writeFile(
      remoteCacheFile(dir, 'fed'),
      signed().replace('https://a.federation.example/acs', 'https://evil.example/'),
    );
    await register('fed', { url: server.url('/fed.xml') });
    await startManager();
    assert.equal(registry.size, 0);
    assert.match(problemText(), /the kept copy cannot be used/);
  });

  test('a size cap and a timeout bound every fetch', async () => {
    server.routes.set('/big.xml', { body: `${signed()}${' '.repeat(4096)}` });
    server.routes.set('/slow.xml', { body: signed(), delayMs: 3000 });
    await register('big', { url: server.url('/big.xml'), maxBytes: 2048 });
    await register('slow', { url: server.url('/slow.xml'), timeoutSeconds: 1 });
    const started = Date.now();
    await startManager();
    assert.ok(Date.now() - started < 2900, 'the slow server did not hold the start up');
    assert.match(problemText(), /larger than 2048 bytes/);
    assert.match(problemText(), /slow\.xml: .*(timeout|Timeout|aborted)/i);
  });
});

describe('in the running IdP', () => {
  test('a source registered while it runs is fetched and its SPs can log in; removing the file drops them', async () => {
    server.routes.set('/live.xml', { body: signed() });
    const idp = await buildTestIdp({
      env: { OUTBOUND_PRIVATE_HOSTS: '127.0.0.1', REMOTE_METADATA_HTTP_URLS: server.url('/live.xml') },
    });
    try {
      const spDir = idp.config.saml.spMetadataDir;
      const sso = async (entityId: string) => {
        const xml = authnRequestXml({ issuer: entityId, destination: 'https://idp.example.test/saml/sso' });
        return (await idp.app.inject({ method: 'GET', url: `/saml/sso?${redirectQuery(xml)}` })).statusCode;
      };
      assert.equal(await sso(A), 400);
      await writeFile(join(spDir, 'live.signer.pem'), federationKeys().certPem);
      await writeFile(
        join(spDir, 'live.remote.json'),
        JSON.stringify({ url: server.url('/live.xml'), certFile: 'live.signer.pem' }),
      );
      for (let waited = 0; (await sso(A)) !== 303 && waited < 5000; waited += 50) await sleep(50);
      assert.equal(await sso(A), 303, 'the SP from the URL is trusted');

      await rm(join(spDir, 'live.remote.json'));
      for (let waited = 0; (await sso(A)) !== 400 && waited < 5000; waited += 50) await sleep(50);
      assert.equal(await sso(A), 400, 'and no longer once the source is removed');
    } finally {
      await idp.close();
    }
  });
});
