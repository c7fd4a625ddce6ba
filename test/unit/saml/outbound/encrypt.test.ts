// EncryptedAssertion: decrypted here with node:crypto straight from XML Encryption 1.1 (§5.2 AES, §5.5.2 RSA-OAEP),
// every algorithm we can choose; the plaintext is the signed Assertion, whose signature verifies on its own.

import assert from 'node:assert/strict';
import { constants, createDecipheriv, createPrivateKey, privateDecrypt, X509Certificate } from 'node:crypto';
import { describe, test } from 'node:test';
import { DOMParser } from '@xmldom/xmldom';
import { SignedXml } from 'xml-crypto';
import {
  DataEncryption,
  encryptAssertion,
  KeyTransport,
  XencNs,
} from '../../../../src/saml/outbound/encrypt.ts';
import { idpKeysFromPem } from '../../../../src/saml/keys/keys.ts';
import { signElement } from '../../../../src/saml/xml/template-signer.ts';
import { Ns } from '../../../../src/saml/urn.ts';
import { el, renderXml } from '../../../../src/saml/xml/xml-writer.ts';
import { testKeys, validateWithXsd } from '../../../helpers/saml-sp.ts';

const idpPair = testKeys('encrypt-unit-idp');
const idpKeys = idpKeysFromPem(idpPair.privateKeyPem, idpPair.certPem, 'key', 'cert');
const sp = testKeys('encrypt-unit-sp');
const spPublicKey = new X509Certificate(sp.certPem).publicKey;

function signedAssertion() {
  return signElement(
    el(
      'saml:Assertion',
      { 'xmlns:saml': Ns.assertion, ID: '_a1', Version: '2.0', IssueInstant: '2026-01-01T00:00:00Z' },
      [
        el('saml:Issuer', {}, ['https://idp.example.org/saml/metadata']),
        el('saml:Subject', {}, [el('saml:NameID', {}, ['+4791234567 & <Kari>'])]),
      ],
    ),
    idpKeys,
  );
}

function first(node: Element | Document, ns: string, name: string): Element {
  const found = node.getElementsByTagNameNS(ns, name)[0];
  assert.ok(found, `${name} present`);
  return found;
}

/** Decrypts an EncryptedAssertion with the SP's private key, reading only what the XML says. */
function decrypt(xml: string): { plaintext: string; dataAlg: string; keyAlg: string; digest: string | null } {
  const doc = new DOMParser().parseFromString(xml, 'text/xml');
  const data = first(doc, XencNs.xenc, 'EncryptedData');
  const encryptedKey = first(data, XencNs.xenc, 'EncryptedKey');
  const keyMethod = first(encryptedKey, XencNs.xenc, 'EncryptionMethod');
  const keyAlg = keyMethod.getAttribute('Algorithm') ?? '';
  const digest =
    keyMethod.getElementsByTagNameNS(Ns.dsig, 'DigestMethod')[0]?.getAttribute('Algorithm') ?? null;
  const mgf = keyMethod.getElementsByTagNameNS(XencNs.xenc11, 'MGF')[0]?.getAttribute('Algorithm') ?? null;
  const oaepHash = keyAlg === KeyTransport['rsa-oaep'] ? 'sha256' : 'sha1';
  if (keyAlg === KeyTransport['rsa-oaep']) assert.equal(mgf, 'http://www.w3.org/2009/xmlenc11#mgf1sha256');
  const cipherValue = (e: Element) =>
    Buffer.from(
      first(first(e, XencNs.xenc, 'CipherData'), XencNs.xenc, 'CipherValue').textContent ?? '',
      'base64',
    );
  const key = privateDecrypt(
    { key: createPrivateKey(sp.privateKeyPem), padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash },
    cipherValue(encryptedKey),
  );
  const dataAlg = first(data, XencNs.xenc, 'EncryptionMethod').getAttribute('Algorithm') ?? '';
  // The EncryptedData's own CipherData is its last child; the EncryptedKey's sits inside KeyInfo.
  const own = Array.from(data.childNodes).filter((n) => n.nodeType === 1) as Element[];
  const octets = Buffer.from(first(own.at(-1)!, XencNs.xenc, 'CipherValue').textContent ?? '', 'base64');
  const gcm = dataAlg.endsWith('-gcm');
  const bits = dataAlg.includes('aes256') ? 256 : 128;
  assert.equal(key.length, bits / 8);
  const ivLength = gcm ? 12 : 16;
  const iv = octets.subarray(0, ivLength);
  const decipher = createDecipheriv(`aes-${bits}-${gcm ? 'gcm' : 'cbc'}`, key, iv);
  let body = octets.subarray(ivLength);
  if (gcm) {
    (decipher as ReturnType<typeof createDecipheriv> & { setAuthTag(t: Buffer): void }).setAuthTag(
      body.subarray(-16),
    );
    body = body.subarray(0, -16);
  }
  const plaintext = Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8');
  return { plaintext, dataAlg, keyAlg, digest };
}

function verifiesAlone(assertionXml: string): boolean {
  const doc = new DOMParser().parseFromString(assertionXml, 'text/xml');
  const verifier = new SignedXml({ publicCert: idpPair.certPem, getCertFromKeyInfo: () => null });
  verifier.loadSignature(first(doc, Ns.dsig, 'Signature'));
  return verifier.checkSignature(assertionXml);
}

describe('encryptAssertion', () => {
  for (const data of Object.keys(DataEncryption) as (keyof typeof DataEncryption)[]) {
    for (const keyTransport of Object.keys(KeyTransport) as (keyof typeof KeyTransport)[]) {
      test(`${data} with ${keyTransport}: decrypts to the signed Assertion, whose signature verifies alone`, () => {
        const assertion = signedAssertion();
        const encrypted = encryptAssertion(assertion, {
          certBase64: sp.certBase64,
          publicKey: spPublicKey,
          data,
          keyTransport,
        });
        const xml = renderXml(
          el('samlp:Response', { 'xmlns:samlp': Ns.protocol, 'xmlns:saml': Ns.assertion }, [encrypted]),
        );
        assert.ok(!xml.includes('Kari'), 'the NameID is not in clear');
        const out = decrypt(xml);
        assert.equal(out.dataAlg, DataEncryption[data]);
        assert.equal(out.keyAlg, KeyTransport[keyTransport]);
        assert.equal(
          out.digest,
          keyTransport === 'rsa-oaep'
            ? 'http://www.w3.org/2001/04/xmlenc#sha256'
            : 'http://www.w3.org/2000/09/xmldsig#sha1',
        );
        assert.equal(out.plaintext, renderXml(assertion));
        assert.ok(verifiesAlone(out.plaintext));
      });
    }
  }

  test('every encryption is fresh: the same Assertion twice gives different ciphertexts', () => {
    const target = {
      certBase64: sp.certBase64,
      publicKey: spPublicKey,
      data: 'aes256-gcm' as const,
      keyTransport: 'rsa-oaep-mgf1p' as const,
    };
    const a = renderXml(encryptAssertion(signedAssertion(), target));
    const b = renderXml(encryptAssertion(signedAssertion(), target));
    assert.notEqual(a, b);
  });

  test('a Response carrying it is valid against saml-schema-protocol-2.0.xsd (xenc structure, SAML core §2.3.4)', async () => {
    const encrypted = encryptAssertion(signedAssertion(), {
      certBase64: sp.certBase64,
      publicKey: spPublicKey,
      data: 'aes256-gcm',
      keyTransport: 'rsa-oaep-mgf1p',
    });
    const response = el(
      'samlp:Response',
      {
        'xmlns:samlp': Ns.protocol,
        'xmlns:saml': Ns.assertion,
        ID: '_r1',
        Version: '2.0',
        IssueInstant: '2026-01-01T00:00:00Z',
      },
      [
        el('samlp:Status', {}, [
          el('samlp:StatusCode', { Value: 'urn:oasis:names:tc:SAML:2.0:status:Success' }),
        ]),
        encrypted,
      ],
    );
    await validateWithXsd(renderXml(response, { declaration: true }), 'saml-schema-protocol-2.0.xsd');
  });

  test('refuses an Assertion that does not declare the saml prefix itself (it would not parse once decrypted)', () => {
    const bare = signElement(
      el('saml:Assertion', { ID: '_a2' }, [el('saml:Issuer', {}, ['x'])]),
      idpKeys,
      new Map([['saml', Ns.assertion]]),
    );
    assert.throws(
      () =>
        encryptAssertion(bare, {
          certBase64: sp.certBase64,
          publicKey: spPublicKey,
          data: 'aes256-gcm',
          keyTransport: 'rsa-oaep-mgf1p',
        }),
      /declare the saml namespace/,
    );
  });
});
