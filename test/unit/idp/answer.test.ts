// The answer core: which session an answer speaks for, what an assertion states of it, and what an OIDC login binds.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { answeringSession, joinSession, nameQualifier, sessionBinding } from '../../../src/idp/answer.ts';
import { type SsoSession, SsoSessions } from '../../../src/idp/session/sso-session.ts';
import { MemoryStore } from '../../../src/store/memory.ts';

const KARI = { phone: '+4741234567', givenName: 'Kari', familyName: 'Nordmann' };
const SP = 'https://a.example/sp';
const subject = (nameId: string) => ({
  spEntityId: SP,
  nameId,
  nameIdFormat: 'transient' as const,
  spNameQualifier: SP,
});

function clocked() {
  let now = Date.parse('2030-01-01T10:00:00Z');
  const store = new MemoryStore({ now: () => now });
  const sessions = new SsoSessions({
    store,
    secret: 'unit-secret-0123456789-abcdef',
    ttlSeconds: 3600,
    now: () => now,
  });
  return { store, sessions, advance: (ms: number) => (now += ms), now: () => now };
}

describe('answeringSession', () => {
  const session: SsoSession = { id: 's', identity: KARI, authnInstant: 1, expiresAt: 2, participants: [] };

  test("an SSO answer keeps its session and starts none; a login's answer establishes one; SSO off has none", async () => {
    let established = 0;
    const establish = async () => {
      established++;
      return session;
    };
    assert.equal(await answeringSession(session, establish), session);
    assert.equal(established, 0);
    assert.equal(await answeringSession(undefined, establish), session);
    assert.equal(established, 1);
    assert.equal(await answeringSession(undefined, undefined), undefined);
  });
});

describe('nameQualifier', () => {
  test("the SP's SPNameQualifier when it asked for one, else its entityID", () => {
    assert.equal(nameQualifier({ spEntityId: SP, spNameQualifier: undefined }), SP);
    assert.equal(nameQualifier({ spEntityId: SP, spNameQualifier: 'q' }), 'q');
  });
});

describe('joinSession', () => {
  test("the SP joins the session: the session's AuthnInstant and end, one SessionIndex for the whole session", async () => {
    const { store, sessions, advance, now } = clocked();
    const { session } = await sessions.begin(KARI, undefined);
    advance(5000);
    const first = await joinSession(sessions, session, subject('n1'), new Date(now()));
    assert.equal(first.authnInstant.getTime(), session.authnInstant);
    assert.equal(first.sessionNotOnOrAfter?.getTime(), session.expiresAt);
    assert.equal(sessions.sessionIdOf(SP, first.sessionIndex), session.id);
    const again = await joinSession(sessions, session, subject('n2'), new Date(now()));
    assert.equal(again.sessionIndex, first.sessionIndex);
    const joined = await sessions.get(session.id);
    assert.deepEqual(
      joined?.participants.map((p) => [p.spEntityId, p.nameId]),
      [[SP, 'n2']],
      'the latest NameID is recorded',
    );
    await store.close();
  });

  test('without a session, or one that ended meanwhile, the assertion stands alone', async () => {
    const { store, sessions, now } = clocked();
    const at = new Date(now());
    const alone = await joinSession(undefined, undefined, subject('n'), at);
    assert.equal(alone.authnInstant, at);
    assert.equal(alone.sessionNotOnOrAfter, undefined);
    assert.match(alone.sessionIndex, /^_[0-9a-f]{32}$/);
    const { session } = await sessions.begin(KARI, undefined);
    await sessions.end(session.id);
    const ended = await joinSession(sessions, session, subject('n'), at);
    assert.equal(ended.authnInstant, at);
    assert.equal(ended.sessionNotOnOrAfter, undefined);
    assert.equal(sessions.sessionIdOf(SP, ended.sessionIndex), undefined, 'not a sealed SessionIndex');
    assert.notEqual(ended.sessionIndex, alone.sessionIndex);
    await store.close();
  });
});

describe('sessionBinding', () => {
  test('binds the SSO session and its login time; with SSO off the identity and now', () => {
    const session: SsoSession = { id: 's', identity: KARI, authnInstant: 7, expiresAt: 9, participants: [] };
    assert.deepEqual(sessionBinding(KARI, session, 100), { ssoSessionId: 's', authnInstant: 7 });
    assert.deepEqual(sessionBinding(KARI, undefined, 100), { identity: KARI, authnInstant: 100 });
  });
});
