// The SMS delivery contract: the app writes the text, a provider only delivers it (DESIGN.md §3).

/** One message to deliver. `to` is E.164. */
export interface SmsMessage {
  readonly to: string;
  readonly text: string;
}

export type SmsFailure = 'invalid-number' | 'rate-limited' | 'temporary' | 'permanent';

/** A delivery failure, classified; the gateway's own text never reaches the user. */
export class SmsError extends Error {
  readonly failure: SmsFailure;
  constructor(failure: SmsFailure, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SmsError';
    this.failure = failure;
  }
}

/** Delivers SMS. Resolves when the gateway accepted the message; rejects with SmsError otherwise. */
export interface SmsProvider {
  readonly name: string;
  send(message: SmsMessage, signal?: AbortSignal): Promise<void>;
}
