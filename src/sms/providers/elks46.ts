// 46elks (Sweden): POST /a1/sms, form fields, Basic auth (research/sms-gateways.md §2.4).

import { gatewayFailure } from '../failure.ts';
import { SmsError, type SendResult, type SmsMessage, type SmsProvider } from '../sms-provider.ts';
import { type GatewayOptions, serverErrorProcessed, trimBase } from './gateway-options.ts';
import { basicAuth } from './http.ts';
import { receiptUrlOf, submitSms } from './submit.ts';

export const ELKS46_BASE_URL = 'https://api.46elks.com';

export interface Elks46Credentials {
  readonly username: string;
  readonly password: string;
}

/** Answers of 46elks are often plain text on errors; a 400 that names `to` is the number's fault. */
export function classifyElks46(status: number, text: string, retryAfter?: number): SmsError {
  const name = '46elks';
  if (status === 400) {
    const aboutNumber = /\bto\b|number|recipient/i.test(text);
    return gatewayFailure(name, aboutNumber ? 'invalid-number' : 'permanent', status);
  }
  if (status === 401 || status === 403 || status === 402) return gatewayFailure(name, 'permanent', status);
  if (status === 429) return gatewayFailure(name, 'rate-limited', status, { retryAfter });
  if (status >= 500) {
    return gatewayFailure(name, 'temporary', status, { processed: serverErrorProcessed(status) });
  }
  return gatewayFailure(name, 'permanent', status);
}

export class Elks46Provider implements SmsProvider {
  readonly name = '46elks';
  readonly #options: GatewayOptions;
  readonly #auth: string;

  constructor(credentials: Elks46Credentials, options: GatewayOptions) {
    this.#options = { ...options, baseUrl: trimBase(options.baseUrl) };
    this.#auth = basicAuth(credentials.username, credentials.password);
  }

  async send(message: SmsMessage, signal?: AbortSignal): Promise<SendResult> {
    return this.#post(message, false, signal);
  }

  /** A dry run: 46elks checks credentials, sender and number and sends nothing (`dryrun=yes`). */
  async dryRun(message: SmsMessage, signal?: AbortSignal): Promise<SendResult> {
    return this.#post(message, true, signal);
  }

  async #post(message: SmsMessage, dryRun: boolean, signal?: AbortSignal): Promise<SendResult> {
    const form = new URLSearchParams();
    const sender = this.#options.senderFor(message.to);
    if (sender === undefined)
      throw new SmsError('permanent', '46elks: no sender id', { provider: this.name });
    form.set('from', sender);
    form.set('to', message.to);
    form.set('message', message.text);
    // Keeps the code out of 46elks' message log.
    form.set('dontlog', 'message');
    const receipt = receiptUrlOf(this.#options, message);
    if (receipt !== undefined) form.set('whendelivered', receipt);
    if (dryRun) form.set('dryrun', 'yes');
    return submitSms(
      {
        provider: this.name,
        url: `${this.#options.baseUrl}/a1/sms`,
        authorization: this.#auth,
        body: form,
        timeoutMs: this.#options.timeoutMs,
        classify: classifyElks46,
        idField: 'id',
      },
      signal,
    );
  }
}
