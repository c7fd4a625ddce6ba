// Store on Redis (one server, Sentinel or Cluster): one command per operation, unreachable Redis as StoreUnavailableError.

import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ConnectionOptions } from 'node:tls';
import { Cluster, Redis } from 'ioredis';
import { StoreUnavailableError } from '../errors.ts';
import type { Store } from './store.ts';

/** A Sentinel or Cluster node address. */
export interface RedisNodeAddress {
  host: string;
  port: number;
}

/** How to reach Redis. Exactly one of `url` alone, `sentinels` or `clusterNodes` decides the mode. */
export interface RedisStoreOptions {
  /**
   * `redis://[user:password@]host[:port][/db]` or `rediss://…` (TLS). Alone it names the server; with
   * `sentinels` or `clusterNodes` only its user, password, database and scheme are used.
   * Default `redis://127.0.0.1:6379`.
   */
  url?: string;
  /** Sentinels to ask for the current master of `sentinelName`. */
  sentinels?: RedisNodeAddress[];
  sentinelName?: string;
  /** Some Cluster nodes to discover the rest from. */
  clusterNodes?: RedisNodeAddress[];
  /** Put before every key (default `nsi:`); must not contain `{` or `}` so hash tags keep working. */
  keyPrefix?: string;
  /** A command without an answer by then fails (default 1000). */
  commandTimeoutMs?: number;
  /** TLS for the data connections: true, or Node TLS options (e.g. `{ ca }`). `rediss://` implies true. */
  tls?: boolean | ConnectionOptions;
  /** Told about every connection error (each failed reconnect too), e.g. to log it. */
  onError?: (error: Error) => void;
}

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
const INCREMENT_SHA = createHash('sha1').update(INCREMENT_SCRIPT).digest('hex');

/** Reply errors that mean "Redis cannot serve this now", not "this command is wrong". */
const UNAVAILABLE_REPLY = /^(CLUSTERDOWN|LOADING|MASTERDOWN|READONLY|TRYAGAIN|BUSY|NOREPLICAS)\b/;

interface ParsedUrl {
  host: string;
  port: number;
  username: string | undefined;
  password: string | undefined;
  db: number | undefined;
  tls: boolean;
}

function parseRedisUrl(url: string): ParsedUrl {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new TypeError('is not a URL');
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') {
    throw new TypeError('must start with redis:// or rediss://');
  }
  if (parsed.hostname === '') throw new TypeError('has no host');
  const db = parsed.pathname.replace(/^\//, '');
  if (db !== '' && !/^\d+$/.test(db)) throw new TypeError('must name the database as a number (/0)');
  return {
    host: parsed.hostname.replace(/^\[|\]$/g, ''),
    port: parsed.port === '' ? 6379 : Number(parsed.port),
    username: parsed.username === '' ? undefined : decodeURIComponent(parsed.username),
    password: parsed.password === '' ? undefined : decodeURIComponent(parsed.password),
    db: db === '' ? undefined : Number(db),
    tls: parsed.protocol === 'rediss:',
  };
}

function msOf(ttlSeconds: number, key: string): number {
  if (!(ttlSeconds > 0) || !Number.isFinite(ttlSeconds))
    throw new RangeError(`TTL must be positive (key ${key})`);
  return Math.max(1, Math.round(ttlSeconds * 1000));
}

/**
 * Redis adapter of the Store contract (DESIGN.md §3). Commands fail fast while Redis is unreachable
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
    const result = await this.#call('INCR', async (c) => {
      try {
        return await c.evalsha(INCREMENT_SHA, 1, fullKey, ms);
      } catch (error) {
        if (!(error instanceof Error && error.message.startsWith('NOSCRIPT'))) throw error;
        return await c.eval(INCREMENT_SCRIPT, 1, fullKey, ms);
      }
    });
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

function parseAddressList(key: string, raw: string, problems: string[]): RedisNodeAddress[] {
  const addresses: RedisNodeAddress[] = [];
  for (const item of raw.split(',').map((s) => s.trim())) {
    const match = /^(\[[0-9a-fA-F:.]+\]|[^\s:[\]]+):(\d{1,5})$/.exec(item);
    const port = Number(match?.[2]);
    if (match === null || port < 1 || port > 65535) {
      problems.push(`${key} must be host:port pairs separated by commas (bad: "${item}")`);
      continue;
    }
    addresses.push({ host: match[1]!.replace(/^\[|\]$/g, ''), port });
  }
  return addresses;
}

/**
 * Builds RedisStore options from the environment: REDIS_URL, REDIS_SENTINELS (`h:p,h:p`),
 * REDIS_SENTINEL_NAME, REDIS_CLUSTER_NODES (`h:p,h:p`), REDIS_KEY_PREFIX, REDIS_TLS_CA_FILE (PEM; turns
 * TLS on), REDIS_COMMAND_TIMEOUT_MS. `options` is undefined when none of REDIS_URL, REDIS_SENTINELS and
 * REDIS_CLUSTER_NODES is set (the memory store is used) and whenever `problems` is not empty.
 */
export function redisOptionsFromEnv(env: Record<string, string | undefined>): {
  options?: RedisStoreOptions;
  problems: string[];
} {
  const problems: string[] = [];
  const read = (key: string): string | undefined => {
    const value = env[key]?.trim();
    return value === undefined || value === '' ? undefined : value;
  };
  const url = read('REDIS_URL');
  const sentinels = read('REDIS_SENTINELS');
  const sentinelName = read('REDIS_SENTINEL_NAME');
  const clusterNodes = read('REDIS_CLUSTER_NODES');
  const keyPrefix = env.REDIS_KEY_PREFIX;
  const caFile = read('REDIS_TLS_CA_FILE');
  const timeout = read('REDIS_COMMAND_TIMEOUT_MS');

  if (url === undefined && sentinels === undefined && clusterNodes === undefined) {
    for (const key of [
      'REDIS_SENTINEL_NAME',
      'REDIS_KEY_PREFIX',
      'REDIS_TLS_CA_FILE',
      'REDIS_COMMAND_TIMEOUT_MS',
    ]) {
      if (read(key) !== undefined)
        problems.push(`${key} needs REDIS_URL, REDIS_SENTINELS or REDIS_CLUSTER_NODES`);
    }
    return { problems };
  }

  const options: RedisStoreOptions = {};
  if (url !== undefined) {
    try {
      const parsed = parseRedisUrl(url);
      if (clusterNodes !== undefined && parsed.db !== undefined && parsed.db !== 0) {
        problems.push('REDIS_URL must not name a database other than 0 with REDIS_CLUSTER_NODES');
      }
      options.url = url;
    } catch (error) {
      problems.push(`REDIS_URL ${(error as Error).message}`);
    }
  }
  if (sentinels !== undefined) {
    options.sentinels = parseAddressList('REDIS_SENTINELS', sentinels, problems);
    if (sentinelName === undefined) problems.push('REDIS_SENTINEL_NAME is required with REDIS_SENTINELS');
    options.sentinelName = sentinelName;
  } else if (sentinelName !== undefined) {
    problems.push('REDIS_SENTINEL_NAME needs REDIS_SENTINELS');
  }
  if (clusterNodes !== undefined) {
    options.clusterNodes = parseAddressList('REDIS_CLUSTER_NODES', clusterNodes, problems);
    if (sentinels !== undefined) problems.push('REDIS_SENTINELS and REDIS_CLUSTER_NODES cannot both be set');
  }
  if (keyPrefix !== undefined && keyPrefix !== '') {
    if (/[{}\s]/.test(keyPrefix)) problems.push('REDIS_KEY_PREFIX must not contain {, } or spaces');
    options.keyPrefix = keyPrefix;
  }
  if (timeout !== undefined) {
    if (!/^\d+$/.test(timeout) || Number(timeout) < 50 || Number(timeout) > 60000) {
      problems.push(`REDIS_COMMAND_TIMEOUT_MS must be a whole number from 50 to 60000 (got "${timeout}")`);
    }
    options.commandTimeoutMs = Number(timeout);
  }
  if (caFile !== undefined) {
    try {
      options.tls = { ca: readFileSync(caFile, 'utf8') };
    } catch (error) {
      problems.push(`REDIS_TLS_CA_FILE cannot be read: ${(error as Error).message}`);
    }
  }
  return problems.length > 0 ? { problems } : { options, problems };
}
