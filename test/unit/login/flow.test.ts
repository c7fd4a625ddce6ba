// The stage rules of a login flow (login/flow.ts transition): each step's way forward, and every refused input.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  type ChooseMethodFlow,
  codeIsLive,
  codeSecondsLeft,
  type Flow,
  type FlowInput,
  type IdentifyFlow,
  type Person,
  type SentCode,
  type Transition,
  transition,
  type VerifyCodeFlow,
} from '../../../src/login/flow.ts';
import type { PendingRequest } from '../../../src/types.ts';

const NOW = 1_800_000_000_000;
const REQUEST: PendingRequest = {
  spEntityId: 'https://sp.example.org/sp',
  requestId: '_flow-test',
  acsUrl: 'https://sp.example.org/acs',
  relayState: undefined,
  forceAuthn: false,
  isPassive: false,
  nameIdFormat: 'unspecified',
  spNameQualifier: undefined,
  subjectPhone: undefined,
  spDisplayName: 'SP',
};
const BASE = {
  id: 'AAAAAAAAAAAAAAAAAAAAAAAA',
  createdAt: NOW - 60_000,
  request: REQUEST,
  locale: 'en',
  csrf: 'csrf-token',
  offeredEids: ['nets_sms', 'bankid'],
  preset: {},
} as const;
const KARI: Person = { givenName: 'Kari', familyName: 'Nordmann', phone: '+4791234567' };
const CODE: SentCode = { nonce: 'nonce-1', hash: 'hash-1', expiresAt: NOW + 300_000 };

const choosing: ChooseMethodFlow = { ...BASE, step: 'choose-method' };
const identifying: IdentifyFlow = { ...BASE, step: 'identify' };
const atCode: VerifyCodeFlow = {
  ...BASE,
  ...KARI,
  step: 'verify-code',
  codeNonce: CODE.nonce,
  codeHash: CODE.hash,
  codeExpiresAt: CODE.expiresAt,
  lastSentAt: NOW - 30_000,
};
const done: Flow = { ...BASE, ...KARI, step: 'done', codeExpiresAt: CODE.expiresAt };

function moved(result: Transition): Flow {
  assert.equal(result.ok, true, `refused: ${result.ok ? '' : result.refused}`);
  if (!result.ok) throw new Error('unreachable');
  return result.flow;
}

function refusedWith(result: Transition): string {
  assert.equal(result.ok, false, 'the transition should be refused');
  return result.ok ? '' : result.refused;
}

describe('choose-method → identify', () => {
  test('choosing nets_sms, when offered, goes to identify and keeps everything else', () => {
    const next = moved(transition(choosing, { kind: 'choose-method', eid: 'nets_sms' }, NOW));
    assert.deepEqual(next, { ...choosing, step: 'identify' });
  });

  test('another eID, even an offered one, is not this method’s to take forward', () => {
    assert.equal(
      refusedWith(transition(choosing, { kind: 'choose-method', eid: 'bankid' }, NOW)),
      'not-offered',
    );
  });

  test('nets_sms is refused when the request did not offer it', () => {
    const other: ChooseMethodFlow = { ...choosing, offeredEids: ['bankid', 'other'] };
    assert.equal(
      refusedWith(transition(other, { kind: 'choose-method', eid: 'nets_sms' }, NOW)),
      'not-offered',
    );
  });

  test('a method choice on any later step is a stale form', () => {
    for (const flow of [identifying, atCode]) {
      assert.equal(
        refusedWith(transition(flow, { kind: 'choose-method', eid: 'nets_sms' }, NOW)),
        'wrong-step',
      );
    }
  });
});

describe('identify → verify-code (a code went out)', () => {
  const sent: FlowInput = { kind: 'code-sent', person: KARI, code: CODE };

  test('holds the person, the code and the time it was sent', () => {
    const next = moved(transition(identifying, sent, NOW));
    assert.deepEqual(next, {
      ...identifying,
      ...KARI,
      step: 'verify-code',
      codeNonce: CODE.nonce,
      codeHash: CODE.hash,
      codeExpiresAt: CODE.expiresAt,
      lastSentAt: NOW,
    });
    assert.equal(codeIsLive(next, NOW), true);
    assert.equal(codeSecondsLeft(next, NOW), 300);
  });

  test('a preset number is locked: a code for another number is refused', () => {
    const preset: IdentifyFlow = { ...identifying, preset: { phone: '+4799999999' }, phone: '+4799999999' };
    assert.equal(refusedWith(transition(preset, sent, NOW)), 'locked');
    const same = { ...sent, person: { ...KARI, phone: '+4799999999' } };
    assert.equal(moved(transition(preset, same, NOW)).phone, '+4799999999');
  });

  test('a preset name is locked: other names are refused', () => {
    const preset: IdentifyFlow = { ...identifying, preset: { givenName: 'Ola', familyName: 'Nordmann' } };
    assert.equal(refusedWith(transition(preset, sent, NOW)), 'locked');
    const same = { ...sent, person: { ...KARI, givenName: 'Ola' } };
    assert.equal(moved(transition(preset, same, NOW)).givenName, 'Ola');
  });

  test('not from step 1', () => {
    assert.equal(refusedWith(transition(choosing, sent, NOW)), 'wrong-step');
  });
});

describe('verify-code → verify-code (resend)', () => {
  test('a new code to the same number replaces the old one and restarts the cooldown', () => {
    const code: SentCode = { nonce: 'nonce-2', hash: 'hash-2', expiresAt: NOW + 600_000 };
    const next = moved(transition(atCode, { kind: 'code-sent', person: KARI, code }, NOW));
    assert.equal(next.step, 'verify-code');
    assert.equal(next.step === 'verify-code' ? next.codeHash : '', 'hash-2');
    assert.equal(next.lastSentAt, NOW);
  });

  test('a resend cannot change the number: that is "wrong number?"', () => {
    const other = { ...KARI, phone: '+4790000000' };
    assert.equal(
      refusedWith(transition(atCode, { kind: 'code-sent', person: other, code: CODE }, NOW)),
      'locked',
    );
  });
});

describe('verify-code → identify ("wrong number?")', () => {
  test('drops the code, keeps the names and the number typed (to correct) and when it was sent', () => {
    const next = moved(transition(atCode, { kind: 'change-phone' }, NOW));
    assert.equal(next.step, 'identify');
    assert.deepEqual(next, { ...BASE, ...KARI, step: 'identify', lastSentAt: atCode.lastSentAt });
    assert.equal(codeIsLive(next, NOW), false);
  });

  test('refused when the SP preset the number', () => {
    const preset: VerifyCodeFlow = { ...atCode, preset: { phone: KARI.phone } };
    assert.equal(refusedWith(transition(preset, { kind: 'change-phone' }, NOW)), 'locked');
  });

  test('refused before a code was sent', () => {
    assert.equal(refusedWith(transition(identifying, { kind: 'change-phone' }, NOW)), 'wrong-step');
  });
});

describe('verify-code → done', () => {
  test('the right code finishes the flow and the code is not kept', () => {
    const next = moved(transition(atCode, { kind: 'code-verified' }, NOW));
    assert.equal(next.step, 'done');
    assert.equal('codeHash' in next, false);
    assert.equal('codeNonce' in next, false);
    assert.equal(next.phone, KARI.phone);
  });

  test('not on a step without a code', () => {
    for (const flow of [choosing, identifying]) {
      assert.equal(refusedWith(transition(flow, { kind: 'code-verified' }, NOW)), 'wrong-step');
    }
  });
});

describe('ending and the language', () => {
  test('every open step can end, and ends without its code', () => {
    for (const flow of [choosing, identifying, atCode]) {
      const next = moved(transition(flow, { kind: 'end' }, NOW));
      assert.equal(next.step, 'done');
      assert.equal('codeHash' in next, false);
    }
  });

  test('the language changes on every open step, nothing else does', () => {
    for (const flow of [choosing, identifying, atCode]) {
      assert.deepEqual(moved(transition(flow, { kind: 'change-locale', locale: 'sv' }, NOW)), {
        ...flow,
        locale: 'sv',
      });
    }
  });

  test('a finished flow refuses every input', () => {
    const inputs: FlowInput[] = [
      { kind: 'choose-method', eid: 'nets_sms' },
      { kind: 'code-sent', person: KARI, code: CODE },
      { kind: 'change-phone' },
      { kind: 'code-verified' },
      { kind: 'end' },
      { kind: 'change-locale', locale: 'sv' },
    ];
    for (const input of inputs) assert.equal(refusedWith(transition(done, input, NOW)), 'finished');
  });

  test('an expired code is not live, a future one is', () => {
    assert.equal(codeIsLive(atCode, CODE.expiresAt), false);
    assert.equal(codeSecondsLeft(atCode, CODE.expiresAt), 0);
    assert.equal(codeIsLive(atCode, CODE.expiresAt - 1), true);
  });
});
