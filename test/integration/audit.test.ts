// The audit trail in AUDIT_LOG_FILE: a whole login, an SSO reuse, a logout, a cancel and a limit hit, each step one
// documented line with its fields; no code, no name, no full phone number; the keyed phone hash support can compute.

import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { buildTestIdp, type TestIdp } from '../helpers/app.ts';
import { BrowserClient } from '../helpers/browser-client.ts';
import { CookieJar, jarTransport } from '../helpers/sso-browser.ts';
import { authnRequestXml, createTestSp, newRequestId, redirectQuery, testKeys } from '../helpers/saml-sp.ts';

const SSO = 'https://idp.example.test/saml/sso';
const SECRET = 'audit-secret-0123456789-0123456789-abcdef';
const sp = createTestSp();
const other = createTestSp({ entityId: 'https://other.example.org/sp', keyName: 'other-sp' });
const PHONE = '+4791234567';
const CANCEL_PHONE = '+4791234568';
const COMMON = ['type', 'time', 'event'];

type Line = Record<string, unknown>;

describe('audit trail', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nsi-audit-'));
  const file = join(dir, 'audit.jsonl');
  let idp: TestIdp;
  const ids = { login: newRequestId(), sso: newRequestId(), cancel: newRequestId() };
  let code = '';
  let lines: Line[];

  const client = () => new BrowserClient(jarTransport(idp.app, new CookieJar(), { 'accept-language': 'en' }));
  const start = (c: BrowserClient, id: string, issuer = sp.entityId) =>
    c.go('GET', `/saml/sso?${redirectQuery(authnRequestXml({ issuer, id, destination: SSO }))}`);

  before(async () => {
    // A key rollover under way: the next pair is published, the current one signs.
    const keyFiles: Record<string, string> = {};
    for (const [name, keys] of [
      ['IDP', testKeys('audit-idp-current')],
      ['IDP_NEXT', testKeys('audit-idp-next')],
    ] as const) {
      keyFiles[`${name}_KEY_FILE`] = join(dir, `${name}.key.pem`);
      keyFiles[`${name}_CERT_FILE`] = join(dir, `${name}.cert.pem`);
      writeFileSync(join(dir, `${name}.key.pem`), keys.privateKeyPem);
      writeFileSync(join(dir, `${name}.cert.pem`), keys.certPem);
    }
    idp = await buildTestIdp({
      sps: { sp: sp.metadataXml, other: other.metadataXml },
      env: {
        ...keyFiles,
        AUDIT_LOG_FILE: file,
        IDP_SECRET: SECRET,
        OTP_MAX_SENDS_PER_FLOW: '1',
        OTP_RESEND_COOLDOWN_SECONDS: '0',
      },
    });
    // A whole login with one wrong code, then an SSO reuse at another SP, then a logout.
    const person = client();
    await start(person, ids.login);
    await person.submit({ given_name: 'Kari Sofie', family_name: 'Nordmann', phone: PHONE });
    code = idp.sms.lastCode(PHONE);
    await person.submit({ code: code === '111111' ? '222222' : '111111' });
    await person.submit({ code });
    assert.equal(person.samlPost().acsUrl, sp.acsUrl);
    await start(person, ids.sso, other.entityId);
    assert.equal(person.samlPost().acsUrl, other.acsUrl);
    const confirm = await person.go('GET', '/saml/logout');
    const token = /name="token" value="([^"]+)"/.exec(confirm.html)?.[1] ?? '';
    await person.go('POST', '/saml/logout', { token });
    // Another login: a resend the flow's limit refuses, then a cancel.
    const quitter = client();
    await start(quitter, ids.cancel);
    await quitter.submit({ given_name: 'Ola', family_name: 'Hansen', phone: CANCEL_PHONE });
    await quitter.submit({ action: 'resend' });
    await quitter.submit({ action: 'cancel' });
    lines = readFileSync(file, 'utf8')
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l) as Line);
  });
  after(async () => {
    await idp?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const ofRequest = (id: string) => lines.filter((l) => l.requestId === id);
  const hash = (phone: string) => createHmac('sha256', SECRET).update(`audit-phone:${phone}`).digest('hex');

  test('a whole login: one line per step, in order, all with the same flow, SP, AuthnRequest and client', () => {
    const login = ofRequest(ids.login);
    assert.deepEqual(
      login.map((l) => l.event),
      ['login.started', 'code.sent', 'code.wrong', 'code.verified', 'login.succeeded'],
    );
    const flow = login[0]?.flow;
    assert.match(String(flow), /^[\w-]{24}$/);
    for (const line of login) {
      assert.equal(line.type, 'audit');
      assert.ok(
        !Number.isNaN(Date.parse(String(line.time))) && String(line.time).endsWith('Z'),
        String(line.time),
      );
      assert.equal(line.sp, sp.entityId);
      assert.equal(line.client, '127.0.0.1');
      assert.match(String(line.ref), /^[0-9A-F]{10}$/, 'the reference id of the request');
      if (line.event !== 'login.succeeded') assert.equal(line.flow, flow);
    }
    assert.equal(
      new Set(login.map((l) => l.ref)).size,
      login.length - 1,
      'code.verified and its answer share a request',
    );
    const phoneLines = login.filter((l) => l.event !== 'login.started');
    for (const line of phoneLines) {
      assert.equal(line.phone, '+47******67');
      assert.equal(
        line.phoneHash,
        hash(PHONE),
        'HMAC-SHA256(IDP_SECRET, "audit-phone:" + E.164), as documented',
      );
    }
    assert.equal(login.find((l) => l.event === 'code.wrong')?.attempt, 1);
    assert.deepEqual(
      Object.keys(login[0] ?? {}).sort(),
      [...COMMON, 'client', 'flow', 'ref', 'requestId', 'sp'].sort(),
    );
  });

  test('an SSO reuse and a logout are recorded for the same person', () => {
    const reused = ofRequest(ids.sso);
    assert.deepEqual(
      reused.map((l) => [l.event, l.sp, l.phoneHash]),
      [['sso.reused', other.entityId, hash(PHONE)]],
    );
    const logout = lines.filter((l) => l.event === 'logout');
    assert.equal(logout.length, 1);
    assert.equal(logout[0]?.phoneHash, hash(PHONE));
    assert.equal(logout[0]?.by, 'user');
    assert.equal(logout[0]?.client, '127.0.0.1');
  });

  test('a limit hit and a cancel', () => {
    const cancelled = ofRequest(ids.cancel);
    assert.deepEqual(
      cancelled.map((l) => l.event),
      ['login.started', 'code.sent', 'limit.hit', 'login.cancelled', 'response.error'],
    );
    const hit = cancelled.find((l) => l.event === 'limit.hit');
    assert.equal(hit?.reason, 'flow-sends');
    assert.equal(hit?.phoneHash, hash(CANCEL_PHONE));
    assert.equal(
      cancelled.find((l) => l.event === 'response.error')?.status,
      'urn:oasis:names:tc:SAML:2.0:status:AuthnFailed',
    );
  });

  test('a key rollover at start and a change of SP metadata', async () => {
    assert.deepEqual(
      lines.filter((l) => l.event === 'key.rollover').map((l) => l.signWith),
      ['current'],
    );
    const third = createTestSp({ entityId: 'https://third.example.org/sp', keyName: 'third-sp' });
    writeFileSync(join(idp.config.saml.spMetadataDir, 'third.xml'), third.metadataXml);
    let changed: Line | undefined;
    for (let waited = 0; changed === undefined && waited < 10_000; waited += 50) {
      await sleep(50);
      changed = readFileSync(file, 'utf8')
        .split('\n')
        .filter((l) => l.includes('"metadata.changed"'))
        .map((l) => JSON.parse(l) as Line)[0];
    }
    assert.equal(changed?.type, 'audit');
    assert.equal(changed?.sps, 3);
  });

  test('no code, no name and no full phone number is ever written', () => {
    const all = readFileSync(file, 'utf8');
    for (const secret of [
      code,
      PHONE,
      PHONE.slice(1),
      CANCEL_PHONE.slice(1),
      'Kari',
      'Nordmann',
      'Hansen',
      SECRET,
    ]) {
      assert.ok(!all.includes(secret), `${secret} is in the audit trail`);
    }
    assert.ok(lines.length >= 12, `${lines.length} lines`);
  });
});
