// Double SMS: a flow sends one code at a time, also when the SMS gateway takes longer than the default wait.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { setImmediate as tick } from 'node:timers/promises';
import { loadConfig, loginSettings } from '../../src/config/config.ts';
import { LoginService, type Outcome } from '../../src/login/login-service.ts';
import type { SmsMessage, SmsProvider } from '../../src/sms/sms-provider.ts';
import { MemoryStore } from '../../src/store/memory.ts';
import type { PendingRequest } from '../../src/types.ts';

/** A gateway that accepts each message only when told to: a slow SMS provider. */
class SlowGateway implements SmsProvider {
  readonly name = 'slow';
  readonly sent: SmsMessage[] = [];
  #open: () => void = () => {};
  readonly #gate = new Promise<void>((resolve) => {
    this.#open = resolve;
  });

  async send(message: SmsMessage): Promise<void> {
    this.sent.push(message);
    await this.#gate;
  }

  answer(): void {
    this.#open();
  }
}

const REQUEST: PendingRequest = {
  spEntityId: 'https://sp.example.org/sp',
  requestId: '_lock-test',
  acsUrl: 'https://sp.example.org/acs',
  relayState: undefined,
  forceAuthn: false,
  isPassive: false,
  nameIdFormat: 'unspecified',
  spNameQualifier: undefined,
  subjectPhone: undefined,
  spDisplayName: 'SP',
};

describe('the send lock of a flow', () => {
  test('with SMS_WEBHOOK_TIMEOUT_MS=30000, a second submit 16 s into a slow send waits, and no second SMS goes out', async () => {
    const settings = loadConfig({
      BASE_URL: 'https://idp.example.test',
      IDP_SECRET: 'test-secret-0123456789-0123456789-abcdef',
      SMS_PROVIDER: 'webhook',
      SMS_WEBHOOK_URL: 'https://sms.example.test/send',
      SMS_WEBHOOK_TIMEOUT_MS: '30000',
    });
    let clock = Date.now();
    const store = new MemoryStore({ now: () => clock });
    const sms = new SlowGateway();
    const login = new LoginService({
      store,
      sms,
      secret: settings.server.secret,
      settings: loginSettings(settings),
    });
    try {
      const flow = await login.start({
        request: REQUEST,
        params: { forcepkivendor: undefined, presetid: undefined, locale: 'en' },
        acceptLanguage: undefined,
        spDefaultLocale: undefined,
        offeredEids: ['nets_sms'],
        clientIp: '192.0.2.1',
      });
      const form = {
        csrf: flow.csrf,
        step: 'identify',
        given_name: 'Kari',
        family_name: 'Nordmann',
        phone: '+4791234567',
      };
      const first = login.submit(flow, form, '192.0.2.1');
      while (sms.sent.length === 0) await tick();
      clock += 16_000;
      let second: Outcome | undefined;
      const secondDone = login.submit(flow, form, '192.0.2.1').then((outcome) => {
        second = outcome;
      });
      for (let i = 0; i < 50 && second === undefined && sms.sent.length < 2; i++) await tick();
      sms.answer();
      await Promise.all([first, secondDone]);
      assert.equal(sms.sent.length, 1, 'one SMS, one code');
      assert.equal(second?.kind, 'invalid');
      assert.equal(second?.kind === 'invalid' ? second.problems.form?.key : undefined, 'error.busy');
    } finally {
      await store.close();
    }
  });
});
