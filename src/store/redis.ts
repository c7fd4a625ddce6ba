// Store on Redis (one server, Sentinel or Cluster): one command per operation, unreachable Redis as StoreUnavailableError.

import { setTimeout as sleep } from 'node:timers/promises';
import { Cluster, Redis } from 'ioredis';
import { StoreUnavailableError } from '../errors.ts';
import type { Store } from './store.ts';
import { parseRedisUrl, type RedisStoreOptions } from './redis-options.ts';

export { type RedisNodeAddress, type RedisStoreOptions, redisOptionsFromEnv } from './redis-options.ts';

const DEFAULT_PREFIX = 'nsi:';
const DEFAULT_COMMAND_TIMEOUT_MS = 1000;

/**
 * INCR and, only when the key has no expiry yet, PEXPIRE: the first increment starts the TTL, later
 * ones keep it. A script rather than MULTI/INCR/EXPIRE NX: it is one command, so it is atomic without
 * a transaction, routes by its single key in a Cluster, has one reply to read, and needs no Redis 7.
 */
const INCREMENT_SCRIPT = `local n = redis.call('INCR', KEYS[1])
if redis.call('PTTL', KEYS[1]) == -1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return n`;
/** Compare-and-set on one key: SET only when the stored JSON is exactly the expected one. */
const REPLACE_IF_SCRIPT = `if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
  return 1
end
return 0`;
/*
 * Scripts go as EVAL, never EVALSHA with EVAL as a fallback: a NOSCRIPT answer would send the EVAL after the
 * commands issued behind it, and calls on one hash tag must apply in the order they were made (store.ts).
 * Redis keeps the compiled script by its body; the cost is the body's ~150 bytes on the wire.
 */

/** Reply errors that mean "Redis cannot serve this now", not "this command is wrong". */
const UNAVAILABLE_REPLY = /^(CLUSTERDOWN|LOADING|MASTERDOWN|READONLY|TRYAGAIN|BUSY|NOREPLICAS)\b/;

function msOf(ttlSeconds: number, key: string): number {
  if (!(ttlSeconds > 0) || !Number.isFinite(ttlSeconds))
    throw new RangeError(`TTL must be positive (key ${key})`);
  return Math.max(1, Math.round(ttlSeconds * 1000));
}

/**
 * Redis adapter of the Store contract (docs/design.md §3). Commands issued in the same tick (a step's
 * `Promise.all`) go out in one write and come back in one read (auto-pipelining; per node on a Cluster), so
 * they cost one round trip, not one each. Commands fail fast while Redis is unreachable
 * (no offline queue, no resend of commands whose connection dropped: GETDEL and INCR must not run
 * twice) and the client reconnects by itself. A StoreUnavailableError means the outcome is unknown.
 */
export class RedisStore implements Store {
  readonly #client: Redis | Cluster;
  readonly #prefix: string;
  readonly #commandTimeoutMs: number;
  readonly #firstReady: Promise<void>;
  #wasReady = false;
  #closed = false;

  constructor(opts: RedisStoreOptions) {
    this.#prefix = opts.keyPrefix ?? DEFAULT_PREFIX;
    if (/[{}]/.test(this.#prefix)) throw new RangeError('keyPrefix must not contain { or }');
    if (opts.clusterNodes !== undefined && opts.sentinels !== undefined) {
      throw new RangeError('Give sentinels or clusterNodes, not both');
    }
    if (opts.sentinels !== undefined && !opts.sentinelName) {
      throw new RangeError('sentinels need a sentinelName');
    }
    this.#commandTimeoutMs = opts.commandTimeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS;
    const url = parseRedisUrl(opts.url ?? 'redis://127.0.0.1:6379');
    const useTls = opts.tls === undefined ? url.tls : opts.tls !== false;
    const tls = useTls ? (typeof opts.tls === 'object' ? opts.tls : {}) : undefined;
    const connection = {
      username: url.username,
      password: url.password,
      tls,
      connectionName: 'nets-sms-idp',
      commandTimeout: this.#commandTimeoutMs,
      connectTimeout: Math.max(2000, this.#commandTimeoutMs),
      maxRetriesPerRequest: 0,
      autoResendUnfulfilledCommands: false,
    };
    const retry = (attempt: number) => Math.min(attempt * 100, 1000);

    if (opts.clusterNodes !== undefined) {
      this.#client = new Cluster(opts.clusterNodes, {
        enableOfflineQueue: false,
        enableAutoPipelining: true,
        clusterRetryStrategy: retry,
        slotsRefreshTimeout: this.#commandTimeoutMs,
        redisOptions: connection,
        ...(tls ? { dnsLookup: (address, callback) => callback(null, address) } : {}),
      });
    } else {
      this.#client = new Redis({
        ...connection,
        ...(opts.sentinels !== undefined
          ? { sentinels: opts.sentinels, name: opts.sentinelName }
          : { host: url.host, port: url.port }),
        db: url.db,
        enableOfflineQueue: false,
        enableAutoPipelining: true,
        retryStrategy: retry,
      });
    }
    this.#firstReady = new Promise((resolve) => this.#client.once('ready', resolve));
    this.#client.on('ready', () => {
      this.#wasReady = true;
    });
    const report = (error: Error) => opts.onError?.(error);
    this.#client.on('error', report);
    this.#client.on('node error', report);
  }

  #key(key: string): string {
    return this.#prefix + key;
  }

  async #call<T>(what: string, command: (client: Redis | Cluster) => Promise<T>): Promise<T> {
    if (!this.#wasReady && !this.#closed) {
      await Promise.race([this.#firstReady, sleep(this.#commandTimeoutMs, undefined, { ref: false })]);
    }
    try {
      return await command(this.#client);
    } catch (error) {
      if (error instanceof Error && error.name === 'ReplyError' && !UNAVAILABLE_REPLY.test(error.message)) {
        throw error;
      }
      const reason = error instanceof Error ? error.message : String(error);
      throw new StoreUnavailableError(`Redis ${what} failed: ${reason}`, { cause: error });
    }
  }

  async get<T>(key: string): Promise<T | undefined> {
    const json = await this.#call('GET', (c) => c.get(this.#key(key)));
    return json === null ? undefined : (JSON.parse(json) as T);
  }

  async set(key: string, value: unknown, ttlSeconds: number): Promise<void> {
    const ms = msOf(ttlSeconds, key);
    const json = JSON.stringify(value);
    await this.#call('SET', (c) => c.set(this.#key(key), json, 'PX', ms));
  }

  async setIfAbsent(key: string, value: unknown, ttlSeconds: number): Promise<boolean> {
    const ms = msOf(ttlSeconds, key);
    const json = JSON.stringify(value);
    return (await this.#call('SET NX', (c) => c.set(this.#key(key), json, 'PX', ms, 'NX'))) === 'OK';
  }

  async replaceIf(key: string, expected: unknown, value: unknown, ttlSeconds: number): Promise<boolean> {
    const ms = msOf(ttlSeconds, key);
    const args = [JSON.stringify(expected), JSON.stringify(value), ms] as const;
    const fullKey = this.#key(key);
    const result = await this.#call('SET IF', (c) => c.eval(REPLACE_IF_SCRIPT, 1, fullKey, ...args));
    return Number(result) === 1;
  }

  async take<T>(key: string): Promise<T | undefined> {
    const json = await this.#call('GETDEL', (c) => c.getdel(this.#key(key)));
    return json === null ? undefined : (JSON.parse(json) as T);
  }

  async delete(key: string): Promise<void> {
    await this.#call('DEL', (c) => c.del(this.#key(key)));
  }

  async increment(key: string, ttlSeconds: number): Promise<number> {
    const ms = msOf(ttlSeconds, key);
    const fullKey = this.#key(key);
    const result = await this.#call('INCR', (c) => c.eval(INCREMENT_SCRIPT, 1, fullKey, ms));
    return Number(result);
  }

  /** Whole seconds left, rounded up like MemoryStore; Infinity for a key someone wrote without expiry. */
  async ttl(key: string): Promise<number | undefined> {
    const ms = await this.#call('PTTL', (c) => c.pttl(this.#key(key)));
    if (ms === -2) return undefined;
    if (ms === -1) return Number.POSITIVE_INFINITY;
    return Math.ceil(ms / 1000);
  }

  async ping(): Promise<void> {
    await this.#call('PING', (c) => c.ping());
  }

  /** Waits for pending replies when connected, else just drops the connection; no reconnects after. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#client.status === 'ready') {
      try {
        await this.#client.quit();
        return;
      } catch {
        // fall through: the connection is going away anyway
      }
    }
    this.#client.disconnect();
  }
}
