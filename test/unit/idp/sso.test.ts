// sessionServes: may an SSO session answer a request's presets and eID choice without a new code.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { SsoSession } from '../../../src/idp/session/sso-session.ts';
import { sessionServes } from '../../../src/idp/sso.ts';

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
