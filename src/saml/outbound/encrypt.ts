// Encrypts a signed Assertion into a saml:EncryptedAssertion for one SP key (SAML core §6, XML Encryption 1.1).

import {
  type CipherGCM,
  constants,
  createCipheriv,
  type KeyObject,
  publicEncrypt,
  randomBytes,
} from 'node:crypto';
import { Ns } from '../urn.ts';
import { el, renderXml, type XmlElement } from '../xml/xml-writer.ts';

/** XML Encryption namespaces. */
export const XencNs = {
  xenc: 'http://www.w3.org/2001/04/xmlenc#',
  xenc11: 'http://www.w3.org/2009/xmlenc11#',
} as const;

/** Content encryption algorithms we can use (XML Encryption 1.1 §5.2), by their sidecar names. */
export const DataEncryption = {
  'aes256-gcm': 'http://www.w3.org/2009/xmlenc11#aes256-gcm',
  'aes128-gcm': 'http://www.w3.org/2009/xmlenc11#aes128-gcm',
  'aes256-cbc': 'http://www.w3.org/2001/04/xmlenc#aes256-cbc',
  'aes128-cbc': 'http://www.w3.org/2001/04/xmlenc#aes128-cbc',
} as const;
export type DataEncryptionName = keyof typeof DataEncryption;

/** Key transport algorithms (XML Encryption 1.1 §5.5.2): RSA-OAEP with SHA-1 (1.0), or with SHA-256 (1.1). */
export const KeyTransport = {
  'rsa-oaep-mgf1p': 'http://www.w3.org/2001/04/xmlenc#rsa-oaep-mgf1p',
  'rsa-oaep': 'http://www.w3.org/2009/xmlenc11#rsa-oaep',
} as const;
export type KeyTransportName = keyof typeof KeyTransport;

const SHA1 = 'http://www.w3.org/2000/09/xmldsig#sha1';
const SHA256 = 'http://www.w3.org/2001/04/xmlenc#sha256';
const MGF1_SHA256 = 'http://www.w3.org/2009/xmlenc11#mgf1sha256';
const ELEMENT_TYPE = 'http://www.w3.org/2001/04/xmlenc#Element';

const CIPHERS: Record<
  DataEncryptionName,
  { cipher: string; keyBytes: number; ivBytes: number; gcm: boolean }
> = {
  'aes256-gcm': { cipher: 'aes-256-gcm', keyBytes: 32, ivBytes: 12, gcm: true },
  'aes128-gcm': { cipher: 'aes-128-gcm', keyBytes: 16, ivBytes: 12, gcm: true },
  'aes256-cbc': { cipher: 'aes-256-cbc', keyBytes: 32, ivBytes: 16, gcm: false },
  'aes128-cbc': { cipher: 'aes-128-cbc', keyBytes: 16, ivBytes: 16, gcm: false },
};

/** Whom and how to encrypt for: the SP's RSA key (from its metadata certificate) and the two algorithms. */
export interface EncryptionTarget {
  /** base64 DER of the SP's encryption certificate, named in the EncryptedKey's KeyInfo */
  readonly certBase64: string;
  readonly publicKey: KeyObject;
  readonly data: DataEncryptionName;
  readonly keyTransport: KeyTransportName;
}

/** Encrypts `plaintext` with a fresh key; the CipherValue octets are IV ‖ ciphertext (‖ GCM tag), per §5.2. */
function encryptContent(name: DataEncryptionName, plaintext: Buffer): { key: Buffer; cipherValue: Buffer } {
  const spec = CIPHERS[name];
  const key = randomBytes(spec.keyBytes);
  const iv = randomBytes(spec.ivBytes);
  const cipher = createCipheriv(spec.cipher, key, iv);
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  const tag = spec.gcm ? (cipher as CipherGCM).getAuthTag() : undefined;
  return { key, cipherValue: Buffer.concat(tag === undefined ? [iv, body] : [iv, body, tag]) };
}

function keyTransportMethod(name: KeyTransportName): XmlElement {
  if (name === 'rsa-oaep-mgf1p') {
    return el('xenc:EncryptionMethod', { Algorithm: KeyTransport[name] }, [
      el('ds:DigestMethod', { Algorithm: SHA1 }),
    ]);
  }
  return el('xenc:EncryptionMethod', { Algorithm: KeyTransport[name] }, [
    el('ds:DigestMethod', { Algorithm: SHA256 }),
    el('xenc11:MGF', { 'xmlns:xenc11': XencNs.xenc11, Algorithm: MGF1_SHA256 }),
  ]);
}

/**
 * Returns a saml:EncryptedAssertion holding `signedAssertion` encrypted for `target`. The Assertion must already be
 * signed (SAML core §6.1: sign, then encrypt) and must declare the saml prefix itself, so that it stands alone once
 * decrypted. The EncryptedKey sits in the EncryptedData's KeyInfo, as SPs expect.
 */
export function encryptAssertion(signedAssertion: XmlElement, target: EncryptionTarget): XmlElement {
  if (signedAssertion.attrs?.['xmlns:saml'] !== Ns.assertion) {
    throw new Error('an Assertion to encrypt must declare the saml namespace itself');
  }
  const plaintext = Buffer.from(renderXml(signedAssertion), 'utf8');
  const { key, cipherValue } = encryptContent(target.data, plaintext);
  const encryptedKey = publicEncrypt(
    {
      key: target.publicKey,
      padding: constants.RSA_PKCS1_OAEP_PADDING,
      oaepHash: target.keyTransport === 'rsa-oaep' ? 'sha256' : 'sha1',
    },
    key,
  );
  return el('saml:EncryptedAssertion', {}, [
    el('xenc:EncryptedData', { 'xmlns:xenc': XencNs.xenc, Type: ELEMENT_TYPE }, [
      el('xenc:EncryptionMethod', { Algorithm: DataEncryption[target.data] }),
      el('ds:KeyInfo', { 'xmlns:ds': Ns.dsig }, [
        el('xenc:EncryptedKey', {}, [
          keyTransportMethod(target.keyTransport),
          el('ds:KeyInfo', {}, [el('ds:X509Data', {}, [el('ds:X509Certificate', {}, [target.certBase64])])]),
          el('xenc:CipherData', {}, [el('xenc:CipherValue', {}, [encryptedKey.toString('base64')])]),
        ]),
      ]),
      el('xenc:CipherData', {}, [el('xenc:CipherValue', {}, [cipherValue.toString('base64')])]),
    ]),
  ]);
}
