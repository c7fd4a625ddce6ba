// The shared-state contract every store adapter keeps (docs/design.md §3): JSON values, a TTL on every write, atomic ops.

/**
 * Key-value state shared by all IdP processes. Values are JSON-serialisable; every write expires.
 * Adapters: memory.ts (one process, the default) and redis.ts. Failures to reach the backend throw
 * StoreUnavailableError.
 *
 * Calls on keys of one hash tag (`{flowId}:…`, one Cluster slot) apply in the order they were made, also when the
 * caller does not await one before making the next: a step may issue a lock and the read it guards together, in
 * one round trip on Redis, and the read still sees the store as the lock left it. Keys of different tags may live
 * on different Cluster nodes, so between them only awaiting orders calls.
 */
export interface Store {
  /** The value, or undefined when absent or expired. */
  get<T>(key: string): Promise<T | undefined>;
  /** Writes (replaces) a value that expires after ttlSeconds. */
  set(key: string, value: unknown, ttlSeconds: number): Promise<void>;
  /** Writes only when the key is absent; true when this call wrote it (replay caches, locks). */
  setIfAbsent(key: string, value: unknown, ttlSeconds: number): Promise<boolean>;
  /**
   * Compare-and-set: replaces the value only when it is still exactly `expected` (as read with get), keeping
   * nothing else; true when this call wrote it. A stale copy cannot overwrite what another request wrote since.
   */
  replaceIf(key: string, expected: unknown, value: unknown, ttlSeconds: number): Promise<boolean>;
  /** Atomic read-and-delete: of racing callers exactly one gets the value (single use). */
  take<T>(key: string): Promise<T | undefined>;
  delete(key: string): Promise<void>;
  /** Atomic counter; the first increment starts the TTL, later ones keep it. Returns the new value. */
  increment(key: string, ttlSeconds: number): Promise<number>;
  /** Seconds left before the key expires, or undefined when absent. */
  ttl(key: string): Promise<number | undefined>;
  /** Resolves when the backend answers. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
