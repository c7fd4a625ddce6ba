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

test('a full store sweeps at most once a second under a flood of new keys, then makes room again', async () => {
  let clock = 1_000_000;
  const store = new MemoryStore({ now: () => clock, maxKeys: 3 });
  try {
    await store.set('short-1', 1, 0.3);
    await store.set('short-2', 1, 0.3);
    await store.set('long', 1, 100);
    // Full, nothing expired: this refusal swept.
    await assert.rejects(store.set('flood-1', 1, 10), StoreUnavailableError);
    clock += 500;
    // Two keys have expired, but the last sweep was under a second ago: refused without walking the keys.
    await assert.rejects(store.set('flood-2', 1, 10), StoreUnavailableError);
    assert.equal(store.size, 3);
    clock += 500;
    await store.set('flood-3', 1, 10);
    assert.equal(store.size, 2);
    assert.equal(await store.get('long'), 1);
    assert.equal(await store.get('flood-3'), 1);
  } finally {
    await store.close();
  }
});
