// A delivery receipt as a gateway posts it, and what its check concluded.

import { createHmac } from 'node:crypto';
import { sameSecret } from '../../constant-time.ts';

export interface ReceiptRequest {
  /** The public URL the gateway posted to: BASE_URL + path + query. */
  readonly url: string;
  readonly query: URLSearchParams;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** The body exactly as received (signatures cover the raw bytes). */
  readonly rawBody: string;
}

export interface Receipt {
  readonly reference: string;
  readonly messageId?: string;
  /** pending: not final yet (queued, sent, en route): nothing to record. */
  readonly state: 'delivered' | 'failed' | 'pending';
}

/** 401: no credentials the vendor documents; 403: they do not match; 400: authenticated but not a receipt. */
export type ReceiptCheck =
  | { readonly ok: true; readonly receipt: Receipt }
  | { readonly ok: false; readonly status: 400 | 401 | 403; readonly reason: string };

export const refuse = (status: 400 | 401 | 403, reason: string): ReceiptCheck => ({
  ok: false,
  status,
  reason,
});

/** One header's value (the first, when repeated). */
export function header(req: ReceiptRequest, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

export function hmac(
  algorithm: 'sha1' | 'sha256',
  key: string,
  data: string,
  encoding: 'hex' | 'base64',
): string {
  return createHmac(algorithm, key).update(data, 'utf8').digest(encoding);
}

/**
 * An authenticated receipt: the vendor's status word read as delivered (one word), failed (a set) or pending
 * (anything else, so a status the vendor adds later changes nothing).
 */
export function accept(
  reference: string,
  messageId: unknown,
  status: string,
  vendor: { readonly delivered: string; readonly failed: ReadonlySet<string> },
): ReceiptCheck {
  const state = status === vendor.delivered ? 'delivered' : vendor.failed.has(status) ? 'failed' : 'pending';
  return {
    ok: true,
    receipt: { reference, messageId: typeof messageId === 'string' ? messageId : undefined, state },
  };
}

/**
 * A vendor's signature checked in constant time against what the secret gives (one or more accepted forms):
 * undefined when it matches, else the refusal (401 when none was sent, 403 when we cannot check or it differs).
 */
export function refuseBadSignature(
  given: string | undefined,
  secret: string | undefined,
  expected: (secret: string) => readonly string[],
  reasons: { readonly missing: string; readonly noSecret: string; readonly mismatch: string },
): ReceiptCheck | undefined {
  if (given === undefined) return refuse(401, reasons.missing);
  if (secret === undefined) return refuse(403, reasons.noSecret);
  return expected(secret).some((e) => sameSecret(e, given)) ? undefined : refuse(403, reasons.mismatch);
}

/** The verifier of one gateway's receipts. */
export interface ReceiptVerifier {
  readonly provider: string;
  check(req: ReceiptRequest): ReceiptCheck;
}
