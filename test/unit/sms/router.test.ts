// Routing and failover through two real gateway fakes: which gateway sends for each failure kind, that one send
// never reaches two gateways when the first may have sent, the circuit breaker, and routes per country.

import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { Elks46Provider } from '../../../src/sms/providers/elks46.ts';
import { TwilioProvider } from '../../../src/sms/providers/twilio.ts';
import { type SendAttempt, SmsRouter } from '../../../src/sms/router.ts';
import { SmsError, type SmsProvider } from '../../../src/sms/sms-provider.ts';
import type { FakeMode } from '../../helpers/sms-fakes/fake-gateway.ts';
import { Fake46elks, FakeTwilio } from '../../helpers/sms-fakes/index.ts';

const SE = '+46701234567';
const FI = '+358401234567';
const TEXT = 'Koden er 123456.\n\n@idp.example.com #123456';

describe('SmsRouter', () => {
  let elks: Fake46elks;
  let twilio: FakeTwilio;
  let clock = 0;
  const attempts: SendAttempt[] = [];

  before(async () => {
    elks = await Fake46elks.start();
    twilio = await FakeTwilio.start();
  });
  after(async () => {
    await elks.close();
    await twilio.close();
  });
  beforeEach(() => {
    elks.mode = 'ok';
    twilio.mode = 'ok';
    for (const fake of [elks, twilio]) {
      fake.accepted.length = 0;
      fake.received.length = 0;
    }
    attempts.length = 0;
    clock = 1_000_000;
  });

  const router = (routes?: Record<string, string[]>, failures = 3) => {
    // A generous timeout: a busy CI core must not turn an answered request into a timeout.
    const options = { timeoutMs: 1000, senderFor: () => 'ExampleID' };
    return new SmsRouter({
      providers: new Map<string, SmsProvider>([
        [
          '46elks',
          new Elks46Provider(
            { username: Fake46elks.USER, password: Fake46elks.PASSWORD },
            { ...options, baseUrl: elks.baseUrl },
          ),
        ],
        [
          'twilio',
          new TwilioProvider(
            { accountSid: FakeTwilio.ACCOUNT_SID, authToken: FakeTwilio.AUTH_TOKEN },
            { ...options, baseUrl: twilio.baseUrl },
          ),
        ],
      ]),
      order: ['46elks', 'twilio'],
      routes,
      breaker: { failures, openSeconds: 60 },
      now: () => clock,
      onAttempt: (a) => attempts.push(a),
    });
  };

  /** First gateway's mode → who sends (or the failure the caller sees). */
  const MATRIX: [FakeMode, 'first' | 'second' | string][] = [
    ['ok', 'first'],
    ['invalid-number', 'invalid-number'],
    ['rate-limited', 'second'],
    ['auth', 'second'],
    ['credit', 'second'],
    ['unavailable', 'second'],
    ['server-error', 'temporary'],
    ['bad-gateway', 'temporary'],
    ['hang', 'temporary'],
  ];

  for (const [mode, expected] of MATRIX) {
    it(`first gateway "${mode}" → ${expected}`, async () => {
      elks.mode = mode;
      const r = router();
      const send = r.send({ to: SE, text: TEXT });
      if (expected === 'first' || expected === 'second') {
        const result = await send;
        assert.equal(result.provider, expected === 'first' ? '46elks' : 'twilio');
      } else {
        await assert.rejects(
          send,
          (e) => e instanceof SmsError && e.failure === expected && e.provider === '46elks',
        );
      }
      const delivered = elks.accepted.length + twilio.accepted.length;
      assert.equal(
        delivered,
        expected === 'first' || expected === 'second' ? 1 : 0,
        'never two messages for one send',
      );
      assert.equal(
        twilio.received.length > 0,
        expected === 'second',
        'the second gateway is asked only on failover',
      );
      assert.deepEqual([...elks.violations, ...twilio.violations], []);
      assert.equal(attempts[0]?.provider, '46elks');
      assert.equal(attempts[0]?.country, 'SE');
    });
  }

  it('both gateways refusing: the last failure, nothing sent', async () => {
    elks.mode = 'unavailable';
    twilio.mode = 'rate-limited';
    await assert.rejects(
      router().send({ to: SE, text: TEXT }),
      (e) => e instanceof SmsError && e.failure === 'rate-limited' && e.provider === 'twilio',
    );
    assert.equal(elks.accepted.length + twilio.accepted.length, 0);
    assert.deepEqual(
      attempts.map((a) => [a.provider, a.outcome, a.failover]),
      [
        ['46elks', 'temporary', false],
        ['twilio', 'rate-limited', true],
      ],
    );
  });

  it('an avoided gateway (earlier attempt lost or uncertain) goes last', async () => {
    const result = await router().send({ to: SE, text: TEXT, avoid: ['46elks'] });
    assert.equal(result.provider, 'twilio');
    assert.equal(elks.received.length, 0, 'the avoided gateway was not asked');
  });

  it('the breaker opens on a gateway refusal, keeps it out, then lets one trial through and closes', async () => {
    const r = router();
    elks.mode = 'auth';
    assert.equal((await r.send({ to: SE, text: TEXT })).provider, 'twilio');
    assert.equal(r.breakers.state('46elks'), 'open');
    elks.mode = 'ok';
    const asked = elks.received.length;
    assert.equal((await r.send({ to: SE, text: TEXT })).provider, 'twilio');
    assert.equal(elks.received.length, asked, 'an open gateway is not asked');
    clock += 61_000;
    assert.equal(r.breakers.state('46elks'), 'half-open');
    assert.equal((await r.send({ to: SE, text: TEXT })).provider, '46elks');
    assert.equal(r.breakers.state('46elks'), 'closed');
  });

  it('temporary failures open the breaker only after SMS_BREAKER_FAILURES in a row; a failed trial reopens it', async () => {
    const r = router(undefined, 2);
    elks.mode = 'unavailable';
    await r.send({ to: SE, text: TEXT });
    assert.equal(r.breakers.state('46elks'), 'closed');
    await r.send({ to: SE, text: TEXT });
    assert.equal(r.breakers.state('46elks'), 'open');
    clock += 61_000;
    assert.equal(r.breakers.state('46elks'), 'half-open');
    await r.send({ to: SE, text: TEXT });
    assert.equal(r.breakers.state('46elks'), 'open', 'one failed trial is enough');
    assert.equal(twilio.accepted.length, 3);
  });

  it('a wrong number does not count against the gateway', async () => {
    const r = router(undefined, 1);
    elks.mode = 'invalid-number';
    await assert.rejects(r.send({ to: SE, text: TEXT }));
    assert.equal(r.breakers.state('46elks'), 'closed');
  });

  it('routes per country; * for the others', async () => {
    const r = router({ FI: ['twilio', '46elks'], '*': ['46elks'] });
    assert.deepEqual(r.orderFor(FI), ['twilio', '46elks']);
    assert.deepEqual(r.orderFor(SE), ['46elks']);
    assert.equal((await r.send({ to: FI, text: TEXT })).provider, 'twilio');
    assert.equal((await r.send({ to: SE, text: TEXT })).provider, '46elks');
    elks.mode = 'rate-limited';
    await assert.rejects(
      r.send({ to: SE, text: TEXT }),
      (e) => e instanceof SmsError && e.failure === 'rate-limited',
    );
    assert.equal(twilio.acceptedFor(SE).length, 0, 'SE is routed to 46elks alone');
  });
});
