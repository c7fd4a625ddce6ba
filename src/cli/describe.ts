// Describes an SP for admins: endpoints, certificates with their expiry, and the policy the IdP applies to it.

import { X509Certificate } from 'node:crypto';
import type { Finding } from './io.ts';
import type { ServiceProviderEntry } from '../saml/metadata/sp-metadata.ts';
import {
  checkSpPolicy,
  defaultAttributeService,
  encryptionTarget,
  releasedAttributeNames,
} from '../saml/metadata/sp-policy.ts';

/** A certificate from SP metadata, as an admin checks it. */
export interface CertDescription {
  readonly use: 'signing' | 'encryption' | 'signing+encryption';
  readonly subject: string;
  readonly issuer: string;
  readonly notBefore: string;
  readonly notAfter: string;
  /** whole days until notAfter; negative once expired */
  readonly daysLeft: number;
  /** SHA-256 fingerprint, colon-separated hex */
  readonly sha256: string;
  readonly keyType: string;
}

/** An SP as `sp list` shows it. */
export interface SpDescription {
  readonly entityId: string;
  readonly displayName: string;
  /** the file (or remote source) it comes from */
  readonly source: string;
  readonly acs: readonly { binding: string; url: string; index?: number; isDefault: boolean }[];
  readonly singleLogout: readonly { binding: string; url: string }[];
  readonly certificates: readonly CertDescription[];
  readonly policy: {
    readonly authnRequestsSigned: boolean;
    readonly wantAssertionsSigned: boolean;
    readonly nameIdFormats: readonly string[];
    /** the attributes released; undefined means all six */
    readonly attributes: readonly string[] | undefined;
    /** e.g. "aes256-gcm + rsa-oaep-mgf1p", or undefined when assertions go unencrypted */
    readonly encryption: string | undefined;
    readonly idpInitiated: boolean;
    readonly signingKey: string | undefined;
    readonly eids: readonly string[];
    readonly defaultLocale: string | undefined;
  };
}

const DAY_MS = 86_400_000;

/** Reads one certificate (base64 DER) for a report. */
export function describeCert(certBase64: string, use: CertDescription['use'], now: Date): CertDescription {
  const cert = new X509Certificate(Buffer.from(certBase64, 'base64'));
  const notAfter = new Date(cert.validTo);
  return {
    use,
    subject: cert.subject.replace(/\n/g, ', '),
    issuer: cert.issuer.replace(/\n/g, ', '),
    notBefore: new Date(cert.validFrom).toISOString(),
    notAfter: notAfter.toISOString(),
    daysLeft: Math.floor((notAfter.getTime() - now.getTime()) / DAY_MS),
    sha256: cert.fingerprint256,
    keyType: cert.publicKey.asymmetricKeyType ?? 'unknown',
  };
}

function shortBinding(binding: string): string {
  return binding.replace(/^urn:oasis:names:tc:SAML:2\.0:bindings:/, '');
}

/** Everything `sp list` reports about `sp`. */
export function describeSp(sp: ServiceProviderEntry, source: string, now: Date): SpDescription {
  const uses = new Map<string, Set<'signing' | 'encryption'>>();
  const add = (cert: string, use: 'signing' | 'encryption') => {
    const set = uses.get(cert) ?? new Set();
    set.add(use);
    uses.set(cert, set);
  };
  for (const cert of sp.signingCerts) add(cert, 'signing');
  for (const key of sp.encryptionKeys) add(key.certBase64, 'encryption');
  const certificates = [...uses].map(([cert, set]) =>
    describeCert(cert, set.size === 2 ? 'signing+encryption' : [...set][0]!, now),
  );
  let encryption: string | undefined;
  try {
    const target = encryptionTarget(sp);
    encryption = target === undefined ? undefined : `${target.data} + ${target.keyTransport}`;
  } catch {
    encryption = 'unusable';
  }
  return {
    entityId: sp.entityId,
    displayName: sp.displayName,
    source,
    acs: sp.acs.map((a) => ({
      binding: shortBinding(a.binding),
      url: a.url,
      ...(a.index === undefined ? {} : { index: a.index }),
      isDefault: a.isDefault,
    })),
    singleLogout: sp.sloEndpoints.map((s) => ({ binding: shortBinding(s.binding), url: s.url })),
    certificates,
    policy: {
      authnRequestsSigned: sp.authnRequestsSigned,
      wantAssertionsSigned: sp.wantAssertionsSigned,
      nameIdFormats: sp.nameIdFormats,
      attributes: releasedAttributeNames(sp),
      encryption,
      idpInitiated: sp.settings.idpInitiated === true,
      signingKey: sp.settings.signingKey,
      eids: sp.settings.eids,
      defaultLocale: sp.settings.defaultLocale,
    },
  };
}

/** Certificates expiring within `days` are warnings, expired ones `expired` (default error: the SP should renew;
 * the IdP still trusts the key, as SAML metadata does not depend on certificate validity); requesting none of our
 * attributes and an http:// ACS are warnings too, an encryption need we cannot meet an error. */
export function spFindings(
  description: SpDescription,
  sp: ServiceProviderEntry,
  days: number,
  expired: Finding['level'] = 'error',
): Finding[] {
  const findings: Finding[] = [];
  const at = { source: description.source, entityId: description.entityId };
  for (const cert of description.certificates) {
    const name = `${cert.use} certificate ${cert.subject} (SHA-256 ${cert.sha256.slice(0, 23)}…)`;
    if (cert.daysLeft < 0) {
      findings.push({ level: expired, ...at, message: `${name} expired on ${cert.notAfter.slice(0, 10)}` });
    } else if (cert.daysLeft < days) {
      findings.push({
        level: 'warning',
        ...at,
        message: `${name} expires on ${cert.notAfter.slice(0, 10)}, in ${cert.daysLeft} days`,
      });
    }
  }
  for (const acs of description.acs) {
    if (acs.url.startsWith('http://')) {
      findings.push({ level: 'warning', ...at, message: `AssertionConsumerService ${acs.url} is not https` });
    }
  }
  const service = defaultAttributeService(sp.attributeServices);
  const released = description.policy.attributes;
  if (service !== undefined && released !== undefined && released.length === 0) {
    findings.push({
      level: 'warning',
      ...at,
      message:
        'its AttributeConsumingService requests none of our attributes (NameFormat basic): it gets none',
    });
  }
  try {
    checkSpPolicy(sp);
  } catch (err) {
    findings.push({ level: 'error', ...at, message: (err as Error).message.replace(`${sp.entityId}: `, '') });
  }
  return findings;
}
