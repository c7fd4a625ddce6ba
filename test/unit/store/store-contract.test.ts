// The Store contract (docs/design.md §3), run on MemoryStore, RedisStore on one server and RedisStore on a Cluster.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { MemoryStore } from '../../../src/store/memory.ts';
import { RedisStore } from '../../../src/store/redis.ts';
import type { Store } from '../../../src/store/store.ts';
import {
  type RedisCluster,
  type RedisServer,
  startRedisCluster,
  startRedisServer,
} from '../../helpers/redis-server.ts';

/** A fresh store per test, and a way to let time pass for it. */
interface Harness {
  readonly store: Store;
  /** Real waiting for Redis; a moved clock for MemoryStore. */
  elapse(ms: number): Promise<void>;
}

let counter = 0;
/** A key no other test uses; half of them carry a Cluster hash tag like the app's `{flowId}:…` keys. */
function freshKey(label: string): string {
  counter += 1;
  return counter % 2 === 0 ? `{t${process.pid}-${counter}}:${label}` : `t${process.pid}-${counter}:${label}`;
}

/** Registers the contract tests; `open` gives each test its own store (closed after it). */
function storeContract(name: string, open: () => Harness): void {
  describe(`Store contract: ${name}`, { concurrency: true }, () => {
    const test = (title: string, body: (h: Harness) => Promise<void>) =>
      it(title, async () => {
        const harness = open();
        try {
          await body(harness);
        } finally {
          await harness.store.close();
        }
      });

    test('get returns what set wrote, as JSON, and undefined for a missing key', async ({ store }) => {
      const values: unknown[] = [
        { phone: '+4612345678', names: ['Anton Erik', 'Svenson'], nested: { ok: true, n: null } },
        'Ærlig talt – Østfold, Åland, Ñandú, 日本語 🚀',
        '',
        0,
        -12.5,
        2 ** 40,
        true,
        [1, 'two', { three: 3 }],
      ];
      const keys = values.map(() => freshKey('value'));
      await Promise.all(values.map((value, i) => store.set(keys[i]!, value, 60)));
      for (const [i, value] of values.entries()) assert.deepEqual(await store.get(keys[i]!), value);
      assert.equal(await store.get(freshKey('missing')), undefined);
    });

    test('set replaces both the value and its TTL', async ({ store }) => {
      const key = freshKey('replace');
      await store.set(key, 'first', 600);
      await store.set(key, 'second', 30);
      assert.equal(await store.get(key), 'second');
      const ttl = await store.ttl(key);
      assert.ok(ttl !== undefined && ttl <= 30 && ttl >= 29, `ttl ${ttl}`);
    });

    test('a value is gone once its TTL has passed', async ({ store, elapse }) => {
      const key = freshKey('expiring');
      await store.set(key, { a: 1 }, 1);
      await elapse(600);
      assert.deepEqual(await store.get(key), { a: 1 });
      await elapse(600);
      assert.equal(await store.get(key), undefined);
      assert.equal(await store.ttl(key), undefined);
      assert.equal(await store.take(key), undefined);
      assert.equal(await store.setIfAbsent(key, 'again', 60), true, 'an expired key is free again');
    });

    test('every write needs a positive TTL', async ({ store }) => {
      await assert.rejects(store.set(freshKey('ttl0'), 1, 0), RangeError);
      await assert.rejects(store.setIfAbsent(freshKey('ttl-neg'), 1, -5), RangeError);
      await assert.rejects(store.increment(freshKey('ttl-nan'), Number.NaN), RangeError);
    });

    test('setIfAbsent writes only when the key is absent', async ({ store }) => {
      const key = freshKey('nx');
      assert.equal(await store.setIfAbsent(key, 'first', 60), true);
      assert.equal(await store.setIfAbsent(key, 'second', 60), false);
      assert.equal(await store.get(key), 'first');
    });

    test('setIfAbsent under concurrency: exactly one caller wins and its value stays', async ({ store }) => {
      const key = freshKey('nx-race');
      const results = await Promise.all(Array.from({ length: 30 }, (_, i) => store.setIfAbsent(key, i, 60)));
      const winners = results.flatMap((won, i) => (won ? [i] : []));
      assert.equal(winners.length, 1);
      assert.equal(await store.get(key), winners[0]);
    });

    test('take returns the value once and removes it', async ({ store }) => {
      const key = freshKey('take');
      await store.set(key, { code: 'hash' }, 60);
      assert.deepEqual(await store.take(key), { code: 'hash' });
      assert.equal(await store.take(key), undefined);
      assert.equal(await store.get(key), undefined);
    });

    test('take under concurrency: of 50 racing callers exactly one gets the value', async ({ store }) => {
      const key = freshKey('take-race');
      await store.set(key, 'single use', 60);
      const results = await Promise.all(Array.from({ length: 50 }, () => store.take<string>(key)));
      assert.deepEqual(
        results.filter((r) => r !== undefined),
        ['single use'],
      );
    });

    test('increment under concurrency: 100 racing calls count to 100, each number once', async ({
      store,
    }) => {
      const key = freshKey('counter');
      const results = await Promise.all(Array.from({ length: 100 }, () => store.increment(key, 60)));
      assert.deepEqual(
        [...results].sort((a, b) => a - b),
        Array.from({ length: 100 }, (_, i) => i + 1),
      );
      assert.equal(await store.get(key), 100);
    });

    test('increment: the first call starts the TTL and later calls do not extend it', async ({
      store,
      elapse,
    }) => {
      const key = freshKey('window');
      assert.equal(await store.increment(key, 1), 1);
      await elapse(600);
      const later = await Promise.all(Array.from({ length: 99 }, () => store.increment(key, 60)));
      assert.equal(Math.max(...later), 100);
      const ttl = await store.ttl(key);
      assert.ok(ttl !== undefined && ttl <= 1, `ttl ${ttl} was extended`);
      await elapse(600);
      assert.equal(await store.get(key), undefined, 'the counter outlived its first TTL');
      assert.equal(await store.increment(key, 60), 1, 'a new window starts at 1');
    });

    test('calls on keys of one hash tag apply in the order they were made, also when none is awaited', async ({
      store,
    }) => {
      for (let round = 0; round < 20; round++) {
        counter += 1;
        const tag = `{o${process.pid}-${counter}}`;
        const [lock, flow, n] = [`${tag}:lock`, `${tag}:flow`, `${tag}:n`];
        await store.set(flow, 'a', 60);
        // Issued back to back, as a step issues its calls together: each must see the ones made before it.
        const results = await Promise.all([
          store.setIfAbsent(lock, 1, 60),
          store.get(flow),
          store.set(flow, 'b', 60),
          store.get(flow),
          store.increment(n, 60),
          store.replaceIf(flow, 'b', 'c', 60),
          store.increment(n, 60),
          store.take(flow),
          store.get(flow),
          store.delete(lock),
          store.setIfAbsent(lock, 2, 60),
          store.ttl(flow),
        ]);
        assert.deepEqual(results, [
          true,
          'a',
          undefined,
          'b',
          1,
          true,
          2,
          'c',
          undefined,
          undefined,
          true,
          undefined,
        ]);
        assert.equal(await store.get(lock), 2);
      }
    });

    test('delete removes a key and ignores a missing one', async ({ store }) => {
      const key = freshKey('delete');
      await store.set(key, 'x', 60);
      await store.delete(key);
      assert.equal(await store.get(key), undefined);
      await store.delete(freshKey('never-written'));
    });

    test('ttl gives whole seconds left, undefined when absent', async ({ store }) => {
      const key = freshKey('ttl');
      await store.set(key, 'x', 120);
      const ttl = await store.ttl(key);
      assert.ok(ttl === 120 || ttl === 119, `ttl ${ttl}`);
      assert.equal(await store.ttl(freshKey('absent')), undefined);
    });

    test('ping resolves', async ({ store }) => {
      await store.ping();
    });
  });
}

storeContract('MemoryStore', () => {
  let now = Date.UTC(2030, 0, 1);
  return {
    store: new MemoryStore({ now: () => now }),
    elapse: async (ms) => {
      now += ms;
    },
  };
});

describe('RedisStore on one server', () => {
  let server: RedisServer;
  before(async () => {
    server = await startRedisServer();
  });
  after(() => server?.stop());

  storeContract('RedisStore (one server)', () => ({
    store: new RedisStore({ url: server.url }),
    elapse: sleep,
  }));

  describe('when Redis goes away', () => {
    let store: RedisStore;
    before(() => {
      store = new RedisStore({ url: server.url, keyPrefix: 'outage:' });
    });
    after(() => store?.close());

    it('fails fast with StoreUnavailableError while down, and the same store works after a restart', async () => {
      await store.set('k', 'before', 60);
      await server.kill();
      const started = Date.now();
      await assert.rejects(store.get('k'), { name: 'StoreUnavailableError' });
      await assert.rejects(store.increment('n', 60), { name: 'StoreUnavailableError' });
      await assert.rejects(store.ping(), { name: 'StoreUnavailableError' });
      assert.ok(Date.now() - started < 1500, `took ${Date.now() - started} ms`);

      await server.restart();
      await waitForPing(store, 3000);
      assert.equal(await store.get('k'), undefined, 'the restarted server kept nothing');
      await store.set('k', 'after', 60);
      assert.equal(await store.take('k'), 'after');
      assert.equal(await store.increment('n', 60), 1);
    });

    it('a server that stops answering gives StoreUnavailableError after the command timeout, not a hang', async () => {
      server.pause();
      try {
        const started = Date.now();
        await assert.rejects(store.get('k'), { name: 'StoreUnavailableError', message: /timed out/ });
        const took = Date.now() - started;
        assert.ok(took >= 900 && took < 1500, `took ${took} ms`);
      } finally {
        server.resume();
      }
      await waitForPing(store, 3000);
      await store.set('k', 'resumed', 60);
      assert.equal(await store.get('k'), 'resumed');
    });
  });
});

describe('RedisStore on a Cluster', () => {
  let cluster: RedisCluster;
  before(async () => {
    cluster = await startRedisCluster();
  });
  after(() => cluster?.stop());

  storeContract('RedisStore (Cluster of three masters)', () => ({
    store: new RedisStore({ clusterNodes: cluster.nodes }),
    elapse: sleep,
  }));
});

async function waitForPing(store: Store, withinMs: number): Promise<void> {
  const deadline = Date.now() + withinMs;
  for (;;) {
    try {
      await store.ping();
      return;
    } catch (error) {
      assert.equal((error as Error).name, 'StoreUnavailableError');
      if (Date.now() > deadline) throw new Error(`the store did not come back within ${withinMs} ms`);
      await sleep(50);
    }
  }
}
