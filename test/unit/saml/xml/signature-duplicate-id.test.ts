// Signature wrapping with a second element carrying the signed ID is refused by our own shape check, whatever the
// XML-DSig library would do with it.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DOMParser } from '@xmldom/xmldom';
import { findEnvelopedSignature } from '../../../../src/saml/xml/signature-verify.ts';

const DS = 'http://www.w3.org/2000/09/xmldsig#';
const signature = `<ds:Signature xmlns:ds="${DS}"><ds:SignedInfo>
<ds:CanonicalizationMethod Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/>
<ds:SignatureMethod Algorithm="http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"/>
<ds:Reference URI="#_req"><ds:Transforms>
<ds:Transform Algorithm="http://www.w3.org/2000/09/xmldsig#enveloped-signature"/>
<ds:Transform Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/></ds:Transforms>
<ds:DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/><ds:DigestValue>AA==</ds:DigestValue>
</ds:Reference></ds:SignedInfo><ds:SignatureValue>AA==</ds:SignatureValue></ds:Signature>`;

function parse(xml: string): Document {
  return new DOMParser().parseFromString(xml, 'text/xml') as unknown as Document;
}

describe('enveloped signature shape: duplicate signed ID', () => {
  it('accepts the shape when the signed ID is unique', () => {
    const doc = parse(
      `<samlp:AuthnRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_req">${signature}</samlp:AuthnRequest>`,
    );
    assert.ok(findEnvelopedSignature(doc));
  });

  for (const name of ['ID', 'Id', 'id']) {
    it(`refuses a wrapped copy whose ${name} repeats the signed ID`, () => {
      const doc = parse(
        `<samlp:AuthnRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_req">${signature}` +
          `<samlp:Extensions><samlp:AuthnRequest ${name}="_req"/></samlp:Extensions></samlp:AuthnRequest>`,
      );
      assert.throws(() => findEnvelopedSignature(doc), /the signed ID is carried by more than one element/);
    });
  }
});
