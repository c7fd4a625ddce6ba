// SsoSessions on the memory store with a movable clock.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { type SsoSession, SsoSessions } from '../../../../src/idp/session/sso-session.ts';
import { MemoryStore } from '../../../../src/store/memory.ts';

const SECRET = 'unit-secret-0123456789-0123456789-abc';
const KARI = { phone: '+4741234567', givenName: 'Kari', familyName: 'Nordmann' };
const ANTON = { phone: '+46701234567', givenName: 'Anton Erik', familyName: 'Svenson' };
const SP_A = 'https://a.example/sp';
const SP_B = 'https://b.example/sp';

function clocked(ttlSeconds = 3600) {
  let now = Date.parse('2030-01-01T10:00:00Z');
  const store = new MemoryStore({ now: () => now });
  const sessions = new SsoSessions({ store, secret: SECRET, ttlSeconds, now: () => now });
  return {
    store,
    sessions,
    advance: (ms: number) => {
      now += ms;
    },
  };
}

const participant = (spEntityId: string, nameId = '+4741234567') => ({
  spEntityId,
  nameId,
  nameIdFormat: 'unspecified' as const,
  spNameQualifier: spEntityId,
});

describe('SsoSessions', () => {
  test('a cookie finds its session; a wrong token or id finds nothing', async () => {
    const { sessions, store } = clocked();
    const { session, cookie } = await sessions.begin(KARI, undefined);
    assert.equal((await sessions.find(cookie))?.id, session.id);
    const [id, token] = cookie.split('.') as [string, string];
    assert.equal(await sessions.find(`${id}.${token.slice(0, -1)}x`), undefined);
    assert.equal(await sessions.find(`${'A'.repeat(22)}.${token}`), undefined);
    assert.equal(await sessions.find(undefined), undefined);
    assert.equal(await sessions.find('no-dot'), undefined);
    assert.doesNotMatch(
      JSON.stringify(await store.get(`{${id}}:sso`)),
      new RegExp(token),
      'the token is not stored',
    );
    await store.close();
  });

  test('the session ends after its lifetime', async () => {
    const { sessions, advance, store } = clocked(600);
    const { cookie, session } = await sessions.begin(KARI, undefined);
    assert.equal(session.expiresAt - session.authnInstant, 600_000);
    advance(599_000);
    assert.ok(await sessions.find(cookie));
    advance(2_000);
    assert.equal(await sessions.find(cookie), undefined);
    await store.close();
  });

  test('join keeps one entry and one SessionIndex per SP; each SP gets another SessionIndex', async () => {
    const { sessions, store } = clocked();
    const { session } = await sessions.begin(KARI, undefined);
    const a1 = await sessions.join(session.id, participant(SP_A, '_t1'));
    const b = await sessions.join(session.id, participant(SP_B));
    const a2 = await sessions.join(session.id, participant(SP_A, '_t2'));
    assert.ok(a1 && b && a2);
    assert.equal(a2.sessionIndex, a1.sessionIndex);
    assert.notEqual(b.sessionIndex, a1.sessionIndex);
    const stored = (await sessions.get(session.id)) as SsoSession;
    assert.deepEqual(
      stored.participants.map((p) => [p.spEntityId, p.nameId]),
      [
        [SP_A, '_t2'],
        [SP_B, '+4741234567'],
      ],
    );
    await store.close();
  });

  test('concurrent joins lose no participant', async () => {
    const { sessions, store } = clocked();
    const { session } = await sessions.begin(KARI, undefined);
    const sps = Array.from({ length: 8 }, (_v, i) => `https://sp${i}.example/sp`);
    await Promise.all(sps.map((sp) => sessions.join(session.id, participant(sp))));
    assert.equal((await sessions.get(session.id))?.participants.length, 8);
    await store.close();
  });

  test('a SessionIndex opens to its session only for the SP it was given to', async () => {
    const { sessions, store } = clocked();
    const { session } = await sessions.begin(KARI, undefined);
    const a = await sessions.join(session.id, participant(SP_A));
    assert.ok(a);
    assert.match(a.sessionIndex, /^_[A-Za-z0-9_-]+$/);
    assert.ok(!a.sessionIndex.includes(session.id), 'the session id is not readable in it');
    assert.equal(sessions.sessionIdOf(SP_A, a.sessionIndex), session.id);
    assert.equal(sessions.sessionIdOf(SP_B, a.sessionIndex), undefined);
    assert.equal(sessions.sessionIdOf(SP_A, `${a.sessionIndex.slice(0, -2)}AA`), undefined);
    assert.equal(sessions.sessionIdOf(SP_A, '_short'), undefined);
    const other = new SsoSessions({ store, secret: `${SECRET}-other`, ttlSeconds: 60 });
    assert.equal(other.sessionIdOf(SP_A, a.sessionIndex), undefined, 'another secret cannot open it');
    await store.close();
  });

  test('a new login by the same person continues the session with a new AuthnInstant and token', async () => {
    const { sessions, advance, store } = clocked();
    const first = await sessions.begin(KARI, undefined);
    await sessions.join(first.session.id, participant(SP_A));
    advance(60_000);
    const again = await sessions.begin(KARI, first.session);
    assert.equal(again.session.id, first.session.id);
    assert.equal(again.session.authnInstant, first.session.authnInstant + 60_000);
    assert.equal(again.session.participants.length, 1);
    assert.equal(
      await sessions.find(first.cookie),
      undefined,
      'the cookie from before the login names nothing',
    );
    assert.ok(await sessions.find(again.cookie));

    const other = await sessions.begin(ANTON, again.session);
    assert.notEqual(other.session.id, first.session.id, 'another person starts another session');
    assert.equal(other.session.participants.length, 0);
    await store.close();
  });

  test('end is single use; the logout token is bound to the session', async () => {
    const { sessions, store } = clocked();
    const one = await sessions.begin(KARI, undefined);
    const two = await sessions.begin(ANTON, undefined);
    const token = sessions.logoutToken(one.session);
    assert.ok(sessions.logoutTokenMatches(one.session, token));
    assert.ok(!sessions.logoutTokenMatches(two.session, token));
    assert.ok(!sessions.logoutTokenMatches(one.session, undefined));
    const ended = await Promise.all([sessions.end(one.session.id), sessions.end(one.session.id)]);
    assert.equal(ended.filter((s) => s !== undefined).length, 1);
    assert.equal(await sessions.find(one.cookie), undefined);
    assert.equal(
      await sessions.join(one.session.id, participant(SP_A)),
      undefined,
      'an ended session takes no SP',
    );
    await store.close();
  });
});
