// The two store backends every store-dependent suite runs on: the in-process memory store and a real Redis.

import { MemoryStore } from '../../src/store/memory.ts';
import { RedisStore } from '../../src/store/redis.ts';
import type { Store } from '../../src/store/store.ts';
import { startRedisServer } from './redis-server.ts';

/** Makes a store and the function that stops it (and its Redis server). */
export type StoreFactory = () => Promise<{ store: Store; stop: () => Promise<void> }>;

/** `memory` and `redis` (a fresh redis-server on a free port per suite). */
export const STORES: Readonly<Record<'memory' | 'redis', StoreFactory>> = {
  memory: async () => {
    const store = new MemoryStore();
    return { store, stop: () => store.close() };
  },
  redis: async () => {
    const server = await startRedisServer();
    const store = new RedisStore({ url: server.url });
    return {
      store,
      stop: async () => {
        await store.close();
        await server.stop();
      },
    };
  },
};
