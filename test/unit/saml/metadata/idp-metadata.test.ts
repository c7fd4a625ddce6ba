// The IdP metadata: schema-valid against the OASIS metadata XSD, and carrying what docs/contract.md §2 promises.

import assert from 'node:assert/strict';
import { DOMParser } from '@xmldom/xmldom';
import { describe, test } from 'node:test';
import { parseXmlStrict } from '../../../../src/saml/xml/xml-guard.ts';
import { renderIdpMetadata } from '../../../../src/saml/metadata/idp-metadata.ts';
import { Alg, Binding, NameIdFormatUrn, Ns } from '../../../../src/saml/urn.ts';
import { testKeys, validateWithXsd } from '../../../helpers/saml-sp.ts';

const certs = [testKeys('idp-a').certBase64, testKeys('idp-b').certBase64];
const base = {
  entityId: 'https://idp.example.org/saml/metadata',
  ssoUrl: 'https://idp.example.org/saml/sso',
  certsBase64: certs,
  wantAuthnRequestsSigned: false,
};

function descriptor(xml: string): Element {
  const root = parseXmlStrict(xml).documentElement!;
  assert.equal(root.localName, 'EntityDescriptor');
  assert.equal(root.namespaceURI, Ns.metadata);
  const idp = root.getElementsByTagNameNS(Ns.metadata, 'IDPSSODescriptor')[0];
  assert.ok(idp);
  return idp;
}

const childNames = (e: Element) =>
  Array.from(e.childNodes)
    .filter((n) => n.nodeType === 1)
    .map((n) => (n as Element).localName);

describe('renderIdpMetadata', () => {
  test('validates against saml-schema-metadata-2.0.xsd', async () => {
    await validateWithXsd(renderIdpMetadata(base), 'saml-schema-metadata-2.0.xsd');
  });

  test('with SingleLogoutService it still validates (SLO before NameIDFormat, docs/design.md §4a)', async () => {
    const xml = renderIdpMetadata({ ...base, sloUrl: 'https://idp.example.org/saml/slo' });
    await validateWithXsd(xml, 'saml-schema-metadata-2.0.xsd');
    assert.deepEqual(childNames(descriptor(xml)), [
      'Extensions',
      'KeyDescriptor',
      'KeyDescriptor',
      'SingleLogoutService',
      'SingleLogoutService',
      'NameIDFormat',
      'NameIDFormat',
      'NameIDFormat',
      'SingleSignOnService',
      'SingleSignOnService',
    ]);
  });

  test('the schema check is real: a misordered document fails it', async () => {
    const xml = renderIdpMetadata({ ...base, sloUrl: 'https://idp.example.org/saml/slo' });
    const broken = xml
      .replace(/(<md:SingleLogoutService[^>]*\/>)+/, '')
      .replace(
        '</md:IDPSSODescriptor>',
        '<md:SingleLogoutService Binding="x" Location="https://x/"/></md:IDPSSODescriptor>',
      );
    await assert.rejects(validateWithXsd(broken, 'saml-schema-metadata-2.0.xsd'), /fails to validate|failed/);
  });

  test('entityID, SAML 2.0 protocol, WantAuthnRequestsSigned as configured', () => {
    const idp = descriptor(renderIdpMetadata({ ...base, wantAuthnRequestsSigned: true }));
    assert.equal((idp.parentNode as Element).getAttribute('entityID'), base.entityId);
    assert.equal(idp.getAttribute('protocolSupportEnumeration'), Ns.protocol);
    assert.equal(idp.getAttribute('WantAuthnRequestsSigned'), 'true');
    assert.equal(descriptor(renderIdpMetadata(base)).getAttribute('WantAuthnRequestsSigned'), 'false');
  });

  test('no SingleLogoutService without sloUrl', () => {
    assert.equal(
      descriptor(renderIdpMetadata(base)).getElementsByTagNameNS(Ns.metadata, 'SingleLogoutService').length,
      0,
    );
  });

  test('algorithm support: SHA-256/512 digests, RSA-SHA256/512 signing, in the IDPSSODescriptor Extensions', () => {
    const ext = descriptor(renderIdpMetadata(base)).getElementsByTagNameNS(Ns.metadata, 'Extensions')[0]!;
    const algs = (name: string) =>
      Array.from(ext.getElementsByTagNameNS(Ns.algsupport, name)).map((e) => e.getAttribute('Algorithm'));
    assert.deepEqual(algs('DigestMethod'), [Alg.sha256, Alg.sha512]);
    assert.deepEqual(algs('SigningMethod'), [Alg.rsaSha256, Alg.rsaSha512]);
  });

  test('one KeyDescriptor use="signing" per certificate', () => {
    const kds = Array.from(
      descriptor(renderIdpMetadata(base)).getElementsByTagNameNS(Ns.metadata, 'KeyDescriptor'),
    );
    assert.deepEqual(
      kds.map((k) => k.getAttribute('use')),
      ['signing', 'signing'],
    );
    assert.deepEqual(
      kds.map((k) => k.getElementsByTagNameNS(Ns.dsig, 'X509Certificate')[0]?.textContent),
      certs,
    );
  });

  test('NameIDFormat unspecified, transient, persistent; SSO on HTTP-Redirect and HTTP-POST', () => {
    const idp = descriptor(renderIdpMetadata(base));
    assert.deepEqual(
      Array.from(idp.getElementsByTagNameNS(Ns.metadata, 'NameIDFormat')).map((e) => e.textContent),
      [NameIdFormatUrn.unspecified, NameIdFormatUrn.transient, NameIdFormatUrn.persistent],
    );
    assert.deepEqual(
      Array.from(idp.getElementsByTagNameNS(Ns.metadata, 'SingleSignOnService')).map((e) => [
        e.getAttribute('Binding'),
        e.getAttribute('Location'),
      ]),
      [
        [Binding.redirect, base.ssoUrl],
        [Binding.post, base.ssoUrl],
      ],
    );
  });

  test('values are escaped', () => {
    const xml = renderIdpMetadata({ ...base, entityId: 'https://idp.example.org/m?a=1&b="2"<' });
    const root = new DOMParser().parseFromString(xml, 'text/xml').documentElement!;
    assert.equal(root.getAttribute('entityID'), 'https://idp.example.org/m?a=1&b="2"<');
  });
});
