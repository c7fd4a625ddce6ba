// Verifies an SP's signature on a request: the Redirect query signature, or one strictly placed enveloped signature.

import { type KeyObject, verify, X509Certificate } from 'node:crypto';
import { SignedXml } from 'xml-crypto';
import { UntrustedRequestError } from '../../errors.ts';
import type { QuerySignature } from '../inbound/bindings.ts';
import { attr, childrenNamed, descendants, elementChildren } from './dom.ts';
import { AcceptedDigestAlgs, AcceptedSignatureAlgs, Alg, Ns } from '../urn.ts';

const keyCache = new Map<string, KeyObject>();

function publicKeyOf(certBase64: string): KeyObject {
  let key = keyCache.get(certBase64);
  if (key === undefined) {
    key = new X509Certificate(Buffer.from(certBase64, 'base64')).publicKey;
    if (keyCache.size >= 1000) keyCache.clear();
    keyCache.set(certBase64, key);
  }
  return key;
}

function bad(detail: string): UntrustedRequestError {
  return new UntrustedRequestError('bad-signature', detail);
}

/**
 * Checks the Redirect-binding signature over the octets cut from the raw query (SAML bindings §3.4.4.1) with
 * every signing cert of the SP. Only RSA-SHA256/512 (docs/design.md §4). Throws 'bad-signature' when none verifies.
 */
export function verifyQuerySignature(sig: QuerySignature, certs: readonly string[]): void {
  const hash = AcceptedSignatureAlgs.get(sig.sigAlg);
  if (hash === undefined) throw bad('SigAlg is not RSA-SHA256 or RSA-SHA512');
  if (certs.length === 0) throw bad('the SP metadata lists no signing certificate');
  const ok = certs.some((cert) => {
    try {
      const key = publicKeyOf(cert);
      return sig.signedOctets.some((octets) => verify(hash, octets, key, sig.signature));
    } catch {
      return false;
    }
  });
  if (!ok) throw bad('the query signature does not verify with any signing certificate of the SP');
}

const ACCEPTED_C14N = new Set<string>([Alg.excC14n, Alg.c14n]);
const ACCEPTED_TRANSFORMS = new Set<string>([Alg.envelopedSignature, Alg.excC14n, Alg.c14n]);

function one(parent: Element, localName: string): Element {
  const found = childrenNamed(parent, Ns.dsig, localName);
  if (found.length !== 1) throw bad(`ds:${parent.localName} must hold exactly one ds:${localName}`);
  return found[0]!;
}

function algorithmOf(node: Element): string {
  return (attr(node, 'Algorithm') ?? '').trim();
}

/** How many elements carry this value in an ID-like attribute (ID, Id, id: what XML-DSig resolvers look up). */
function elementsWithId(doc: Document, id: string): number {
  let count = 0;
  for (const el of descendants(doc, '*', '*')) {
    if (el.getAttribute('ID') === id || el.getAttribute('Id') === id || el.getAttribute('id') === id) count++;
  }
  return count;
}

/**
 * Finds the message's enveloped signature and checks its shape against wrapping (samlify #634): at most one
 * ds:Signature in the whole document, a direct child of the root, exactly one Reference whose URI is '#' + the
 * root's ID, known transforms and SHA-2 algorithms only, no ds:Object. Returns undefined when unsigned.
 */
export function findEnvelopedSignature(doc: Document): Element | undefined {
  const root = doc.documentElement!;
  const signatures = descendants(doc, Ns.dsig, 'Signature');
  if (signatures.length === 0) return undefined;
  if (signatures.length > 1) throw bad('the message holds more than one ds:Signature');
  const signature = signatures[0]!;
  if (signature.parentNode !== root) throw bad('the ds:Signature is not a direct child of the root element');
  if (childrenNamed(signature, Ns.dsig, 'Object').length > 0)
    throw bad('the ds:Signature carries a ds:Object');
  const id = attr(root, 'ID') ?? '';
  if (id === '') throw bad('a signed message must have an ID');
  // Our own guard against wrapping by a copy that reuses the signed ID, independent of the XML library's.
  if (elementsWithId(doc, id) > 1) throw bad('the signed ID is carried by more than one element');

  const signedInfo = one(signature, 'SignedInfo');
  if (!ACCEPTED_C14N.has(algorithmOf(one(signedInfo, 'CanonicalizationMethod')))) {
    throw bad('unsupported CanonicalizationMethod');
  }
  if (!AcceptedSignatureAlgs.has(algorithmOf(one(signedInfo, 'SignatureMethod')))) {
    throw bad('SignatureMethod is not RSA-SHA256 or RSA-SHA512');
  }
  const reference = one(signedInfo, 'Reference');
  if (attr(reference, 'URI') !== `#${id}`) throw bad("the Reference URI is not '#' + the root element's ID");
  const transforms = childrenNamed(reference, Ns.dsig, 'Transforms');
  if (transforms.length > 1) throw bad('more than one ds:Transforms');
  for (const t of transforms.flatMap((ts) => elementChildren(ts))) {
    if (
      t.namespaceURI !== Ns.dsig ||
      t.localName !== 'Transform' ||
      !ACCEPTED_TRANSFORMS.has(algorithmOf(t))
    ) {
      throw bad('unsupported Transform');
    }
  }
  if (!AcceptedDigestAlgs.has(algorithmOf(one(reference, 'DigestMethod')))) {
    throw bad('DigestMethod is not SHA-256 or SHA-512');
  }
  one(reference, 'DigestValue');
  one(signature, 'SignatureValue');
  return signature;
}

/** Verifies the enveloped signature found by findEnvelopedSignature with each SP cert (xml-crypto, KeyInfo
 * ignored). Throws 'bad-signature' when none verifies. */
export function verifyEnvelopedSignature(xml: string, signature: Element, certs: readonly string[]): void {
  if (certs.length === 0) throw bad('the SP metadata lists no signing certificate');
  const ok = certs.some((cert) => {
    const verifier = new SignedXml({ publicCert: publicKeyOf(cert), getCertFromKeyInfo: () => null });
    try {
      verifier.loadSignature(signature);
      return verifier.checkSignature(xml) === true;
    } catch {
      return false;
    }
  });
  if (!ok) throw bad('the XML signature does not verify with any signing certificate of the SP');
}
