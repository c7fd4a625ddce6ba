// SMS cost and code-guessing limits on a real memory store with a movable clock: every window, its retry time, the
// failure delays and lock, and that a refused send writes nothing.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  addressKey,
  failureDelaySeconds,
  type LimitSettings,
  Limits,
  numberPrefix,
} from '../../../src/login/limits.ts';
import { MemoryStore } from '../../../src/store/memory.ts';
import type { Store } from '../../../src/store/store.ts';

const SECRET = 'a-test-secret-of-at-least-32-characters!';
const HOUR = 3600;
const DAY = 24 * HOUR;

const DEFAULTS: LimitSettings = {
  otpMaxAttempts: 5,
  otpMaxSendsPerFlow: 3,
  smsMaxPerPhone: 5,
  smsMaxPerPhoneDay: 10,
  smsMaxPerIp: 20,
  smsMaxPerPrefix: 30,
  smsPrefixDigits: 7,
  smsMaxGlobal: 1000,
  otpMaxFailuresPerPhone: 10,
  otpFailureDelayAfter: 5,
  otpFailureDelayMaxSeconds: 900,
  flowMaxPerIp: 300,
};

/** A memory store whose clock the test moves, remembering every key written. */
function setup(settings: Partial<LimitSettings> = {}, options: { guessWaitMs?: number } = {}) {
  let now = Date.UTC(2025, 0, 1);
  const memory = new MemoryStore({ now: () => now });
  const keys = new Set<string>();
  const store: Store = {
    get: (key) => memory.get(key),
    set: async (key, value, ttl) => {
      keys.add(key);
      await memory.set(key, value, ttl);
    },
    setIfAbsent: async (key, value, ttl) => {
      keys.add(key);
      return memory.setIfAbsent(key, value, ttl);
    },
    replaceIf: async (key, expected, value, ttl) => {
      keys.add(key);
      return memory.replaceIf(key, expected, value, ttl);
    },
    take: (key) => memory.take(key),
    delete: (key) => memory.delete(key),
    increment: async (key, ttl) => {
      keys.add(key);
      return memory.increment(key, ttl);
    },
    ttl: (key) => memory.ttl(key),
    ping: () => memory.ping(),
    close: () => memory.close(),
  };
  const limits = new Limits(store, { ...DEFAULTS, ...settings }, SECRET, options);
  return {
    limits,
    memory,
    keys,
    advance(seconds: number) {
      now += seconds * 1000;
    },
  };
}

let flowCounter = 0;
const newFlow = () => `flow${++flowCounter}`;

describe('numberPrefix and failureDelaySeconds', () => {
  it('takes the leading digits of the E.164 number, country code included', () => {
    assert.equal(numberPrefix('+46701234567', 7), '4670123');
    assert.equal(numberPrefix('+4791234567', 6), '479123');
    assert.equal(numberPrefix('+3546112345', 15), '3546112345');
  });

  it('waits nothing below the threshold, then 2, 4, 8 … seconds up to the cap', () => {
    assert.deepEqual(
      [1, 4, 5, 6, 7, 8, 9].map((f) => failureDelaySeconds(f, 5, 900)),
      [0, 0, 2, 4, 8, 16, 32],
    );
    assert.equal(failureDelaySeconds(14, 5, 900), 900);
    assert.equal(failureDelaySeconds(99, 5, 900), 900);
    assert.equal(failureDelaySeconds(3, 1, 5), 5);
  });
});

describe('addressKey', () => {
  it('counts IPv4 addresses one by one, IPv4-mapped ones too', () => {
    assert.equal(addressKey('192.0.2.7'), '192.0.2.7');
    assert.equal(addressKey('::ffff:192.0.2.7'), '192.0.2.7');
  });

  it('counts an IPv6 address by its /64, however it is written', () => {
    const network = '2001:db8:1:2::/64';
    for (const ip of [
      '2001:db8:1:2::1',
      '2001:0db8:0001:0002:ffff:ffff:ffff:ffff',
      '2001:db8:1:2:a:b:c:d%eth0',
      '2001:DB8:1:2::',
    ]) {
      assert.equal(addressKey(ip), network, ip);
    }
    assert.equal(addressKey('2001:db8::1'), '2001:db8:0:0::/64');
    assert.equal(addressKey('::1'), '0:0:0:0::/64');
    assert.notEqual(addressKey('2001:db8:1:3::1'), network);
  });
});

describe('chargeSend', () => {
  it('sms pumping in one flow: refused after OTP_MAX_SENDS_PER_FLOW, with no time to wait for', async () => {
    const { limits } = setup();
    const flow = newFlow();
    for (let i = 0; i < 3; i++)
      assert.equal(await limits.chargeSend(flow, '+4791234567', '10.0.0.1', 600), undefined);
    assert.deepEqual(await limits.chargeSend(flow, '+4791234567', '10.0.0.1', 600), {
      reason: 'flow-sends',
      retryAfterSeconds: undefined,
    });
    assert.equal(await limits.sendsUsed(flow), 3);
  });

  const windows: [string, Partial<LimitSettings>, (i: number) => [string, string], number][] = [
    ['ip-rate', { smsMaxPerIp: 2 }, (i) => [`+479123456${i}`, '10.0.0.1'], HOUR],
    ['phone-rate', { smsMaxPerPhone: 2 }, (i) => ['+4791234567', `10.0.0.${i}`], HOUR],
    [
      'phone-day-rate',
      { smsMaxPerPhone: 100, smsMaxPerPhoneDay: 2 },
      (i) => ['+4791234567', `10.0.0.${i}`],
      DAY,
    ],
    ['prefix-rate', { smsMaxPerPrefix: 2 }, (i) => [`+479123456${i}`, `10.0.0.${i}`], HOUR],
    ['global-rate', { smsMaxGlobal: 2 }, (i) => [`+46701234${i}67`, `10.0.${i}.1`], HOUR],
  ];
  for (const [reason, settings, target, window] of windows) {
    it(`${reason}: refused once full, and says when the window ends`, async () => {
      const { limits, advance } = setup(settings);
      for (let i = 0; i < 2; i++) {
        const [phone, ip] = target(i);
        assert.equal(await limits.chargeSend(newFlow(), phone, ip, 600), undefined);
      }
      advance(600);
      const [phone, ip] = target(2);
      assert.deepEqual(await limits.chargeSend(newFlow(), phone, ip, 600), {
        reason,
        retryAfterSeconds: window - 600,
      });
      advance(window - 600);
      assert.equal(await limits.chargeSend(newFlow(), phone, ip, 600), undefined, 'a new window');
    });
  }

  it('the prefix window counts numbers of one range, not numbers of another', async () => {
    const { limits } = setup({ smsMaxPerPrefix: 2 });
    for (const phone of ['+4791234561', '+4791234562']) {
      assert.equal(await limits.chargeSend(newFlow(), phone, '10.0.0.1', 600), undefined);
    }
    assert.equal((await limits.chargeSend(newFlow(), '+4791234563', '10.0.0.1', 600))?.reason, 'prefix-rate');
    assert.equal(await limits.chargeSend(newFlow(), '+4741234563', '10.0.0.1', 600), undefined);
  });

  it('a refused send spends nothing: one address over its limit cannot use up the global budget', async () => {
    const { limits } = setup({ smsMaxPerIp: 1, smsMaxGlobal: 2 });
    assert.equal(await limits.chargeSend(newFlow(), '+4791234561', '10.6.6.6', 600), undefined);
    for (let i = 0; i < 50; i++) {
      const refused = await limits.chargeSend(newFlow(), `+46701234${i % 10}67`, '10.6.6.6', 600);
      assert.equal(refused?.reason, 'ip-rate');
    }
    assert.equal(await limits.chargeSend(newFlow(), '+4741234567', '10.0.0.2', 600), undefined);
  });

  it('SMS pumping from fresh IPv6 addresses of one /64 is one client', async () => {
    const { limits } = setup({ smsMaxPerIp: 2 });
    assert.equal(await limits.chargeSend(newFlow(), '+4791234561', '2001:db8:7:7::1', 600), undefined);
    assert.equal(await limits.chargeSend(newFlow(), '+4791234562', '2001:db8:7:7:a:b:c:d', 600), undefined);
    const refused = await limits.chargeSend(newFlow(), '+4791234563', '2001:db8:7:7:9:9:9:9', 600);
    assert.equal(refused?.reason, 'ip-rate');
    assert.equal(await limits.chargeSend(newFlow(), '+4791234563', '2001:db8:7:8::1', 600), undefined);
  });

  it('racing sends at a limit: never more than the limit get through', async () => {
    const { limits } = setup({ smsMaxPerPhone: 3, smsMaxPerPhoneDay: 100 });
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) => limits.chargeSend(newFlow(), '+4791234567', `10.0.0.${i}`, 600)),
    );
    assert.equal(results.filter((r) => r === undefined).length, 3);
  });

  it('the store never holds a phone number, prefix or address in clear', async () => {
    const { limits, keys } = setup();
    await limits.chargeSend(newFlow(), '+4791234567', '192.0.2.77', 600);
    await limits.recordWrongCode(newFlow(), '+4791234567', 600);
    const all = [...keys].join(' ');
    for (const clear of ['4791234567', '4791234', '192.0.2.77']) assert.ok(!all.includes(clear), all);
  });
});

describe('guessing across flows', () => {
  it('growing delays: after OTP_FAILURE_DELAY_AFTER wrong codes each guess waits 2, 4, 8 … seconds', async () => {
    const { limits, advance } = setup({ otpFailureDelayAfter: 2 });
    const phone = '+4791234567';
    const guessWrong = async () => {
      assert.equal(await limits.beginGuess(phone), undefined);
      await limits.recordWrongCode(newFlow(), phone, 600);
      await limits.endGuess(phone);
    };
    await guessWrong();
    await guessWrong();
    assert.deepEqual(await limits.beginGuess(phone), { reason: 'failure-delay', retryAfterSeconds: 2 });
    advance(2);
    await guessWrong();
    assert.deepEqual(await limits.beginGuess(phone), { reason: 'failure-delay', retryAfterSeconds: 4 });
    advance(3);
    assert.equal((await limits.beginGuess(phone))?.reason, 'failure-delay', 'still 1 s to wait');
    advance(1);
    await guessWrong();
    assert.deepEqual(await limits.beginGuess(phone), { reason: 'failure-delay', retryAfterSeconds: 8 });
    assert.equal(await limits.beginGuess('+4741234567'), undefined, 'other numbers are not slowed');
  });

  it('the delay is capped at OTP_FAILURE_DELAY_MAX_SECONDS', async () => {
    const { limits } = setup({
      otpFailureDelayAfter: 1,
      otpFailureDelayMaxSeconds: 5,
      otpMaxFailuresPerPhone: 100,
    });
    for (let i = 0; i < 6; i++) await limits.recordWrongCode(newFlow(), '+4791234567', 600);
    assert.deepEqual(await limits.beginGuess('+4791234567'), {
      reason: 'failure-delay',
      retryAfterSeconds: 5,
    });
  });

  it('locked after OTP_MAX_FAILURES_PER_PHONE wrong codes: no guesses and no sends until the window ends', async () => {
    const { limits, advance } = setup({ otpMaxFailuresPerPhone: 3, otpFailureDelayAfter: 100 });
    const phone = '+4791234567';
    for (let i = 0; i < 3; i++) await limits.recordWrongCode(newFlow(), phone, 600);
    advance(HOUR);
    assert.deepEqual(await limits.beginGuess(phone), {
      reason: 'phone-locked',
      retryAfterSeconds: DAY - HOUR,
    });
    assert.deepEqual(await limits.chargeSend(newFlow(), phone, '10.0.0.1', 600), {
      reason: 'phone-locked',
      retryAfterSeconds: DAY - HOUR,
    });
    advance(DAY - HOUR);
    assert.equal(await limits.chargeSend(newFlow(), phone, '10.0.0.1', 600), undefined);
  });

  it('a right code clears the run of failures and its wait', async () => {
    const { limits } = setup({ otpMaxFailuresPerPhone: 3, otpFailureDelayAfter: 2 });
    const phone = '+4791234567';
    for (let i = 0; i < 2; i++) await limits.recordWrongCode(newFlow(), phone, 600);
    assert.equal((await limits.beginGuess(phone))?.reason, 'failure-delay');
    await limits.clearFailures(phone);
    assert.equal(await limits.beginGuess(phone), undefined);
    await limits.endGuess(phone);
    for (let i = 0; i < 2; i++) await limits.recordWrongCode(newFlow(), phone, 600);
    assert.equal(
      (await limits.beginGuess(phone))?.reason,
      'failure-delay',
      'not locked: the count started again',
    );
  });

  it('parallel guesses for one number: one at a time, the next waits for the one before', async () => {
    const { limits, advance } = setup({}, { guessWaitMs: 200 });
    const phone = '+4791234567';
    assert.equal(await limits.beginGuess(phone), undefined);
    let second: unknown = 'waiting';
    const waiting = limits.beginGuess(phone).then((r) => {
      second = r;
    });
    await sleep(60);
    assert.equal(second, 'waiting');
    await limits.endGuess(phone);
    await waiting;
    assert.equal(second, undefined, 'it goes ahead once the one before ends');
    assert.deepEqual(await limits.beginGuess(phone), { reason: 'busy', retryAfterSeconds: undefined });
    advance(11);
    assert.equal(await limits.beginGuess(phone), undefined, 'a lock left behind expires');
  });

  it('counts wrong entries per code in its flow', async () => {
    const { limits } = setup();
    const flow = newFlow();
    assert.equal(await limits.recordWrongCode(flow, '+4791234567', 600), 1);
    assert.equal(await limits.recordWrongCode(flow, '+4791234567', 600), 2);
    assert.equal(await limits.wrongCodes(flow), 2);
    assert.equal(await limits.wrongCodes(newFlow()), 0);
  });
});

it('flow starts are counted per client address for an hour; past the limit the refusal says when to retry', async () => {
  const store = new MemoryStore();
  const limits = new Limits(store, { ...DEFAULTS, flowMaxPerIp: 2 }, SECRET);
  assert.equal(await limits.chargeFlowStart('192.0.2.1'), undefined);
  assert.equal(await limits.chargeFlowStart('192.0.2.1'), undefined);
  const refused = await limits.chargeFlowStart('192.0.2.1');
  assert.equal(refused?.reason, 'flow-rate');
  assert.ok((refused?.retryAfterSeconds ?? 0) > HOUR - 5);
  assert.equal(await limits.chargeFlowStart('2001:db8::1'), undefined, 'another address has its own count');
  await store.close();
});
