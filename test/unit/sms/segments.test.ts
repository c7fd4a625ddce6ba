// SMS segment counting, and every language's code SMS in one segment with nothing that silently forces UCS-2.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LOCALES } from '../../../src/i18n/index.ts';
import { composeSmsText } from '../../../src/login/sms-text.ts';
import { LOOKALIKES, smsSegments } from '../../../src/sms/segments.ts';

describe('smsSegments', () => {
  it('GSM-7: 160 septets in one segment, 153 per part after that', () => {
    assert.deepEqual(smsSegments('a'.repeat(160)), { encoding: 'GSM-7', units: 160, segments: 1 });
    assert.deepEqual(smsSegments('a'.repeat(161)), { encoding: 'GSM-7', units: 161, segments: 2 });
    assert.deepEqual(smsSegments('a'.repeat(307)), { encoding: 'GSM-7', units: 307, segments: 3 });
  });

  it('Nordic letters are GSM-7; extension characters count two', () => {
    assert.equal(smsSegments('ÆæØøÅåÄäÖöÜüÉé').encoding, 'GSM-7');
    assert.deepEqual(smsSegments(`${'a'.repeat(158)}€`), { encoding: 'GSM-7', units: 160, segments: 1 });
    assert.deepEqual(smsSegments(`${'a'.repeat(159)}[`), { encoding: 'GSM-7', units: 161, segments: 2 });
  });

  it('one character outside GSM-7 makes it UCS-2: 70 in one segment, 67 per part', () => {
    assert.deepEqual(smsSegments(`${'a'.repeat(69)}’`), { encoding: 'UCS-2', units: 70, segments: 1 });
    assert.deepEqual(smsSegments(`${'a'.repeat(70)}–`), { encoding: 'UCS-2', units: 71, segments: 2 });
    assert.equal(smsSegments('kóðinn þinn').encoding, 'UCS-2', 'Icelandic');
  });
});

describe('the code SMS of every language', () => {
  // A long public host, as the last line carries it.
  const baseUrl = 'https://login.identification-service.example.com';
  for (const locale of LOCALES) {
    for (const ttlMinutes of [1, 15]) {
      it(`${locale}, ${ttlMinutes} min: one segment, no lookalike characters, '@host #code' last, no trailing newline`, () => {
        const text = composeSmsText({ locale, code: '987654', baseUrl, ttlMinutes });
        const counted = smsSegments(text);
        assert.equal(counted.segments, 1, `${locale}: ${counted.encoding} ${counted.units} units`);
        assert.equal(counted.encoding, 'GSM-7', 'the Nordic languages need no UCS-2');
        assert.doesNotMatch(text, LOOKALIKES);
        assert.ok(text.endsWith('\n\n@login.identification-service.example.com #987654'));
        assert.ok(!text.endsWith('\n'));
      });
    }
  }
});
