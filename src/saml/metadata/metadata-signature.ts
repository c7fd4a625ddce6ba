// Signs our metadata (with ID and validUntil) and verifies the signature on metadata we fetch (metadata §3).

import { X509Certificate } from 'node:crypto';
import { SignedXml } from 'xml-crypto';
import { attr, childrenNamed, elementChildren, isElement } from '../xml/dom.ts';
import { type IdpMetadataOptions, idpMetadataElement } from './idp-metadata.ts';
import type { IdpKeys } from '../keys/keys.ts';
import { signElement } from '../xml/template-signer.ts';
import { AcceptedDigestAlgs, AcceptedSignatureAlgs, Alg, Ns } from '../urn.ts';
import { newSamlId } from '../values.ts';
import { parseXmlStrict } from '../xml/xml-guard.ts';
import { renderXml } from '../xml/xml-writer.ts';

/**
 * Our EntityDescriptor with an ID, `validUntil` = now + validDays, and an enveloped signature by `keys` as its first
 * child (metadata §3.1: XML Signature on the root, schema order ds:Signature before Extensions).
 */
export function signedIdpMetadata(
  opts: IdpMetadataOptions,
  keys: IdpKeys,
  now: Date,
  validDays: number,
): string {
  const validUntil = new Date(now.getTime() + validDays * 86_400_000);
  const root = idpMetadataElement({ ...opts, id: newSamlId(), validUntil });
  return renderXml(signElement(root, keys), { declaration: true });
}

/** Why fetched metadata cannot be trusted; `kind` lets reports tell an unsigned document from a bad signature. */
export class MetadataSignatureError extends Error {
  readonly kind: 'unsigned' | 'bad-signature' | 'unsupported';
  constructor(kind: MetadataSignatureError['kind'], message: string) {
    super(message);
    this.name = 'MetadataSignatureError';
    this.kind = kind;
  }
}

const ACCEPTED_C14N = new Set<string>([Alg.excC14n, Alg.c14n]);
const ACCEPTED_TRANSFORMS = new Set<string>([Alg.envelopedSignature, Alg.excC14n, Alg.c14n]);

function single(parent: Element, localName: string): Element {
  const found = childrenNamed(parent, Ns.dsig, localName);
  if (found.length !== 1) {
    throw new MetadataSignatureError(
      'unsupported',
      `ds:${parent.localName} must hold exactly one ds:${localName}`,
    );
  }
  return found[0]!;
}

function algorithm(node: Element): string {
  return (attr(node, 'Algorithm') ?? '').trim();
}

/** The root's own enveloped signature, checked for a shape that cannot be wrapped: a direct child of the root,
 * one Reference to the root ('#' + its ID, or '' for the whole document), SHA-2 only, no ds:Object. */
function rootSignature(root: Element): Element {
  const signatures = childrenNamed(root, Ns.dsig, 'Signature');
  if (signatures.length === 0) throw new MetadataSignatureError('unsigned', 'the metadata is not signed');
  if (signatures.length > 1) {
    throw new MetadataSignatureError('unsupported', 'the metadata root carries more than one ds:Signature');
  }
  const signature = signatures[0]!;
  if (childrenNamed(signature, Ns.dsig, 'Object').length > 0) {
    throw new MetadataSignatureError('unsupported', 'the ds:Signature carries a ds:Object');
  }
  const signedInfo = single(signature, 'SignedInfo');
  if (!ACCEPTED_C14N.has(algorithm(single(signedInfo, 'CanonicalizationMethod')))) {
    throw new MetadataSignatureError('unsupported', 'unsupported CanonicalizationMethod');
  }
  if (!AcceptedSignatureAlgs.has(algorithm(single(signedInfo, 'SignatureMethod')))) {
    throw new MetadataSignatureError('unsupported', 'SignatureMethod is not RSA-SHA256 or RSA-SHA512');
  }
  const reference = single(signedInfo, 'Reference');
  const uri = attr(reference, 'URI') ?? '';
  const id = attr(root, 'ID');
  if (uri !== '' && (id === undefined || uri !== `#${id}`)) {
    throw new MetadataSignatureError('unsupported', "the signature's Reference is not the metadata root");
  }
  for (const transforms of childrenNamed(reference, Ns.dsig, 'Transforms')) {
    for (const t of elementChildren(transforms)) {
      if (!isElement(t, Ns.dsig, 'Transform') || !ACCEPTED_TRANSFORMS.has(algorithm(t))) {
        throw new MetadataSignatureError('unsupported', 'unsupported Transform');
      }
    }
  }
  if (!AcceptedDigestAlgs.has(algorithm(single(reference, 'DigestMethod')))) {
    throw new MetadataSignatureError('unsupported', 'DigestMethod is not SHA-256 or SHA-512');
  }
  return signature;
}

/**
 * Verifies the enveloped signature on a metadata document's root (EntityDescriptor or EntitiesDescriptor) with any
 * of `certsBase64` (KeyInfo in the document is ignored). Returns the XML that was signed, as the signature's
 * canonical form: read SPs from it, never from the document around it. Throws MetadataSignatureError.
 */
export function verifyMetadataSignature(xml: string, certsBase64: readonly string[]): string {
  const root = parseXmlStrict(xml).documentElement!;
  if (
    !isElement(root, Ns.metadata, 'EntityDescriptor') &&
    !isElement(root, Ns.metadata, 'EntitiesDescriptor')
  ) {
    throw new MetadataSignatureError(
      'unsupported',
      'the root element is not a SAML 2.0 metadata EntityDescriptor or EntitiesDescriptor',
    );
  }
  const signature = rootSignature(root);
  if (certsBase64.length === 0)
    throw new MetadataSignatureError('bad-signature', 'no certificate to verify with');
  for (const cert of certsBase64) {
    const verifier = new SignedXml({
      publicCert: new X509Certificate(Buffer.from(cert, 'base64')).publicKey,
      getCertFromKeyInfo: () => null,
    });
    try {
      verifier.loadSignature(signature);
      if (verifier.checkSignature(xml) !== true) continue;
    } catch {
      continue;
    }
    const signed = verifier.getSignedReferences();
    if (signed.length === 1 && signed[0] !== undefined) return signed[0];
  }
  throw new MetadataSignatureError(
    'bad-signature',
    'the metadata signature does not verify with the configured certificate (tampered, or signed by another key)',
  );
}

/** base64 DER of every certificate in a PEM bundle; throws when there is none or one cannot be read. */
export function certsFromPem(pem: string, what: string): string[] {
  const blocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  if (blocks.length === 0) throw new Error(`${what}: no PEM certificate found`);
  return blocks.map((block) => {
    try {
      return new X509Certificate(block).raw.toString('base64');
    } catch {
      throw new Error(`${what}: a certificate cannot be read`);
    }
  });
}
