// Stale copies of a login flow: a request that loaded the flow before another one changed it must not act on the old
// copy. "Wrong number?" and a language change must not revive a finished flow (compare-and-set), and a code check
// must build the identity and its guess lock from the flow read under the lock, not from the number loaded before:
// else a code sent to a new number could log in as the old one. On the memory store and on a real Redis.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { loadConfig, loginSettings } from '../../../src/config/config.ts';
import type { Flow } from '../../../src/login/flow.ts';
import { LoginService } from '../../../src/login/login-service.ts';
import type { Store } from '../../../src/store/store.ts';
import type { PendingRequest } from '../../../src/types.ts';
import { RecordingSmsProvider } from '../../helpers/recording-sms.ts';
import { STORES } from '../../helpers/stores.ts';

const REQUEST: PendingRequest = {
  spEntityId: 'https://sp.example.org/sp',
  requestId: '_stale-flow',
  acsUrl: 'https://sp.example.org/acs',
  relayState: undefined,
  forceAuthn: false,
  isPassive: false,
  nameIdFormat: 'unspecified',
  spNameQualifier: undefined,
  subjectPhone: undefined,
  spDisplayName: 'SP',
};
const IP = '192.0.2.10';
const settings = loadConfig({
  BASE_URL: 'https://idp.example.test',
  IDP_SECRET: 'test-secret-0123456789-0123456789-abcdef',
  OTP_RESEND_COOLDOWN_SECONDS: '0',
  SMS_MAX_PER_PHONE: '100',
});

for (const [name, factory] of Object.entries(STORES)) {
  describe(`stale flow copies (${name} store)`, () => {
    let store: Store;
    let stop: () => Promise<void>;
    before(async () => {
      ({ store, stop } = await factory());
    });
    after(() => stop());

    /** A login at the code step for `phone`, as loaded by a request: the copy that may go stale. */
    async function atCodeStep(login: LoginService, phone: string): Promise<Flow> {
      const flow = await login.start({
        request: REQUEST,
        params: { forcepkivendor: undefined, presetid: undefined, locale: 'en' },
        acceptLanguage: undefined,
        spDefaultLocale: undefined,
        offeredEids: ['nets_sms'],
        clientIp: IP,
      });
      const form = { csrf: flow.csrf, step: 'identify', given_name: 'Kari', family_name: 'Nordmann', phone };
      await login.submit(flow, form, IP);
      const loaded = await login.load(flow.id);
      assert.equal(loaded.step, 'verify-code');
      return loaded;
    }

    test('“wrong number?” from a copy loaded before the code was verified does not revive the flow', async () => {
      const sms = new RecordingSmsProvider();
      const login = new LoginService({
        store,
        sms,
        secret: settings.server.secret,
        settings: loginSettings(settings),
      });
      const stale = await atCodeStep(login, '+4791000001');
      const code = sms.lastCode('+4791000001');
      const done = await login.submit(stale, { csrf: stale.csrf, step: 'verify-code', code }, IP);
      assert.equal(done.kind, 'completed');
      await login.submit(stale, { csrf: stale.csrf, step: 'verify-code', action: 'change-phone' }, IP);
      assert.equal((await login.load(stale.id)).step, 'done', 'the finished flow stays finished');
    });

    test('a language change from a copy loaded before the flow finished does not revive it', async () => {
      const sms = new RecordingSmsProvider();
      const login = new LoginService({
        store,
        sms,
        secret: settings.server.secret,
        settings: loginSettings(settings),
      });
      const stale = await atCodeStep(login, '+4791000002');
      const code = sms.lastCode('+4791000002');
      await login.submit(stale, { csrf: stale.csrf, step: 'verify-code', code }, IP);
      const shown = await login.changeLocale(stale, 'sv');
      assert.equal(shown.step, 'done');
      assert.equal((await login.load(stale.id)).step, 'done');
    });

    test('a code for the new number, checked from a copy holding the old number, logs in as nobody', async () => {
      const sms = new RecordingSmsProvider();
      const login = new LoginService({
        store,
        sms,
        secret: settings.server.secret,
        settings: loginSettings(settings),
      });
      const stale = await atCodeStep(login, '+4791000003');
      // Meanwhile, in another request: "wrong number?", then a new number and its code.
      await login.submit(stale, { csrf: stale.csrf, step: 'verify-code', action: 'change-phone' }, IP);
      const back = await login.load(stale.id);
      const form = { csrf: back.csrf, step: 'identify', given_name: 'Kari', family_name: 'Nordmann' };
      await login.submit(back, { ...form, phone: '+4791000004' }, IP);
      const newCode = sms.lastCode('+4791000004');
      const outcome = await login.submit(stale, { csrf: stale.csrf, step: 'verify-code', code: newCode }, IP);
      if (outcome.kind === 'completed') {
        assert.notEqual(outcome.identity.phone, '+4791000003', 'the old number is never asserted');
      }
      assert.notEqual(outcome.kind, 'completed', 'the stale copy logs nobody in');
      const fresh = await login.load(stale.id);
      const right = await login.submit(fresh, { csrf: fresh.csrf, step: 'verify-code', code: newCode }, IP);
      assert.equal(right.kind, 'completed');
      assert.equal(right.kind === 'completed' ? right.identity.phone : '', '+4791000004');
    });
  });
}
