// Settings table, store section: Redis, or the in-process memory store when none is named.

import { setting, text } from '../setting.ts';

/** REDIS_* read together by the Redis connection rule (store/redis-options.ts); listed here for the name check
 *  and the docs. */
export const REDIS_CONNECTION = [
  setting<string | undefined>({
    name: 'REDIS_SENTINELS',
    parse: text,
    default: undefined,
    values: '`host:port,host:port`',
    doc: 'Sentinel addresses; needs `REDIS_SENTINEL_NAME`',
  }),
  setting<string | undefined>({
    name: 'REDIS_SENTINEL_NAME',
    parse: text,
    default: undefined,
    doc: 'the master name the Sentinels know',
  }),
  setting<string | undefined>({
    name: 'REDIS_CLUSTER_NODES',
    parse: text,
    default: undefined,
    values: '`host:port,host:port`',
    doc: 'Cluster seed nodes',
  }),
  setting<string | undefined>({
    name: 'REDIS_KEY_PREFIX',
    parse: text,
    default: undefined,
    defaultText: '`nsi:`',
    values: 'no `{`, `}` or spaces',
    doc: 'prefix of every key',
  }),
  setting<string | undefined>({
    name: 'REDIS_TLS_CA_FILE',
    parse: text,
    default: undefined,
    doc: 'PEM CA bundle; turns TLS on (also on with `rediss://`)',
  }),
  setting<string | undefined>({
    name: 'REDIS_COMMAND_TIMEOUT_MS',
    parse: text,
    default: undefined,
    defaultText: '`1000`',
    values: '50 to 60000',
    doc: 'a command not answered by then fails; the page answers 503',
  }),
];

export const STORE = {
  redisUrl: setting<string | undefined>({
    name: 'REDIS_URL',
    parse: text,
    default: undefined,
    defaultText: 'unset → memory store',
    values: '`redis://…` or `rediss://…`',
    secret: true,
    doc: 'shared state for several processes (see [Redis](operations.md#redis-several-processes-restarts-failures))',
  }),
};
