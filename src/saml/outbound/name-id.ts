// Makes the Subject NameID for each format we give (docs/contract.md §4).

import { createHmac } from 'node:crypto';
import type { NameIdFormat } from '../../types.ts';
import { NameIdFormatUrn } from '../urn.ts';
import { newSamlId } from '../values.ts';

/** unspecified → the E.164 phone; transient → random single-use; persistent → stable per SP, not the phone:
 * HMAC-SHA256(secret, spNameQualifier-or-spEntityId + phone), base64url. The reader only accepts an
 * SPNameQualifier equal to the SP's entityID, so `spEntityId` is the qualifier. A NUL separates the two inputs. */
export function makeNameId(format: NameIdFormat, phone: string, spEntityId: string, secret: string): string {
  switch (format) {
    case 'unspecified':
      return phone;
    case 'transient':
      return newSamlId();
    case 'persistent':
      if (secret === '') throw new Error('a persistent NameID needs the IdP secret');
      return createHmac('sha256', secret).update(`${spEntityId}\u0000${phone}`).digest('base64url');
  }
}

/** The format URN of a NameIdFormat (SAML core §8.3). */
export function nameIdFormatUrn(format: NameIdFormat): string {
  return NameIdFormatUrn[format];
}
