// The template signer's canonical form must equal what a verifier computes from the parsed document.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DOMParser } from '@xmldom/xmldom';
import { ExclusiveCanonicalization, SignedXml } from 'xml-crypto';
import { generateKeyPair, idpKeysFromPem } from '../../../../src/saml/keys/keys.ts';
import { canonicalXml, signElement } from '../../../../src/saml/xml/template-signer.ts';
import { Ns } from '../../../../src/saml/urn.ts';
import { el, renderXml } from '../../../../src/saml/xml/xml-writer.ts';

const pair = generateKeyPair('template-signer-test');
const keys = idpKeysFromPem(pair.privateKeyPem, pair.certPem, 'key', 'cert');

/** A tree with what makes canonical form hard: unsorted attributes, namespaces used deep down, hostile text. */
function sample(text: string) {
  const inner = el(
    'saml:Assertion',
    { 'xmlns:xs': Ns.xs, 'xmlns:xsi': Ns.xsi, Version: '2.0', ID: '_a1', IssueInstant: 'x' },
    [
      el('saml:Issuer', {}, ['https://idp.example/metadata']),
      el('saml:AttributeStatement', {}, [
        el('saml:Attribute', { NameFormat: 'basic', Name: 'GIVENNAME' }, [
          el('saml:AttributeValue', { 'xsi:type': 'xs:string' }, [text]),
        ]),
        el('saml:Attribute', { Name: 'EMPTY' }, [el('saml:AttributeValue', {}, [])]),
      ]),
    ],
  );
  return el(
    'samlp:Response',
    { 'xmlns:samlp': Ns.protocol, 'xmlns:saml': Ns.assertion, ID: '_r1', Destination: `a"b\t<c>&${text}` },
    [el('saml:Issuer', {}, ['https://idp.example/metadata']), inner],
  );
}

const TEXTS = [
  'Anton Erik',
  'Ærlig Øyvind Åsen',
  'a & b < c > d',
  'line\r\nbreak\rcr',
  'tab\there "quoted" \'single\'',
  '😀 \u0001 ctrl',
];

for (const text of TEXTS) {
  test(`canonical form equals xml-crypto's exclusive c14n of the parsed output: ${JSON.stringify(text)}`, () => {
    const tree = sample(text);
    const doc = new DOMParser().parseFromString(renderXml(tree), 'text/xml');
    const c14n = new ExclusiveCanonicalization();
    const root = doc.documentElement as unknown as Element;
    assert.equal(canonicalXml(tree), c14n.process(root, {}));
    const assertion = doc.getElementsByTagNameNS(Ns.assertion, 'Assertion')[0] as unknown as Element;
    const namespaces = new Map([
      ['samlp', Ns.protocol],
      ['saml', Ns.assertion],
    ]);
    const innerTree = tree.children?.[1];
    assert.ok(innerTree !== undefined && typeof innerTree === 'object');
    assert.equal(canonicalXml(innerTree, namespaces), c14n.process(assertion, {}));
  });
}

test('a signature made from the tree verifies with xml-crypto, and fails once the signed text changes', () => {
  const tree = sample('Anton Erik');
  const xml = renderXml(signElement(tree, keys));
  const doc = new DOMParser().parseFromString(xml, 'text/xml');
  const signature = doc.getElementsByTagNameNS(Ns.dsig, 'Signature')[0];
  const verifier = new SignedXml({ publicCert: pair.certPem });
  verifier.loadSignature(signature as never);
  assert.equal(verifier.checkSignature(xml), true);
  const tampered = xml.replace('Anton Erik', 'Mallory');
  const again = new SignedXml({ publicCert: pair.certPem });
  again.loadSignature(signature as never);
  let verified: boolean;
  try {
    verified = again.checkSignature(tampered);
  } catch {
    verified = false;
  }
  assert.equal(verified, false);
});

test('the signature goes right after the Issuer', () => {
  const xml = renderXml(signElement(sample('x'), keys));
  assert.match(xml, /<samlp:Response[^>]*><saml:Issuer>[^<]*<\/saml:Issuer><ds:Signature /);
});

test("canonical form equals xml-crypto's where prefixes are redeclared, declared unused, and attributes of several namespaces mix", () => {
  const A = 'urn:example:a';
  const B = 'urn:example:b';
  const tree = el(
    'p:Root',
    { 'xmlns:p': A, 'xmlns:q': B, 'xmlns:unused': 'urn:example:unused', z: '1', a: '2' },
    [
      el('p:Child', { 'q:attr': 'x', 'p:attr': 'y', plain: 'z', 'xml:lang': 'nb' }, [
        el('q:Deep', { 'xmlns:q': A }, [el('q:Deeper', {}, ['text']), el('p:Same', { 'q:x': '1' })]),
      ]),
      el('q:Sibling', {}, [el('p:Again', {})]),
    ],
  );
  const doc = new DOMParser().parseFromString(renderXml(tree), 'text/xml');
  const root = doc.documentElement as unknown as Element;
  assert.equal(canonicalXml(tree), new ExclusiveCanonicalization().process(root, {}));
});
