// The one constant-time comparison: equal secrets match, anything else (other bytes, other length, not a string)
// does not.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sameSecret } from '../../src/constant-time.ts';

test('the same text or bytes match', () => {
  assert.equal(sameSecret('k9Zx.token-_', 'k9Zx.token-_'), true);
  assert.equal(sameSecret(Buffer.from('a1b2', 'hex'), Buffer.from('a1b2', 'hex')), true);
  assert.equal(sameSecret('', ''), true);
});

test('another value of the same length, a prefix, a longer value and other case do not match', () => {
  assert.equal(sameSecret('k9Zx.token-_', 'k9Zx.token-a'), false);
  assert.equal(sameSecret('k9Zx.token-_', 'k9Zx.token-'), false);
  assert.equal(sameSecret('k9Zx.token-_', 'k9Zx.token-__'), false);
  assert.equal(sameSecret('abcdef', 'ABCDEF'), false);
  assert.equal(sameSecret(Buffer.from('a1b2', 'hex'), Buffer.from('a1b3', 'hex')), false);
});

test('text compares as UTF-8 bytes: a character and its look-alike differ', () => {
  assert.equal(sameSecret('ø', 'ø'), true);
  assert.equal(sameSecret('ø', 'o\u0338'), false);
});

test('a missing, repeated or non-text value is false, never an exception', () => {
  for (const given of [undefined, null, 42, ['k9Zx'], { toString: () => 'k9Zx' }])
    assert.equal(sameSecret('k9Zx', given), false);
});
