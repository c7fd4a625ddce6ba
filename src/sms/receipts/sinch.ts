// Sinch XMS delivery reports (`recipient_delivery_report_sms`, JSON). With SMS_SINCH_WEBHOOK_SECRET the HMAC
// headers are required: x-sinch-webhook-signature = Base64(HMAC-SHA256(secret, body.nonce.timestamp)); without it
// the receipt URL's token (receipt-url.ts) over client_reference is (research/sms-gateways.md §2.2).

import { field, parseJson } from '../failure.ts';
import { receiptTokenMatches } from './receipt-url.ts';
import { sameSecret } from '../../constant-time.ts';
import {
  hmac,
  header,
  type ReceiptCheck,
  type ReceiptRequest,
  type ReceiptVerifier,
  refuse,
} from './receipt.ts';

const FAILED = new Set(['Aborted', 'Cancelled', 'Rejected', 'Deleted', 'Failed', 'Expired']);

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
      const token = req.query.get('t');
      if (token === null) return refuse(401, 'no receipt token');
      if (typeof reference !== 'string' || !receiptTokenMatches(this.#key, this.provider, reference, token)) {
        return refuse(403, 'receipt token mismatch');
      }
    }
    const status = field(body, 'status');
    const batchId = field(body, 'batch_id');
    if (typeof reference !== 'string' || typeof status !== 'string')
      return refuse(400, 'no reference or status');
    const state = status === 'Delivered' ? 'delivered' : FAILED.has(status) ? 'failed' : 'pending';
    return {
      ok: true,
      receipt: { reference, messageId: typeof batchId === 'string' ? batchId : undefined, state },
    };
  }
}
