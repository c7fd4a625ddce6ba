// Turns what went wrong on the way to a gateway into our four failure kinds, and whether the gateway may have sent.

import { type Processed, SmsError, type SmsFailure } from './sms-provider.ts';

/** Error codes raised before any byte of the request left us: the gateway cannot have taken the message. */
const NOT_SENT_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'CERT_HAS_EXPIRED',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
]);

function codesOf(error: unknown): string[] {
  const codes: string[] = [];
  for (let e = error, depth = 0; e !== null && typeof e === 'object' && depth < 5; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') codes.push(code);
    e = (e as { cause?: unknown }).cause;
  }
  return codes;
}

/**
 * A request that got no HTTP answer: a connection that never opened is 'no' (safe to send elsewhere); a timeout
 * or a reset after the request was written is 'maybe' (the gateway may be sending it right now).
 */
export function transportFailure(provider: string, error: unknown, timedOut: boolean): SmsError {
  const codes = codesOf(error);
  const processed: Processed = codes.some((c) => NOT_SENT_CODES.has(c)) ? 'no' : 'maybe';
  const why = timedOut ? 'no answer in time' : `request failed (${codes[0] ?? 'no code'})`;
  return new SmsError('temporary', `${provider}: ${why}`, { cause: error, processed, provider });
}

/** Seconds from a Retry-After header (delta-seconds form only); undefined when absent or odd. */
export function retryAfterSeconds(header: string | string[] | undefined): number | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  if (value === undefined || !/^\d{1,6}$/.test(value.trim())) return undefined;
  return Number(value.trim());
}

/** A classified failure of one gateway answer. */
export function gatewayFailure(
  provider: string,
  failure: SmsFailure,
  status: number,
  details: { vendorCode?: string; processed?: Processed; retryAfter?: number } = {},
): SmsError {
  const code = details.vendorCode === undefined ? '' : ` ${details.vendorCode}`;
  return new SmsError(failure, `${provider} answered HTTP ${status}${code}`, {
    provider,
    vendorCode: details.vendorCode,
    processed: details.processed,
    retryAfterSeconds: details.retryAfter,
  });
}

/** The answer's JSON, or undefined when it is not JSON (some gateways answer errors in plain text). */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** `value[key]` when value is an object. */
export function field(value: unknown, key: string): unknown {
  return value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
}
