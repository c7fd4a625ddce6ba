// Adds an enveloped XML signature to one element: RSA-SHA256, SHA-256 digest, exclusive c14n (docs/contract.md §4).

import { SignedXml } from 'xml-crypto';
import type { IdpKeys } from '../keys/keys.ts';
import { Alg } from '../urn.ts';

/** Where the signature goes: the element it covers (must carry an ID) and the element it follows (its Issuer). */
export interface SignTarget {
  readonly elementXpath: string;
  readonly afterXpath: string;
}

/** Signs the element at `target.elementXpath` and returns the whole document with the ds:Signature inserted. */
export function signEnveloped(xml: string, keys: IdpKeys, target: SignTarget): string {
  const sig = new SignedXml({
    privateKey: keys.privateKey,
    publicCert: keys.certPem,
    signatureAlgorithm: Alg.rsaSha256,
    canonicalizationAlgorithm: Alg.excC14n,
  });
  sig.addReference({
    xpath: target.elementXpath,
    transforms: [Alg.envelopedSignature, Alg.excC14n],
    digestAlgorithm: Alg.sha256,
  });
  sig.computeSignature(xml, { prefix: 'ds', location: { reference: target.afterXpath, action: 'after' } });
  return sig.getSignedXml();
}
