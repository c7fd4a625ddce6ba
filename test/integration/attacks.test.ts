// Hostile SAML input over HTTP, one line per attack (fixtures in test/fixtures/attacks, named after the attack):
// refused with an error page and a reference id before the SP is trusted, a SAML status after (docs/contract.md §4).

import assert from 'node:assert/strict';
import { createPrivateKey, sign } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import type { LightMyRequestResponse } from 'fastify';
import type { UntrustedReason } from '../../src/errors.ts';
import { Alg, Binding } from '../../src/saml/urn.ts';
import { samlTime } from '../../src/saml/values.ts';
import { buildTestIdp, type TestIdp } from '../helpers/app.ts';
import { BrowserClient, injectTransport, inputValue } from '../helpers/browser-client.ts';
import { readResponse } from '../helpers/saml-response.ts';
import {
  authnRequestXml,
  createTestSp,
  newRequestId,
  redirectQuery,
  signXml,
  type TestSp,
} from '../helpers/saml-sp.ts';
import { CookieJar, jarTransport } from '../helpers/sso-browser.ts';

const BASE = 'https://idp.example.test';
const FIXTURES = new URL('../fixtures/attacks/', import.meta.url);
const STATUS = (s: string) => `urn:oasis:names:tc:SAML:2.0:status:${s}`;

const open = createTestSp({
  entityId: 'https://open.example.org/sp',
  keyName: 'open-sp',
  acs: [{ url: 'https://open.example.org/acs', index: 0 }],
});
const SIGNING_SLO = 'https://signing.example.org/slo';
const signing = createTestSp({
  entityId: 'https://signing.example.org/sp',
  keyName: 'signing-sp',
  authnRequestsSigned: 'true',
  acs: [{ url: 'https://signing.example.org/acs', index: 0 }],
  slo: [{ binding: Binding.redirect, url: SIGNING_SLO }],
});
const other = createTestSp({
  entityId: 'https://other.example.org/sp',
  keyName: 'other-sp',
  acs: [{ url: 'https://other.example.org/acs', index: 0 }],
});
const SIGNERS: Readonly<Record<string, TestSp>> = { 'signing-sp': signing, 'other-sp': other };

/** How a fixture asks to be sent: its first line `<?attack name="value" …?>`. */
interface Directives {
  readonly binding?: string;
  readonly sign?: string;
  readonly alg?: string;
}

function readFixture(name: string): { directives: Directives; body: string } {
  const raw = readFileSync(new URL(name, FIXTURES), 'utf8').trim();
  const head = /^<\?attack((?:\s+\w+="[^"]*")*)\s*\?>\s*/.exec(raw);
  if (head === null) return { directives: {}, body: raw };
  const directives = Object.fromEntries(
    [...(head[1] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]),
  );
  return { directives, body: raw.slice(head[0].length) };
}

function signWith(xml: string, signer: string, alg?: string): string {
  const sp = SIGNERS[signer];
  if (sp === undefined) throw new Error(`unknown signer ${signer}`);
  const sha1 = alg === 'rsa-sha1';
  return signXml(xml, {
    privateKeyPem: sp.keys.privateKeyPem,
    certPem: sp.keys.certPem,
    signatureAlgorithm: sha1 ? Alg.rsaSha1 : Alg.rsaSha256,
    digestAlgorithm: sha1 ? Alg.sha1 : Alg.sha256,
  });
}

/** Fills one fixture's placeholders (test/fixtures/attacks/README.md); every reference shares the same values.
 *  `extra` fills the placeholders a test supplies itself (values from a real login). */
function render(
  name: string,
  extra: Readonly<Record<string, string>> = {},
): { directives: Directives; message: string } {
  const now = Date.now();
  const values: Record<string, string> = {
    ...extra,
    ID: newRequestId(),
    EVIL_ID: newRequestId(),
    NOW: samlTime(new Date(now)),
    OLD: samlTime(new Date(now - 3600_000)),
    FUTURE: samlTime(new Date(now + 3600_000)),
    DESTINATION: `${BASE}/saml/sso`,
    SLO: `${BASE}/saml/slo`,
    ISSUER: open.entityId,
    ACS: open.acsUrl,
    SIGNING_ISSUER: signing.entityId,
    SIGNING_ACS: signing.acsUrl,
  };
  const signed = new Map<string, string>();
  const fill = (body: string): string =>
    body.replace(/\{\{([A-Z_]+)(?::([\w.-]+))?\}\}/g, (whole, key: string, ref: string | undefined) => {
      if (ref === undefined) return values[key] ?? whole;
      const unsigned = fill(readFixture(ref).body);
      const signedRef = () => {
        if (!signed.has(ref)) signed.set(ref, signWith(unsigned, 'signing-sp'));
        return signed.get(ref) as string;
      };
      switch (key) {
        case 'UNSIGNED':
          return unsigned;
        case 'SIGNED':
          return signedRef();
        case 'SIGNATURE':
          return /<ds:Signature[\s\S]*<\/ds:Signature>/.exec(signedRef())?.[0] ?? '';
        case 'SAMLREQUEST':
          return encodeURIComponent(deflateRawSync(Buffer.from(unsigned)).toString('base64'));
        default:
          return whole;
      }
    });
  const { directives, body } = readFixture(name);
  let message = fill(body);
  if (message.includes('{{QUERY_SIGNATURE}}')) {
    const octets = message.slice(0, message.indexOf('&Signature='));
    const sigAlg = decodeURIComponent(/SigAlg=([^&]*)/.exec(octets)?.[1] ?? '');
    const hash = sigAlg === Alg.rsaSha1 ? 'sha1' : 'sha256';
    const value = sign(hash, Buffer.from(octets), createPrivateKey(signing.keys.privateKeyPem));
    message = message.replaceAll('{{QUERY_SIGNATURE}}', encodeURIComponent(value.toString('base64')));
  }
  if (directives.sign !== undefined) message = signWith(message, directives.sign, directives.alg);
  return { directives, message };
}

const base64 = (s: string | Buffer) => Buffer.from(s).toString('base64');

let idp: TestIdp;
const logs: Record<string, unknown>[] = [];

before(async () => {
  idp = await buildTestIdp({
    sps: { open: open.metadataXml, signing: signing.metadataXml, other: other.metadataXml },
    logStream: {
      write(chunk: string) {
        for (const line of chunk.split('\n')) if (line !== '') logs.push(JSON.parse(line));
      },
    },
  });
});
after(async () => {
  await idp.close();
});

function inject(method: 'GET' | 'POST', url: string, form?: Record<string, string>) {
  return idp.app.inject({
    method,
    url,
    headers: {
      'accept-language': 'en',
      ...(form === undefined ? {} : { 'content-type': 'application/x-www-form-urlencoded' }),
    },
    payload: form === undefined ? undefined : new URLSearchParams(form).toString(),
  });
}

/** Sends a fixture to the SSO endpoint (or `endpoint`) as its directives and extension say. */
function send(
  name: string,
  extra: { relayState?: string; endpoint?: string } = {},
): Promise<LightMyRequestResponse> {
  const { directives, message } = render(name);
  const endpoint = extra.endpoint ?? '/saml/sso';
  const relay = extra.relayState === undefined ? '' : `&RelayState=${encodeURIComponent(extra.relayState)}`;
  if (name.endsWith('.query')) return inject('GET', `${endpoint}?${message}${relay}`);
  if (directives.binding === 'redirect') {
    const value = encodeURIComponent(deflateRawSync(Buffer.from(message)).toString('base64'));
    return inject('GET', `${endpoint}?SAMLRequest=${value}${relay}`);
  }
  const form: Record<string, string> = { SAMLRequest: base64(message) };
  if (extra.relayState !== undefined) form.RelayState = extra.relayState;
  return inject('POST', endpoint, form);
}

/** The reference id on an error page. */
function referenceOf(html: string): string {
  const reference = /class="reference">[^<]*?\b([0-9A-F]{10})\b/.exec(html)?.[1];
  assert.ok(reference !== undefined, `no reference id on the page: ${html.slice(0, 300)}`);
  return reference;
}

/** docs/contract.md §4 before the SP is trusted: 400, an error page with a reference id, nothing posted anywhere. */
function assertRefused(response: LightMyRequestResponse, reason: UntrustedReason, detail?: RegExp): void {
  assert.equal(response.statusCode, 400, response.body.slice(0, 300));
  assert.doesNotMatch(response.body, /SAMLResponse|<form[^>]*action="https?:/);
  assert.match(String(response.headers['content-type']), /^text\/html/);
  const reference = referenceOf(response.body);
  const logged = logs.find((l) => l.reqId === reference && l.msg === 'request refused');
  assert.ok(logged !== undefined, `no refusal logged under the reference ${reference}`);
  assert.equal(logged.reason, reason, String(logged.detail));
  if (detail !== undefined) assert.match(String(logged.detail), detail);
}

async function refused(
  name: string,
  reason: UntrustedReason,
  detail?: RegExp,
  endpoint?: string,
): Promise<void> {
  assertRefused(await send(name, { endpoint }), reason, detail);
}

/** docs/contract.md §4 once the SP is trusted: a signed Response with this status, auto-posted to the SP's ACS. */
async function answered(name: string, status: string, relayState?: string): Promise<BrowserClient> {
  const { message } = render(name);
  const client = new BrowserClient(injectTransport(idp.app, { 'accept-language': 'en' }));
  await client.go('POST', '/saml/sso', {
    SAMLRequest: base64(message),
    ...(relayState === undefined ? {} : { RelayState: relayState }),
  });
  const post = client.samlPost();
  assert.equal(post.acsUrl, open.acsUrl);
  assert.equal(readResponse(post.xml).subStatusCode, `urn:oasis:names:tc:SAML:2.0:status:${status}`);
  return client;
}

describe('XML parsing', () => {
  test('XXE with an external entity', () => refused('xxe-external-entity.xml', 'malformed', /DOCTYPE/));
  test('XXE with a parameter entity and a remote DTD', () =>
    refused('xxe-parameter-entity.xml', 'malformed', /DOCTYPE/));
  test('any DOCTYPE at all', () => refused('doctype.xml', 'malformed', /DOCTYPE/));
  test('billion laughs', () => refused('billion-laughs.xml', 'malformed', /DOCTYPE/));
});

describe('size and encoding', () => {
  test('DEFLATE bomb on the Redirect binding', async () => {
    const bomb = readFixture('deflate-bomb.txt').body.replace(/\s/g, '');
    assertRefused(
      await inject('GET', `/saml/sso?SAMLRequest=${encodeURIComponent(bomb)}`),
      'too-large',
      /inflated/,
    );
  });
  test('DEFLATE bomb on the POST binding', async () => {
    const bomb = readFixture('deflate-bomb.txt').body;
    assertRefused(await inject('POST', '/saml/sso', { SAMLRequest: bomb }), 'too-large', /inflated/);
  });
  test('invalid base64', async () => {
    const value = readFixture('invalid-base64.txt').body;
    assertRefused(await inject('POST', '/saml/sso', { SAMLRequest: value }), 'malformed', /base64/);
    assertRefused(
      await inject('GET', `/saml/sso?SAMLRequest=${encodeURIComponent(value)}`),
      'malformed',
      /base64/,
    );
  });
  test('invalid UTF-8', async () => {
    const bytes = readFileSync(new URL('invalid-utf8.bin', FIXTURES));
    assertRefused(await inject('POST', '/saml/sso', { SAMLRequest: base64(bytes) }), 'malformed', /UTF-8/);
  });
  test('oversized POST body: 413 page with a reference id, before any parsing', async () => {
    const response = await inject('POST', '/saml/sso', {
      SAMLRequest: 'A'.repeat(idp.app.initialConfig.bodyLimit ?? 0),
    });
    assert.equal(response.statusCode, 413);
    assert.match(response.body, /too large/);
    referenceOf(response.body);
  });
  test('oversized query string: the SAMLRequest cap refuses it', async () => {
    const huge = 'PHNhbWxw'.repeat(Math.ceil(idp.config.saml.samlMaxBytes / 3));
    assertRefused(await inject('GET', `/saml/sso?SAMLRequest=${huge}`), 'too-large');
  });
  test('oversized query string over real HTTP: refused by the HTTP parser, the server keeps serving', async () => {
    await idp.app.listen({ port: 0, host: '127.0.0.1' });
    const address = idp.app.server.address();
    const origin = typeof address === 'object' && address !== null ? `http://127.0.0.1:${address.port}` : '';
    const response = await fetch(`${origin}/saml/sso?SAMLRequest=${'A'.repeat(200_000)}`);
    await response.arrayBuffer();
    assert.equal(response.status, 431, 'Node refuses a request line over its header size limit');
    assert.equal((await fetch(`${origin}/healthz`)).status, 200);
  });
  test('RelayState over RELAY_STATE_MAX_BYTES', async () => {
    const relayState = 'x'.repeat(idp.config.saml.relayStateMaxBytes + 1);
    assertRefused(await send('authn-request.xml', { relayState }), 'relay-state');
    const redirect = render('duplicated-relaystate.query').message.replace(/&RelayState=.*/, '');
    assertRefused(await inject('GET', `/saml/sso?${redirect}&RelayState=${relayState}`), 'relay-state');
  });
});

describe('signature wrapping on a POST AuthnRequest', () => {
  test('baseline: the legitimate signed request is accepted and its signed Subject presets the phone', async () => {
    const signed = signWith(render('signed-authn-request.xml').message, 'signing-sp');
    const client = new BrowserClient(injectTransport(idp.app, { 'accept-language': 'en' }));
    const page = await client.go('POST', '/saml/sso', { SAMLRequest: base64(signed) });
    assert.equal(page.status, 200, page.html.slice(0, 300));
    assert.match(page.html, /id="locked-phone">\+47 91 23 45 67</);
  });
  test('extra root', () => refused('wrapping-extra-root.xml', 'malformed', /well-formed/));
  test('nested request', () => refused('wrapping-nested-request.xml', 'bad-signature', /direct child/));
  test('second Signature', () => refused('wrapping-second-signature.xml', 'bad-signature', /more than one/));
  test('Reference to another ID', () =>
    refused('wrapping-reference-to-another-id.xml', 'bad-signature', /Reference URI/));
  test('two elements with the signed ID', () =>
    refused(
      'wrapping-duplicate-id.xml',
      'bad-signature',
      /the signed ID is carried by more than one element/,
    ));
  test('comment inside a signed value: the signature holds and the whole value is read', async () => {
    const client = new BrowserClient(injectTransport(idp.app, { 'accept-language': 'en' }));
    const page = await client.go('POST', '/saml/sso', {
      SAMLRequest: base64(render('wrapping-comment-in-value.xml').message),
    });
    assert.equal(page.status, 200, page.html.slice(0, 300));
    assert.match(page.html, /id="locked-phone">\+47 91 23 45 67</);
  });
});

describe('signatures and signing policy', () => {
  test('SHA-1 enveloped signature', () =>
    refused('sha1-signature-method.xml', 'bad-signature', /SignatureMethod is not RSA-SHA256/));
  test('SHA-1 SigAlg on the Redirect binding', () => refused('sha1-sigalg.query', 'bad-signature', /SigAlg/));
  test('unknown SigAlg', () => refused('unknown-sigalg.query', 'bad-signature', /SigAlg/));
  test('signature from another SP’s key', () =>
    refused('signature-from-another-sp.xml', 'bad-signature', /does not verify/));
  test('unsigned request where the SP’s metadata requires signing', () =>
    refused('unsigned-where-signing-required.xml', 'signature-required'));
  test('duplicated SAMLRequest', () =>
    refused('duplicated-samlrequest.query', 'malformed', /more than once/));
  test('duplicated RelayState', () => refused('duplicated-relaystate.query', 'malformed', /more than once/));
  test('duplicated SigAlg', () => refused('duplicated-sigalg.query', 'malformed', /more than once/));
});

describe('who, where and when', () => {
  test('unknown Issuer', () => refused('unknown-issuer.xml', 'unknown-sp', /attacker\.example/));
  test('missing Issuer', () => refused('missing-issuer.xml', 'unknown-sp', /no Issuer/));
  test('Destination of another IdP', () => refused('destination-mismatch.xml', 'bad-destination'));
  test('IssueInstant too old', () => refused('issue-instant-too-old.xml', 'stale', /old/));
  test('IssueInstant in the future', () => refused('issue-instant-in-future.xml', 'stale', /future/));
  test('ACS URL not in metadata', () => refused('acs-url-not-in-metadata.xml', 'acs-not-in-metadata'));
  test('ACS index not in metadata', () => refused('acs-index-not-in-metadata.xml', 'acs-not-in-metadata'));
  test('replayed request ID', async () => {
    const { message } = render('replayed-request-id.xml');
    assert.equal((await inject('POST', '/saml/sso', { SAMLRequest: base64(message) })).statusCode, 303);
    assertRefused(await inject('POST', '/saml/sso', { SAMLRequest: base64(message) }), 'replayed');
  });
});

describe('after the SP is trusted: a SAML status', () => {
  test('ProtocolBinding other than HTTP-POST answers UnsupportedBinding', async () => {
    await answered('protocol-binding-artifact.xml', 'UnsupportedBinding');
  });

  test('RelayState with markup is echoed byte for byte and escaped on the page', async () => {
    const relayState = readFixture('relay-state-markup.txt').body;
    const client = await answered('protocol-binding-artifact.xml', 'UnsupportedBinding', relayState);
    const html = client.page?.html ?? '';
    assert.equal(inputValue(html, 'RelayState'), relayState);
    assert.equal(client.samlPost().relayState, relayState);
    assert.ok(!html.includes('<script>alert') && !html.includes('<img src=x'), 'markup is escaped');
    assert.equal((html.match(/<script/g) ?? []).length, 1, 'only the nonce’d auto-post script');
  });
});

describe('signature wrapping on a POST LogoutRequest to /saml/slo', () => {
  const slo = (name: string, reason: UntrustedReason, detail: RegExp) => () =>
    refused(name, reason, detail, '/saml/slo');
  test('extra root', slo('logout-wrapping-extra-root.xml', 'malformed', /well-formed/));
  test('nested request', slo('logout-wrapping-nested-request.xml', 'bad-signature', /direct child/));
  test('second Signature', slo('logout-wrapping-second-signature.xml', 'bad-signature', /more than one/));
  test(
    'Reference to another ID',
    slo('logout-wrapping-reference-to-another-id.xml', 'bad-signature', /Reference URI/),
  );
  test(
    'two elements with the signed ID',
    slo(
      'logout-wrapping-duplicate-id.xml',
      'bad-signature',
      /the signed ID is carried by more than one element/,
    ),
  );
});

describe('a comment inside the signed NameID and SessionIndex of a LogoutRequest to /saml/slo', () => {
  /** A browser logged in to the signing SP, and what that SP was given to name in a LogoutRequest. */
  async function loggedInToSigningSp(phone: string) {
    const jar = new CookieJar();
    const transport = jarTransport(idp.app, jar, { 'accept-language': 'en' });
    const client = new BrowserClient(transport);
    const ask = (isPassive: boolean) => {
      const xml = authnRequestXml({ issuer: signing.entityId, destination: `${BASE}/saml/sso`, isPassive });
      return client.go(
        'GET',
        `/saml/sso?${redirectQuery(xml, { sign: { privateKeyPem: signing.keys.privateKeyPem } })}`,
      );
    };
    await ask(false);
    await client.submit({ given_name: 'Kari', family_name: 'Nordmann', phone });
    await client.submit({ code: idp.sms.lastCode(phone) });
    const r = readResponse(client.samlPost().xml);
    assert.equal(r.statusCode, STATUS('Success'));
    assert.ok(r.nameId && r.nameIdFormat && r.sessionIndex, 'the SP was given a NameID and a SessionIndex');
    /** Does the IdP still answer the signing SP from this browser's session, without a login? */
    const hasSession = async () => {
      await ask(true);
      return readResponse(client.samlPost().xml).statusCode === STATUS('Success');
    };
    return {
      transport,
      nameId: r.nameId,
      nameIdFormat: r.nameIdFormat,
      sessionIndex: r.sessionIndex,
      hasSession,
    };
  }

  /** Sends the fixture, filled in with `values`, to /saml/slo; returns the status of the LogoutResponse. */
  async function logout(
    transport: ReturnType<typeof jarTransport>,
    values: Record<string, string>,
  ): Promise<{ statusCode: string | null; subStatusCode: string | null }> {
    const { message } = render('logout-wrapping-comment-in-value.xml', values);
    assert.match(message, /<!-- the signature does not see comments -->/, 'the comment is in what is sent');
    const response = await transport('POST', '/saml/slo', { SAMLRequest: base64(message) });
    assert.equal(response.status, 303, response.body.slice(0, 300));
    const location = new URL(String(response.headers.location));
    assert.equal(`${location.origin}${location.pathname}`, SIGNING_SLO);
    const xml = inflateRawSync(Buffer.from(location.searchParams.get('SAMLResponse') ?? '', 'base64'));
    return readResponse(xml.toString('utf8'));
  }

  test('a comment splitting the real values: the whole values are read and the session ends', async () => {
    const victim = await loggedInToSigningSp('+4791234001');
    const r = await logout(victim.transport, {
      NAME_ID_FORMAT: victim.nameIdFormat,
      NAME_ID_HEAD: victim.nameId.slice(0, 4),
      NAME_ID_TAIL: victim.nameId.slice(4),
      SESSION_INDEX_HEAD: victim.sessionIndex.slice(0, 4),
      SESSION_INDEX_TAIL: victim.sessionIndex.slice(4),
    });
    assert.equal(r.statusCode, STATUS('Success'));
    assert.equal(await victim.hasSession(), false, 'the session named by the whole values is over');
  });

  test('the text before the comment is the victim’s: the attacker’s suffix is read too, nothing ends', async () => {
    const victim = await loggedInToSigningSp('+4791234002');
    const r = await logout(victim.transport, {
      NAME_ID_FORMAT: victim.nameIdFormat,
      NAME_ID_HEAD: victim.nameId,
      NAME_ID_TAIL: '-of-the-attacker',
      SESSION_INDEX_HEAD: victim.sessionIndex,
      SESSION_INDEX_TAIL: '-of-the-attacker',
    });
    assert.equal(r.statusCode, STATUS('Requester'));
    assert.equal(r.subStatusCode, STATUS('UnknownPrincipal'));
    assert.equal(await victim.hasSession(), true, 'the victim’s session goes on');
  });
});
