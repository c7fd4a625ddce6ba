// GatewayAPI webhooks: a JSON event envelope signed with `Signature: v1=<hex HMAC-SHA256(secret, raw body)>`
// (research/sms-gateways.md §2.5a). The webhook and its secret are set up in GatewayAPI's dashboard.

import { field, parseJson } from '../failure.ts';
import { accept, hmac, header, refuseBadSignature, refuse } from './receipt.ts';
import type { ReceiptCheck, ReceiptRequest, ReceiptVerifier } from './receipt.ts';

const STATES = {
  delivered: 'DELIVERED',
  failed: new Set(['EXPIRED', 'DELETED', 'UNDELIVERABLE', 'REJECTED']),
};

export class GatewayApiReceipts implements ReceiptVerifier {
  readonly provider = 'gatewayapi';
  readonly #secret: string | undefined;

  /** Without SMS_GATEWAYAPI_WEBHOOK_SECRET no webhook can be checked, so none is accepted. */
  constructor(secret: string | undefined) {
    this.#secret = secret;
  }

  check(req: ReceiptRequest): ReceiptCheck {
    const signature = /^v1=([0-9a-f]{64})$/i.exec(header(req, 'signature') ?? '')?.[1];
    const refused = refuseBadSignature(
      signature?.toLowerCase(),
      this.#secret,
      (secret) => [hmac('sha256', secret, req.rawBody, 'hex')],
      {
        missing: 'no Signature v1',
        noSecret: 'no webhook secret to check GatewayAPI signatures with',
        mismatch: 'Signature mismatch',
      },
    );
    if (refused !== undefined) return refused;
    const event = field(parseJson(req.rawBody), 'event');
    const reference = field(event, 'reference');
    const status = field(event, 'status');
    if (typeof reference !== 'string' || typeof status !== 'string')
      return refuse(400, 'no reference or status');
    return accept(reference, field(event, 'msg_id'), status, STATES);
  }
}
