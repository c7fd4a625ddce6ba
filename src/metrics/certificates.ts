// The end of validity of every certificate the IdP depends on: our signing pairs and each trusted SP's.

import { X509Certificate } from 'node:crypto';
import type { KeyRing } from '../saml/keys/key-ring.ts';
import type { SpRegistry } from '../saml/metadata/sp-registry.ts';
import type { CertificateExpiry } from './metrics.ts';

/** Parsed certificates by their base64 DER, so a scrape does not parse the same certificate again. */
const notAfterCache = new Map<string, Date | undefined>();

function notAfter(certBase64: string): Date | undefined {
  if (!notAfterCache.has(certBase64)) {
    let date: Date | undefined;
    try {
      date = new Date(new X509Certificate(Buffer.from(certBase64, 'base64')).validTo);
    } catch {
      date = undefined;
    }
    if (notAfterCache.size > 10_000) notAfterCache.clear();
    notAfterCache.set(certBase64, date);
  }
  return notAfterCache.get(certBase64);
}

/** The earliest end of validity per owner and use (an SP may publish several certificates for one use). */
export function certificateExpiries(ring: KeyRing, registry: SpRegistry): CertificateExpiry[] {
  const earliest = new Map<string, CertificateExpiry>();
  const add = (owner: string, use: string, certBase64: string) => {
    const date = notAfter(certBase64);
    const key = `${owner}\n${use}`;
    const seen = earliest.get(key);
    if (date !== undefined && (seen === undefined || date < seen.notAfter)) {
      earliest.set(key, { owner, use, notAfter: date });
    }
  };
  add('idp', 'signing', ring.current.certBase64);
  if (ring.next !== undefined) add('idp', 'signing-next', ring.next.certBase64);
  for (const sp of registry.list()) {
    for (const cert of sp.signingCerts) add(sp.entityId, 'signing', cert);
    for (const key of sp.encryptionKeys) add(sp.entityId, 'encryption', key.certBase64);
  }
  return [...earliest.values()];
}
