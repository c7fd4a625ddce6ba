// Per-SP policy through whole logins: attribute release limited by RequestedAttribute, the NameID format an SP's
// metadata names, and IdP-initiated SSO (off by default, on per SP), also as node-saml receives it.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { SAML, type ValidateInResponseTo } from '@node-saml/node-saml';
import { DOMParser } from '@xmldom/xmldom';
import { SignedXml } from 'xml-crypto';
import { buildTestIdp, type TestIdp } from '../helpers/app.ts';
import { BrowserClient, injectTransport } from '../helpers/browser-client.ts';
import { idpCertFromMetadata } from '../helpers/node-saml-sp.ts';
import { readResponse } from '../helpers/saml-response.ts';
import { authnRequestXml, createTestSp, redirectQuery } from '../helpers/saml-sp.ts';

const BASE = 'https://idp.example.test';
const SSO = `${BASE}/saml/sso`;
const PHONE = '+46701234567';
const BASIC = 'urn:oasis:names:tc:SAML:2.0:attrname-format:basic';
const TRANSIENT = 'urn:oasis:names:tc:SAML:2.0:nameid-format:transient';
const DSIG = 'http://www.w3.org/2000/09/xmldsig#';

/** Puts an AttributeConsumingService (metadata §2.4.4.1) at the end of the SPSSODescriptor, where the schema has it. */
function withRequested(xml: string, names: readonly string[]): string {
  const requested = names.map(
    (n) => `<md:RequestedAttribute Name="${n}" NameFormat="${BASIC}" isRequired="true"/>`,
  );
  const service =
    '<md:AttributeConsumingService index="1"><md:ServiceName xml:lang="en">Shop</md:ServiceName>' +
    `${requested.join('')}</md:AttributeConsumingService>`;
  return xml.replace('</md:SPSSODescriptor>', `${service}</md:SPSSODescriptor>`);
}

const phoneOnly = createTestSp({ entityId: 'https://phone-only.example.org/sp', keyName: 'pol-phone' });
const nothing = createTestSp({ entityId: 'https://nothing.example.org/sp', keyName: 'pol-nothing' });
const transient = createTestSp({
  entityId: 'https://transient.example.org/sp',
  keyName: 'pol-transient',
  nameIdFormats: [TRANSIENT],
});
const unsolicited = createTestSp({ entityId: 'https://portal.example.org/sp', keyName: 'pol-portal' });
const solicitedOnly = createTestSp({ entityId: 'https://closed.example.org/sp', keyName: 'pol-closed' });

let idp: TestIdp;
let idpCertPem: string;

before(async () => {
  idp = await buildTestIdp({
    sps: {
      phone: withRequested(phoneOnly.metadataXml, ['PHONE_NUMBER', 'FULLNAME']),
      nothing: withRequested(nothing.metadataXml, ['urn:oid:2.5.4.42']),
      transient: transient.metadataXml,
      portal: unsolicited.metadataXml,
      closed: solicitedOnly.metadataXml,
    },
    spSettings: { portal: { idpInitiated: true } },
    env: { BASE_URL: BASE, SMS_MAX_PER_PHONE: '100', SMS_MAX_PER_IP: '1000' },
  });
  idpCertPem = idpCertFromMetadata((await idp.app.inject({ method: 'GET', url: '/saml/metadata' })).body);
});
after(() => idp.close());

const browser = () => new BrowserClient(injectTransport(idp.app, { 'accept-language': 'en' }));

/** Types name, number and code on the page the client is on; returns what goes to the ACS. */
async function finishLogin(client: BrowserClient) {
  assert.equal(client.page?.status, 200, client.page?.html.slice(0, 300));
  const sent = await client.submit({ given_name: 'Anton Erik', family_name: 'Svenson', phone: PHONE });
  assert.equal(sent.status, 200, sent.html.slice(0, 300));
  const done = await client.submit({ code: idp.sms.lastCode(PHONE) });
  assert.equal(done.status, 200, done.html.slice(0, 300));
  return client.samlPost();
}

async function loginAs(sp: { entityId: string }, nameIdFormat?: string | null) {
  const client = browser();
  await client.go(
    'GET',
    `/saml/sso?${redirectQuery(authnRequestXml({ issuer: sp.entityId, destination: SSO, nameIdFormat }))}`,
  );
  return finishLogin(client);
}

function signaturesVerify(xml: string): number {
  const doc = new DOMParser().parseFromString(xml, 'text/xml');
  const signatures = Array.from(doc.getElementsByTagNameNS(DSIG, 'Signature'));
  for (const signature of signatures) {
    const verifier = new SignedXml({ publicCert: idpCertPem, getCertFromKeyInfo: () => null });
    verifier.loadSignature(signature);
    assert.ok(verifier.checkSignature(xml));
  }
  return signatures.length;
}

describe('attribute release follows RequestedAttribute', () => {
  test('an SP requesting PHONE_NUMBER and FULLNAME gets those two and nothing else', async () => {
    const post = await loginAs(phoneOnly);
    const r = readResponse(post.xml);
    assert.deepEqual(r.attributes, { PHONE_NUMBER: PHONE, FULLNAME: 'Anton Erik Svenson' });
    assert.equal(r.nameId, PHONE);
    assert.equal(signaturesVerify(post.xml), 2);
  });

  test('an SP requesting none of ours gets no AttributeStatement, in a still valid, signed Response', async () => {
    const post = await loginAs(nothing);
    assert.doesNotMatch(post.xml, /AttributeStatement/);
    assert.deepEqual(readResponse(post.xml).attributes, {});
    assert.equal(signaturesVerify(post.xml), 2);
  });
});

describe('NameID format from the SP metadata', () => {
  test('metadata listing only transient, a request naming no format: a transient NameID, not the phone', async () => {
    const r = readResponse((await loginAs(transient)).xml);
    assert.equal(r.nameIdFormat, TRANSIENT);
    assert.notEqual(r.nameId, PHONE);
    assert.match(r.nameId ?? '', /^_[0-9a-f]{40}$/);
  });

  test('the request still decides when it names transient or persistent (unspecified leaves it to us, core §3.4.1.1)', async () => {
    const r = readResponse(
      (await loginAs(transient, 'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent')).xml,
    );
    assert.equal(r.nameIdFormat, 'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent');
    const again = readResponse(
      (await loginAs(transient, 'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent')).xml,
    );
    assert.equal(again.nameId, r.nameId, 'persistent: the same for the same person and SP');
  });
});

describe('IdP-initiated SSO', () => {
  test('to an SP with "idpInitiated": true: an unsolicited, signed Response with the RelayState, no InResponseTo', async () => {
    const client = browser();
    const target = encodeURIComponent(unsolicited.entityId);
    await client.go(
      'GET',
      `/saml/idp-initiated?sp=${target}&RelayState=${encodeURIComponent('/welcome?x=1')}`,
    );
    const post = await finishLogin(client);
    assert.equal(post.acsUrl, unsolicited.acsUrl);
    assert.equal(post.relayState, '/welcome?x=1');
    assert.doesNotMatch(post.xml, /InResponseTo/);
    const r = readResponse(post.xml);
    assert.equal(r.statusCode, 'urn:oasis:names:tc:SAML:2.0:status:Success');
    assert.equal(r.audience, unsolicited.entityId);
    assert.equal(r.recipient, unsolicited.acsUrl);
    assert.equal(signaturesVerify(post.xml), 2);

    // An SP library that accepts unsolicited Responses takes it (node-saml, InResponseTo only checked if present).
    const saml = new SAML({
      entryPoint: SSO,
      idpCert: idpCertPem,
      idpIssuer: `${BASE}/saml/metadata`,
      issuer: unsolicited.entityId,
      callbackUrl: unsolicited.acsUrl,
      audience: unsolicited.entityId,
      wantAssertionsSigned: true,
      wantAuthnResponseSigned: true,
      validateInResponseTo: 'ifPresent' as ValidateInResponseTo,
    });
    const { profile } = await saml.validatePostResponseAsync({ SAMLResponse: post.samlResponse });
    assert.equal(profile?.PHONE_NUMBER, PHONE);
  });

  test("Shibboleth's names work too: providerId, shire (an ACS of the metadata) and target", async () => {
    const client = browser();
    const q = new URLSearchParams({
      providerId: unsolicited.entityId,
      shire: unsolicited.acsUrl,
      target: 'cart',
    });
    await client.go('GET', `/saml/idp-initiated?${q}`);
    const post = await finishLogin(client);
    assert.equal(post.relayState, 'cart');
  });

  test('refused with an error page, nothing posted: SP not opted in, unknown SP, ACS not in its metadata', async () => {
    const cases = [
      `sp=${encodeURIComponent(solicitedOnly.entityId)}`,
      'sp=https%3A%2F%2Fnobody.example.org%2Fsp',
      '',
      `sp=${encodeURIComponent(unsolicited.entityId)}&acs=${encodeURIComponent('https://evil.example.org/acs')}`,
    ];
    for (const query of cases) {
      const response = await idp.app.inject({ method: 'GET', url: `/saml/idp-initiated?${query}` });
      assert.equal(response.statusCode, 400, query);
      assert.doesNotMatch(response.body, /SAMLResponse/, query);
    }
  });
});
