// The IdP's own JSON logs, read from its pino stream: reference ids on every request and authentication event,
// masked phone numbers, no codes or SAML messages, and no line an attacker can forge with CR/LF.

import { createHmac } from 'node:crypto';
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { buildTestIdp, type TestIdp } from '../helpers/app.ts';
import { BrowserClient, injectTransport } from '../helpers/browser-client.ts';
import { authnRequestXml, createTestSp, redirectQuery } from '../helpers/saml-sp.ts';

/** IDP_SECRET of buildTestIdp: the key of the phone references in the logs. */
const SECRET = 'test-secret-0123456789-0123456789-abcdef';

const SSO = 'https://idp.example.test/saml/sso';
const sp = createTestSp();

type Line = Record<string, unknown>;

let idp: TestIdp;
const chunks: string[] = [];
const lines = (): Line[] =>
  chunks
    .join('')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Line);

before(async () => {
  idp = await buildTestIdp({
    sps: { sp: sp.metadataXml },
    env: { LOG_LEVEL: 'trace' },
    logStream: { write: (chunk: string) => void chunks.push(chunk) },
  });
});
after(() => idp.close());

const referenceOf = (html: string) => /class="reference">[^<]*?\b([0-9A-F]{10})\b/.exec(html)?.[1];

describe('a whole login, logged at trace level', () => {
  const phone = '+4791234567';
  const relayState = 'relay-7f3a9c-private';
  const secrets: Record<string, string> = {};
  let events: Line[] = [];

  before(async () => {
    chunks.length = 0;
    const query = redirectQuery(authnRequestXml({ issuer: sp.entityId, destination: SSO }), { relayState });
    secrets.SAMLRequest = decodeURIComponent(/SAMLRequest=([^&]+)/.exec(query)?.[1] ?? '');
    const client = new BrowserClient(injectTransport(idp.app, { 'accept-language': 'en' }));
    await client.go('GET', `/saml/sso?${query}&presetid=${encodeURIComponent('Nordmann, Kari Sofie')}`);
    await client.submit({ phone });
    const code = idp.sms.lastCode(phone);
    await client.submit({ code: code === '000000' ? '111111' : '000000' });
    await client.submit({ code });
    const post = client.samlPost();
    secrets.code = code;
    secrets.SAMLResponse = post.samlResponse;
    secrets['Response ID'] = /<samlp:Response [^>]*ID="([^"]+)"/.exec(post.xml)?.[1] ?? 'missing';
    secrets['signature value'] = /<ds:SignatureValue>([^<]{40})/.exec(post.xml)?.[1] ?? 'missing';
    secrets.RelayState = relayState;
    secrets['phone number'] = phone.slice(1);
    secrets['given name'] = 'Kari Sofie';
    secrets['family name'] = 'Nordmann';
    events = lines().filter((l) => typeof l.event === 'string' && l.type !== 'audit');
  });

  test('every authentication event is logged with the reference id of its request', () => {
    const names = events.map((l) => l.event);
    for (const name of ['login.started', 'otp.sent', 'otp.failed', 'otp.verified', 'saml.response.issued']) {
      assert.ok(names.includes(name), `${name} in ${names.join(', ')}`);
    }
    const requests = new Set(
      lines()
        .filter((l) => l.msg === 'incoming request')
        .map((l) => l.reqId),
    );
    for (const event of events) {
      assert.match(String(event.reqId), /^[0-9A-F]{10}$/, String(event.event));
      assert.ok(requests.has(event.reqId), `${event.event} belongs to a logged request`);
    }
  });

  test('every request is logged, without its query string', () => {
    const incoming = lines().filter((l) => l.msg === 'incoming request');
    assert.ok(incoming.length >= 5);
    for (const line of incoming) {
      const req = line.req as { path: string; method: string };
      assert.doesNotMatch(req.path, /\?/);
      assert.ok(lines().some((l) => l.msg === 'request completed' && l.reqId === line.reqId));
    }
  });

  test('phone numbers are masked to the country code and 2 digits (+47******67), with a keyed reference', () => {
    const withPhone = events.filter((l) => l.phone !== undefined);
    assert.ok(withPhone.length >= 3);
    const ref = createHmac('sha256', SECRET).update(`phone-log:${phone}`).digest('hex').slice(0, 16);
    for (const line of withPhone) {
      assert.equal(line.phone, '+47******67');
      assert.equal(line.phoneRef, ref, 'support can match the number they are given');
    }
  });

  test('codes, SAML messages, RelayState, numbers and names never appear in the logs', () => {
    const all = chunks.join('');
    for (const [what, value] of Object.entries(secrets)) {
      assert.ok(value.length >= 6, what);
      assert.ok(!all.includes(value), `${what} is in the logs`);
      assert.ok(!all.includes(JSON.stringify(value).slice(1, -1)), `${what} (JSON-escaped) is in the logs`);
    }
    assert.ok(!all.includes(encodeURIComponent(secrets.SAMLRequest ?? '')), 'SAMLRequest as sent');
  });
});

describe('reference ids', () => {
  test('the reference id on an error page is the reqId of the request’s log lines and its logged reason', async () => {
    const xml = authnRequestXml({ issuer: 'https://unknown.example/sp', destination: SSO });
    const response = await idp.app.inject({ method: 'GET', url: `/saml/sso?${redirectQuery(xml)}` });
    assert.equal(response.statusCode, 400);
    const reference = referenceOf(response.body);
    assert.ok(reference !== undefined);
    const mine = lines().filter((l) => l.reqId === reference);
    assert.ok(mine.some((l) => l.msg === 'incoming request'));
    const refused = mine.find((l) => l.msg === 'request refused');
    assert.equal(refused?.reason, 'unknown-sp');
    assert.equal(refused?.level, 40);
  });

  test('a refused SMS is logged with its reason and the request’s reference id', async () => {
    const own: string[] = [];
    const limited = await buildTestIdp({
      sps: { sp: sp.metadataXml },
      env: { SMS_MAX_PER_PHONE: '1' },
      logStream: { write: (chunk: string) => void own.push(chunk) },
    });
    try {
      for (let i = 0; i < 2; i++) {
        const client = new BrowserClient(injectTransport(limited.app));
        await client.go(
          'GET',
          `/saml/sso?${redirectQuery(authnRequestXml({ issuer: sp.entityId, destination: SSO }))}`,
        );
        await client.submit({ given_name: 'A', family_name: 'B', phone: '+4741234567' });
      }
      const refused = own
        .join('')
        .split('\n')
        .filter((l) => l !== '')
        .map((l) => JSON.parse(l) as Line)
        .find((l) => l.event === 'otp.refused');
      assert.equal(refused?.reason, 'phone-rate');
      assert.equal(refused?.phone, '+47******67');
      assert.match(String(refused?.reqId), /^[0-9A-F]{10}$/);
    } finally {
      await limited.close();
    }
  });
});

describe('log forging', () => {
  const forged = '\n{"level":30,"msg":"forged","admin":true}\r\n';

  test('CR/LF in an Issuer, a path, a namespace or a form field cannot start a new log line', async () => {
    chunks.length = 0;
    const xml = authnRequestXml({ issuer: `https://x.example/sp${forged}`, destination: SSO });
    await idp.app.inject({ method: 'GET', url: `/saml/sso?${redirectQuery(xml)}` });
    await idp.app.inject({ method: 'GET', url: `/login/${encodeURIComponent(forged)}` });
    await idp.app.inject({ method: 'GET', url: '/login/%0A%7B%22msg%22%3A%22forged%22%7D' });
    await idp.app.inject({
      method: 'POST',
      url: '/saml/sso',
      payload: { SAMLRequest: Buffer.from(`<a>${forged}</a>`).toString('base64'), RelayState: forged },
    });
    await idp.app.inject({
      method: 'POST',
      url: '/saml/sso',
      payload: {
        SAMLRequest: Buffer.from(`<samlp:AuthnRequest xmlns:samlp="${forged}"/>`).toString('base64'),
      },
    });
    assert.ok(chunks.length >= 10);
    for (const chunk of chunks) {
      assert.equal(chunk.indexOf('\n'), chunk.length - 1, 'one line per entry, ended by its only newline');
      assert.ok(!chunk.includes('\r'), 'no raw carriage return');
      const line = JSON.parse(chunk) as Line;
      assert.notEqual(line.msg, 'forged');
      assert.equal(line.admin, undefined);
    }
    assert.ok(
      chunks.some((c) => c.includes('x.example/sp')),
      'the hostile Issuer was logged, escaped',
    );
  });
});
