// In-process Store for a single IdP process: keeps JSON strings so it fails the way Redis would.

import { StoreUnavailableError } from '../errors.ts';
import type { Store } from './store.ts';

interface Entry {
  readonly json: string;
  readonly expiresAt: number;
}

/** A full store sweeps for expired keys at most this often; between sweeps new keys are refused at once. */
const FULL_SWEEP_INTERVAL_MS = 1000;

/**
 * The zero-setup default store. `now` is injectable so tests can move time. At most `maxKeys` live keys (default one
 * million, a few hundred MB): past that a write fails as the store being unavailable (a 503 page) rather than the
 * process running out of memory. A sweep walks every key, so under a flood a full store sweeps once a second, not
 * on every refused write.
 */
export class MemoryStore implements Store {
  readonly #entries = new Map<string, Entry>();
  readonly #now: () => number;
  readonly #sweeper: NodeJS.Timeout;
  readonly #maxKeys: number;
  #lastFullSweep = Number.NEGATIVE_INFINITY;

  constructor(options: { now?: () => number; sweepIntervalMs?: number; maxKeys?: number } = {}) {
    this.#now = options.now ?? Date.now;
    this.#maxKeys = options.maxKeys ?? 1_000_000;
    this.#sweeper = setInterval(() => this.#sweep(), options.sweepIntervalMs ?? 60_000);
    this.#sweeper.unref();
  }

  #live(key: string): Entry | undefined {
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    if (entry.expiresAt <= this.#now()) {
      this.#entries.delete(key);
      return undefined;
    }
    return entry;
  }

  #sweep(): void {
    const now = this.#now();
    for (const [key, entry] of this.#entries) if (entry.expiresAt <= now) this.#entries.delete(key);
  }

  #write(key: string, value: unknown, ttlSeconds: number): void {
    if (!(ttlSeconds > 0)) throw new RangeError(`TTL must be positive (key ${key})`);
    if (this.#entries.size >= this.#maxKeys && !this.#entries.has(key)) {
      const now = this.#now();
      if (now - this.#lastFullSweep >= FULL_SWEEP_INTERVAL_MS) {
        this.#lastFullSweep = now;
        this.#sweep();
      }
      if (this.#entries.size >= this.#maxKeys) throw new StoreUnavailableError('memory store is full');
    }
    this.#entries.set(key, { json: JSON.stringify(value), expiresAt: this.#now() + ttlSeconds * 1000 });
  }

  async get<T>(key: string): Promise<T | undefined> {
    const entry = this.#live(key);
    return entry === undefined ? undefined : (JSON.parse(entry.json) as T);
  }

  async set(key: string, value: unknown, ttlSeconds: number): Promise<void> {
    this.#write(key, value, ttlSeconds);
  }

  async setIfAbsent(key: string, value: unknown, ttlSeconds: number): Promise<boolean> {
    if (this.#live(key) !== undefined) return false;
    this.#write(key, value, ttlSeconds);
    return true;
  }

  async replaceIf(key: string, expected: unknown, value: unknown, ttlSeconds: number): Promise<boolean> {
    const entry = this.#live(key);
    if (entry === undefined || entry.json !== JSON.stringify(expected)) return false;
    this.#write(key, value, ttlSeconds);
    return true;
  }

  async take<T>(key: string): Promise<T | undefined> {
    const entry = this.#live(key);
    if (entry === undefined) return undefined;
    this.#entries.delete(key);
    return JSON.parse(entry.json) as T;
  }

  async delete(key: string): Promise<void> {
    this.#entries.delete(key);
  }

  async increment(key: string, ttlSeconds: number): Promise<number> {
    const entry = this.#live(key);
    if (entry === undefined) {
      this.#write(key, 1, ttlSeconds);
      return 1;
    }
    const next = (JSON.parse(entry.json) as number) + 1;
    this.#entries.set(key, { json: JSON.stringify(next), expiresAt: entry.expiresAt });
    return next;
  }

  async ttl(key: string): Promise<number | undefined> {
    const entry = this.#live(key);
    return entry === undefined ? undefined : Math.ceil((entry.expiresAt - this.#now()) / 1000);
  }

  async ping(): Promise<void> {}

  async close(): Promise<void> {
    clearInterval(this.#sweeper);
    this.#entries.clear();
  }

  /** Number of live keys (benchmarks and tests). */
  get size(): number {
    return this.#entries.size;
  }
}
