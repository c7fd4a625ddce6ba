// What only the memory store does: a cap on live keys, so a flood fails as "unavailable" instead of exhausting memory.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { StoreUnavailableError } from '../../../src/errors.ts';
import { MemoryStore } from '../../../src/store/memory.ts';

test('past maxKeys a new key is refused as StoreUnavailableError; existing keys still update; expired ones make room', async () => {
  let clock = 1_000_000;
  const store = new MemoryStore({ now: () => clock, maxKeys: 3 });
  try {
    await store.set('a', 1, 10);
    await store.set('b', 1, 10);
    await store.increment('c', 1);
    await assert.rejects(store.set('d', 1, 10), StoreUnavailableError);
    await assert.rejects(store.setIfAbsent('d', 1, 10), StoreUnavailableError);
    await store.set('a', 2, 10);
    assert.equal(await store.increment('c', 1), 2);
    clock += 2000;
    await store.set('d', 1, 10);
    assert.equal(await store.get('d'), 1);
    assert.equal(await store.get('c'), undefined);
  } finally {
    await store.close();
  }
});
