// The values our SAML messages carry: fresh message IDs and UTC timestamps.

import { randomBytes } from 'node:crypto';

/** A fresh xs:ID: '_' and 160 random bits in hex (SAML core §1.3.4 asks for at least 128). */
export function newSamlId(): string {
  return `_${randomBytes(20).toString('hex')}`;
}

/** A time as SAML writes it: UTC, second precision, trailing Z (SAML core §1.3.3). */
export function samlTime(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
