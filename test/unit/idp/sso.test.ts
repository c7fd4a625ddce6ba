// The SSO decision: may a session answer a request (forced login, max_age, presets, eID choice), and what then.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { SsoSession } from '../../../src/idp/session/sso-session.ts';
import { decideSso, type SsoRequest, sessionMayAnswer, sessionServes } from '../../../src/idp/sso.ts';

const ANTON = { phone: '+46701234567', givenName: 'Anton Erik', familyName: 'Svenson' };

describe('sessionServes', () => {
  const session: SsoSession = { id: 'x', identity: ANTON, authnInstant: 0, expiresAt: 1, participants: [] };
  const context = (over: Partial<Parameters<typeof sessionServes>[1]> = {}, params = {}) => ({
    params: { forcepkivendor: undefined, presetid: undefined, locale: undefined, ...params },
    subjectPhone: undefined,
    offeredEids: ['nets_sms'],
    smsCountries: ['NO', 'SE'],
    ...over,
  });

  test('serves a plain request and presets that name the session person', () => {
    assert.ok(sessionServes(session, context()));
    assert.ok(sessionServes(session, context({}, { presetid: '+46701234567 Svenson, Anton Erik' })));
    assert.ok(sessionServes(session, context({}, { presetid: 'Svenson,Anton Erik' })));
    assert.ok(sessionServes(session, context({}, { forcepkivendor: 'abs:nets_sms' })));
    assert.ok(sessionServes(session, context({ subjectPhone: '+46 70 123 45 67' })));
  });

  test('does not serve another person, another eID, or a preset it cannot read', () => {
    assert.ok(!sessionServes(session, context({}, { presetid: '+4741234567' })));
    assert.ok(!sessionServes(session, context({}, { presetid: 'Svenson, Anton' })));
    assert.ok(!sessionServes(session, context({}, { presetid: '+12' })));
    assert.ok(!sessionServes(session, context({}, { forcepkivendor: 'no_bankid' })));
    assert.ok(!sessionServes(session, context({ offeredEids: ['no_bankid'] })));
    assert.ok(!sessionServes(session, context({ subjectPhone: '+4741234567' })));
  });
});

describe('sessionMayAnswer and decideSso', () => {
  const LOGIN = Date.parse('2030-01-01T10:00:00Z');
  const session: SsoSession = {
    id: 'x',
    identity: ANTON,
    authnInstant: LOGIN,
    expiresAt: LOGIN + 3_600_000,
    participants: [],
  };
  const request = (over: Partial<SsoRequest> = {}): SsoRequest => ({
    forceLogin: false,
    params: { forcepkivendor: undefined, presetid: undefined, locale: undefined },
    subjectPhone: undefined,
    offeredEids: ['nets_sms'],
    smsCountries: ['NO', 'SE'],
    ...over,
  });

  test('a forced login (ForceAuthn, prompt=login) is never answered from the session', () => {
    assert.ok(sessionMayAnswer(session, request(), LOGIN + 1000));
    assert.ok(!sessionMayAnswer(session, request({ forceLogin: true }), LOGIN + 1000));
  });

  test('max_age: a login older than it does not answer; one exactly that old still does', () => {
    assert.ok(sessionMayAnswer(session, request({ maxAgeSeconds: 60 }), LOGIN + 60_000));
    assert.ok(!sessionMayAnswer(session, request({ maxAgeSeconds: 60 }), LOGIN + 60_001));
    assert.ok(!sessionMayAnswer(session, request({ maxAgeSeconds: 0 }), LOGIN + 1));
  });

  test("the presets' rules still apply", () => {
    const other = request({ subjectPhone: '+4741234567' });
    assert.ok(!sessionMayAnswer(session, other, LOGIN));
  });

  test('answer from a session that may; log in otherwise; refuse a passive request instead', () => {
    const now = LOGIN + 1000;
    assert.deepEqual(decideSso(session, { ...request(), passive: false }, now), { kind: 'answer', session });
    assert.deepEqual(decideSso(session, { ...request(), passive: true }, now), { kind: 'answer', session });
    assert.deepEqual(decideSso(undefined, { ...request(), passive: false }, now), { kind: 'login' });
    assert.deepEqual(decideSso(undefined, { ...request(), passive: true }, now), { kind: 'no-passive' });
    const forced = { ...request({ forceLogin: true }), passive: true };
    assert.deepEqual(decideSso(session, forced, now), { kind: 'no-passive' }, 'ForceAuthn with IsPassive');
    assert.deepEqual(decideSso(session, { ...forced, passive: false }, now), { kind: 'login' });
  });
});
