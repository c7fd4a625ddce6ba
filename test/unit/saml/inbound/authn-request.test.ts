// AuthnRequestReader: the happy paths on both bindings, every untrusted reason, and every refusal.

import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateRawSync } from 'node:zlib';
import { after, before, describe, test } from 'node:test';
import { SamlStatus, UntrustedRequestError, type UntrustedReason } from '../../../../src/errors.ts';
import {
  AuthnRequestReader,
  type AuthnRequestReaderOptions,
} from '../../../../src/saml/inbound/authn-request.ts';
import { SpRegistry } from '../../../../src/saml/metadata/sp-registry.ts';
import { Alg, AuthnContextClass, Binding, NameIdFormatUrn } from '../../../../src/saml/urn.ts';
import {
  type AuthnRequestOptions,
  authnRequestXml,
  createTestSp,
  postForm,
  postInput,
  redirectInput,
  redirectQuery,
  signXml,
  spMetadataXml,
  TEST_SSO_URL,
  testKeys,
} from '../../../helpers/saml-sp.ts';

const ARTIFACT = 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Artifact';
const OUR_CLASS = AuthnContextClass.mobileOneFactorUnregistered;

const open = createTestSp({
  entityId: 'https://open.example/sp',
  keyName: 'open-sp',
  acs: [
    { url: 'https://open.example/acs/artifact', binding: ARTIFACT, index: 0 },
    { url: 'https://open.example/acs/3', index: 3 },
    { url: 'https://open.example/acs/1', index: 1 },
  ],
  displayNames: { nb: 'Åpen tjeneste', en: 'Open service' },
});
const oldKeys = testKeys('signed-sp-old');
const signedSp = createTestSp({
  entityId: 'https://signed.example/sp',
  keyName: 'signed-sp',
  authnRequestsSigned: '1',
  acs: [
    { url: 'https://signed.example/acs/a', index: 5 },
    { url: 'https://signed.example/acs/b', index: 6, isDefault: 'true' },
  ],
});
const otherKeys = testKeys('somebody-else');

let dir: string;
let registry: SpRegistry;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'authn-request-'));
  await writeFile(join(dir, 'open.xml'), open.metadataXml);
  await writeFile(
    join(dir, 'signed.xml'),
    spMetadataXml({ ...signedSp.metadata, signingCerts: [oldKeys.certBase64, signedSp.keys.certBase64] }),
  );
  await writeFile(
    join(dir, 'nopost.xml'),
    spMetadataXml({
      entityId: 'https://nopost.example/sp',
      acs: [{ url: 'https://nopost.example/acs', binding: ARTIFACT, index: 0 }],
    }),
  );
  await writeFile(
    join(dir, 'unindexed.xml'),
    spMetadataXml({
      entityId: 'https://unindexed.example/sp',
      acs: [{ url: 'https://unindexed.example/first' }, { url: 'https://unindexed.example/second' }],
    }),
  );
  const problems: string[] = [];
  registry = await SpRegistry.load(dir, { onProblem: (f, m) => problems.push(`${f}: ${m}`) });
  assert.deepEqual(problems, []);
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

function makeReader(overrides: Partial<AuthnRequestReaderOptions> = {}) {
  const remembered: { sp: string; id: string; ttl: number }[] = [];
  const seen = new Set<string>();
  const reader = new AuthnRequestReader({
    registry,
    rememberRequestId: async (sp, id, ttl) => {
      remembered.push({ sp, id, ttl });
      const key = `${sp} ${id}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    },
    wantAuthnRequestsSigned: false,
    clockSkewSeconds: 60,
    maxAgeSeconds: 300,
    maxBytes: 16 * 1024,
    relayStateMaxBytes: 80,
    ...overrides,
  });
  return { reader, remembered };
}

const openRequest = (o: Partial<AuthnRequestOptions> = {}) =>
  authnRequestXml({ issuer: open.entityId, ...o });
const signedRequest = (o: Partial<AuthnRequestOptions> = {}) =>
  authnRequestXml({ issuer: signedSp.entityId, ...o });
const signWith = (keys: { privateKeyPem: string; certPem: string }) => ({
  privateKeyPem: keys.privateKeyPem,
  certPem: keys.certPem,
});

async function expectUntrusted(
  promise: Promise<unknown>,
  reason: UntrustedReason,
  detail?: RegExp,
): Promise<void> {
  await assert.rejects(promise, (err: unknown) => {
    assert.ok(err instanceof UntrustedRequestError, `expected UntrustedRequestError, got ${String(err)}`);
    assert.equal(err.reason, reason, `reason (message: ${err.message})`);
    if (detail !== undefined) assert.match(err.message, detail);
    return true;
  });
}

describe('happy paths', () => {
  test('Redirect, unsigned: the pending request carries what the request and metadata say', async () => {
    const { reader, remembered } = makeReader();
    const xml = openRequest({ id: '_abc123', subjectNameId: '+4712345678' });
    const result = await reader.read(
      redirectInput(redirectQuery(xml, { relayState: 'ss:mem:123' })),
      new Date(),
    );
    assert.deepEqual(result.request, {
      spEntityId: open.entityId,
      requestId: '_abc123',
      acsUrl: 'https://open.example/acs/1',
      relayState: 'ss:mem:123',
      forceAuthn: false,
      isPassive: false,
      nameIdFormat: 'unspecified',
      spNameQualifier: undefined,
      // An unsigned Subject is kept too: it locks the number rather than being dropped.
      subjectPhone: '+4712345678',
      spDisplayName: 'Open service',
    });
    assert.equal(result.refusal, undefined);
    assert.equal(result.signed, false);
    assert.deepEqual(remembered, [{ sp: open.entityId, id: '_abc123', ttl: 300 + 2 * 60 }]);
  });

  test('Redirect, signed with RSA-SHA256: signed, and the Subject NameID becomes the preset phone', async () => {
    const { reader } = makeReader();
    const xml = signedRequest({ subjectNameId: '+4612345678' });
    const query = redirectQuery(xml, { relayState: 'state', sign: signWith(signedSp.keys) });
    const result = await reader.read(redirectInput(query), new Date());
    assert.equal(result.signed, true);
    assert.equal(result.request.subjectPhone, '+4612345678');
    assert.equal(result.request.acsUrl, 'https://signed.example/acs/b');
    assert.equal(result.request.relayState, 'state');
  });

  test('Redirect, signed with RSA-SHA512 by the older of two SP certificates', async () => {
    const { reader } = makeReader();
    const query = redirectQuery(signedRequest(), {
      sign: { privateKeyPem: oldKeys.privateKeyPem, sigAlg: Alg.rsaSha512 },
    });
    assert.equal((await reader.read(redirectInput(query), new Date())).signed, true);
  });

  test('Redirect: the signature is checked over the octets exactly as sent (lower-case escapes, E-Ident params)', async () => {
    const { reader } = makeReader();
    const { createPrivateKey, sign } = await import('node:crypto');
    const b64 = deflateRawSync(Buffer.from(signedRequest())).toString('base64');
    const lower = (s: string) => encodeURIComponent(s).replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase());
    const signedPart = `SAMLRequest=${lower(b64)}&RelayState=${lower('https://x/?a=b c')}&SigAlg=${lower(Alg.rsaSha256)}`;
    const signature = sign('sha256', Buffer.from(signedPart), createPrivateKey(signedSp.keys.privateKeyPem));
    const query = `forcepkivendor=nets_sms&${signedPart}&Signature=${lower(signature.toString('base64'))}&locale=nb_NO`;
    const result = await reader.read(redirectInput(query), new Date());
    assert.equal(result.signed, true);
    assert.equal(result.request.relayState, 'https://x/?a=b c');
  });

  test('POST, unsigned', async () => {
    const { reader } = makeReader();
    const result = await reader.read(postInput(postForm(openRequest(), { relayState: 'rs' })), new Date());
    assert.equal(result.signed, false);
    assert.equal(result.request.relayState, 'rs');
    assert.equal(result.request.acsUrl, 'https://open.example/acs/1');
  });

  test('POST, enveloped signature: signed, Subject NameID read', async () => {
    const { reader } = makeReader();
    const form = postForm(signedRequest({ subjectNameId: '+4798765432' }), { sign: signWith(signedSp.keys) });
    const result = await reader.read(postInput(form, { rawQuery: 'forcepkivendor=nets_sms' }), new Date());
    assert.equal(result.signed, true);
    assert.equal(result.request.subjectPhone, '+4798765432');
  });

  test('POST, signature with RSA-SHA512 and SHA-512 digest', async () => {
    const { reader } = makeReader();
    const sign = {
      ...signWith(signedSp.keys),
      signatureAlgorithm: Alg.rsaSha512,
      digestAlgorithm: Alg.sha512,
    };
    assert.equal(
      (await reader.read(postInput(postForm(signedRequest(), { sign })), new Date())).signed,
      true,
    );
  });

  test('a signed request to an SP that does not require signing is still verified and counted as signed', async () => {
    const { reader } = makeReader();
    const query = redirectQuery(openRequest({ subjectNameId: '+4711111111' }), { sign: signWith(open.keys) });
    const result = await reader.read(redirectInput(query), new Date());
    assert.equal(result.signed, true);
    assert.equal(result.request.subjectPhone, '+4711111111');
  });

  test('Destination with a query string (?forcepkivendor=…) matches the endpoint', async () => {
    const { reader } = makeReader();
    const xml = openRequest({ destination: `${TEST_SSO_URL}?forcepkivendor=nets_sms` });
    await reader.read(redirectInput(redirectQuery(xml)), new Date());
  });

  test('no Destination is accepted', async () => {
    const { reader } = makeReader();
    await reader.read(redirectInput(redirectQuery(openRequest({ destination: null }))), new Date());
  });

  test('AttributeConsumingServiceIndex is carried to the response policy; a non-number is malformed', async () => {
    const { reader } = makeReader();
    const { request } = await reader.read(
      redirectInput(redirectQuery(openRequest({ attributeServiceIndex: '2' }))),
      new Date(),
    );
    assert.equal(request.attributeServiceIndex, 2);
    await assert.rejects(
      reader.read(redirectInput(redirectQuery(openRequest({ attributeServiceIndex: 'two' }))), new Date()),
      (error: unknown) => error instanceof UntrustedRequestError && error.reason === 'malformed',
    );
  });

  test('ForceAuthn="1" and IsPassive="true" are read as xs:boolean', async () => {
    const { reader } = makeReader();
    const xml = openRequest({ forceAuthn: '1', isPassive: 'true' });
    const { request } = await reader.read(redirectInput(redirectQuery(xml)), new Date());
    assert.equal(request.forceAuthn, true);
    assert.equal(request.isPassive, true);
  });

  test('NameIDPolicy transient, persistent (with our SPNameQualifier) and unspecified', async () => {
    const { reader } = makeReader();
    const read = async (o: Partial<AuthnRequestOptions>) =>
      (await reader.read(redirectInput(redirectQuery(openRequest(o))), new Date())).request;
    assert.equal((await read({ nameIdFormat: NameIdFormatUrn.transient })).nameIdFormat, 'transient');
    const persistent = await read({
      nameIdFormat: NameIdFormatUrn.persistent,
      spNameQualifier: open.entityId,
    });
    assert.equal(persistent.nameIdFormat, 'persistent');
    assert.equal(persistent.spNameQualifier, open.entityId);
    assert.equal((await read({ nameIdFormat: NameIdFormatUrn.unspecified })).nameIdFormat, 'unspecified');
    assert.equal((await read({ nameIdFormat: null })).nameIdFormat, 'unspecified');
  });

  test('ACS chosen by URL, by index, by isDefault, by lowest index, else the first', async () => {
    const { reader } = makeReader();
    const acsOf = async (xml: string) =>
      (await reader.read(redirectInput(redirectQuery(xml)), new Date())).request.acsUrl;
    assert.equal(
      await acsOf(openRequest({ acsUrl: 'https://open.example/acs/3' })),
      'https://open.example/acs/3',
    );
    assert.equal(await acsOf(openRequest({ acsIndex: 3 })), 'https://open.example/acs/3');
    assert.equal(
      await acsOf(openRequest({ acsIndex: 3, acsUrl: 'https://open.example/acs/3' })),
      'https://open.example/acs/3',
    );
    assert.equal(await acsOf(openRequest()), 'https://open.example/acs/1');
    const signedQuery = redirectQuery(signedRequest(), { sign: signWith(signedSp.keys) });
    assert.equal(
      (await reader.read(redirectInput(signedQuery), new Date())).request.acsUrl,
      'https://signed.example/acs/b',
    );
    const unindexed = authnRequestXml({ issuer: 'https://unindexed.example/sp' });
    assert.equal(await acsOf(unindexed), 'https://unindexed.example/first');
  });

  test('RequestedAuthnContext that we can satisfy: exact ours, minimum Password, better unspecified, maximum ours', async () => {
    const { reader } = makeReader();
    for (const requestedAuthnContext of [
      { classRefs: [OUR_CLASS] },
      { comparison: 'exact', classRefs: [AuthnContextClass.password, OUR_CLASS] },
      { comparison: 'minimum', classRefs: [AuthnContextClass.passwordProtectedTransport] },
      { comparison: 'better', classRefs: [AuthnContextClass.unspecified] },
      { comparison: 'maximum', classRefs: [OUR_CLASS] },
    ]) {
      const result = await reader.read(
        redirectInput(redirectQuery(openRequest({ requestedAuthnContext }))),
        new Date(),
      );
      assert.equal(result.refusal, undefined, JSON.stringify(requestedAuthnContext));
    }
  });

  test('IssueInstant within the clock skew in the future, and just inside the maximum age', async () => {
    const { reader } = makeReader();
    const now = new Date();
    await reader.read(
      redirectInput(redirectQuery(openRequest({ issueInstant: new Date(now.getTime() + 50_000) }))),
      now,
    );
    await reader.read(
      redirectInput(redirectQuery(openRequest({ issueInstant: new Date(now.getTime() - 355_000) }))),
      now,
    );
  });
});

describe('untrusted: malformed', () => {
  const cases: [string, () => Parameters<AuthnRequestReader['read']>[0]][] = [
    ['no SAMLRequest on Redirect', () => redirectInput('RelayState=x')],
    ['no SAMLRequest on POST', () => postInput({ RelayState: 'x' })],
    [
      'SAMLRequest twice in the query',
      () => redirectInput(`${redirectQuery(openRequest())}&SAMLRequest=abc`),
    ],
    [
      'another query parameter twice',
      () => redirectInput(`${redirectQuery(openRequest())}&locale=nb&locale=sv`),
    ],
    ['SAMLRequest twice in the POST form', () => postInput({ SAMLRequest: ['a', 'b'] })],
    [
      'RelayState twice in the POST form',
      () => postInput({ ...postForm(openRequest()), RelayState: ['a', 'b'] }),
    ],
    ['a bad percent-encoding', () => redirectInput(`${redirectQuery(openRequest())}&x=%E0%A4%A`)],
    ['invalid base64', () => postInput({ SAMLRequest: 'PHNhbWxwOkF1dGhuUmVxdWVzd$$' })],
    [
      'not DEFLATE data',
      () => redirectInput(`SAMLRequest=${encodeURIComponent(Buffer.from('plain').toString('base64'))}`),
    ],
    [
      'a SAMLEncoding other than DEFLATE',
      () => redirectInput(`${redirectQuery(openRequest())}&SAMLEncoding=gzip`),
    ],
    [
      'invalid UTF-8',
      () => postInput({ SAMLRequest: Buffer.from([0x3c, 0x61, 0xff, 0xfe, 0x3e]).toString('base64') }),
    ],
    ['XML that is not well-formed', () => postInput(postForm('<samlp:AuthnRequest xmlns:samlp="x"'))],
    [
      'a DOCTYPE with an external entity (XXE)',
      () =>
        postInput(
          postForm(
            `<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>${openRequest().replace('</saml:Issuer>', '&x;</saml:Issuer>')}`,
          ),
        ),
    ],
    [
      'billion laughs (nested internal entities)',
      () =>
        redirectInput(
          redirectQuery(
            `<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>${openRequest()}`,
          ),
        ),
    ],
    [
      'a root other than AuthnRequest',
      () => redirectInput(redirectQuery(openRequest().replace(/AuthnRequest/g, 'LogoutRequest'))),
    ],
    [
      'an AuthnRequest outside the protocol namespace',
      () =>
        redirectInput(
          redirectQuery(openRequest().replace('urn:oasis:names:tc:SAML:2.0:protocol', 'urn:example:other')),
        ),
    ],
    ['no ID', () => redirectInput(redirectQuery(openRequest({ id: null })))],
    ['an ID that is not an xs:ID', () => redirectInput(redirectQuery(openRequest({ id: '1abc' })))],
    ['Version 1.1', () => redirectInput(redirectQuery(openRequest({ version: '1.1' })))],
    [
      'an Assertion inside the request',
      () =>
        redirectInput(
          redirectQuery(
            openRequest().replace('</saml:Issuer>', '</saml:Issuer><saml:Assertion ID="_x" Version="2.0"/>'),
          ),
        ),
    ],
    [
      'two Issuers',
      () => redirectInput(redirectQuery(openRequest().replace(/(<saml:Issuer>.*?<\/saml:Issuer>)/, '$1$1'))),
    ],
    [
      'ForceAuthn that is not xs:boolean',
      () => redirectInput(redirectQuery(openRequest({ forceAuthn: 'yes' }))),
    ],
    [
      'IssueInstant that is not xs:dateTime',
      () => redirectInput(redirectQuery(openRequest({ issueInstant: 'yesterday' }))),
    ],
    [
      'AssertionConsumerServiceIndex that is not a number',
      () => redirectInput(redirectQuery(openRequest({ acsIndex: 'one' }))),
    ],
    [
      'a Comparison the schema does not allow',
      () =>
        redirectInput(
          redirectQuery(
            openRequest({ requestedAuthnContext: { comparison: 'roughly', classRefs: [OUR_CLASS] } }),
          ),
        ),
    ],
    [
      'SAMLRequest in the query of a POST',
      () => postInput(postForm(openRequest()), { rawQuery: 'SAMLRequest=abc' }),
    ],
  ];
  for (const [name, input] of cases) {
    test(name, async () => {
      const { reader, remembered } = makeReader();
      await expectUntrusted(reader.read(input(), new Date()), 'malformed');
      assert.deepEqual(remembered, [], 'nothing remembered for a refused request');
    });
  }
});

describe('untrusted: too large', () => {
  test('a POSTed message over maxBytes', async () => {
    const { reader } = makeReader({ maxBytes: 2048 });
    const big = openRequest({ subjectNameId: 'x'.repeat(4000) });
    await expectUntrusted(reader.read(postInput(postForm(big)), new Date()), 'too-large');
  });

  test('a DEFLATE bomb: small compressed, huge inflated', async () => {
    const { reader } = makeReader();
    const bomb = deflateRawSync(
      Buffer.from(openRequest().replace('</saml:Issuer>', `</saml:Issuer>${' '.repeat(10_000_000)}`)),
    );
    assert.ok(bomb.length < 16 * 1024, `bomb is ${bomb.length} bytes`);
    const query = `SAMLRequest=${encodeURIComponent(bomb.toString('base64'))}`;
    await expectUntrusted(reader.read(redirectInput(query), new Date()), 'too-large', /inflated/);
  });

  test('a deflated POST message (node-saml sends those) is inflated with the same cap', async () => {
    const { reader } = makeReader();
    const bomb = deflateRawSync(
      Buffer.from(openRequest().replace('</saml:Issuer>', `</saml:Issuer>${' '.repeat(10_000_000)}`)),
    );
    await expectUntrusted(
      reader.read(postInput({ SAMLRequest: bomb.toString('base64') }), new Date()),
      'too-large',
    );
    const ok = deflateRawSync(Buffer.from(openRequest())).toString('base64');
    assert.equal(
      (await reader.read(postInput({ SAMLRequest: ok }), new Date())).request.spEntityId,
      open.entityId,
    );
  });

  test('base64 text far beyond the cap is refused before decoding', async () => {
    const { reader } = makeReader({ maxBytes: 1024 });
    await expectUntrusted(
      reader.read(postInput({ SAMLRequest: 'A'.repeat(100_000) }), new Date()),
      'too-large',
    );
  });
});

describe('untrusted: unknown SP', () => {
  test('no Issuer', async () => {
    const { reader } = makeReader();
    await expectUntrusted(
      reader.read(redirectInput(redirectQuery(openRequest({ issuer: null }))), new Date()),
      'unknown-sp',
    );
  });

  test('an Issuer no metadata describes', async () => {
    const { reader } = makeReader();
    const xml = authnRequestXml({ issuer: 'https://stranger.example/sp' });
    await expectUntrusted(
      reader.read(redirectInput(redirectQuery(xml)), new Date()),
      'unknown-sp',
      /stranger/,
    );
  });

  test('an Issuer whose Format is not entity', async () => {
    const { reader } = makeReader();
    const xml = openRequest().replace(
      '<saml:Issuer>',
      `<saml:Issuer Format="${NameIdFormatUrn.persistent}">`,
    );
    await expectUntrusted(reader.read(redirectInput(redirectQuery(xml)), new Date()), 'unknown-sp');
  });
});

describe('untrusted: bad signature', () => {
  test('Redirect signed by a key that is not in the metadata', async () => {
    const { reader, remembered } = makeReader();
    const query = redirectQuery(signedRequest(), { sign: { privateKeyPem: otherKeys.privateKeyPem } });
    await expectUntrusted(reader.read(redirectInput(query), new Date()), 'bad-signature');
    assert.deepEqual(remembered, []);
  });

  test('Redirect signed with RSA-SHA1 is refused even with the right key', async () => {
    const { reader } = makeReader();
    const query = redirectQuery(signedRequest(), {
      sign: { privateKeyPem: signedSp.keys.privateKeyPem, sigAlg: Alg.rsaSha1 },
    });
    await expectUntrusted(reader.read(redirectInput(query), new Date()), 'bad-signature', /SHA256/);
  });

  test('Redirect with RelayState changed after signing', async () => {
    const { reader } = makeReader();
    const query = redirectQuery(signedRequest(), { relayState: 'original', sign: signWith(signedSp.keys) });
    const tampered = query.replace('RelayState=original', 'RelayState=evil');
    await expectUntrusted(reader.read(redirectInput(tampered), new Date()), 'bad-signature');
  });

  test('Redirect with Signature but no SigAlg', async () => {
    const { reader } = makeReader();
    const query = redirectQuery(signedRequest(), { sign: signWith(signedSp.keys) }).replace(
      /&SigAlg=[^&]*/,
      '',
    );
    await expectUntrusted(reader.read(redirectInput(query), new Date()), 'bad-signature');
  });

  test('a signed request from an SP whose metadata lists no signing certificate', async () => {
    const { reader } = makeReader();
    const xml = authnRequestXml({ issuer: 'https://unindexed.example/sp' });
    const query = redirectQuery(xml, { sign: signWith(otherKeys) });
    await expectUntrusted(
      reader.read(redirectInput(query), new Date()),
      'bad-signature',
      /no signing certificate/,
    );
  });

  test('POST signed by a key that is not in the metadata', async () => {
    const { reader } = makeReader();
    const form = postForm(signedRequest(), { sign: signWith(otherKeys) });
    await expectUntrusted(reader.read(postInput(form), new Date()), 'bad-signature');
  });

  test('POST signed with RSA-SHA1', async () => {
    const { reader } = makeReader();
    const form = postForm(signedRequest(), {
      sign: { ...signWith(signedSp.keys), signatureAlgorithm: Alg.rsaSha1 },
    });
    await expectUntrusted(reader.read(postInput(form), new Date()), 'bad-signature', /SignatureMethod/);
  });

  test('POST with a SHA-1 digest', async () => {
    const { reader } = makeReader();
    const form = postForm(signedRequest(), {
      sign: { ...signWith(signedSp.keys), digestAlgorithm: Alg.sha1 },
    });
    await expectUntrusted(reader.read(postInput(form), new Date()), 'bad-signature', /DigestMethod/);
  });

  test('POST with the ACS URL changed after signing', async () => {
    const { reader } = makeReader();
    const signed = signXml(
      signedRequest({ acsUrl: 'https://signed.example/acs/a' }),
      signWith(signedSp.keys),
    );
    const tampered = signed.replace('https://signed.example/acs/a', 'https://signed.example/acs/b');
    await expectUntrusted(reader.read(postInput(postForm(tampered)), new Date()), 'bad-signature');
  });

  test('wrapping: a second Signature', async () => {
    const { reader } = makeReader();
    const twice = signXml(signXml(signedRequest(), signWith(signedSp.keys)), {
      ...signWith(signedSp.keys),
      location: { reference: '/*', action: 'append' },
    });
    await expectUntrusted(
      reader.read(postInput(postForm(twice)), new Date()),
      'bad-signature',
      /more than one/,
    );
  });

  test('wrapping: the Signature is not a direct child of the root', async () => {
    const { reader } = makeReader();
    const xml = signedRequest().replace(
      '</saml:Issuer>',
      '</saml:Issuer><samlp:Extensions><x:w xmlns:x="urn:x"/></samlp:Extensions>',
    );
    const signed = signXml(xml, {
      ...signWith(signedSp.keys),
      location: { reference: "//*[local-name(.)='w']", action: 'append' },
    });
    await expectUntrusted(
      reader.read(postInput(postForm(signed)), new Date()),
      'bad-signature',
      /direct child/,
    );
  });

  test('wrapping: the Reference points at an inner element, not the root', async () => {
    const { reader } = makeReader();
    const xml = signedRequest().replace(
      '</saml:Issuer>',
      '</saml:Issuer><samlp:Extensions><x:w xmlns:x="urn:x" ID="_inner"/></samlp:Extensions>',
    );
    const signed = signXml(xml, { ...signWith(signedSp.keys), referenceXpath: "//*[@ID='_inner']" });
    await expectUntrusted(
      reader.read(postInput(postForm(signed)), new Date()),
      'bad-signature',
      /Reference URI/,
    );
  });

  test('wrapping: a second element with the signed ID (the signed request wrapped inside the attacker’s)', async () => {
    const { reader } = makeReader();
    // The legitimate request, validly signed: accepted on its own, with its own phone.
    const genuine = signXml(
      signedRequest({ id: '_dup1', subjectNameId: '+4791234567' }),
      signWith(signedSp.keys),
    );
    const accepted = await reader.read(postInput(postForm(genuine)), new Date());
    assert.equal(accepted.request.subjectPhone, '+4791234567');
    // The attacker's request takes the same ID and the genuine signature; the genuine request, whose digest the
    // signature holds, travels unchanged (minus its enveloped signature) inside Extensions.
    const signature = /<ds:Signature[\s\S]*<\/ds:Signature>/.exec(genuine)?.[0] ?? '';
    assert.notEqual(signature, '');
    const wrapped = signedRequest({ id: '_dup1', subjectNameId: '+4790000666' }).replace(
      '</saml:Issuer>',
      `</saml:Issuer>${signature}<samlp:Extensions>${genuine.replace(signature, '')}</samlp:Extensions>`,
    );
    assert.equal((wrapped.match(/ID="_dup1"/g) ?? []).length, 2);
    const { reader: fresh } = makeReader();
    await expectUntrusted(
      fresh.read(postInput(postForm(wrapped)), new Date()),
      'bad-signature',
      /the signed ID is carried by more than one element/,
    );
  });
});

describe('untrusted: signature required', () => {
  test('unsigned request to an SP whose metadata says AuthnRequestsSigned="1"', async () => {
    const { reader } = makeReader();
    await expectUntrusted(
      reader.read(redirectInput(redirectQuery(signedRequest())), new Date()),
      'signature-required',
    );
  });

  test('unsigned POST request when WANT_AUTHN_REQUESTS_SIGNED is on', async () => {
    const { reader } = makeReader({ wantAuthnRequestsSigned: true });
    await expectUntrusted(reader.read(postInput(postForm(openRequest())), new Date()), 'signature-required');
  });
});

describe('untrusted: the rest', () => {
  test('bad-destination: a Destination that is not our SSO endpoint', async () => {
    const { reader } = makeReader();
    const xml = openRequest({ destination: 'https://other-idp.example/sso' });
    await expectUntrusted(reader.read(redirectInput(redirectQuery(xml)), new Date()), 'bad-destination');
  });

  test('stale: older than maxAge + skew', async () => {
    const { reader } = makeReader();
    const now = new Date();
    const xml = openRequest({ issueInstant: new Date(now.getTime() - 361_000) });
    await expectUntrusted(reader.read(redirectInput(redirectQuery(xml)), now), 'stale');
  });

  test('stale: further than the skew in the future', async () => {
    const { reader } = makeReader();
    const now = new Date();
    const xml = openRequest({ issueInstant: new Date(now.getTime() + 61_000) });
    await expectUntrusted(reader.read(redirectInput(redirectQuery(xml)), now), 'stale');
  });

  test('stale: no IssueInstant', async () => {
    const { reader } = makeReader();
    await expectUntrusted(
      reader.read(redirectInput(redirectQuery(openRequest({ issueInstant: null }))), new Date()),
      'stale',
    );
  });

  test('replayed: the same ID twice from one SP', async () => {
    const { reader, remembered } = makeReader();
    const xml = openRequest();
    await reader.read(redirectInput(redirectQuery(xml)), new Date());
    await expectUntrusted(reader.read(postInput(postForm(xml)), new Date()), 'replayed');
    assert.equal(remembered.length, 2);
  });

  test('acs-not-in-metadata: an AssertionConsumerServiceURL the metadata does not list', async () => {
    const { reader } = makeReader();
    const xml = openRequest({ acsUrl: 'https://evil.example/steal' });
    await expectUntrusted(reader.read(redirectInput(redirectQuery(xml)), new Date()), 'acs-not-in-metadata');
  });

  test('acs-not-in-metadata: the URL of an ACS with another binding', async () => {
    const { reader } = makeReader();
    const xml = openRequest({ acsUrl: 'https://open.example/acs/artifact' });
    await expectUntrusted(reader.read(redirectInput(redirectQuery(xml)), new Date()), 'acs-not-in-metadata');
  });

  test('acs-not-in-metadata: a URL differing only in case or a trailing slash', async () => {
    const { reader } = makeReader();
    for (const acsUrl of [
      'https://open.example/acs/1/',
      'https://OPEN.example/acs/1',
      'https://open.example/acs/1?x=1',
    ]) {
      await expectUntrusted(
        reader.read(redirectInput(redirectQuery(openRequest({ acsUrl }))), new Date()),
        'acs-not-in-metadata',
      );
    }
  });

  test('acs-not-in-metadata: an AssertionConsumerServiceIndex not in the metadata', async () => {
    const { reader } = makeReader();
    await expectUntrusted(
      reader.read(redirectInput(redirectQuery(openRequest({ acsIndex: 9 }))), new Date()),
      'acs-not-in-metadata',
    );
  });

  test('acs-not-in-metadata: the index of a non-POST ACS', async () => {
    const { reader } = makeReader();
    await expectUntrusted(
      reader.read(redirectInput(redirectQuery(openRequest({ acsIndex: 0 }))), new Date()),
      'acs-not-in-metadata',
    );
  });

  test('acs-not-in-metadata: URL and index naming different endpoints', async () => {
    const { reader } = makeReader();
    const xml = openRequest({ acsIndex: 1, acsUrl: 'https://open.example/acs/3' });
    await expectUntrusted(reader.read(redirectInput(redirectQuery(xml)), new Date()), 'acs-not-in-metadata');
  });

  test('acs-not-in-metadata: an SP without any HTTP-POST ACS', async () => {
    const { reader } = makeReader();
    const xml = authnRequestXml({ issuer: 'https://nopost.example/sp' });
    await expectUntrusted(reader.read(redirectInput(redirectQuery(xml)), new Date()), 'acs-not-in-metadata');
  });

  test('relay-state: longer than relayStateMaxBytes (bytes, not characters)', async () => {
    const { reader } = makeReader();
    const query = redirectQuery(openRequest(), { relayState: 'ø'.repeat(41) });
    await expectUntrusted(reader.read(redirectInput(query), new Date()), 'relay-state');
    const ok = await makeReader().reader.read(
      redirectInput(redirectQuery(openRequest(), { relayState: 'ø'.repeat(40) })),
      new Date(),
    );
    assert.equal(ok.request.relayState, 'ø'.repeat(40));
  });
});

describe('refusals: the SP and ACS are known, the answer is a status', () => {
  async function refusalOf(o: Partial<AuthnRequestOptions>) {
    const { reader, remembered } = makeReader();
    const result = await reader.read(
      redirectInput(redirectQuery(openRequest(o), { relayState: 'r' })),
      new Date(),
    );
    assert.equal(result.request.acsUrl, 'https://open.example/acs/1');
    assert.equal(result.request.relayState, 'r');
    assert.equal(remembered.length, 1);
    assert.ok(result.refusal, 'a refusal');
    return result.refusal;
  }

  test('InvalidNameIDPolicy for emailAddress', async () => {
    const refusal = await refusalOf({
      nameIdFormat: 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress',
    });
    assert.equal(refusal.topLevel, SamlStatus.Requester);
    assert.equal(refusal.secondLevel, SamlStatus.InvalidNameIDPolicy);
  });

  test("InvalidNameIDPolicy for an SPNameQualifier naming another SP (it would reveal that SP's persistent IDs)", async () => {
    const refusal = await refusalOf({
      nameIdFormat: NameIdFormatUrn.persistent,
      spNameQualifier: signedSp.entityId,
    });
    assert.equal(refusal.secondLevel, SamlStatus.InvalidNameIDPolicy);
  });

  test('UnsupportedBinding for a ProtocolBinding other than HTTP-POST', async () => {
    const refusal = await refusalOf({ protocolBinding: ARTIFACT });
    assert.equal(refusal.topLevel, SamlStatus.Requester);
    assert.equal(refusal.secondLevel, SamlStatus.UnsupportedBinding);
  });

  test('no ProtocolBinding is fine', async () => {
    const { reader } = makeReader();
    const result = await reader.read(
      redirectInput(redirectQuery(openRequest({ protocolBinding: null }))),
      new Date(),
    );
    assert.equal(result.refusal, undefined);
    const post = await reader.read(
      redirectInput(redirectQuery(openRequest({ protocolBinding: Binding.post }))),
      new Date(),
    );
    assert.equal(post.refusal, undefined);
  });

  test('NoAuthnContext for an exact class we do not give', async () => {
    const refusal = await refusalOf({
      requestedAuthnContext: { classRefs: ['urn:oasis:names:tc:SAML:2.0:ac:classes:Smartcard'] },
    });
    assert.equal(refusal.secondLevel, SamlStatus.NoAuthnContext);
  });

  test('NoAuthnContext for minimum of a stronger class only', async () => {
    const refusal = await refusalOf({
      requestedAuthnContext: {
        comparison: 'minimum',
        classRefs: ['urn:oasis:names:tc:SAML:2.0:ac:classes:SmartcardPKI'],
      },
    });
    assert.equal(refusal.secondLevel, SamlStatus.NoAuthnContext);
  });

  test('NoAuthnContext for better than our own class', async () => {
    const refusal = await refusalOf({
      requestedAuthnContext: { comparison: 'better', classRefs: [OUR_CLASS] },
    });
    assert.equal(refusal.secondLevel, SamlStatus.NoAuthnContext);
  });

  test('NoAuthnContext for maximum of a weaker class', async () => {
    const refusal = await refusalOf({
      requestedAuthnContext: { comparison: 'maximum', classRefs: [AuthnContextClass.password] },
    });
    assert.equal(refusal.secondLevel, SamlStatus.NoAuthnContext);
  });
});
