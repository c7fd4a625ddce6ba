// Signing our metadata (ID, validUntil, signature first, schema-valid, verifiable by xml-crypto) and verifying the
// metadata we fetch: only the root's own signature, with the configured key, read from the signed bytes only.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DOMParser } from '@xmldom/xmldom';
import { SignedXml } from 'xml-crypto';
import { idpKeysFromPem } from '../../../../src/saml/keys/keys.ts';
import {
  certsFromPem,
  MetadataSignatureError,
  signedIdpMetadata,
  verifyMetadataSignature,
} from '../../../../src/saml/metadata/metadata-signature.ts';
import { PublishedMetadata } from '../../../../src/saml/metadata/published-metadata.ts';
import { Alg } from '../../../../src/saml/urn.ts';
import { federationKeys, signMetadata, withRootAttributes } from '../../../helpers/metadata-server.ts';
import { signXml, spMetadataXml, testKeys, validateWithXsd } from '../../../helpers/saml-sp.ts';

const pair = testKeys('md-sign-idp');
const keys = idpKeysFromPem(pair.privateKeyPem, pair.certPem, 'key', 'cert');
const OPTIONS = {
  entityId: 'https://idp.example.org/saml/metadata',
  ssoUrl: 'https://idp.example.org/saml/sso',
  sloUrl: 'https://idp.example.org/saml/slo',
  certsBase64: [pair.certBase64],
  wantAuthnRequestsSigned: false,
};
const fed = federationKeys();
const fedCert = [fed.certBase64];
const SP = 'https://sp.example.org/signed';
const spXml = () => withRootAttributes(spMetadataXml({ entityId: SP }), { id: '_sp1' });

function firstChildName(xml: string): string | undefined {
  const root = new DOMParser().parseFromString(xml, 'text/xml').documentElement;
  return Array.from(root?.childNodes ?? []).find((n) => n.nodeType === 1)?.nodeName;
}

describe('signedIdpMetadata', () => {
  test('ID, validUntil days ahead, ds:Signature as the first child; schema-valid; xml-crypto verifies it', async () => {
    const now = new Date('2030-01-01T12:00:00Z');
    const xml = signedIdpMetadata(OPTIONS, keys, now, 3);
    await validateWithXsd(xml, 'saml-schema-metadata-2.0.xsd');
    assert.match(xml, /<md:EntityDescriptor [^>]*ID="_[0-9a-f]{40}"[^>]*validUntil="2030-01-04T12:00:00Z"/);
    assert.equal(firstChildName(xml), 'ds:Signature');
    const doc = new DOMParser().parseFromString(xml, 'text/xml');
    const verifier = new SignedXml({ publicCert: pair.certPem, getCertFromKeyInfo: () => null });
    verifier.loadSignature(doc.getElementsByTagNameNS('http://www.w3.org/2000/09/xmldsig#', 'Signature')[0]!);
    assert.ok(verifier.checkSignature(xml));
    assert.doesNotThrow(
      () => verifyMetadataSignature(xml, [pair.certBase64]),
      'our own verifier accepts it too',
    );
  });

  test('PublishedMetadata re-signs after an hour, so validUntil keeps its distance', () => {
    let now = Date.parse('2030-01-01T00:00:00Z');
    const ring = { current: keys, next: undefined, signWith: 'current' as const };
    const published = new PublishedMetadata(OPTIONS, ring, 7, () => now);
    const first = published.xml();
    now += 30 * 60_000;
    assert.equal(published.xml(), first, 'cached within the hour');
    now += 31 * 60_000;
    assert.match(published.xml(), /validUntil="2030-01-08T01:01:00Z"/);
    assert.doesNotMatch(published.unsigned(), /Signature|validUntil/);
  });
});

describe('verifyMetadataSignature', () => {
  test('returns the signed content; reading it gives what was signed', () => {
    const signed = signMetadata(spXml());
    const content = verifyMetadataSignature(signed, fedCert);
    assert.match(content, new RegExp(`entityID="${SP}"`));
    assert.doesNotMatch(content, /ds:Signature/, 'the enveloped signature is not part of what was signed');
  });

  test('an empty Reference URI (the whole document) is accepted', () => {
    const xml = spMetadataXml({ entityId: SP });
    const sig = new SignedXml({
      privateKey: fed.privateKeyPem,
      signatureAlgorithm: Alg.rsaSha256,
      canonicalizationAlgorithm: Alg.excC14n,
    });
    sig.addReference({
      xpath: '/*',
      transforms: [Alg.envelopedSignature, Alg.excC14n],
      digestAlgorithm: Alg.sha256,
      isEmptyUri: true,
    });
    sig.computeSignature(xml, { prefix: 'ds', location: { reference: '/*', action: 'prepend' } });
    assert.match(sig.getSignedXml(), /<ds:Reference URI="">/);
    assert.match(verifyMetadataSignature(sig.getSignedXml(), fedCert), new RegExp(SP));
  });

  const refused: [string, () => string, MetadataSignatureError['kind'], RegExp][] = [
    ['unsigned', () => spXml(), 'unsigned', /not signed/],
    [
      'signed by a key other than the configured one',
      () => signMetadata(spXml(), testKeys('intruder')),
      'bad-signature',
      /does not verify/,
    ],
    [
      'tampered after signing',
      () => signMetadata(spXml()).replace(`${SP}/acs`, 'https://evil.example/acs'),
      'bad-signature',
      /does not verify/,
    ],
    [
      'RSA-SHA1',
      () =>
        signXml(spXml(), {
          privateKeyPem: fed.privateKeyPem,
          signatureAlgorithm: Alg.rsaSha1,
          referenceXpath: '/*',
          location: { reference: '/*', action: 'prepend' },
        }),
      'unsupported',
      /not RSA-SHA256/,
    ],
    [
      'a signature that is not a child of the root',
      () =>
        signXml(spXml(), {
          privateKeyPem: fed.privateKeyPem,
          referenceXpath: '/*',
          location: { reference: '/*/*', action: 'append' },
        }),
      'unsigned',
      /not signed/,
    ],
    [
      'a second root signature',
      () => {
        const once = signMetadata(spXml());
        const sig = /<ds:Signature[\s\S]*?<\/ds:Signature>/.exec(once)?.[0] ?? '';
        return once.replace(sig, `${sig}${sig}`);
      },
      'unsupported',
      /more than one/,
    ],
    [
      'a Reference to another element',
      () =>
        signXml(spXml().replace('<md:SPSSODescriptor', '<md:SPSSODescriptor ID="_inner"'), {
          privateKeyPem: fed.privateKeyPem,
          referenceXpath: "//*[local-name(.)='SPSSODescriptor']",
          location: { reference: '/*', action: 'prepend' },
        }),
      'unsupported',
      /Reference is not the metadata root/,
    ],
    ['not metadata', () => '<x/>', 'unsupported', /root element is not/],
  ];
  for (const [what, make, kind, message] of refused) {
    test(`refused: ${what}`, () => {
      assert.throws(
        () => verifyMetadataSignature(make(), fedCert),
        (err: unknown) =>
          err instanceof MetadataSignatureError && err.kind === kind && message.test(err.message),
      );
    });
  }

  test('KeyInfo in the document is never trusted: an attacker signing with their own cert embedded fails', () => {
    const intruder = testKeys('intruder');
    const xml = signXml(spXml(), {
      privateKeyPem: intruder.privateKeyPem,
      certPem: intruder.certPem,
      referenceXpath: '/*',
      location: { reference: '/*', action: 'prepend' },
    });
    assert.match(xml, /X509Certificate/);
    assert.throws(() => verifyMetadataSignature(xml, fedCert), /does not verify/);
  });

  test('certsFromPem reads a bundle and says when there is nothing', () => {
    assert.deepEqual(certsFromPem(`${fed.certPem}\n${pair.certPem}`, 'bundle'), [
      fed.certBase64,
      pair.certBase64,
    ]);
    assert.throws(() => certsFromPem('nothing here', 'x.pem'), /x\.pem: no PEM certificate found/);
  });
});
