// Twilio Programmable Messaging: POST /2010-04-01/Accounts/{sid}/Messages.json, form fields, Basic auth
// (research/sms-gateways.md §2.1). For EU data residency the origin is https://api.dublin.ie1.twilio.com.

import { field, gatewayFailure, parseJson } from '../failure.ts';
import { SmsError, type SendResult, type SmsMessage, type SmsProvider } from '../sms-provider.ts';
import { type GatewayOptions, trimBase } from './gateway-options.ts';
import { basicAuth } from './http.ts';
import { receiptUrlOf, submitSms } from './submit.ts';

export const TWILIO_BASE_URL = 'https://api.twilio.com';

export interface TwilioCredentials {
  readonly accountSid: string;
  /** The account's Auth Token, or an API key (SK…) with its secret. */
  readonly authToken?: string;
  readonly apiKeySid?: string;
  readonly apiKeySecret?: string;
  /** MG…: Twilio picks the sender from the service's pool. */
  readonly messagingServiceSid?: string;
}

/** Bad destination, landline, opted out (STOP): the number's fault, another gateway would fail too. */
const NUMBER_CODES = new Set([21211, 21614, 21610]);

/** Twilio's error `code` decides; HTTP 429 (20429) was "never processed"; 5xx may have sent (20500). */
export function classifyTwilio(status: number, text: string, retryAfter?: number): SmsError {
  const name = 'twilio';
  const code = field(parseJson(text), 'code');
  const vendorCode = typeof code === 'number' ? String(code) : undefined;
  if (typeof code === 'number' && NUMBER_CODES.has(code)) {
    return gatewayFailure(name, 'invalid-number', status, { vendorCode });
  }
  if (status === 429 || code === 20429) {
    return gatewayFailure(name, 'rate-limited', status, { vendorCode, retryAfter });
  }
  if (status >= 500) return gatewayFailure(name, 'temporary', status, { vendorCode, processed: 'maybe' });
  return gatewayFailure(name, 'permanent', status, { vendorCode });
}

export class TwilioProvider implements SmsProvider {
  readonly name = 'twilio';
  readonly #options: GatewayOptions;
  readonly #credentials: TwilioCredentials;
  readonly #auth: string;

  constructor(credentials: TwilioCredentials, options: GatewayOptions) {
    this.#options = { ...options, baseUrl: trimBase(options.baseUrl) };
    this.#credentials = credentials;
    this.#auth =
      credentials.apiKeySid !== undefined && credentials.apiKeySecret !== undefined
        ? basicAuth(credentials.apiKeySid, credentials.apiKeySecret)
        : basicAuth(credentials.accountSid, credentials.authToken ?? '');
  }

  async send(message: SmsMessage, signal?: AbortSignal): Promise<SendResult> {
    const form = new URLSearchParams();
    form.set('To', message.to);
    const service = this.#credentials.messagingServiceSid;
    const sender = this.#options.senderFor(message.to);
    if (service !== undefined) form.set('MessagingServiceSid', service);
    else if (sender !== undefined) form.set('From', sender);
    else throw new SmsError('permanent', 'twilio: no sender id', { provider: this.name });
    form.set('Body', message.text);
    if (message.ttlSeconds !== undefined) {
      form.set('ValidityPeriod', String(Math.min(36000, Math.max(1, Math.ceil(message.ttlSeconds)))));
    }
    const receipt = receiptUrlOf(this.#options, message);
    if (receipt !== undefined) form.set('StatusCallback', receipt);
    const sid = encodeURIComponent(this.#credentials.accountSid);
    return submitSms(
      {
        provider: this.name,
        url: `${this.#options.baseUrl}/2010-04-01/Accounts/${sid}/Messages.json`,
        authorization: this.#auth,
        body: form,
        timeoutMs: this.#options.timeoutMs,
        classify: classifyTwilio,
        idField: 'sid',
      },
      signal,
    );
  }
}
