// The URL a gateway posts an attempt's delivery receipt to: /sms/receipts/<gateway>?ref=<attempt>&t=<token>.
// The token, an HMAC of gateway and reference, is the receipt's authentication where the vendor signs nothing.

import { createHmac, timingSafeEqual } from 'node:crypto';

export function receiptToken(key: string, provider: string, reference: string): string {
  return createHmac('sha256', key)
    .update(`sms-receipt:${provider}:${reference}`)
    .digest('base64url')
    .slice(0, 32);
}

/** Constant-time check of a token from a receipt URL. */
export function receiptTokenMatches(
  key: string,
  provider: string,
  reference: string,
  token: unknown,
): boolean {
  if (typeof token !== 'string') return false;
  const expected = Buffer.from(receiptToken(key, provider, reference));
  const given = Buffer.from(token);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

/** Builds the receipt URL of each attempt for one gateway. */
export function receiptUrlFor(baseUrl: string, key: string, provider: string): (reference: string) => string {
  return (reference) => {
    const query = new URLSearchParams({ ref: reference, t: receiptToken(key, provider, reference) });
    return `${baseUrl}/sms/receipts/${provider}?${query}`;
  };
}
