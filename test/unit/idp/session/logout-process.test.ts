// LogoutProcesses on the memory store: answers once, from the SP asked; complete or partial at the end.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { LogoutProcesses, type LogoutTarget } from '../../../../src/idp/session/logout-process.ts';
import { MemoryStore } from '../../../../src/store/memory.ts';

const SP_A = 'https://a.example/sp';
const SP_B = 'https://b.example/sp';

describe('LogoutProcesses', () => {
  const target = (spEntityId: string, requestId: string): LogoutTarget => ({
    spEntityId,
    spDisplayName: spEntityId,
    requestId,
    nameId: 'n',
    nameIdFormat: 'unspecified',
    spNameQualifier: spEntityId,
    sessionIndex: '_s',
  });

  test('answers are recorded once, only from the SP asked; pending counts as failed at the end', async () => {
    const store = new MemoryStore();
    const processes = new LogoutProcesses({ store, ttlSeconds: 60 });
    const process = await processes.open({
      locale: 'en',
      initiator: undefined,
      targets: [target(SP_A, '_ra'), target(SP_B, '_rb')],
      unreachable: [],
    });
    assert.deepEqual(await processes.states(process), ['pending', 'pending']);
    assert.equal(await processes.answer('_ra', SP_B, true), false, 'B cannot answer for A');
    assert.equal(await processes.answer('_ra', SP_A, true), true);
    assert.equal(await processes.answer('_ra', SP_A, false), false, 'once');
    assert.equal(await processes.answer('_nothing', SP_A, true), false);
    assert.deepEqual(await processes.states(process), ['done', 'pending']);
    const closed = await processes.close(process.id);
    assert.equal(closed?.complete, false);
    assert.equal(await processes.close(process.id), undefined, 'single use');
    assert.equal(await processes.answer('_rb', SP_B, true), false, 'too late');
    await store.close();
  });

  test('complete only when every target answered Success and none was unreachable', async () => {
    const store = new MemoryStore();
    const processes = new LogoutProcesses({ store, ttlSeconds: 60 });
    const all = await processes.open({
      locale: 'en',
      initiator: undefined,
      targets: [target(SP_A, '_r1')],
      unreachable: [],
    });
    await processes.answer('_r1', SP_A, true);
    assert.equal((await processes.close(all.id))?.complete, true);
    const unreachable = await processes.open({
      locale: 'en',
      initiator: undefined,
      targets: [target(SP_A, '_r2')],
      unreachable: ['C'],
    });
    await processes.answer('_r2', SP_A, true);
    assert.equal((await processes.close(unreachable.id))?.complete, false);
    await store.close();
  });
});
