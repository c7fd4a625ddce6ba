// The `webhook` SMS provider (docs/contract.md §5): POSTs {"to", "message"} as JSON and classifies the answer.

import { request } from 'undici';
import { SmsError, type SmsFailure, type SmsMessage, type SmsProvider } from './sms-provider.ts';

/** Most of an answer's body we read before dropping the connection; the body's content is never used. */
const DISCARD_LIMIT = 64 * 1024;

/**
 * docs/contract.md §5: 2xx = accepted; 429 = rate-limited; other 4xx = permanent; 5xx, any other status (a redirect
 * means a misconfigured URL, not a bad number), a connection error, or no answer within `timeoutMs` = temporary.
 */
export function classifyStatus(status: number): SmsFailure | undefined {
  if (status >= 200 && status < 300) return undefined;
  if (status === 429) return 'rate-limited';
  if (status >= 400 && status < 500) return 'permanent';
  return 'temporary';
}

export class WebhookSmsProvider implements SmsProvider {
  readonly name = 'webhook';
  readonly #url: string;
  readonly #timeoutMs: number;
  readonly #headers: Readonly<Record<string, string>>;

  /** `headers` are sent with every request (e.g. Authorization); Content-Type is always application/json. */
  constructor(opts: { url: string; timeoutMs: number; headers?: Record<string, string> }) {
    this.#url = new URL(opts.url).href;
    this.#timeoutMs = opts.timeoutMs;
    this.#headers = Object.fromEntries(
      Object.entries(opts.headers ?? {}).filter(([name]) => name.toLowerCase() !== 'content-type'),
    );
  }

  async send(message: SmsMessage, signal?: AbortSignal): Promise<void> {
    const timeout = AbortSignal.timeout(this.#timeoutMs);
    const combined = signal === undefined ? timeout : AbortSignal.any([signal, timeout]);
    let statusCode: number;
    try {
      const response = await request(this.#url, {
        method: 'POST',
        headers: { ...this.#headers, 'content-type': 'application/json' },
        body: JSON.stringify({ to: message.to, message: message.text }),
        headersTimeout: this.#timeoutMs,
        bodyTimeout: this.#timeoutMs,
        signal: combined,
      });
      statusCode = response.statusCode;
      await response.body.dump({ limit: DISCARD_LIMIT }).catch(() => {});
    } catch (error) {
      const why = timeout.aborted ? `no answer within ${this.#timeoutMs} ms` : 'request failed';
      throw new SmsError('temporary', `SMS webhook: ${why}`, { cause: error });
    }
    const failure = classifyStatus(statusCode);
    if (failure !== undefined) throw new SmsError(failure, `SMS webhook answered HTTP ${statusCode}`);
  }
}
