// NameID values per format (docs/contract.md §4): the phone, a single-use random value, or a stable per-SP pseudonym.

import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { describe, test } from 'node:test';
import { makeNameId, nameIdFormatUrn } from '../../../../src/saml/outbound/name-id.ts';
import { NameIdFormatUrn } from '../../../../src/saml/urn.ts';

const SECRET = 's'.repeat(32);
const PHONE = '+4612345678';
const SP = 'https://sp.example.org/shibboleth';

describe('makeNameId', () => {
  test('unspecified is the E.164 phone number', () => {
    assert.equal(makeNameId('unspecified', PHONE, SP, SECRET), PHONE);
  });

  test('transient is random and never repeats', () => {
    const a = makeNameId('transient', PHONE, SP, SECRET);
    const b = makeNameId('transient', PHONE, SP, SECRET);
    assert.match(a, /^_[0-9a-f]{40}$/);
    assert.notEqual(a, b);
    assert.ok(!a.includes('4612345678'));
  });

  test('persistent is HMAC-SHA256 of SP and phone, base64url, stable, not the phone', () => {
    const a = makeNameId('persistent', PHONE, SP, SECRET);
    assert.equal(a, makeNameId('persistent', PHONE, SP, SECRET));
    assert.equal(a, createHmac('sha256', SECRET).update(`${SP}\u0000${PHONE}`).digest('base64url'));
    assert.match(a, /^[A-Za-z0-9_-]{43}$/);
    assert.ok(!a.includes('12345678'));
  });

  test('persistent differs per SP, per phone and per secret', () => {
    const a = makeNameId('persistent', PHONE, SP, SECRET);
    assert.notEqual(a, makeNameId('persistent', PHONE, 'https://other.example/sp', SECRET));
    assert.notEqual(a, makeNameId('persistent', '+4612345679', SP, SECRET));
    assert.notEqual(a, makeNameId('persistent', PHONE, SP, 't'.repeat(32)));
  });

  test('persistent refuses an empty secret', () => {
    assert.throws(() => makeNameId('persistent', PHONE, SP, ''), /secret/);
  });

  test('format URNs', () => {
    assert.equal(nameIdFormatUrn('unspecified'), NameIdFormatUrn.unspecified);
    assert.equal(nameIdFormatUrn('transient'), NameIdFormatUrn.transient);
    assert.equal(nameIdFormatUrn('persistent'), NameIdFormatUrn.persistent);
  });
});
