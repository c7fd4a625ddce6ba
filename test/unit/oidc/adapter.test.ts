// oidc-provider's adapter contract on our Store, memory and a real Redis: TTL on every key, consume, grant revocation.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { storeAdapter } from '../../../src/oidc/adapter.ts';
import type { Store } from '../../../src/store/store.ts';
import { STORES } from '../../helpers/stores.ts';

for (const [name, factory] of Object.entries(STORES)) {
  describe(`OIDC adapter on the ${name} store`, () => {
    let store: Store;
    let stop: () => Promise<void>;
    const clients = { shop: { client_id: 'shop' } } as Record<string, Record<string, unknown>>;
    before(async () => {
      ({ store, stop } = await factory());
    });
    after(() => stop());

    const Adapter = () => storeAdapter(store, (id) => clients[id]);

    test('upsert/find/destroy, every record with the TTL it was given', async () => {
      const codes = new (Adapter())('AuthorizationCode');
      await codes.upsert('c1', { jti: 'c1', grantId: 'g1', accountId: 'a' }, 60);
      assert.deepEqual(await codes.find('c1'), { jti: 'c1', grantId: 'g1', accountId: 'a' });
      const ttl = await store.ttl('oidc:AuthorizationCode:{c1}');
      assert.ok(ttl !== undefined && ttl > 0 && ttl <= 60, String(ttl));
      await codes.destroy('c1');
      assert.equal(await codes.find('c1'), undefined);
    });

    test('a record saved without a lifetime still expires', async () => {
      const grants = new (Adapter())('Grant');
      await grants.upsert('g-none', { jti: 'g-none' }, undefined);
      const ttl = await store.ttl('oidc:Grant:{g-none}');
      assert.ok(ttl !== undefined && ttl > 0 && ttl <= 86400, String(ttl));
    });

    test('consume marks the record and keeps its remaining lifetime', async () => {
      const codes = new (Adapter())('AuthorizationCode');
      await codes.upsert('c2', { jti: 'c2' }, 60);
      await codes.consume('c2');
      const found = await codes.find('c2');
      assert.equal(typeof found?.consumed, 'number');
      const ttl = await store.ttl('oidc:AuthorizationCode:{c2}');
      assert.ok(ttl !== undefined && ttl <= 60);
    });

    test('revokeByGrantId removes every token of the grant across models, and only those', async () => {
      const A = Adapter();
      const codes = new A('AuthorizationCode');
      const tokens = new A('AccessToken');
      await codes.upsert('c3', { jti: 'c3', grantId: 'g3' }, 60);
      await tokens.upsert('t3', { jti: 't3', grantId: 'g3' }, 600);
      await tokens.upsert('t4', { jti: 't4', grantId: 'other' }, 600);
      await tokens.revokeByGrantId('g3');
      assert.equal(await codes.find('c3'), undefined);
      assert.equal(await tokens.find('t3'), undefined);
      assert.deepEqual(await tokens.find('t4'), { jti: 't4', grantId: 'other' });
    });

    test('sessions are found by uid; clients come from the registry, never the store', async () => {
      const A = Adapter();
      const sessions = new A('Session');
      await sessions.upsert('s1', { jti: 's1', uid: 'u1' }, 3600);
      assert.deepEqual(await sessions.findByUid('u1'), { jti: 's1', uid: 'u1' });
      assert.equal(await sessions.findByUid('nope'), undefined);
      const clientModel = new A('Client');
      assert.deepEqual(await clientModel.find('shop'), { client_id: 'shop' });
      assert.equal(await clientModel.find('nobody'), undefined);
    });
  });
}
