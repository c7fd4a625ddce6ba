// ResponseBuilder: both signatures verify against our certificate, every field of docs/contract.md §4, schema validity.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { SignedXml } from 'xml-crypto';
import { SamlStatus, SamlStatusError } from '../../../../src/errors.ts';
import { idpKeysFromPem } from '../../../../src/saml/keys/keys.ts';
import { ResponseBuilder, type SessionInfo } from '../../../../src/saml/outbound/response.ts';
import {
  Alg,
  AttrNameFormatBasic,
  AuthnContextClass,
  BearerMethod,
  NameIdFormatUrn,
  Ns,
  StatusSuccess,
} from '../../../../src/saml/urn.ts';
import { parseXmlStrict } from '../../../../src/saml/xml/xml-guard.ts';
import type { Identity, PendingRequest } from '../../../../src/types.ts';
import { testKeys, validateWithXsd } from '../../../helpers/saml-sp.ts';

const idpPair = testKeys('idp-response-test');
const keys = idpKeysFromPem(idpPair.privateKeyPem, idpPair.certPem, 'key', 'cert');
const IDP = 'https://idp.example.org/saml/metadata';
const builder = new ResponseBuilder({
  keys,
  idpEntityId: IDP,
  assertionTtlSeconds: 300,
  clockSkewSeconds: 60,
});

const request: PendingRequest = {
  spEntityId: 'https://sp.example.org/shibboleth',
  requestId: '_req-42',
  acsUrl: 'https://sp.example.org/Shibboleth.sso/SAML2/POST',
  relayState: 'ss:mem:abc',
  forceAuthn: false,
  isPassive: false,
  nameIdFormat: 'unspecified',
  spNameQualifier: undefined,
  subjectPhone: undefined,
  spDisplayName: 'SP',
};
const identity: Identity = { phone: '+4612345678', givenName: 'Anton Erik', familyName: 'Svenson' };
const now = new Date('2026-03-01T12:00:00.456Z');
const session: SessionInfo = {
  sessionIndex: '_sess1',
  authnInstant: new Date('2026-03-01T11:59:30Z'),
  nameId: '+4612345678',
  nameIdFormat: 'unspecified',
};

const decode = (b64: string) => Buffer.from(b64, 'base64').toString('utf8');
const one = (parent: Element | Document, ns: string, name: string): Element => {
  const found = Array.from(parent.getElementsByTagNameNS(ns, name));
  assert.equal(found.length, 1, `exactly one ${name}`);
  return found[0]!;
};
const elementChildren = (e: Element) =>
  Array.from(e.childNodes).filter((n): n is Element => n.nodeType === 1);
const childNames = (e: Element) => elementChildren(e).map((c) => `${c.prefix}:${c.localName}`);

/** Verifies the signature that is a direct child of `owner`, with only our certificate (KeyInfo ignored). */
function verifySignatureOf(xml: string, owner: Element): void {
  const signature = elementChildren(owner).find(
    (c) => c.localName === 'Signature' && c.namespaceURI === Ns.dsig,
  );
  assert.ok(signature, `${owner.localName} has a ds:Signature child`);
  const sig = new SignedXml({ publicCert: keys.certPem, getCertFromKeyInfo: () => null });
  sig.loadSignature(signature);
  assert.equal(sig.checkSignature(xml), true);
  const ref = sig.getReferences();
  assert.equal(ref.length, 1);
  assert.equal(ref[0]?.uri, `#${owner.getAttribute('ID')}`);
  assert.equal(ref[0]?.digestAlgorithm, Alg.sha256);
  assert.deepEqual(ref[0]?.transforms, [Alg.envelopedSignature, Alg.excC14n]);
  assert.equal(sig.signatureAlgorithm, Alg.rsaSha256);
  assert.equal(sig.canonicalizationAlgorithm, Alg.excC14n);
}

function verifies(xml: string, owner: Element): boolean {
  try {
    verifySignatureOf(xml, owner);
    return true;
  } catch {
    return false;
  }
}

describe('ResponseBuilder.success', () => {
  const xml = decode(builder.success(request, identity, session, now));
  const doc = parseXmlStrict(xml);
  const response = doc.documentElement!;
  const assertion = one(doc, Ns.assertion, 'Assertion');

  test('is UTF-8 XML with a declaration, rooted in samlp:Response', () => {
    assert.ok(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>'));
    assert.equal(response.localName, 'Response');
    assert.equal(response.namespaceURI, Ns.protocol);
  });

  test('the Response is signed (RSA-SHA256, SHA-256, exc-c14n) right after its Issuer', () => {
    assert.deepEqual(childNames(response), ['saml:Issuer', 'ds:Signature', 'samlp:Status', 'saml:Assertion']);
    verifySignatureOf(xml, response);
  });

  test('the Assertion is signed right after its Issuer', () => {
    assert.deepEqual(childNames(assertion), [
      'saml:Issuer',
      'ds:Signature',
      'saml:Subject',
      'saml:Conditions',
      'saml:AuthnStatement',
      'saml:AttributeStatement',
    ]);
    verifySignatureOf(xml, assertion);
  });

  test('the signatures are real: changing a value breaks both', () => {
    const tampered = xml.replace('>Svenson<', '>Svensson<');
    assert.notEqual(tampered, xml);
    const tdoc = parseXmlStrict(tampered);
    assert.equal(verifies(tampered, tdoc.documentElement!), false);
    assert.equal(verifies(tampered, one(tdoc, Ns.assertion, 'Assertion')), false);
  });

  test('another key does not verify it', () => {
    const other = testKeys('not-the-idp');
    const signature = elementChildren(response).find((c) => c.localName === 'Signature')!;
    const sig = new SignedXml({ publicCert: other.certPem, getCertFromKeyInfo: () => null });
    sig.loadSignature(signature);
    assert.throws(() => sig.checkSignature(xml), /invalid signature/);
  });

  test('Response attributes: fresh ID, InResponseTo, Version, IssueInstant, Destination = ACS', () => {
    assert.match(response.getAttribute('ID')!, /^_[0-9a-f]{40}$/);
    assert.equal(response.getAttribute('InResponseTo'), '_req-42');
    assert.equal(response.getAttribute('Version'), '2.0');
    assert.equal(response.getAttribute('IssueInstant'), '2026-03-01T12:00:00Z');
    assert.equal(response.getAttribute('Destination'), request.acsUrl);
  });

  test('Issuers, Status Success, Assertion ID and IssueInstant', () => {
    const issuers = Array.from(doc.getElementsByTagNameNS(Ns.assertion, 'Issuer'));
    assert.deepEqual(
      issuers.map((i) => i.textContent),
      [IDP, IDP],
    );
    const status = one(doc, Ns.protocol, 'StatusCode');
    assert.equal(status.getAttribute('Value'), StatusSuccess);
    assert.match(assertion.getAttribute('ID')!, /^_[0-9a-f]{40}$/);
    assert.notEqual(assertion.getAttribute('ID'), response.getAttribute('ID'));
    assert.equal(assertion.getAttribute('IssueInstant'), '2026-03-01T12:00:00Z');
    assert.equal(assertion.getAttribute('Version'), '2.0');
  });

  test('Subject: NameID unspecified with the phone, bearer confirmation with NotOnOrAfter, Recipient, InResponseTo', () => {
    const nameId = one(assertion, Ns.assertion, 'NameID');
    assert.equal(nameId.textContent, '+4612345678');
    assert.equal(nameId.getAttribute('Format'), NameIdFormatUrn.unspecified);
    assert.equal(nameId.hasAttribute('NameQualifier'), false);
    assert.equal(one(assertion, Ns.assertion, 'SubjectConfirmation').getAttribute('Method'), BearerMethod);
    const data = one(assertion, Ns.assertion, 'SubjectConfirmationData');
    assert.equal(data.getAttribute('NotOnOrAfter'), '2026-03-01T12:05:00Z');
    assert.equal(data.getAttribute('Recipient'), request.acsUrl);
    assert.equal(data.getAttribute('InResponseTo'), '_req-42');
  });

  test('Conditions: NotBefore back-dated by the skew, NotOnOrAfter now + ttl, Audience = SP entityID', () => {
    const conditions = one(assertion, Ns.assertion, 'Conditions');
    assert.equal(conditions.getAttribute('NotBefore'), '2026-03-01T11:59:00Z');
    assert.equal(conditions.getAttribute('NotOnOrAfter'), '2026-03-01T12:05:00Z');
    assert.equal(one(conditions, Ns.assertion, 'Audience').textContent, request.spEntityId);
  });

  test('AuthnStatement: AuthnInstant, SessionIndex, MobileOneFactorUnregistered, no SessionNotOnOrAfter unless given', () => {
    const authn = one(assertion, Ns.assertion, 'AuthnStatement');
    assert.equal(authn.getAttribute('AuthnInstant'), '2026-03-01T11:59:30Z');
    assert.equal(authn.getAttribute('SessionIndex'), '_sess1');
    assert.equal(authn.hasAttribute('SessionNotOnOrAfter'), false);
    assert.equal(
      one(authn, Ns.assertion, 'AuthnContextClassRef').textContent,
      AuthnContextClass.mobileOneFactorUnregistered,
    );
  });

  test('attributes: the six of the contract, NameFormat basic, xsi:type xs:string', () => {
    const attrs = Array.from(assertion.getElementsByTagNameNS(Ns.assertion, 'Attribute'));
    assert.deepEqual(
      attrs.map((a) => [
        a.getAttribute('Name'),
        a.getAttribute('NameFormat'),
        one(a, Ns.assertion, 'AttributeValue').textContent,
      ]),
      [
        ['PHONE_NUMBER', AttrNameFormatBasic, '+4612345678'],
        ['SURNAME', AttrNameFormatBasic, 'Svenson'],
        ['GIVENNAME', AttrNameFormatBasic, 'Anton Erik'],
        ['FULLNAME', AttrNameFormatBasic, 'Anton Erik Svenson'],
        ['PID', AttrNameFormatBasic, '+4612345678'],
        ['IDPROVIDER', AttrNameFormatBasic, 'nets_sms'],
      ],
    );
    for (const value of Array.from(assertion.getElementsByTagNameNS(Ns.assertion, 'AttributeValue'))) {
      assert.equal(value.getAttributeNS(Ns.xsi, 'type'), 'xs:string');
      assert.equal(value.lookupNamespaceURI('xs'), Ns.xs);
    }
  });

  test('validates against saml-schema-protocol-2.0.xsd', async () => {
    await validateWithXsd(xml, 'saml-schema-protocol-2.0.xsd');
  });

  test('IDs are fresh on every call', () => {
    const again = parseXmlStrict(decode(builder.success(request, identity, session, now)));
    assert.notEqual(again.documentElement!.getAttribute('ID'), response.getAttribute('ID'));
    assert.notEqual(one(again, Ns.assertion, 'Assertion').getAttribute('ID'), assertion.getAttribute('ID'));
  });
});

describe('ResponseBuilder.success, other shapes', () => {
  test('persistent NameID carries NameQualifier and SPNameQualifier; SessionNotOnOrAfter when given', () => {
    const xml = decode(
      builder.success(
        { ...request, nameIdFormat: 'persistent' },
        identity,
        {
          ...session,
          nameId: 'abc',
          nameIdFormat: 'persistent',
          sessionNotOnOrAfter: new Date('2026-03-01T20:00:00Z'),
        },
        now,
      ),
    );
    const doc = parseXmlStrict(xml);
    const nameId = one(doc, Ns.assertion, 'NameID');
    assert.equal(nameId.getAttribute('Format'), NameIdFormatUrn.persistent);
    assert.equal(nameId.getAttribute('NameQualifier'), IDP);
    assert.equal(nameId.getAttribute('SPNameQualifier'), request.spEntityId);
    assert.equal(
      one(doc, Ns.assertion, 'AuthnStatement').getAttribute('SessionNotOnOrAfter'),
      '2026-03-01T20:00:00Z',
    );
  });

  test('markup and control characters in names are escaped and the signatures still verify', async () => {
    const odd: Identity = {
      phone: '+4612345678',
      givenName: 'Ann <b>&"\'',
      familyName: "O'Brien\r\nX\u0001",
    };
    const xml = decode(builder.success({ ...request, requestId: '_r"<&' }, odd, session, now));
    const doc = parseXmlStrict(xml);
    verifySignatureOf(xml, doc.documentElement!);
    verifySignatureOf(xml, one(doc, Ns.assertion, 'Assertion'));
    const values = Array.from(doc.getElementsByTagNameNS(Ns.assertion, 'AttributeValue')).map(
      (v) => v.textContent,
    );
    assert.equal(values[2], 'Ann <b>&"\'');
    assert.equal(values[1], "O'Brien\nX");
    assert.equal(doc.documentElement!.getAttribute('InResponseTo'), '_r"<&');
    await validateWithXsd(
      decode(builder.success(request, odd, session, now)),
      'saml-schema-protocol-2.0.xsd',
    );
  });
});

describe('ResponseBuilder.failure', () => {
  test('signed Response with nested status codes and the message, no Assertion, schema-valid', async () => {
    const error = new SamlStatusError(SamlStatus.Responder, SamlStatus.AuthnFailed, 'cancel');
    const xml = decode(builder.failure(request, error, now));
    const doc = parseXmlStrict(xml);
    const response = doc.documentElement!;
    assert.deepEqual(childNames(response), ['saml:Issuer', 'ds:Signature', 'samlp:Status']);
    verifySignatureOf(xml, response);
    const top = one(response, Ns.protocol, 'Status');
    const codes = Array.from(top.getElementsByTagNameNS(Ns.protocol, 'StatusCode'));
    assert.deepEqual(
      codes.map((c) => c.getAttribute('Value')),
      [SamlStatus.Responder, SamlStatus.AuthnFailed],
    );
    assert.equal(codes[1]?.parentNode, codes[0]);
    assert.equal(one(top, Ns.protocol, 'StatusMessage').textContent, 'cancel');
    assert.equal(doc.getElementsByTagNameNS(Ns.assertion, 'Assertion').length, 0);
    assert.equal(response.getAttribute('InResponseTo'), '_req-42');
    assert.equal(response.getAttribute('Destination'), request.acsUrl);
    await validateWithXsd(xml, 'saml-schema-protocol-2.0.xsd');
  });

  test('a status without a second level has one StatusCode', () => {
    const xml = decode(
      builder.failure(
        request,
        new SamlStatusError(SamlStatus.Requester, undefined, 'the presetid cannot be used'),
        now,
      ),
    );
    const codes = Array.from(parseXmlStrict(xml).getElementsByTagNameNS(Ns.protocol, 'StatusCode'));
    assert.deepEqual(
      codes.map((c) => c.getAttribute('Value')),
      [SamlStatus.Requester],
    );
  });
});
