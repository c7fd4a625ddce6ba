// The one-time code (docs/contract.md §5): 6 digits from a CSPRNG, kept only as a keyed hash bound to its flow, compared in constant time.

import { createHmac, randomInt } from 'node:crypto';
import { sameSecret } from '../constant-time.ts';

/** Digits in a code (docs/contract.md §5). */
export const CODE_LENGTH = 6;

const CODE_SPACE = 10 ** CODE_LENGTH;
const CODE_SHAPE = /^\d{6}$/;
const HASH_SHAPE = /^[0-9a-f]{64}$/;

/** Typed input longer than this is never a code; refused before any work. */
const MAX_TYPED = 64;

/** A fresh code: uniform over 000000–999999 from crypto.randomInt. */
export function generateCode(): string {
  return String(randomInt(0, CODE_SPACE)).padStart(CODE_LENGTH, '0');
}

/**
 * The code for a random `nonce` (e.g. 16 bytes from randomBytes) under the secret: HMAC-SHA256 reduced to 6
 * digits. Storing the nonce instead of the code lets a resend repeat the same code while the store never holds
 * it. The reduction uses 48 bits, so its bias (< 4·10⁻⁹) is negligible.
 */
export function deriveCode(secret: string, flowId: string, nonce: string): string {
  const mac = createHmac('sha256', secret).update(`code:${flowId}:${nonce}`).digest();
  return String(mac.readUIntBE(0, 6) % CODE_SPACE).padStart(CODE_LENGTH, '0');
}

/** HMAC-SHA256(secret, flowId + ':' + code), hex: the hash binds the code to its flow. */
export function hashCode(secret: string, flowId: string, code: string): string {
  return createHmac('sha256', secret).update(`${flowId}:${code}`).digest('hex');
}

/** What the user typed with spaces and dashes removed; only ASCII digits then make a code. */
export function normaliseTypedCode(typed: string): string {
  return typed.slice(0, MAX_TYPED + 1).replace(/[\s\-\u2010-\u2013]/gu, '');
}

/** True when the typed text is a 6-digit code after normaliseTypedCode. */
export function isCodeShaped(typed: string): boolean {
  return typed.length <= MAX_TYPED && CODE_SHAPE.test(normaliseTypedCode(typed));
}

/**
 * Checks a typed code against the stored hash of this flow's code in constant time. Anything not
 * code-shaped, or a malformed stored hash, is false.
 */
export function verifyCode(secret: string, flowId: string, typed: string, storedHash: string): boolean {
  if (!isCodeShaped(typed) || !HASH_SHAPE.test(storedHash)) return false;
  const actual = Buffer.from(hashCode(secret, flowId, normaliseTypedCode(typed)), 'hex');
  return sameSecret(Buffer.from(storedHash, 'hex'), actual);
}
