// The SMS delivery contract: the app writes the text, a provider only delivers it (docs/design.md §3).

/** One message to deliver. `to` is E.164. */
export interface SmsMessage {
  readonly to: string;
  readonly text: string;
  /** Our id for this send attempt; echoed by gateways that have a reference field, it ties receipts to a flow. */
  readonly reference?: string;
  /** Seconds the code stays valid: gateways with a validity setting drop the message after that. */
  readonly ttlSeconds?: number;
  /** Gateways to use only when no other one can (an earlier attempt through them was lost or uncertain). */
  readonly avoid?: readonly string[];
}

export type SmsFailure = 'invalid-number' | 'rate-limited' | 'temporary' | 'permanent';

/** Whether a gateway may have taken the message despite the failure: 'maybe' forbids an automatic resend. */
export type Processed = 'no' | 'maybe';

/** What a gateway answered when it accepted a message. */
export interface SendResult {
  /** The gateway that took it (a router names the one it chose). */
  readonly provider: string;
  /** The gateway's id for the message, when it gives one. */
  readonly messageId?: string;
}

export interface SmsErrorDetails {
  readonly cause?: unknown;
  /** Default: 'maybe' for temporary failures, 'no' for the others. */
  readonly processed?: Processed;
  /** The gateway that failed, when known. */
  readonly provider?: string;
  /** The gateway's own error code (for logs), never shown to the user. */
  readonly vendorCode?: string;
  /** A Retry-After the gateway sent, seconds. */
  readonly retryAfterSeconds?: number;
}

/** A delivery failure, classified; the gateway's own text never reaches the user. */
export class SmsError extends Error {
  readonly failure: SmsFailure;
  readonly processed: Processed;
  readonly provider: string | undefined;
  readonly vendorCode: string | undefined;
  readonly retryAfterSeconds: number | undefined;
  constructor(failure: SmsFailure, message: string, details: SmsErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'SmsError';
    this.failure = failure;
    this.processed = details.processed ?? (failure === 'temporary' ? 'maybe' : 'no');
    this.provider = details.provider;
    this.vendorCode = details.vendorCode;
    this.retryAfterSeconds = details.retryAfterSeconds;
  }
}

/**
 * Delivers SMS. Resolves when the gateway accepted the message (with its id where it gives one); rejects with
 * SmsError otherwise.
 */
export interface SmsProvider {
  readonly name: string;
  // biome-ignore lint/suspicious/noConfusingVoidType: providers that learn no message id resolve with nothing
  send(message: SmsMessage, signal?: AbortSignal): Promise<SendResult | void>;
}
