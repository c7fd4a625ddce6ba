// Compare-and-set (Store.replaceIf) on both backends: a write over a copy that changed since it was read is refused.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Store } from '../../../src/store/store.ts';
import { STORES } from '../../helpers/stores.ts';

for (const [name, factory] of Object.entries(STORES)) {
  describe(`replaceIf (${name} store)`, () => {
    let store: Store;
    let stop: () => Promise<void>;
    before(async () => {
      ({ store, stop } = await factory());
    });
    after(() => stop());

    test('replaces the value it was read as, once; a second writer with the same old copy is refused', async () => {
      await store.set('{f1}:flow', { step: 'verify-code', n: 1 }, 60);
      const read = await store.get<{ step: string; n: number }>('{f1}:flow');
      assert.equal(await store.replaceIf('{f1}:flow', read, { step: 'done', n: 2 }, 60), true);
      assert.equal(await store.replaceIf('{f1}:flow', read, { step: 'identify', n: 3 }, 60), false);
      assert.deepEqual(await store.get('{f1}:flow'), { step: 'done', n: 2 });
      const ttl = await store.ttl('{f1}:flow');
      assert.ok(ttl !== undefined && ttl > 0 && ttl <= 60);
    });

    test('an absent or expired key is not created', async () => {
      assert.equal(await store.replaceIf('{f2}:flow', { step: 'identify' }, { step: 'done' }, 60), false);
      assert.equal(await store.get('{f2}:flow'), undefined);
    });
  });
}
