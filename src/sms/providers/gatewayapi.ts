// GatewayAPI (Denmark), the Mobile Messaging API: POST /mobile/single, JSON, `Authorization: Token`
// (research/sms-gateways.md §2.5a). The EU setup's origin is https://messaging.gatewayapi.eu.

import { field, gatewayFailure, parseJson } from '../failure.ts';
import { SmsError, type SendResult, type SmsMessage, type SmsProvider } from '../sms-provider.ts';
import { type GatewayOptions, serverErrorProcessed, trimBase } from './gateway-options.ts';
import { submitSms } from './submit.ts';

export const GATEWAYAPI_BASE_URL = 'https://messaging.gatewayapi.eu';

/** Codes GatewayAPI uses for a blocked number (legacy table, also seen on the new API). */
const NUMBER_CODES = new Set(['0x0214', '0x0215']);

/** A 422 whose `detail[].loc` ends in `recipient` is the number's fault; auth and account problems are ours. */
export function classifyGatewayApi(status: number, text: string, retryAfter?: number): SmsError {
  const name = 'gatewayapi';
  const body = parseJson(text);
  const code = field(body, 'code');
  const vendorCode = typeof code === 'string' ? code : undefined;
  if (vendorCode !== undefined && NUMBER_CODES.has(vendorCode)) {
    return gatewayFailure(name, 'invalid-number', status, { vendorCode });
  }
  if (status === 422 || status === 400) {
    const detail = field(body, 'detail');
    const aboutRecipient =
      Array.isArray(detail) &&
      detail.some((d) => {
        const loc = field(d, 'loc');
        return Array.isArray(loc) && loc.at(-1) === 'recipient';
      });
    return gatewayFailure(name, aboutRecipient ? 'invalid-number' : 'permanent', status, { vendorCode });
  }
  if (status === 429) return gatewayFailure(name, 'rate-limited', status, { retryAfter });
  if (status >= 500) {
    return gatewayFailure(name, 'temporary', status, { processed: serverErrorProcessed(status), vendorCode });
  }
  return gatewayFailure(name, 'permanent', status, { vendorCode });
}

export class GatewayApiProvider implements SmsProvider {
  readonly name = 'gatewayapi';
  readonly #options: GatewayOptions;
  readonly #token: string;

  constructor(credentials: { readonly token: string }, options: GatewayOptions) {
    this.#options = { ...options, baseUrl: trimBase(options.baseUrl) };
    this.#token = credentials.token;
  }

  async send(message: SmsMessage, signal?: AbortSignal): Promise<SendResult> {
    const sender = this.#options.senderFor(message.to);
    if (sender === undefined)
      throw new SmsError('permanent', 'gatewayapi: no sender id', { provider: this.name });
    const body: Record<string, unknown> = {
      sender,
      // GatewayAPI takes the MSISDN as an integer, without the +.
      recipient: Number(message.to.replace(/^\+/, '')),
      message: message.text,
    };
    if (message.reference !== undefined) body.reference = message.reference;
    if (message.ttlSeconds !== undefined) body.expiration = `PT${Math.max(60, message.ttlSeconds)}S`;
    return submitSms(
      {
        provider: this.name,
        url: `${this.#options.baseUrl}/mobile/single`,
        authorization: `Token ${this.#token}`,
        body,
        timeoutMs: this.#options.timeoutMs,
        classify: classifyGatewayApi,
        idField: 'msg_id',
      },
      signal,
    );
  }
}
