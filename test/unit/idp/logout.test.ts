// The logout core with fake directories and real sessions on the memory store: names, plan, locate, end, finish.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  type LogoutDirectory,
  type LogoutRequestNames,
  nameMatches,
  planLogout,
  SingleLogout,
} from '../../../src/idp/logout.ts';
import { LogoutProcesses } from '../../../src/idp/session/logout-process.ts';
import { type SsoParticipant, type SsoSession, SsoSessions } from '../../../src/idp/session/sso-session.ts';
import { MemoryStore } from '../../../src/store/memory.ts';

const KARI = { phone: '+4741234567', givenName: 'Kari', familyName: 'Nordmann' };
const A = 'https://a.example/sp';
const B = 'https://b.example/sp';
const C = 'https://c.example/sp';
const GONE = 'https://gone.example/sp';

/** A reaches and B reaches; C has no logout endpoint; GONE is no longer known. */
function directory(): LogoutDirectory {
  let next = 0;
  const known: Record<string, { displayName: string; reachable: boolean }> = {
    [A]: { displayName: 'Service A', reachable: true },
    [B]: { displayName: 'Service B', reachable: true },
    [C]: { displayName: 'Service C', reachable: false },
  };
  return { describe: (id) => known[id], newRequestId: () => `_req${++next}` };
}

const participant = (spEntityId: string, over: Partial<SsoParticipant> = {}): SsoParticipant => ({
  spEntityId,
  nameId: `name-at-${spEntityId}`,
  nameIdFormat: 'persistent',
  spNameQualifier: spEntityId,
  sessionIndex: `_idx-${spEntityId}`,
  lastIssuedAt: 0,
  ...over,
});

const names = (spEntityId: string, over: Partial<LogoutRequestNames> = {}): LogoutRequestNames => ({
  spEntityId,
  nameId: `name-at-${spEntityId}`,
  nameIdFormat: undefined,
  spNameQualifier: undefined,
  sessionIndexes: [],
  ...over,
});

describe('nameMatches', () => {
  const p = participant(A);
  test('the NameID the assertion carried; a format and qualifier, when named, must be its own', () => {
    assert.ok(nameMatches(p, names(A)));
    assert.ok(nameMatches(p, names(A, { nameIdFormat: 'persistent', spNameQualifier: A })));
    assert.ok(!nameMatches(p, names(A, { nameId: 'someone-else' })));
    assert.ok(!nameMatches(p, names(A, { nameIdFormat: 'transient' })));
    assert.ok(!nameMatches(p, names(A, { nameIdFormat: 'other' })));
    assert.ok(!nameMatches(p, names(A, { spNameQualifier: B })));
  });
});

describe('planLogout', () => {
  test('tells every reachable participant but the initiator; names the others, unknown ones by entityID', () => {
    const session: SsoSession = {
      id: 's',
      identity: KARI,
      authnInstant: 0,
      expiresAt: 1,
      participants: [participant(A), participant(B), participant(C), participant(GONE)],
    };
    const { targets, unreachable } = planLogout(session, A, directory());
    assert.deepEqual(targets, [
      {
        spEntityId: B,
        spDisplayName: 'Service B',
        requestId: '_req1',
        nameId: `name-at-${B}`,
        nameIdFormat: 'persistent',
        spNameQualifier: B,
        sessionIndex: `_idx-${B}`,
      },
    ]);
    assert.deepEqual(unreachable, ['Service C', GONE]);
    assert.deepEqual(
      planLogout(session, undefined, directory()).targets.map((t) => t.spEntityId),
      [A, B],
      'the user at the IdP: every reachable participant',
    );
  });
});

function world() {
  const store = new MemoryStore();
  const sessions = new SsoSessions({ store, secret: 'unit-secret-0123456789-abcdef', ttlSeconds: 3600 });
  const processes = new LogoutProcesses({ store, ttlSeconds: 60 });
  const events: [string, Record<string, unknown>][] = [];
  const logout = new SingleLogout({
    sessions,
    processes,
    directory: directory(),
    onEvent: (event, fields) => events.push([event, fields]),
  });
  /** A session that answered `sps`, each with the NameID of `participant`. */
  const sessionWith = async (...sps: string[]): Promise<SsoSession> => {
    const { session } = await sessions.begin(KARI, undefined);
    for (const sp of sps) {
      const { nameId, nameIdFormat, spNameQualifier } = participant(sp);
      await sessions.join(session.id, { spEntityId: sp, nameId, nameIdFormat, spNameQualifier });
    }
    return (await sessions.get(session.id)) ?? assert.fail('session stored');
  };
  return { store, sessions, processes, events, logout, sessionWith };
}

describe('SingleLogout', () => {
  const noBrowser = async () => undefined;

  test('locate: a SessionIndex we gave this SP names its session; a mismatch is said, an ended one is none', async () => {
    const { store, logout, sessionWith, sessions } = world();
    const session = await sessionWith(A, B);
    const indexOf = (sp: string) => session.participants.find((p) => p.spEntityId === sp)?.sessionIndex ?? '';
    const found = await logout.locate(names(A, { sessionIndexes: ['_junk', indexOf(A)] }), noBrowser);
    assert.equal('session' in found && found.session?.id, session.id);
    assert.deepEqual(await logout.locate(names(A, { sessionIndexes: [indexOf(B)] }), noBrowser), {
      mismatch: 'no SessionIndex we issued to this SP',
    });
    assert.deepEqual(
      await logout.locate(names(A, { nameId: 'x', sessionIndexes: [indexOf(A)] }), noBrowser),
      { mismatch: 'NameID' },
    );
    await sessions.end(session.id);
    assert.deepEqual(await logout.locate(names(A, { sessionIndexes: [indexOf(A)] }), noBrowser), {
      session: undefined,
    });
    await store.close();
  });

  test("locate without SessionIndex: the browser's session, when this SP is in it", async () => {
    const { store, logout, sessionWith } = world();
    const session = await sessionWith(A);
    const found = await logout.locate(names(A), async () => session);
    assert.equal('session' in found && found.session?.id, session.id);
    assert.deepEqual(await logout.locate(names(B), async () => session), {
      mismatch: 'this SP has no part in the session',
    });
    assert.deepEqual(await logout.locate(names(A), noBrowser), { session: undefined });
    await store.close();
  });

  test('end and propagate: once; a process for the reachable; back-channel failures make it partial', async () => {
    const { store, sessions, logout, sessionWith, events } = world();
    sessions.onEnd(async () => ['An OIDC client']);
    const session = await sessionWith(A, B, C);
    const initiator = {
      spEntityId: A,
      spDisplayName: 'Service A',
      requestId: '_in',
      relayState: 'r',
      binding: 'post' as const,
    };
    const outcome = await logout.endAndPropagate(session, 'en', initiator);
    assert.ok(outcome !== undefined && 'process' in outcome);
    assert.deepEqual(
      outcome.process.targets.map((t) => t.spEntityId),
      [B],
    );
    assert.deepEqual(outcome.process.unreachable, ['Service C', 'An OIDC client']);
    assert.deepEqual(events.at(-1), [
      'slo.session.ended',
      { sp: A, phone: KARI.phone, by: A, targets: 1, unreachable: 2 },
    ]);
    assert.equal(await sessions.get(session.id), undefined, 'the session is over');
    assert.equal(
      await logout.endAndPropagate(session, 'en', initiator),
      undefined,
      'a racing logout gets nothing',
    );
    await store.close();
  });

  test('end with no one else to tell: no process, only the unreachable', async () => {
    const { store, logout, sessionWith } = world();
    const session = await sessionWith(C, GONE);
    assert.deepEqual(await logout.endAndPropagate(session, 'en', undefined, 'https://rp.example/out'), {
      unreachable: ['Service C', GONE],
    });
    await store.close();
  });

  test('finish: complete when every target confirmed; failed and silent ones are named, once', async () => {
    const { store, processes, logout, sessionWith, events } = world();
    const both = await logout.endAndPropagate(await sessionWith(A, B), 'en', undefined);
    assert.ok(both !== undefined && 'process' in both);
    const [toA, toB] = both.process.targets;
    assert.ok(toA !== undefined && toB !== undefined);
    await processes.answer(toA.requestId, A, true);
    await processes.answer(toB.requestId, B, false);
    const partial = await logout.finish(both.process.id);
    assert.deepEqual(partial?.notLoggedOut, ['Service B']);
    assert.equal(partial?.complete, false);
    assert.deepEqual(events.at(-1), ['slo.finished', { by: 'user', complete: false }]);
    assert.equal(await logout.finish(both.process.id), undefined, 'single use');

    const one = await logout.endAndPropagate(await sessionWith(A), 'en', undefined);
    assert.ok(one !== undefined && 'process' in one);
    await processes.answer(one.process.targets[0]?.requestId ?? '', A, true);
    const complete = await logout.finish(one.process.id);
    assert.deepEqual([complete?.notLoggedOut, complete?.complete], [[], true]);

    const silent = await logout.endAndPropagate(await sessionWith(A, C), 'en', undefined);
    assert.ok(silent !== undefined && 'process' in silent);
    assert.deepEqual((await logout.finish(silent.process.id))?.notLoggedOut, ['Service C', 'Service A']);
    await store.close();
  });

  test("displayName: the directory's name, else the entityID", () => {
    const { logout } = world();
    assert.equal(logout.displayName(A), 'Service A');
    assert.equal(logout.displayName(GONE), GONE);
  });
});
