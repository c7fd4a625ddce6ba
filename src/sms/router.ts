// Chooses the gateways for a number (SMS_ROUTES, SMS_PROVIDER) and fails over between them without ever sending
// one code twice where a gateway may already be sending it (research/sms-gateways.md §5.1).

import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { CircuitBreakers } from './breaker.ts';
import {
  type Processed,
  type SendResult,
  SmsError,
  type SmsFailure,
  type SmsMessage,
  type SmsProvider,
} from './sms-provider.ts';

/** The outcome of one attempt through one gateway: the single place where every send is known (logs, metrics). */
export interface SendAttempt {
  readonly provider: string;
  readonly country: string;
  readonly outcome: 'accepted' | SmsFailure;
  readonly processed?: Processed;
  readonly vendorCode?: string;
  /** What went wrong, e.g. "46elks answered HTTP 401" (never a secret, never the message text). */
  readonly detail?: string;
  readonly failover: boolean;
}

export interface RouterOptions {
  readonly providers: ReadonlyMap<string, SmsProvider>;
  /** SMS_PROVIDER: the order for numbers without a route. */
  readonly order: readonly string[];
  /** SMS_ROUTES: country (ISO alpha-2, or `*`) → order. */
  readonly routes?: Readonly<Record<string, readonly string[]>>;
  readonly breaker: { readonly failures: number; readonly openSeconds: number };
  readonly now?: () => number;
  readonly onAttempt?: (attempt: SendAttempt) => void;
}

/** The ISO region of an E.164 number, or `ZZ` when unknown. */
export function countryOf(e164: string): string {
  return parsePhoneNumberFromString(e164)?.country ?? 'ZZ';
}

export class SmsRouter implements SmsProvider {
  readonly name = 'router';
  readonly breakers: CircuitBreakers;
  readonly #options: RouterOptions;

  constructor(options: RouterOptions) {
    this.#options = options;
    this.breakers = new CircuitBreakers({ ...options.breaker, now: options.now });
  }

  /** The gateways for a number in the order they are tried: closed breakers first, avoided and open ones last. */
  orderFor(to: string, avoid: readonly string[] = []): string[] {
    const routes = this.#options.routes ?? {};
    const base = routes[countryOf(to)] ?? routes['*'] ?? this.#options.order;
    const names = base.filter((n) => this.#options.providers.has(n));
    const rank = (n: string): number =>
      (this.breakers.state(n) === 'open' ? 2 : 0) + (avoid.includes(n) ? 1 : 0);
    return names
      .map((n, i) => ({ n, i }))
      .sort((a, b) => rank(a.n) - rank(b.n) || a.i - b.i)
      .map((x) => x.n);
  }

  /**
   * Sends through the first gateway that takes the message. Goes on to the next one only when the failed one
   * cannot have sent (rate limit, its own refusal, or a temporary failure before it took the request); stops on a
   * wrong number and on a failure after which the gateway may still deliver.
   */
  async send(message: SmsMessage, signal?: AbortSignal): Promise<SendResult> {
    const country = countryOf(message.to);
    const order = this.orderFor(message.to, message.avoid);
    if (order.length === 0) throw new SmsError('permanent', `no SMS gateway is configured for ${country}`);
    let last: SmsError | undefined;
    for (const [index, name] of order.entries()) {
      const provider = this.#options.providers.get(name) as SmsProvider;
      try {
        const result = await provider.send(message, signal);
        this.breakers.succeeded(name);
        this.#report({ provider: name, country, outcome: 'accepted', failover: index > 0 });
        return { provider: name, messageId: result?.messageId };
      } catch (error) {
        const failure =
          error instanceof SmsError
            ? error
            : new SmsError('temporary', `${name}: ${String(error)}`, { cause: error, provider: name });
        this.breakers.failed(name, failure);
        this.#report({
          provider: name,
          country,
          outcome: failure.failure,
          processed: failure.processed,
          vendorCode: failure.vendorCode,
          detail: failure.message,
          failover: index > 0,
        });
        last =
          failure.provider === undefined
            ? new SmsError(failure.failure, failure.message, { ...failure, cause: error, provider: name })
            : failure;
        if (failure.failure === 'invalid-number' || failure.processed === 'maybe') throw last;
        if (signal?.aborted) throw last;
      }
    }
    throw last as SmsError;
  }

  #report(attempt: SendAttempt): void {
    this.#options.onAttempt?.(attempt);
  }
}
