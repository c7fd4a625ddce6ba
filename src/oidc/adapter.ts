// oidc-provider's storage on our Store (memory or Redis): every record expires, so two processes on one Redis
// serve one login and nothing outlives its lifetime.

import { oidcKeys } from '../store/keys.ts';
import type { Store } from '../store/store.ts';

/** What oidc-provider stores for one model instance (a token, a session, an interaction…). */
export type AdapterPayload = Record<string, unknown> & {
  readonly grantId?: string;
  readonly uid?: string;
  consumed?: number;
};

/** Models whose records belong to a grant and die with it (revokeByGrantId). */
const GRANTABLE = new Set([
  'AccessToken',
  'AuthorizationCode',
  'RefreshToken',
  'DeviceCode',
  'BackchannelAuthenticationRequest',
  'ClientCredentials',
  'PreAuthorizedCode',
]);

/** Lifetime of a record the library saves without one (none of the models we enable does): a day, never forever;
 * also the least lifetime of a grant's member list. */
const FALLBACK_TTL_SECONDS = 86400;

/** A lookup for the `Client` model: clients come from files (client-registry.ts), never from the store. */
export type ClientSource = (clientId: string) => AdapterPayload | undefined;

/**
 * Keys (store/keys.ts oidcKeys): `oidc:<Model>:{<id>}` per record; `oidc:uid:{<uid>}` → Session id; a grant's members as a counter
 * `oidc:grant:{<grantId>}:n` and `oidc:grant:{<grantId>}:<i>` → record key, so adding a member needs only an atomic
 * increment (no read-modify-write that two processes could interleave). The braces keep a record and its indexes in
 * one Redis Cluster slot.
 */
export function storeAdapter(store: Store, clients: ClientSource) {
  return class StoreAdapter {
    readonly name: string;

    constructor(name: string) {
      this.name = name;
    }

    #key(id: string): string {
      return oidcKeys.record(this.name, id);
    }

    async upsert(id: string, payload: AdapterPayload, expiresIn: number | undefined): Promise<void> {
      const ttl =
        typeof expiresIn === 'number' && expiresIn > 0 ? Math.ceil(expiresIn) : FALLBACK_TTL_SECONDS;
      const key = this.#key(id);
      await store.set(key, payload, ttl);
      if (this.name === 'Session' && typeof payload.uid === 'string') {
        await store.set(oidcKeys.sessionByUid(payload.uid), id, ttl);
      }
      if (GRANTABLE.has(this.name) && typeof payload.grantId === 'string') {
        const grant = payload.grantId;
        // The list outlives its members: a day, or the member's own lifetime when longer.
        const listTtl = Math.max(ttl, FALLBACK_TTL_SECONDS);
        const n = await store.increment(oidcKeys.grantCount(grant), listTtl);
        await store.set(oidcKeys.grantMember(grant, n), key, listTtl);
      }
    }

    async find(id: string): Promise<AdapterPayload | undefined> {
      if (this.name === 'Client') return clients(id);
      return store.get<AdapterPayload>(this.#key(id));
    }

    async findByUid(uid: string): Promise<AdapterPayload | undefined> {
      const id = await store.get<string>(oidcKeys.sessionByUid(uid));
      return id === undefined ? undefined : this.find(id);
    }

    async findByUserCode(): Promise<undefined> {
      return undefined;
    }

    /** Marks a single-use record used; later finds see `consumed` (a reused code revokes its grant). */
    async consume(id: string): Promise<void> {
      const key = this.#key(id);
      const [payload, left] = await Promise.all([store.get<AdapterPayload>(key), store.ttl(key)]);
      if (payload === undefined || left === undefined) return;
      await store.set(key, { ...payload, consumed: Math.floor(Date.now() / 1000) }, Math.max(1, left));
    }

    async destroy(id: string): Promise<void> {
      await store.delete(this.#key(id));
    }

    async revokeByGrantId(grantId: string): Promise<void> {
      const n = (await store.get<number>(oidcKeys.grantCount(grantId))) ?? 0;
      for (let i = 1; i <= n; i++) {
        const key = await store.get<string>(oidcKeys.grantMember(grantId, i));
        if (key !== undefined) await store.delete(key);
        await store.delete(oidcKeys.grantMember(grantId, i));
      }
      await store.delete(oidcKeys.grantCount(grantId));
    }
  };
}
