// Sinch XMS delivery reports (`recipient_delivery_report_sms`, JSON). With SMS_SINCH_WEBHOOK_SECRET the HMAC
// headers are required: x-sinch-webhook-signature = Base64(HMAC-SHA256(secret, body.nonce.timestamp)); without it
// the receipt URL's token (receipt-url.ts) over client_reference is (research/sms-gateways.md §2.2).

import { field, parseJson } from '../failure.ts';
import { refuseBadToken } from './receipt-url.ts';
import { sameSecret } from '../../constant-time.ts';
import { accept, hmac, header, refuse } from './receipt.ts';
import type { ReceiptCheck, ReceiptRequest, ReceiptVerifier } from './receipt.ts';

const STATES = {
  delivered: 'Delivered',
  failed: new Set(['Aborted', 'Cancelled', 'Rejected', 'Deleted', 'Failed', 'Expired']),
};

export class SinchReceipts implements ReceiptVerifier {
  readonly provider = 'sinch';
  readonly #secret: string | undefined;
  readonly #key: string;

  constructor(webhookSecret: string | undefined, receiptKey: string) {
    this.#secret = webhookSecret;
    this.#key = receiptKey;
  }

  check(req: ReceiptRequest): ReceiptCheck {
    const body = parseJson(req.rawBody);
    const reference = field(body, 'client_reference');
    if (this.#secret !== undefined) {
      const signature = header(req, 'x-sinch-webhook-signature');
      const nonce = header(req, 'x-sinch-webhook-signature-nonce');
      const timestamp = header(req, 'x-sinch-webhook-signature-timestamp');
      if (signature === undefined || nonce === undefined || timestamp === undefined) {
        return refuse(401, 'no Sinch webhook signature');
      }
      const expected = hmac('sha256', this.#secret, `${req.rawBody}.${nonce}.${timestamp}`, 'base64');
      if (!sameSecret(expected, signature)) return refuse(403, 'Sinch signature mismatch');
    } else {
      const refused = refuseBadToken(this.#key, this.provider, reference, req.query.get('t'));
      if (refused !== undefined) return refused;
    }
    const status = field(body, 'status');
    if (typeof reference !== 'string' || typeof status !== 'string')
      return refuse(400, 'no reference or status');
    return accept(reference, field(body, 'batch_id'), status, STATES);
  }
}
