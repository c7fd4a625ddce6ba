// Per-SP response policy: what the SP's metadata asks for (NameIDFormat, RequestedAttribute, encryption key) and
// what its sidecar adds (encryption on/off and algorithm, signing key during a rollover, attribute allow-list).

import { type KeyObject, X509Certificate } from 'node:crypto';
import type { NameIdFormat, PendingRequest } from '../../types.ts';
import {
  DataEncryption,
  type DataEncryptionName,
  type EncryptionTarget,
  KeyTransport,
  type KeyTransportName,
} from '../outbound/encrypt.ts';
import type { KeyChoice } from '../keys/key-ring.ts';
import type { AttributeService, EncryptionKey, ServiceProviderEntry } from './sp-metadata.ts';
import { AttrNameFormatBasic, NameIdFormatUrn } from '../urn.ts';

/** What the Response to one SP looks like beyond the request: decided per response from the SP's entry. */
export interface ResponsePolicy {
  /** The NameID format to give (the request's, or one from the SP's metadata when the request named none). */
  readonly nameIdFormat: NameIdFormat;
  /** Attribute names to release; undefined releases all of them. */
  readonly attributes: readonly string[] | undefined;
  /** Set when the assertion must be encrypted. */
  readonly encryption: EncryptionTarget | undefined;
  /** Which IdP key signs; undefined follows IDP_SIGN_WITH. */
  readonly signingKey: KeyChoice | undefined;
}

const ATTR_UNSPECIFIED = 'urn:oasis:names:tc:SAML:2.0:attrname-format:unspecified';
const DATA_PREFERENCE: readonly DataEncryptionName[] = [
  'aes256-gcm',
  'aes128-gcm',
  'aes256-cbc',
  'aes128-cbc',
];

const keyCache = new Map<string, KeyObject | null>();

/** The RSA public key of a certificate, or null when it is not RSA (RSA-OAEP needs one). */
function rsaKeyOf(certBase64: string): KeyObject | null {
  let key = keyCache.get(certBase64);
  if (key === undefined) {
    const publicKey = new X509Certificate(Buffer.from(certBase64, 'base64')).publicKey;
    key = publicKey.asymmetricKeyType === 'rsa' ? publicKey : null;
    if (keyCache.size >= 1000) keyCache.clear();
    keyCache.set(certBase64, key);
  }
  return key;
}

/**
 * The key to encrypt for. `encryptAssertions: true` takes a use="encryption" key, else one without `use`; unset,
 * only a use="encryption" key counts (the SP asks for encrypted assertions by listing one, metadata §2.4.1.1).
 */
function encryptionKeyOf(sp: ServiceProviderEntry): EncryptionKey | undefined | 'unusable' {
  const wanted = sp.settings.encryptAssertions;
  if (wanted === false) return undefined;
  const candidates = wanted === true ? sp.encryptionKeys : sp.encryptionKeys.filter((k) => k.explicit);
  if (candidates.length === 0) return wanted === true ? 'unusable' : undefined;
  const ordered = [...candidates.filter((k) => k.explicit), ...candidates.filter((k) => !k.explicit)];
  return ordered.find((k) => rsaKeyOf(k.certBase64) !== null) ?? 'unusable';
}

/** AES-GCM unless the SP's md:EncryptionMethod list names only CBC (or the sidecar picks one); RSA-OAEP with SHA-1
 * unless the SP lists only the XML Encryption 1.1 RSA-OAEP. */
function algorithmsFor(
  sp: ServiceProviderEntry,
  key: EncryptionKey,
): {
  data: DataEncryptionName;
  keyTransport: KeyTransportName;
} {
  const listed = new Set(key.methods);
  const data =
    sp.settings.encryptionAlgorithm ??
    DATA_PREFERENCE.find((name) => listed.has(DataEncryption[name])) ??
    'aes256-gcm';
  const keyTransport: KeyTransportName =
    listed.has(KeyTransport['rsa-oaep']) && !listed.has(KeyTransport['rsa-oaep-mgf1p'])
      ? 'rsa-oaep'
      : 'rsa-oaep-mgf1p';
  return { data, keyTransport };
}

/** The AttributeConsumingService that applies: isDefault="true", else the first without isDefault, else the first
 * (metadata §2.2.3 rules for indexed endpoints). */
export function defaultAttributeService(services: readonly AttributeService[]): AttributeService | undefined {
  return (
    services.find((s) => s.isDefault === true) ??
    services.find((s) => s.isDefault === undefined) ??
    services[0]
  );
}

/** Names released to the SP: those its RequestedAttributes name (NameFormat basic, unspecified or absent), further
 * limited by the sidecar's `attributes`; undefined when neither limits anything. The service is the one the request's
 * AttributeConsumingServiceIndex names, else (an index the metadata lacks, or none) the default one. */
export function releasedAttributeNames(
  sp: ServiceProviderEntry,
  serviceIndex?: number,
): readonly string[] | undefined {
  const service =
    (serviceIndex === undefined ? undefined : sp.attributeServices.find((s) => s.index === serviceIndex)) ??
    defaultAttributeService(sp.attributeServices);
  const requested =
    service === undefined
      ? undefined
      : service.requested
          .filter(
            (r) =>
              r.nameFormat === undefined ||
              r.nameFormat === AttrNameFormatBasic ||
              r.nameFormat === ATTR_UNSPECIFIED,
          )
          .map((r) => r.name);
  const allowed = sp.settings.attributes;
  if (requested === undefined) return allowed;
  return allowed === undefined ? requested : requested.filter((name) => allowed.includes(name));
}

const GIVABLE = new Map<string, NameIdFormat>([
  [NameIdFormatUrn.transient, 'transient'],
  [NameIdFormatUrn.persistent, 'persistent'],
]);

/** The request's format; when it is unspecified and the SP's metadata lists NameIDFormats without unspecified, the
 * first of them we can give (metadata §2.4.4: the formats the SP supports). */
export function nameIdFormatFor(request: PendingRequest, sp: ServiceProviderEntry): NameIdFormat {
  if (request.nameIdFormat !== 'unspecified' || sp.nameIdFormats.length === 0) return request.nameIdFormat;
  if (sp.nameIdFormats.includes(NameIdFormatUrn.unspecified)) return 'unspecified';
  for (const urn of sp.nameIdFormats) {
    const format = GIVABLE.get(urn);
    if (format !== undefined) return format;
  }
  return 'unspecified';
}

/** How assertions to `sp` are encrypted, or undefined when they are not. Throws when they should be but cannot
 * (checkSpPolicy refuses such an SP when it is loaded; this guards an entry built some other way). */
export function encryptionTarget(sp: ServiceProviderEntry): EncryptionTarget | undefined {
  const key = encryptionKeyOf(sp);
  if (key === 'unusable') throw new Error(`${sp.entityId}: no RSA encryption key to encrypt assertions with`);
  if (key === undefined) return undefined;
  return { certBase64: key.certBase64, publicKey: rsaKeyOf(key.certBase64)!, ...algorithmsFor(sp, key) };
}

/** The policy for a Response to `sp` answering `request`. */
export function responsePolicy(request: PendingRequest, sp: ServiceProviderEntry): ResponsePolicy {
  return {
    nameIdFormat: nameIdFormatFor(request, sp),
    attributes: releasedAttributeNames(sp, request.attributeServiceIndex),
    encryption: encryptionTarget(sp),
    signingKey: sp.settings.signingKey,
  };
}

/** Throws an Error naming what is wrong when the SP's metadata and sidecar cannot be served together (checked when
 * the SP is loaded, so a login never fails on it). */
export function checkSpPolicy(sp: ServiceProviderEntry): void {
  if (encryptionKeyOf(sp) === 'unusable') {
    throw new Error(
      sp.settings.encryptAssertions === true
        ? `${sp.entityId}: "encryptAssertions" is on but the metadata lists no RSA key for encryption`
        : `${sp.entityId}: the metadata asks for encrypted assertions (use="encryption") but lists no RSA key; ` +
            'set "encryptAssertions": false in the sidecar to send them unencrypted',
    );
  }
}
