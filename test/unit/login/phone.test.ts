// Phone rules (docs/contract.md §5): typed formats, number types, allowed countries, display and masking.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatPhone, maskPhone, parsePhone } from '../../../src/login/phone.ts';

const NORDIC = ['NO', 'SE', 'DK', 'FI', 'IS'] as const;
const nordic = { allowedCountries: NORDIC };

describe('parsePhone: how people type numbers', () => {
  const cases: [string, string | undefined, string, string][] = [
    ['+47 412 34 567', undefined, '+4741234567', 'NO'],
    ['+4741234567', undefined, '+4741234567', 'NO'],
    ['0047 41234567', undefined, '+4741234567', 'NO'],
    ['00 47 412 34 567', undefined, '+4741234567', 'NO'],
    ['0047 41234567', 'SE', '+4741234567', 'NO'],
    ['070-123 45 67', 'SE', '+46701234567', 'SE'],
    ['+46 (0)70-123 45 67', undefined, '+46701234567', 'SE'],
    ['+47 (0)412 34 567', undefined, '+4741234567', 'NO'],
    ['412 34 567', 'NO', '+4741234567', 'NO'],
    ['040 123 4567', 'fi', '+358401234567', 'FI'],
    ['+45 20.12.34.56', undefined, '+4520123456', 'DK'],
    ['+354 611 1234', undefined, '+3546111234', 'IS'],
    ['\u00a0+47\u00a0412\u00a034\u00a0567 ', undefined, '+4741234567', 'NO'],
  ];
  for (const [input, defaultCountry, e164, country] of cases) {
    it(`${JSON.stringify(input)}${defaultCountry ? ` (default ${defaultCountry})` : ''} → ${e164}`, () => {
      assert.deepEqual(parsePhone(input, { defaultCountry, allowedCountries: NORDIC }), {
        ok: true,
        e164,
        country,
      });
    });
  }

  it('needs a country code when no default country is known', () => {
    assert.deepEqual(parsePhone('412 34 567', nordic), { ok: false, problem: 'invalid' });
    assert.deepEqual(parsePhone('412 34 567', { defaultCountry: 'XX', allowedCountries: NORDIC }), {
      ok: false,
      problem: 'invalid',
    });
  });
});

describe('parsePhone: refusals', () => {
  it('requires a value', () => {
    for (const input of ['', '   '])
      assert.deepEqual(parsePhone(input, nordic), { ok: false, problem: 'required' });
  });

  it('refuses malformed input, extensions, unknown ranges and wrong lengths', () => {
    for (const input of [
      'abc',
      '+47 4123 456A',
      'tel:+4741234567',
      '+47 41 23 45 67 ext 123',
      '+46 70 123 45 67;ext=1',
      '++4741234567',
      '+47 41234',
      '+47 4123 45678',
      '+46 71 123 45 67',
      '+44 7700 900123',
      `+47 ${'1'.repeat(60)}`,
    ]) {
      assert.deepEqual(
        parsePhone(input, { allowedCountries: '*' }),
        { ok: false, problem: 'invalid' },
        input,
      );
    }
  });

  it('accepts mobile and fixed-line-or-mobile types', () => {
    assert.equal(parsePhone('+47 412 34 567', nordic).ok, true); // MOBILE
    assert.equal(parsePhone('+45 20 12 34 56', nordic).ok, true); // FIXED_LINE_OR_MOBILE (Denmark)
    assert.equal(parsePhone('+1 202 555 0101', { allowedCountries: ['US'] }).ok, true); // FIXED_LINE_OR_MOBILE
  });

  it('refuses types that cannot take an SMS as not-mobile', () => {
    const cases: [string, string][] = [
      ['+4612345678', 'FIXED_LINE (the seed example number)'],
      ['+46 8 123 456 78', 'FIXED_LINE'],
      ['+47 22 12 34 56', 'FIXED_LINE'],
      ['+358 9 1234567', 'FIXED_LINE'],
      ['+46 74 012 34 56', 'PAGER'],
      ['+47 85 12 34 56', 'VOIP'],
      ['+44 56 1234 5678', 'VOIP'],
    ];
    for (const [input, type] of cases) {
      assert.deepEqual(
        parsePhone(input, { allowedCountries: '*' }),
        { ok: false, problem: 'not-mobile' },
        type,
      );
    }
  });

  it('refuses types that cost the sender as costly', () => {
    const cases: [string, string][] = [
      ['+47 820 12 345', 'PREMIUM_RATE'],
      ['+46 900 123 456', 'PREMIUM_RATE'],
      ['+45 90 12 34 56', 'PREMIUM_RATE'],
      ['+46 77 123 45 67', 'SHARED_COST'],
      ['+47 800 12 345', 'TOLL_FREE'],
      ['+45 80 12 34 56', 'TOLL_FREE'],
      ['+358 20 123 456', 'UAN'],
      ['+44 55 1234 5678', 'UAN'],
      ['+47 880 00 000', 'PERSONAL_NUMBER'],
      ['+44 70 1234 5678', 'PERSONAL_NUMBER'],
    ];
    for (const [input, type] of cases) {
      assert.deepEqual(parsePhone(input, { allowedCountries: '*' }), { ok: false, problem: 'costly' }, type);
    }
  });

  it('refuses numbers outside the allowed countries', () => {
    assert.deepEqual(parsePhone('+49 1512 3456789', nordic), { ok: false, problem: 'country-not-allowed' });
    assert.deepEqual(parsePhone('+298 211234', nordic), { ok: false, problem: 'country-not-allowed' });
    assert.deepEqual(parsePhone('+46 70 123 45 67', { allowedCountries: ['NO'] }), {
      ok: false,
      problem: 'country-not-allowed',
    });
    assert.deepEqual(parsePhone('+46 70 123 45 67', { allowedCountries: ['se'] }), {
      ok: true,
      e164: '+46701234567',
      country: 'SE',
    });
    assert.deepEqual(parsePhone('+49 1512 3456789', { allowedCountries: '*' }), {
      ok: true,
      e164: '+4915123456789',
      country: 'DE',
    });
  });

  it('checks the country before the type', () => {
    assert.deepEqual(parsePhone('+49 30 123456', nordic), { ok: false, problem: 'country-not-allowed' });
  });

  it('refuses numbers of no country (satellite, international networks), even with *', () => {
    assert.deepEqual(parsePhone('+881 6 1234 5678', { allowedCountries: '*' }), {
      ok: false,
      problem: 'country-not-allowed',
    });
    assert.deepEqual(parsePhone('+800 1234 5678', { allowedCountries: '*' }), {
      ok: false,
      problem: 'country-not-allowed',
    });
  });
});

describe('formatPhone', () => {
  it('writes the international format of the number’s country', () => {
    assert.equal(formatPhone('+4741234567'), '+47 41 23 45 67');
    assert.equal(formatPhone('+46701234567'), '+46 70 123 45 67');
    assert.equal(formatPhone('+358401234567'), '+358 40 1234567');
    assert.equal(formatPhone('+4520123456'), '+45 20 12 34 56');
  });

  it('returns what it cannot parse unchanged', () => {
    assert.equal(formatPhone('garbage'), 'garbage');
  });
});

describe('maskPhone', () => {
  it('keeps the first 5 and last 2 characters', () => {
    assert.equal(maskPhone('+4612345678'), '+4612****78');
    assert.equal(maskPhone('+46701234567'), '+4670*****67');
    assert.equal(maskPhone('+358401234567'), '+3584******67');
  });

  it('always masks at least 3 characters of a short number', () => {
    assert.equal(maskPhone('+2981234'), '+29***34');
    assert.equal(maskPhone('+123'), '+***');
  });
});
