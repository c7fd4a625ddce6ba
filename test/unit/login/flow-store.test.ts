// Stored flow records: one written by the version before the Flow union (a flat record, as a process still running
// during a rolling upgrade writes it) loads and goes on; a record that is not a flow reads as expired, never a crash.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { loadConfig, loginSettings } from '../../../src/config/config.ts';
import { FlowError } from '../../../src/errors.ts';
import { FlowStore, isStoredFlow } from '../../../src/login/flow-store.ts';
import { LoginService } from '../../../src/login/login-service.ts';
import { hashCode } from '../../../src/login/otp.ts';
import { MemoryStore } from '../../../src/store/memory.ts';
import { RecordingSmsProvider } from '../../helpers/recording-sms.ts';

const settings = loadConfig({
  BASE_URL: 'https://idp.example.test',
  IDP_SECRET: 'test-secret-0123456789-0123456789-abcdef',
});
const ID = 'BBBBBBBBBBBBBBBBBBBBBBBB';

/** The flat record the earlier version wrote at the code step (undefined fields were dropped by JSON). */
function earlierCodeStep(now: number, code: string): Record<string, unknown> {
  return {
    id: ID,
    step: 'verify-code',
    createdAt: now - 10_000,
    request: {
      spEntityId: 'https://sp.example.org/sp',
      requestId: '_earlier',
      acsUrl: 'https://sp.example.org/acs',
      forceAuthn: false,
      isPassive: false,
      nameIdFormat: 'unspecified',
      spDisplayName: 'SP',
    },
    locale: 'en',
    csrf: 'csrf-token-of-the-earlier-version',
    offeredEids: ['nets_sms'],
    preset: {},
    givenName: 'Kari',
    familyName: 'Nordmann',
    phone: '+4791234567',
    codeNonce: 'nonce',
    codeHash: hashCode(settings.server.secret, ID, code),
    codeExpiresAt: now + 300_000,
    lastSentAt: now - 5_000,
    phoneCountry: 'NO',
  };
}

describe('flow records in the store', () => {
  test('a code-step record of the earlier version loads, and its code logs the person in', async () => {
    const store = new MemoryStore();
    try {
      const now = Date.now();
      await store.set(`{${ID}}:flow`, earlierCodeStep(now, '123456'), 600);
      const login = new LoginService({
        store,
        sms: new RecordingSmsProvider(),
        secret: settings.server.secret,
        settings: loginSettings(settings),
      });
      const flow = await login.load(ID);
      assert.equal(flow.step, 'verify-code');
      const outcome = await login.submit(flow, { step: 'verify-code', code: '123456' }, '192.0.2.1');
      assert.equal(outcome.kind, 'completed');
      assert.deepEqual(outcome.kind === 'completed' ? outcome.identity : undefined, {
        phone: '+4791234567',
        givenName: 'Kari',
        familyName: 'Nordmann',
      });
    } finally {
      await store.close();
    }
  });

  test('a record that is not a flow this version can act on is an expired flow', async () => {
    const store = new MemoryStore();
    try {
      const flows = new FlowStore(store, 900, Date.now);
      const broken = [
        { ...earlierCodeStep(Date.now(), '123456'), codeHash: undefined },
        { ...earlierCodeStep(Date.now(), '123456'), step: 'sms-sent' },
        { ...earlierCodeStep(Date.now(), '123456'), locale: 'xx' },
        { ...earlierCodeStep(Date.now(), '123456'), request: 'not an object' },
        'a string',
        42,
      ];
      for (const value of broken) {
        assert.equal(isStoredFlow(value), false, JSON.stringify(value));
        await store.set(`{${ID}}:flow`, value, 600);
        await assert.rejects(
          flows.load(ID),
          (error: unknown) => error instanceof FlowError && error.kind === 'expired',
        );
      }
    } finally {
      await store.close();
    }
  });

  test('an id of the wrong shape is not looked up', async () => {
    const store = new MemoryStore();
    try {
      const flows = new FlowStore(store, 900, Date.now);
      await store.set('{short}:flow', earlierCodeStep(Date.now(), '123456'), 600);
      await assert.rejects(flows.load('short'), FlowError);
    } finally {
      await store.close();
    }
  });
});
