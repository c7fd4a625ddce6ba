// Delivery receipts as each vendor posts them, signed the way its documentation says (research/sms-gateways.md),
// written here independently of the IdP's checks; `sign` can also leave them unsigned or sign them wrongly.

import { createHmac, randomUUID } from 'node:crypto';
import type { AcceptedSms } from './fake-gateway.ts';
import { FakeTwilio } from './fake-twilio.ts';
import type { GatewayName } from './index.ts';

export const GATEWAYAPI_WEBHOOK_SECRET = 'gwapi-webhook-secret-0123';
export const SINCH_WEBHOOK_SECRET = 'sinch-webhook-secret-0123';

export type Signing = 'valid' | 'none' | 'wrong';

export interface ReceiptPost {
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly body: string;
}

/** The receipt `name` posts for `message` (final state `delivered` or `failed`). */
export function receiptFor(
  name: GatewayName,
  message: AcceptedSms,
  state: 'delivered' | 'failed',
  idpBaseUrl: string,
  sign: Signing = 'valid',
): ReceiptPost {
  switch (name) {
    case '46elks': {
      const url = new URL(message.callbackUrl as string);
      if (sign === 'none') url.searchParams.delete('t');
      if (sign === 'wrong') url.searchParams.set('t', 'A'.repeat(32));
      const form = new URLSearchParams({ id: message.messageId, status: state });
      if (state === 'delivered') form.set('delivered', new Date().toISOString());
      return {
        url: url.href,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: form.toString(),
      };
    }
    case 'twilio': {
      const url = message.callbackUrl as string;
      const status = state === 'delivered' ? 'delivered' : 'undelivered';
      const form = new URLSearchParams({
        MessageSid: message.messageId,
        SmsSid: message.messageId,
        MessageStatus: status,
        SmsStatus: status,
        AccountSid: FakeTwilio.ACCOUNT_SID,
        From: message.from ?? '',
        To: message.to,
        ApiVersion: '2010-04-01',
      });
      if (state === 'failed') form.set('ErrorCode', '30003');
      const data =
        url +
        [...form.entries()]
          .sort(([a], [b]) => (a < b ? -1 : 1))
          .map(([k, v]) => k + v)
          .join('');
      const key = sign === 'wrong' ? 'not-the-token' : FakeTwilio.AUTH_TOKEN;
      const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
      if (sign !== 'none')
        headers['x-twilio-signature'] = createHmac('sha1', key).update(data).digest('base64');
      return { url, headers, body: form.toString() };
    }
    case 'gatewayapi': {
      const body = JSON.stringify({
        event_id: randomUUID(),
        timestamp: Math.floor(Date.now() / 1000),
        event_type: 'message.status.sms',
        event: {
          msg_id: message.messageId,
          recipient: Number(message.to.slice(1)),
          reference: message.reference,
          status: state === 'delivered' ? 'DELIVERED' : 'UNDELIVERABLE',
          status_at: new Date().toISOString(),
          error: state === 'delivered' ? null : { hex_code: '0x1002', details: 'unknown subscriber' },
        },
      });
      const key = sign === 'wrong' ? 'not-the-secret' : GATEWAYAPI_WEBHOOK_SECRET;
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (sign !== 'none') headers.signature = `v1=${createHmac('sha256', key).update(body).digest('hex')}`;
      return { url: `${idpBaseUrl}/sms/receipts/gatewayapi`, headers, body };
    }
    case 'sinch': {
      const body = JSON.stringify({
        type: 'recipient_delivery_report_sms',
        batch_id: message.messageId,
        recipient: message.to.slice(1),
        status: state === 'delivered' ? 'Delivered' : 'Failed',
        code: state === 'delivered' ? 0 : 402,
        at: new Date().toISOString(),
        client_reference: message.reference,
      });
      const nonce = randomUUID();
      const timestamp = String(Math.floor(Date.now() / 1000));
      const key = sign === 'wrong' ? 'not-the-secret' : SINCH_WEBHOOK_SECRET;
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (sign !== 'none') {
        headers['x-sinch-webhook-signature'] = createHmac('sha256', key)
          .update(`${body}.${nonce}.${timestamp}`)
          .digest('base64');
        headers['x-sinch-webhook-signature-nonce'] = nonce;
        headers['x-sinch-webhook-signature-timestamp'] = timestamp;
        headers['x-sinch-webhook-signature-algorithm'] = 'HmacSHA256';
      }
      return { url: message.callbackUrl as string, headers, body };
    }
  }
}

/** Posts a receipt; the IdP's HTTP status. */
export async function postReceipt(post: ReceiptPost): Promise<number> {
  const response = await fetch(post.url, { method: 'POST', headers: post.headers, body: post.body });
  await response.arrayBuffer();
  return response.status;
}
