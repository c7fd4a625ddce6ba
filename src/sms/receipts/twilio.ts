// Twilio status callbacks: form POSTs signed with X-Twilio-Signature = Base64(HMAC-SHA1(auth token, URL + every
// POST parameter's name and value, sorted by name)) (research/sms-gateways.md §2.1).

import { sameSecret } from '../../constant-time.ts';
import {
  accept,
  hmac,
  header,
  type ReceiptCheck,
  type ReceiptRequest,
  type ReceiptVerifier,
  refuse,
} from './receipt.ts';

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
    const signature = header(req, 'x-twilio-signature');
    if (signature === undefined) return refuse(401, 'no X-Twilio-Signature');
    if (this.#authToken === undefined) return refuse(403, 'no auth token to check Twilio signatures with');
    const params = new URLSearchParams(req.rawBody);
    const valid = urlVariants(req.url).some((url) =>
      sameSecret(hmac('sha1', this.#authToken as string, twilioSignedData(url, params), 'base64'), signature),
    );
    if (!valid) return refuse(403, 'X-Twilio-Signature mismatch');
    const ref = req.query.get('ref');
    const status = params.get('MessageStatus') ?? params.get('SmsStatus');
    if (ref === null || status === null) return refuse(400, 'no reference or status');
    return accept(ref, params.get('MessageSid') ?? undefined, status, STATES);
  }
}
