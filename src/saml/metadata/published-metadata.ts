// Our metadata as GET /saml/metadata and the CLI publish it: every signing certificate of the key ring, signed by the
// key that signs Responses, with a validUntil kept METADATA_VALID_DAYS ahead.

import { type IdpMetadataOptions, renderIdpMetadata } from './idp-metadata.ts';
import { type KeyRing, publishedCerts, signingKeys } from '../keys/key-ring.ts';
import { signedIdpMetadata } from './metadata-signature.ts';

/** Our entityID and endpoint URLs under BASE_URL (docs/contract.md §1, §2). */
export function idpUrls(baseUrl: string): { entityId: string; ssoUrl: string; sloUrl: string } {
  return {
    entityId: `${baseUrl}/saml/metadata`,
    ssoUrl: `${baseUrl}/saml/sso`,
    sloUrl: `${baseUrl}/saml/slo`,
  };
}

/** What the metadata describes, apart from the certificates (those come from the key ring). */
export type PublishedMetadataOptions = Omit<IdpMetadataOptions, 'certsBase64' | 'id' | 'validUntil'>;

const RESIGN_AFTER_MS = 3600_000;

/** Renders and signs our metadata, re-signing it once an hour so that validUntil never drifts closer than that. */
export class PublishedMetadata {
  readonly #options: IdpMetadataOptions;
  readonly #ring: KeyRing;
  readonly #validDays: number;
  readonly #now: () => number;
  #signed: { xml: string; at: number } | undefined;

  constructor(
    options: PublishedMetadataOptions,
    ring: KeyRing,
    validDays: number,
    now: () => number = Date.now,
  ) {
    this.#options = { ...options, certsBase64: publishedCerts(ring) };
    this.#ring = ring;
    this.#validDays = validDays;
    this.#now = now;
  }

  /** The signed EntityDescriptor with ID and validUntil. */
  xml(): string {
    const now = this.#now();
    if (this.#signed === undefined || now - this.#signed.at >= RESIGN_AFTER_MS) {
      const xml = signedIdpMetadata(this.#options, signingKeys(this.#ring), new Date(now), this.#validDays);
      this.#signed = { xml, at: now };
    }
    return this.#signed.xml;
  }

  /** The same description unsigned and without validUntil, for tools that only read endpoints and keys. */
  unsigned(): string {
    return renderIdpMetadata(this.#options);
  }
}
