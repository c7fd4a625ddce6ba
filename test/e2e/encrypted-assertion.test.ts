// Encrypted assertions read by an SP built on @node-saml/node-saml (xml-encryption underneath): AES-256-GCM by default,
// AES-CBC for an SP whose metadata lists only CBC, RSA-OAEP key transport, and the sidecar switch.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { generateServiceProviderMetadata, SAML, type ValidateInResponseTo } from '@node-saml/node-saml';
import { DOMParser } from '@xmldom/xmldom';
import { buildTestIdp, type TestIdp } from '../helpers/app.ts';
import { BrowserClient, injectTransport } from '../helpers/browser-client.ts';
import { idpCertFromMetadata, sentAuthnRequest } from '../helpers/node-saml-sp.ts';
import { type TestKeys, testKeys } from '../helpers/saml-sp.ts';

const BASE = 'https://idp.example.test';
const UNSPECIFIED = 'urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified';
const XENC = 'http://www.w3.org/2001/04/xmlenc#';
const GCM256 = 'http://www.w3.org/2009/xmlenc11#aes256-gcm';
const CBC256 = 'http://www.w3.org/2001/04/xmlenc#aes256-cbc';
const OAEP_MGF1P = 'http://www.w3.org/2001/04/xmlenc#rsa-oaep-mgf1p';
const PHONE = '+4791234567';

interface EncSp {
  readonly entityId: string;
  readonly acsUrl: string;
  readonly keys: TestKeys;
}

const gcmSp: EncSp = {
  entityId: 'https://gcm.node-saml.example/sp',
  acsUrl: 'https://gcm.node-saml.example/acs',
  keys: testKeys('enc-gcm-sp'),
};
const cbcSp: EncSp = {
  entityId: 'https://cbc.node-saml.example/sp',
  acsUrl: 'https://cbc.node-saml.example/acs',
  keys: testKeys('enc-cbc-sp'),
};
const optedOutSp: EncSp = {
  entityId: 'https://plain.node-saml.example/sp',
  acsUrl: 'https://plain.node-saml.example/acs',
  keys: testKeys('enc-plain-sp'),
};

/** node-saml's own metadata for an SP that decrypts: a use="encryption" KeyDescriptor listing GCM and CBC. */
function metadataOf(sp: EncSp): string {
  return generateServiceProviderMetadata({
    issuer: sp.entityId,
    callbackUrl: sp.acsUrl,
    identifierFormat: UNSPECIFIED,
    wantAssertionsSigned: true,
    decryptionPvk: sp.keys.privateKeyPem,
    decryptionCert: sp.keys.certPem,
  });
}

/** The same, for an SP that cannot do GCM: only the CBC EncryptionMethods are left in its metadata. */
function cbcOnlyMetadata(sp: EncSp): string {
  const xml = metadataOf(sp);
  const stripped = xml.replace(
    /<EncryptionMethod Algorithm="http:\/\/www\.w3\.org\/2009\/xmlenc11#aes\d+-gcm"\/>/g,
    '',
  );
  assert.notEqual(stripped, xml, 'the GCM methods were in node-saml metadata');
  return stripped;
}

let idp: TestIdp;
let idpCertPem: string;

before(async () => {
  idp = await buildTestIdp({
    sps: { gcm: metadataOf(gcmSp), cbc: cbcOnlyMetadata(cbcSp), plain: metadataOf(optedOutSp) },
    spSettings: { plain: { encryptAssertions: false } },
    env: { BASE_URL: BASE },
  });
  const metadata = await idp.app.inject({ method: 'GET', url: '/saml/metadata' });
  idpCertPem = idpCertFromMetadata(metadata.body);
});
after(() => idp.close());

function nodeSaml(sp: EncSp, decryptionPvk: string | undefined = sp.keys.privateKeyPem): SAML {
  return new SAML({
    entryPoint: `${BASE}/saml/sso`,
    idpCert: idpCertPem,
    idpIssuer: `${BASE}/saml/metadata`,
    issuer: sp.entityId,
    callbackUrl: sp.acsUrl,
    audience: sp.entityId,
    identifierFormat: UNSPECIFIED,
    authnContext: ['urn:oasis:names:tc:SAML:2.0:ac:classes:MobileOneFactorUnregistered'],
    wantAssertionsSigned: true,
    wantAuthnResponseSigned: true,
    validateInResponseTo: 'always' as ValidateInResponseTo,
    ...(decryptionPvk === undefined ? {} : { decryptionPvk }),
  });
}

/** A whole login started by node-saml's Redirect request; returns what the IdP posts to the ACS. */
async function login(saml: SAML) {
  const url = await saml.getAuthorizeUrlAsync('rs-1', undefined, {});
  const requestId = sentAuthnRequest(new URL(url).searchParams.get('SAMLRequest') ?? '').id;
  const client = new BrowserClient(injectTransport(idp.app, { 'accept-language': 'en' }));
  const first = await client.go('GET', url.slice(BASE.length));
  assert.equal(first.status, 200, first.html.slice(0, 300));
  const sent = await client.submit({ given_name: 'Kari', family_name: 'Nordmann', phone: PHONE });
  assert.equal(sent.status, 200, sent.html.slice(0, 300));
  const done = await client.submit({ code: idp.sms.lastCode(PHONE) });
  assert.equal(done.status, 200, done.html.slice(0, 300));
  return { requestId, post: client.samlPost() };
}

function encryptionAlgorithms(xml: string): { data: string | null; key: string | null } {
  const doc = new DOMParser().parseFromString(xml, 'text/xml');
  const data = doc.getElementsByTagNameNS(XENC, 'EncryptedData')[0];
  const key = doc.getElementsByTagNameNS(XENC, 'EncryptedKey')[0];
  const method = (e: Element | undefined) =>
    e === undefined
      ? null
      : (e.getElementsByTagNameNS(XENC, 'EncryptionMethod')[0]?.getAttribute('Algorithm') ?? null);
  return { data: method(data), key: method(key) };
}

describe('encrypted assertions, decrypted by node-saml', () => {
  test('AES-256-GCM with RSA-OAEP key transport: nothing about the person is readable on the way', async () => {
    const saml = nodeSaml(gcmSp);
    const { requestId, post } = await login(saml);
    assert.match(post.xml, /<saml:EncryptedAssertion>/);
    assert.doesNotMatch(post.xml, /<saml:Assertion[\s>]/, 'no plaintext Assertion next to it');
    assert.ok(
      !post.xml.includes(PHONE) && !post.xml.includes('Nordmann'),
      'no phone number or name in clear',
    );
    assert.deepEqual(encryptionAlgorithms(post.xml), { data: GCM256, key: OAEP_MGF1P });

    const { profile } = await saml.validatePostResponseAsync({
      SAMLResponse: post.samlResponse,
      RelayState: 'rs-1',
    });
    assert.ok(profile);
    assert.equal(profile.inResponseTo, requestId);
    assert.equal(profile.nameID, PHONE);
    assert.equal(profile.PHONE_NUMBER, PHONE);
    assert.equal(profile.FULLNAME, 'Kari Nordmann');
    assert.equal(profile.IDPROVIDER, 'nets_sms');
  });

  test('an SP whose metadata lists only AES-CBC gets AES-256-CBC, and decrypts it', async () => {
    const saml = nodeSaml(cbcSp);
    const { post } = await login(saml);
    assert.deepEqual(encryptionAlgorithms(post.xml), { data: CBC256, key: OAEP_MGF1P });
    const { profile } = await saml.validatePostResponseAsync({
      SAMLResponse: post.samlResponse,
      RelayState: 'rs-1',
    });
    assert.equal(profile?.SURNAME, 'Nordmann');
  });

  test('the assertion is for that SP only: another key cannot open it', async () => {
    const saml = nodeSaml(gcmSp, cbcSp.keys.privateKeyPem);
    const { post } = await login(saml);
    await assert.rejects(
      saml.validatePostResponseAsync({ SAMLResponse: post.samlResponse, RelayState: 'rs-1' }),
      // RSA-OAEP with the wrong key fails one of two ways, depending on whether the random wrapped key, read as a
      // number, is below the other key's modulus.
      /oaep decoding error|data too large for modulus/,
    );
  });

  test('"encryptAssertions": false in the sidecar sends a signed plaintext assertion despite use="encryption"', async () => {
    const saml = nodeSaml(optedOutSp, undefined);
    const { post } = await login(saml);
    assert.doesNotMatch(post.xml, /EncryptedAssertion/);
    const { profile } = await saml.validatePostResponseAsync({
      SAMLResponse: post.samlResponse,
      RelayState: 'rs-1',
    });
    assert.equal(profile?.GIVENNAME, 'Kari');
  });
});
