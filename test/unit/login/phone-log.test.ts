// Phone numbers in logs: whoever reads the logs must not be able to tell the number (at most the country code and
// 2 digits stay), while support can still match a number they are given through its keyed reference.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { getCountries, getExampleNumber, parsePhoneNumberFromString } from 'libphonenumber-js/max';
import mobileExamples from 'libphonenumber-js/mobile/examples';
import { maskPhoneForLog, phoneLogRef } from '../../../src/login/phone.ts';

describe('maskPhoneForLog', () => {
  test('keeps only the country calling code and the last 2 digits', () => {
    assert.equal(maskPhoneForLog('+4791234567'), '+47******67');
    assert.equal(maskPhoneForLog('+46701234567'), '+46*******67');
    assert.equal(maskPhoneForLog('+358401234567'), '+358*******67');
    assert.equal(maskPhoneForLog('+4512345678'), '+45******78');
    assert.equal(maskPhoneForLog('+12025550123'), '+1********23');
  });

  test('never shows more than the country code and 2 digits, even of what it cannot parse', () => {
    for (const number of ['+4791234567', '+999123456789', '+2981234', '+1']) {
      const visible = maskPhoneForLog(number).replace(/[^0-9]/g, '');
      assert.ok(visible.length <= 5, `${number} → ${maskPhoneForLog(number)}`);
      assert.ok(visible.length < number.length - 1 || number.length <= 2);
    }
  });

  test('keeps the calling code the full parser finds, for a mobile number of every country', () => {
    let checked = 0;
    for (const country of getCountries()) {
      const e164 = getExampleNumber(country, mobileExamples)?.number;
      if (e164 === undefined) continue;
      const code = parsePhoneNumberFromString(e164)?.countryCallingCode ?? '';
      const masked = maskPhoneForLog(e164);
      assert.ok(masked.startsWith(`+${code}*`), `${country}: ${masked} should keep +${code}`);
      assert.equal(masked.length, e164.length);
      checked += 1;
    }
    assert.ok(checked > 200, `only ${checked} countries checked`);
  });
});

describe('phoneLogRef', () => {
  test('the same number gives the same reference; another number or key another one', () => {
    const key = 'k'.repeat(32);
    assert.match(phoneLogRef(key, '+4791234567'), /^[0-9a-f]{16}$/);
    assert.equal(phoneLogRef(key, '+4791234567'), phoneLogRef(key, '+4791234567'));
    assert.notEqual(phoneLogRef(key, '+4791234567'), phoneLogRef(key, '+4791234568'));
    assert.notEqual(phoneLogRef(key, '+4791234567'), phoneLogRef('x'.repeat(32), '+4791234567'));
  });
});
