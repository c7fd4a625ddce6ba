// A circuit breaker per gateway: keeps a failing gateway out for a while so logins go to the next one at once.

import type { SmsError } from './sms-provider.ts';

export type BreakerState = 'closed' | 'open' | 'half-open';

interface Entry {
  failuresInRow: number;
  openUntil: number | undefined;
}

/**
 * Opens at once on a refusal that is the gateway's (rate limit, auth, credit, sender or country refused), after
 * `failures` temporary failures in a row otherwise; after `openSeconds` the next send is a trial (half-open) that
 * closes it on success and opens it again on failure. A wrong number says nothing about the gateway.
 */
export class CircuitBreakers {
  readonly #entries = new Map<string, Entry>();
  readonly #failures: number;
  readonly #openMs: number;
  readonly #now: () => number;

  constructor(opts: { failures: number; openSeconds: number; now?: () => number }) {
    this.#failures = opts.failures;
    this.#openMs = opts.openSeconds * 1000;
    this.#now = opts.now ?? Date.now;
  }

  state(provider: string): BreakerState {
    const entry = this.#entries.get(provider);
    if (entry?.openUntil === undefined) return 'closed';
    return this.#now() < entry.openUntil ? 'open' : 'half-open';
  }

  succeeded(provider: string): void {
    this.#entries.delete(provider);
  }

  failed(provider: string, error: SmsError): void {
    if (error.failure === 'invalid-number') return;
    const entry = this.#entries.get(provider) ?? { failuresInRow: 0, openUntil: undefined };
    entry.failuresInRow += 1;
    const trial = entry.openUntil !== undefined;
    if (trial || error.failure !== 'temporary' || entry.failuresInRow >= this.#failures) {
      const wait = Math.max(this.#openMs, (error.retryAfterSeconds ?? 0) * 1000);
      entry.openUntil = this.#now() + wait;
    }
    this.#entries.set(provider, entry);
  }
}
