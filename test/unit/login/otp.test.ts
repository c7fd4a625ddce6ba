// The one-time code: shape and spread, the flow-bound keyed hash, and what verifyCode accepts.

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import {
  deriveCode,
  generateCode,
  hashCode,
  isCodeShaped,
  normaliseTypedCode,
  verifyCode,
} from '../../../src/login/otp.ts';

const SECRET = 'a-test-secret-of-at-least-32-characters!';
const FLOW = 'flow-AAAAAAAAAAAAAAAAAAAAAAAA';

/** Notes which digits were seen at each position of a code. */
function recordDigits(seen: Set<string>[], code: string): void {
  for (let position = 0; position < code.length; position++) seen[position]?.add(code[position] ?? '');
}

describe('generateCode', () => {
  it('gives 6 ASCII digits', () => {
    for (let i = 0; i < 1000; i++) assert.match(generateCode(), /^\d{6}$/);
  });

  it('spreads over every digit in every position and rarely repeats', () => {
    const seen = Array.from({ length: 6 }, () => new Set<string>());
    const codes = new Set<string>();
    for (let i = 0; i < 2000; i++) {
      const code = generateCode();
      codes.add(code);
      recordDigits(seen, code);
    }
    for (const digits of seen) assert.equal(digits.size, 10);
    assert.ok(codes.size > 1950, `only ${codes.size} distinct codes in 2000`);
  });
});

describe('deriveCode', () => {
  it('is 6 digits, stable for one nonce and different for another flow or nonce', () => {
    const nonce = randomBytes(16).toString('base64url');
    const code = deriveCode(SECRET, FLOW, nonce);
    assert.match(code, /^\d{6}$/);
    assert.equal(deriveCode(SECRET, FLOW, nonce), code);
    const others = new Set(
      Array.from({ length: 50 }, () => deriveCode(SECRET, FLOW, randomBytes(16).toString('hex'))),
    );
    assert.ok(others.size > 45);
    const acrossFlows = new Set(
      Array.from({ length: 50 }, (_, i) => deriveCode(SECRET, `${FLOW}${i}`, nonce)),
    );
    assert.ok(acrossFlows.size > 45);
    const sameUnderOtherSecret = Array.from({ length: 50 }, (_, i) => String(i)).filter(
      (n) => deriveCode(`${SECRET}x`, FLOW, n) === deriveCode(SECRET, FLOW, n),
    );
    assert.ok(sameUnderOtherSecret.length < 3);
  });

  it('spreads over every digit in every position', () => {
    const seen = Array.from({ length: 6 }, () => new Set<string>());
    for (let i = 0; i < 1000; i++) {
      recordDigits(seen, deriveCode(SECRET, FLOW, String(i)));
    }
    for (const digits of seen) assert.equal(digits.size, 10);
  });
});

describe('hashCode', () => {
  it('is HMAC-SHA256 hex, bound to the flow and the secret', () => {
    const hash = hashCode(SECRET, FLOW, '123456');
    assert.match(hash, /^[0-9a-f]{64}$/);
    assert.equal(hashCode(SECRET, FLOW, '123456'), hash);
    assert.notEqual(hashCode(SECRET, `${FLOW}x`, '123456'), hash);
    assert.notEqual(hashCode(`${SECRET}x`, FLOW, '123456'), hash);
    assert.notEqual(hashCode(SECRET, FLOW, '123457'), hash);
    assert.ok(!hash.includes('123456'));
  });
});

describe('verifyCode', () => {
  const code = '042917';
  const stored = hashCode(SECRET, FLOW, code);

  it('accepts the code, also typed with spaces or dashes', () => {
    for (const typed of ['042917', ' 042917 ', '042 917', '04-29-17', '0 4 2 9 1 7', '042\u00a0917']) {
      assert.equal(verifyCode(SECRET, FLOW, typed, stored), true, JSON.stringify(typed));
    }
  });

  it('refuses a wrong code, the right code of another flow, and another secret', () => {
    assert.equal(verifyCode(SECRET, FLOW, '042918', stored), false);
    assert.equal(verifyCode(SECRET, 'another-flow', code, stored), false);
    assert.equal(verifyCode(`${SECRET}x`, FLOW, code, stored), false);
  });

  it('refuses wrong lengths and non-ASCII digits', () => {
    for (const typed of ['', '04291', '0429170', '42917', '０４２９１７', '٠٤٢٩١٧', '04291a', '042.917']) {
      assert.equal(verifyCode(SECRET, FLOW, typed, stored), false, JSON.stringify(typed));
    }
  });

  it('refuses a malformed stored hash instead of throwing', () => {
    assert.equal(verifyCode(SECRET, FLOW, code, ''), false);
    assert.equal(verifyCode(SECRET, FLOW, code, stored.slice(0, 62)), false);
    assert.equal(verifyCode(SECRET, FLOW, code, stored.toUpperCase()), false);
  });
});

describe('isCodeShaped and normaliseTypedCode', () => {
  it('says whether the typed text is 6 digits after removing spaces and dashes', () => {
    assert.equal(normaliseTypedCode(' 12-34 56 '), '123456');
    assert.equal(isCodeShaped('123 456'), true);
    assert.equal(isCodeShaped('12345'), false);
    assert.equal(isCodeShaped('1234567'), false);
    assert.equal(isCodeShaped('abcdef'), false);
    assert.equal(isCodeShaped(`123456${' '.repeat(100)}`), false);
  });
});
