// 46elks delivery reports: a form POST to `whendelivered` with id, status (sent|delivered|failed), delivered.
// 46elks signs nothing, so the receipt URL's token (receipt-url.ts) is the authentication.

import { refuseBadToken } from './receipt-url.ts';
import { accept, type ReceiptCheck, type ReceiptRequest, type ReceiptVerifier, refuse } from './receipt.ts';

const STATES = { delivered: 'delivered', failed: new Set(['failed']) };

export class Elks46Receipts implements ReceiptVerifier {
  readonly provider = '46elks';
  readonly #key: string;

  constructor(receiptKey: string) {
    this.#key = receiptKey;
  }

  check(req: ReceiptRequest): ReceiptCheck {
    const ref = req.query.get('ref');
    // Without a ref there is nothing to match a token against: refused as a missing token.
    if (ref === null) return refuse(401, 'no receipt token');
    const refused = refuseBadToken(this.#key, this.provider, ref, req.query.get('t'));
    if (refused !== undefined) return refused;
    const form = new URLSearchParams(req.rawBody);
    const status = form.get('status');
    if (status === null) return refuse(400, 'no status');
    return accept(ref, form.get('id') ?? undefined, status, STATES);
  }
}
