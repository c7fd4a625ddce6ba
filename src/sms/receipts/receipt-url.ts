// The URL a gateway posts an attempt's delivery receipt to: /sms/receipts/<gateway>?ref=<attempt>&t=<token>.
// The token, an HMAC of gateway and reference, is the receipt's authentication where the vendor signs nothing.

import { createHmac } from 'node:crypto';
import { sameSecret } from '../../constant-time.ts';
import { type ReceiptCheck, refuse } from './receipt.ts';

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
  return sameSecret(receiptToken(key, provider, reference), token);
}

/** Builds the receipt URL of each attempt for one gateway. */
export function receiptUrlFor(baseUrl: string, key: string, provider: string): (reference: string) => string {
  return (reference) => {
    const query = new URLSearchParams({ ref: reference, t: receiptToken(key, provider, reference) });
    return `${baseUrl}/sms/receipts/${provider}?${query}`;
  };
}

/** The receipt URL's token checked for `reference`: undefined when it matches, else the refusal. */
export function refuseBadToken(
  key: string,
  provider: string,
  reference: unknown,
  token: string | null,
): ReceiptCheck | undefined {
  if (token === null) return refuse(401, 'no receipt token');
  if (typeof reference !== 'string' || !receiptTokenMatches(key, provider, reference, token)) {
    return refuse(403, 'receipt token mismatch');
  }
  return undefined;
}
