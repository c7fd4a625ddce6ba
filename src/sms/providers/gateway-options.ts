// What every gateway adapter is given besides its credentials.

export interface GatewayOptions {
  /** The API origin (SMS_<GATEWAY>_BASE_URL), without a trailing slash. */
  readonly baseUrl: string;
  /** The longest one request may take before it counts as a timeout. */
  readonly timeoutMs: number;
  /** The sender id for a number (SMS_SENDER, SMS_SENDER_<CC>); undefined: the gateway's default. */
  readonly senderFor: (to: string) => string | undefined;
  /** Where the gateway posts this attempt's delivery receipt; undefined: receipts are off. */
  readonly receiptUrl?: (reference: string) => string | undefined;
}

/** The origin without trailing slashes. */
export function trimBase(url: string): string {
  return url.replace(/\/+$/, '');
}

/** 503 means the gateway refused before doing anything; other 5xx may come after it took the message. */
export function serverErrorProcessed(status: number): 'no' | 'maybe' {
  return status === 503 ? 'no' : 'maybe';
}
