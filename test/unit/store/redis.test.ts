// RedisStore beyond the shared contract: key prefix, error kinds, startup, close, Sentinel, and the env options.

import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { StoreUnavailableError } from '../../../src/errors.ts';
import { RedisStore, redisOptionsFromEnv } from '../../../src/store/redis.ts';
import { type RedisServer, startRedisSentinel, startRedisServer } from '../../helpers/redis-server.ts';

describe('RedisStore', () => {
  let server: RedisServer;
  let raw: Redis;
  before(async () => {
    server = await startRedisServer();
    raw = new Redis(server.url);
    raw.on('error', () => {});
  });
  after(async () => {
    raw?.disconnect();
    await server?.stop();
  });

  it('puts the prefix before every key, nsi: by default', async () => {
    const byDefault = new RedisStore({ url: server.url });
    const other = new RedisStore({ url: server.url, keyPrefix: 'other:' });
    try {
      await byDefault.set('flow:{abc}', { step: 'identify' }, 60);
      assert.equal(await raw.get('nsi:flow:{abc}'), '{"step":"identify"}');
      assert.equal(await other.get('flow:{abc}'), undefined);
      await other.increment('count', 60);
      assert.equal(await raw.get('other:count'), '1');
      assert.ok((await raw.pttl('other:count')) > 59_000);
    } finally {
      await byDefault.close();
      await other.close();
    }
  });

  it('passes Redis reply errors through as they are: they are bugs, not an outage', async () => {
    const store = new RedisStore({ url: server.url, keyPrefix: 'typed:' });
    try {
      await raw.lpush('typed:list', 'x');
      await assert.rejects(store.get('list'), (error: Error) => {
        assert.equal(error.name, 'ReplyError');
        assert.match(error.message, /WRONGTYPE/);
        return true;
      });
    } finally {
      await store.close();
    }
  });

  it('increment still works after the server forgot its scripts', async () => {
    const store = new RedisStore({ url: server.url, keyPrefix: 'script:' });
    try {
      assert.equal(await store.increment('n', 60), 1);
      await raw.script('FLUSH');
      assert.equal(await store.increment('n', 60), 2);
    } finally {
      await store.close();
    }
  });

  it('reports Infinity as the ttl of a key written without expiry by someone else', async () => {
    const store = new RedisStore({ url: server.url, keyPrefix: 'foreign:' });
    try {
      await raw.set('foreign:k', '"x"');
      assert.equal(await store.ttl('k'), Number.POSITIVE_INFINITY);
    } finally {
      await store.close();
    }
  });

  it('can be used right after construction, before the connection is up', async () => {
    const store = new RedisStore({ url: server.url });
    try {
      await store.set('eager', 1, 60);
      assert.equal(await store.get('eager'), 1);
    } finally {
      await store.close();
    }
  });

  it('after close every operation fails as unavailable, and close can be called again', async () => {
    const store = new RedisStore({ url: server.url });
    await store.ping();
    await store.close();
    await assert.rejects(store.get('k'), StoreUnavailableError);
    await store.close();
  });

  it('refuses a key prefix that would break Cluster hash tags, and half a Sentinel setup', () => {
    assert.throws(() => new RedisStore({ url: server.url, keyPrefix: 'a{b}:' }), RangeError);
    assert.throws(() => new RedisStore({ sentinels: [{ host: '127.0.0.1', port: 1 }] }), RangeError);
  });

  it('started while Redis is down: fails within the timeout, tells onError, then recovers by itself', async () => {
    const errors: Error[] = [];
    await server.kill();
    const store = new RedisStore({ url: server.url, commandTimeoutMs: 500, onError: (e) => errors.push(e) });
    try {
      const started = Date.now();
      await assert.rejects(store.get('k'), StoreUnavailableError);
      assert.ok(Date.now() - started < 1000, `took ${Date.now() - started} ms`);
      assert.ok(
        errors.some((e) => /ECONNREFUSED/.test(e.message)),
        errors.map((e) => e.message).join(),
      );
      await server.restart();
      const deadline = Date.now() + 3000;
      while (
        !(await store.ping().then(
          () => true,
          () => false,
        ))
      ) {
        assert.ok(Date.now() < deadline, 'no reconnect within 3 s');
        await sleep(50);
      }
      await store.set('k', 'up', 60);
      assert.equal(await store.get('k'), 'up');
    } finally {
      await store.close();
      await raw.ping().catch(() => undefined);
    }
  });

  it('finds the master through Sentinel', async () => {
    const sentinel = await startRedisSentinel(server, 'idp-master');
    const store = new RedisStore({
      sentinels: [{ host: sentinel.host, port: sentinel.port }],
      sentinelName: 'idp-master',
      keyPrefix: 'sentinel:',
    });
    try {
      await store.set('k', { via: 'sentinel' }, 60);
      assert.equal(await raw.get('sentinel:k'), '{"via":"sentinel"}');
    } finally {
      await store.close();
      await sentinel.stop();
    }
  });
});

describe('redisOptionsFromEnv', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'nsi-redis-env-'));
    await writeFile(join(dir, 'ca.pem'), '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('gives no options when no Redis is configured (the memory store is used)', () => {
    assert.deepEqual(redisOptionsFromEnv({}), { problems: [] });
    assert.deepEqual(redisOptionsFromEnv({ REDIS_URL: '', PORT: '3000' }), { problems: [] });
  });

  it('reads a plain URL with prefix and timeout', () => {
    assert.deepEqual(
      redisOptionsFromEnv({
        REDIS_URL: 'rediss://idp:s3cret@redis.example:6380/2',
        REDIS_KEY_PREFIX: 'idp-a:',
        REDIS_COMMAND_TIMEOUT_MS: '750',
      }),
      {
        options: {
          url: 'rediss://idp:s3cret@redis.example:6380/2',
          keyPrefix: 'idp-a:',
          commandTimeoutMs: 750,
        },
        problems: [],
      },
    );
  });

  it('reads Sentinels and Cluster nodes, IPv6 included', () => {
    assert.deepEqual(
      redisOptionsFromEnv({ REDIS_SENTINELS: 's1:26379, [::1]:26380', REDIS_SENTINEL_NAME: 'mymaster' })
        .options,
      {
        sentinels: [
          { host: 's1', port: 26379 },
          { host: '::1', port: 26380 },
        ],
        sentinelName: 'mymaster',
      },
    );
    assert.deepEqual(redisOptionsFromEnv({ REDIS_CLUSTER_NODES: '10.0.0.1:7000,10.0.0.2:7001' }).options, {
      clusterNodes: [
        { host: '10.0.0.1', port: 7000 },
        { host: '10.0.0.2', port: 7001 },
      ],
    });
  });

  it('turns TLS on with the CA file', () => {
    const { options, problems } = redisOptionsFromEnv({
      REDIS_URL: 'redis://localhost',
      REDIS_TLS_CA_FILE: join(dir, 'ca.pem'),
    });
    assert.deepEqual(problems, []);
    assert.deepEqual(options?.tls, {
      ca: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n',
    });
  });

  it('lists every problem at once and gives no options then', () => {
    const { options, problems } = redisOptionsFromEnv({
      REDIS_URL: 'http://localhost:6379',
      REDIS_SENTINELS: 'host-without-port,h:99999',
      REDIS_CLUSTER_NODES: 'a:1',
      REDIS_KEY_PREFIX: 'nsi:{x}:',
      REDIS_COMMAND_TIMEOUT_MS: 'soon',
      REDIS_TLS_CA_FILE: join(dir, 'missing.pem'),
    });
    assert.equal(options, undefined);
    const expected = [
      /^REDIS_URL must start with redis:\/\/ or rediss:\/\//,
      /^REDIS_SENTINELS .*"host-without-port"/,
      /^REDIS_SENTINELS .*"h:99999"/,
      /^REDIS_SENTINEL_NAME is required/,
      /^REDIS_SENTINELS and REDIS_CLUSTER_NODES cannot both be set/,
      /^REDIS_KEY_PREFIX must not contain/,
      /^REDIS_COMMAND_TIMEOUT_MS must be a whole number/,
      /^REDIS_TLS_CA_FILE cannot be read/,
    ];
    assert.equal(problems.length, expected.length, problems.join('\n'));
    for (const [i, pattern] of expected.entries()) assert.match(problems[i]!, pattern);
  });

  it('flags settings that have no Redis to apply to', () => {
    assert.deepEqual(redisOptionsFromEnv({ REDIS_SENTINEL_NAME: 'm', REDIS_KEY_PREFIX: 'x:' }).problems, [
      'REDIS_SENTINEL_NAME needs REDIS_URL, REDIS_SENTINELS or REDIS_CLUSTER_NODES',
      'REDIS_KEY_PREFIX needs REDIS_URL, REDIS_SENTINELS or REDIS_CLUSTER_NODES',
    ]);
    assert.deepEqual(redisOptionsFromEnv({ REDIS_URL: 'redis://h', REDIS_SENTINEL_NAME: 'm' }).problems, [
      'REDIS_SENTINEL_NAME needs REDIS_SENTINELS',
    ]);
    assert.deepEqual(
      redisOptionsFromEnv({ REDIS_URL: 'redis://h/3', REDIS_CLUSTER_NODES: 'h:7000' }).problems,
      ['REDIS_URL must not name a database other than 0 with REDIS_CLUSTER_NODES'],
    );
    assert.match(redisOptionsFromEnv({ REDIS_URL: 'redis://h/db' }).problems[0]!, /database as a number/);
  });
});
