// 46elks delivery reports: a form POST to `whendelivered` with id, status (sent|delivered|failed), delivered.
// 46elks signs nothing, so the receipt URL's token (receipt-url.ts) is the authentication.

import { receiptTokenMatches } from './receipt-url.ts';
import { type ReceiptCheck, type ReceiptRequest, type ReceiptVerifier, refuse } from './receipt.ts';

export class Elks46Receipts implements ReceiptVerifier {
  readonly provider = '46elks';
  readonly #key: string;

  constructor(receiptKey: string) {
    this.#key = receiptKey;
  }

  check(req: ReceiptRequest): ReceiptCheck {
    const ref = req.query.get('ref');
    const token = req.query.get('t');
    if (ref === null || token === null) return refuse(401, 'no receipt token');
    if (!receiptTokenMatches(this.#key, this.provider, ref, token))
      return refuse(403, 'receipt token mismatch');
    const form = new URLSearchParams(req.rawBody);
    const status = form.get('status');
    const id = form.get('id') ?? undefined;
    if (status === null) return refuse(400, 'no status');
    const state = status === 'delivered' ? 'delivered' : status === 'failed' ? 'failed' : 'pending';
    return { ok: true, receipt: { reference: ref, messageId: id, state } };
  }
}
