// Each gateway adapter against its local fake: the request the vendor documents, its answers and how each failure
// is classified (kind, and whether the gateway may have sent).

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Elks46Provider } from '../../../src/sms/providers/elks46.ts';
import { GatewayApiProvider } from '../../../src/sms/providers/gatewayapi.ts';
import type { GatewayOptions } from '../../../src/sms/providers/gateway-options.ts';
import { SinchProvider } from '../../../src/sms/providers/sinch.ts';
import { TwilioProvider } from '../../../src/sms/providers/twilio.ts';
import { SmsError, type SmsProvider } from '../../../src/sms/sms-provider.ts';
import type { FakeMode } from '../../helpers/sms-fakes/fake-gateway.ts';
import {
  Fake46elks,
  type FakeGateway,
  FakeGatewayApi,
  FakeSinch,
  FakeTwilio,
  GATEWAYS,
  type GatewayName,
  startFake,
} from '../../helpers/sms-fakes/index.ts';

const TO = '+46701234567';
const TEXT = 'Din engångskod är 123456.\n\n@idp.example.com #123456';

function provider(
  name: GatewayName,
  fake: FakeGateway,
  options: Partial<GatewayOptions> = {},
  secret = (right: string) => right,
): SmsProvider {
  const o: GatewayOptions = {
    baseUrl: fake.baseUrl,
    timeoutMs: 1000, // generous: a busy CI core must not turn an answered request into a timeout
    senderFor: () => 'ExampleID',
    receiptUrl: (ref) => `https://idp.example.com/sms/receipts/${name}?ref=${ref}`,
    ...options,
  };
  switch (name) {
    case '46elks':
      return new Elks46Provider({ username: Fake46elks.USER, password: secret(Fake46elks.PASSWORD) }, o);
    case 'gatewayapi':
      return new GatewayApiProvider({ token: secret(FakeGatewayApi.TOKEN) }, o);
    case 'twilio':
      return new TwilioProvider(
        { accountSid: FakeTwilio.ACCOUNT_SID, authToken: secret(FakeTwilio.AUTH_TOKEN) },
        o,
      );
    case 'sinch':
      return new SinchProvider({ servicePlanId: FakeSinch.PLAN, apiToken: secret(FakeSinch.TOKEN) }, o);
  }
}

/** What each mode must be classified as, per gateway: [failure, processed]. */
const EXPECTED: Record<GatewayName, Record<Exclude<FakeMode, 'ok'>, [string, 'no' | 'maybe']>> = {
  '46elks': {
    'invalid-number': ['invalid-number', 'no'],
    'rate-limited': ['rate-limited', 'no'],
    auth: ['permanent', 'no'],
    credit: ['permanent', 'no'],
    'server-error': ['temporary', 'maybe'],
    unavailable: ['temporary', 'no'],
    'bad-gateway': ['temporary', 'maybe'],
    hang: ['temporary', 'maybe'],
  },
  gatewayapi: {
    'invalid-number': ['invalid-number', 'no'],
    'rate-limited': ['rate-limited', 'no'],
    auth: ['permanent', 'no'],
    credit: ['permanent', 'no'],
    'server-error': ['temporary', 'maybe'],
    unavailable: ['temporary', 'no'],
    'bad-gateway': ['temporary', 'maybe'],
    hang: ['temporary', 'maybe'],
  },
  twilio: {
    'invalid-number': ['invalid-number', 'no'],
    'rate-limited': ['rate-limited', 'no'],
    auth: ['permanent', 'no'],
    credit: ['permanent', 'no'],
    // Twilio: "sending an SMS … not idempotent … retrying may send twice" (error 20500).
    'server-error': ['temporary', 'maybe'],
    unavailable: ['temporary', 'maybe'],
    'bad-gateway': ['temporary', 'maybe'],
    hang: ['temporary', 'maybe'],
  },
  sinch: {
    'invalid-number': ['invalid-number', 'no'],
    'rate-limited': ['rate-limited', 'no'],
    auth: ['permanent', 'no'],
    credit: ['permanent', 'no'],
    // Sinch documents 500 as "the request was not processed".
    'server-error': ['temporary', 'no'],
    unavailable: ['temporary', 'no'],
    'bad-gateway': ['temporary', 'maybe'],
    hang: ['temporary', 'maybe'],
  },
};

for (const name of GATEWAYS) {
  describe(`${name} adapter`, () => {
    let fake: FakeGateway;
    before(async () => {
      fake = await startFake(name);
    });
    after(() => fake.close());

    it('sends the documented request and returns the gateway message id', async () => {
      fake.mode = 'ok';
      const result = await provider(name, fake).send({
        to: TO,
        text: TEXT,
        reference: 'ref-1',
        ttlSeconds: 300,
      });
      assert.deepEqual(fake.violations, []);
      const sent = fake.accepted.at(-1);
      assert.equal(sent?.to, TO);
      assert.equal(sent?.text, TEXT, 'text unchanged, no trailing newline added');
      assert.equal(result?.provider, name);
      assert.equal(result?.messageId, sent?.messageId);
      assert.ok((result?.messageId ?? '').length > 8);
    });

    it('sets the sender, the validity and our reference where the API has them', async () => {
      fake.mode = 'ok';
      await provider(name, fake).send({ to: TO, text: TEXT, reference: 'ref-2', ttlSeconds: 300 });
      const sent = fake.accepted.at(-1);
      assert.equal(sent?.from, 'ExampleID');
      const f = sent?.fields ?? {};
      switch (name) {
        case '46elks':
          assert.equal(f.dontlog, 'message');
          assert.equal(sent?.callbackUrl, 'https://idp.example.com/sms/receipts/46elks?ref=ref-2');
          break;
        case 'gatewayapi':
          assert.equal(sent?.reference, 'ref-2');
          assert.equal(f.expiration, 'PT300S');
          break;
        case 'twilio':
          assert.equal(f.ValidityPeriod, '300');
          assert.equal(sent?.callbackUrl, 'https://idp.example.com/sms/receipts/twilio?ref=ref-2');
          break;
        case 'sinch': {
          assert.equal(sent?.reference, 'ref-2');
          assert.equal(f.delivery_report, 'per_recipient_final');
          const left = Date.parse(String(f.expire_at)) - Date.now();
          assert.ok(left > 250_000 && left <= 300_000, `expire_at ${String(f.expire_at)}`);
          break;
        }
      }
    });

    for (const [mode, [failure, processed]] of Object.entries(EXPECTED[name])) {
      it(`classifies "${mode}" as ${failure}, processed ${processed}`, async () => {
        fake.mode = mode as FakeMode;
        const before = fake.accepted.length;
        try {
          await assert.rejects(provider(name, fake).send({ to: TO, text: TEXT }), (error: unknown) => {
            assert.ok(error instanceof SmsError, String(error));
            assert.equal(error.failure, failure);
            assert.equal(error.processed, processed);
            assert.equal(error.provider, name);
            return true;
          });
        } finally {
          fake.mode = 'ok';
        }
        assert.equal(fake.accepted.length, before);
        assert.deepEqual(fake.violations, []);
      });
    }

    it('a gateway that cannot be reached is temporary and known not to have sent', async () => {
      const closed = await startFake(name);
      const url = closed.baseUrl;
      await closed.close();
      await assert.rejects(provider(name, fake, { baseUrl: url }).send({ to: TO, text: TEXT }), (error) => {
        assert.ok(error instanceof SmsError);
        assert.equal(error.failure, 'temporary');
        assert.equal(error.processed, 'no');
        return true;
      });
    });

    it('wrong credentials are refused by the fake and permanent for us', async () => {
      const bad = provider(name, fake, {}, (right) => `${right}-wrong`);
      const refused = fake.refusedCredentials;
      await assert.rejects(
        bad.send({ to: TO, text: TEXT }),
        (e) => e instanceof SmsError && e.failure === 'permanent',
      );
      assert.equal(fake.refusedCredentials, refused + 1, 'the fake saw the wrong credentials');
      assert.deepEqual(fake.violations, []);
    });
  });
}
