// The one comparison for every secret the IdP checks: form and cookie tokens, code hashes, receipt signatures.

import { timingSafeEqual } from 'node:crypto';

/**
 * True when `given` is `expected`, in time that depends on the lengths alone (a length gives nothing away: each
 * secret compared here has a fixed one). Strings compare as their UTF-8 bytes. Anything else given (a missing or
 * repeated form field) is false.
 */
export function sameSecret(expected: string | Uint8Array, given: unknown): boolean {
  if (typeof given !== 'string' && !(given instanceof Uint8Array)) return false;
  const a = typeof expected === 'string' ? Buffer.from(expected) : expected;
  const b = typeof given === 'string' ? Buffer.from(given) : given;
  return a.length === b.length && timingSafeEqual(a, b);
}
