// Sinch SMS REST API (XMS): POST /xms/v1/{service_plan_id}/batches, JSON, Bearer token
// (research/sms-gateways.md §2.2). The region picks the origin: https://{region}.sms.api.sinch.com.

import { field, gatewayFailure, parseJson } from '../failure.ts';
import type { SendResult, SmsError, SmsMessage, SmsProvider } from '../sms-provider.ts';
import { type GatewayOptions, trimBase } from './gateway-options.ts';
import { receiptUrlOf, submitSms } from './submit.ts';

export const sinchBaseUrl = (region: string): string => `https://${region}.sms.api.sinch.com`;

export interface SinchCredentials {
  readonly servicePlanId: string;
  readonly apiToken: string;
}

/** Sinch documents 500 as "not processed" and 503 as refused, so both are safe to send elsewhere. */
export function classifySinch(status: number, text: string, retryAfter?: number): SmsError {
  const name = 'sinch';
  const body = parseJson(text);
  const code = field(body, 'code');
  const vendorCode = typeof code === 'string' ? code : undefined;
  if (status === 400) {
    const about = String(field(body, 'text') ?? '');
    const aboutNumber =
      vendorCode === 'syntax_invalid_parameter_format' && /msisdn|\bto\b|recipient|number/i.test(about);
    return gatewayFailure(name, aboutNumber ? 'invalid-number' : 'permanent', status, { vendorCode });
  }
  if (status === 429) return gatewayFailure(name, 'rate-limited', status, { vendorCode, retryAfter });
  if (status === 500 || status === 503) {
    return gatewayFailure(name, 'temporary', status, { vendorCode, processed: 'no' });
  }
  if (status > 500) return gatewayFailure(name, 'temporary', status, { vendorCode, processed: 'maybe' });
  return gatewayFailure(name, 'permanent', status, { vendorCode });
}

export class SinchProvider implements SmsProvider {
  readonly name = 'sinch';
  readonly #options: GatewayOptions;
  readonly #credentials: SinchCredentials;
  readonly #now: () => number;

  constructor(credentials: SinchCredentials, options: GatewayOptions & { now?: () => number }) {
    this.#options = { ...options, baseUrl: trimBase(options.baseUrl) };
    this.#credentials = credentials;
    this.#now = options.now ?? Date.now;
  }

  async send(message: SmsMessage, signal?: AbortSignal): Promise<SendResult> {
    const body: Record<string, unknown> = { to: [message.to], body: message.text, type: 'mt_text' };
    const sender = this.#options.senderFor(message.to);
    if (sender !== undefined) body.from = sender;
    if (message.reference !== undefined) body.client_reference = message.reference;
    if (message.ttlSeconds !== undefined) {
      body.expire_at = new Date(this.#now() + message.ttlSeconds * 1000).toISOString();
    }
    const receipt = receiptUrlOf(this.#options, message);
    if (receipt !== undefined) {
      body.delivery_report = 'per_recipient_final';
      body.callback_url = receipt;
    }
    const plan = encodeURIComponent(this.#credentials.servicePlanId);
    return submitSms(
      {
        provider: this.name,
        url: `${this.#options.baseUrl}/xms/v1/${plan}/batches`,
        authorization: `Bearer ${this.#credentials.apiToken}`,
        body,
        timeoutMs: this.#options.timeoutMs,
        classify: classifySinch,
        idField: 'id',
      },
      signal,
    );
  }
}
