// Redis connection settings: their shape and how the environment gives them (REDIS_*). No client is loaded here,
// so reading the configuration never pulls in ioredis.

import { readFileSync } from 'node:fs';
import type { ConnectionOptions } from 'node:tls';

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

/** The parts of a `redis://` or `rediss://` URL. */
export interface ParsedUrl {
  host: string;
  port: number;
  username: string | undefined;
  password: string | undefined;
  db: number | undefined;
  tls: boolean;
}

/** Reads a Redis URL; throws TypeError with the end of a sentence saying what is wrong. */
export function parseRedisUrl(url: string): ParsedUrl {
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
