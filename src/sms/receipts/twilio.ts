// Twilio status callbacks: form POSTs signed with X-Twilio-Signature = Base64(HMAC-SHA1(auth token, URL + every
// POST parameter's name and value, sorted by name)) (research/sms-gateways.md §2.1).

import { accept, hmac, header, refuseBadSignature, refuse } from './receipt.ts';
import type { ReceiptCheck, ReceiptRequest, ReceiptVerifier } from './receipt.ts';

const STATES = { delivered: 'delivered', failed: new Set(['failed', 'undelivered', 'canceled']) };

/** The data Twilio signs: the URL, then each parameter's name and value, sorted by name (then value). */
export function twilioSignedData(url: string, params: URLSearchParams): string {
  const pairs = [...params.entries()].sort(([a, av], [b, bv]) =>
    a === b ? (av < bv ? -1 : 1) : a < b ? -1 : 1,
  );
  return url + pairs.map(([name, value]) => name + value).join('');
}

/** The URL as given and with its default port spelt out: Twilio's own validator accepts both. */
function urlVariants(url: string): string[] {
  const u = new URL(url);
  if (u.port !== '') return [url];
  const port = u.protocol === 'https:' ? '443' : '80';
  return [url, `${u.protocol}//${u.hostname}:${port}${u.pathname}${u.search}`];
}

export class TwilioReceipts implements ReceiptVerifier {
  readonly provider = 'twilio';
  readonly #authToken: string | undefined;

  /** Without the account's Auth Token (API-key setups) no callback can be checked, so none is accepted. */
  constructor(authToken: string | undefined) {
    this.#authToken = authToken;
  }

  check(req: ReceiptRequest): ReceiptCheck {
    const params = new URLSearchParams(req.rawBody);
    const refused = refuseBadSignature(
      header(req, 'x-twilio-signature'),
      this.#authToken,
      (token) =>
        urlVariants(req.url).map((url) => hmac('sha1', token, twilioSignedData(url, params), 'base64')),
      {
        missing: 'no X-Twilio-Signature',
        noSecret: 'no auth token to check Twilio signatures with',
        mismatch: 'X-Twilio-Signature mismatch',
      },
    );
    if (refused !== undefined) return refused;
    const ref = req.query.get('ref');
    const status = params.get('MessageStatus') ?? params.get('SmsStatus');
    if (ref === null || status === null) return refuse(400, 'no reference or status');
    return accept(ref, params.get('MessageSid') ?? undefined, status, STATES);
  }
}
