// Name normalisation: NFC, whitespace, the length cap, and the characters that are refused.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { NAME_MAX_LENGTH, normaliseName } from '../../../src/login/names.ts';

describe('normaliseName', () => {
  it('trims, collapses inner whitespace and composes to NFC', () => {
    assert.deepEqual(normaliseName('  Anton \t  Erik\u00a0\u2003Olsen '), {
      ok: true,
      value: 'Anton Erik Olsen',
    });
    const decomposed = 'A\u030asa';
    const result = normaliseName(decomposed);
    assert.deepEqual(result, { ok: true, value: 'Åsa' });
    assert.equal(result.ok && result.value.length, 3);
  });

  it('keeps any script, hyphens, apostrophes and the like as typed', () => {
    for (const name of [
      "O'Brien",
      'Lévesque-Ødegård',
      'Þórsdóttir',
      'Nguyễn Thị',
      'Σωκράτης',
      '山田',
      'Smith Jr.',
    ]) {
      assert.deepEqual(normaliseName(name), { ok: true, value: name });
    }
  });

  it('requires some text', () => {
    for (const raw of ['', '   ', '\t\n', '\u00a0'])
      assert.deepEqual(normaliseName(raw), { ok: false, reason: 'required' });
  });

  it('refuses control, format and bidi characters', () => {
    const bad = [
      '\u0000',
      '\u0007',
      '\u007f',
      '\u200b',
      '\u200d',
      '\u200e',
      '\u202a',
      '\u202e',
      '\u2066',
      '\u2069',
      '\ufeff',
    ];
    for (const ch of bad) {
      assert.deepEqual(
        normaliseName(`Anton${ch}Erik`),
        { ok: false, reason: 'invalid' },
        `U+${ch.codePointAt(0)?.toString(16)}`,
      );
    }
  });

  it('refuses private-use, lone surrogates and text without a letter', () => {
    for (const raw of ['Anton\ue000', 'Anton\ud800', '12345', '---', '.']) {
      assert.deepEqual(normaliseName(raw), { ok: false, reason: 'invalid' }, JSON.stringify(raw));
    }
  });

  it('caps the length in characters, not UTF-16 units', () => {
    assert.equal(NAME_MAX_LENGTH, 100);
    assert.deepEqual(normaliseName('a'.repeat(100)), { ok: true, value: 'a'.repeat(100) });
    assert.deepEqual(normaliseName('a'.repeat(101)), { ok: false, reason: 'too-long' });
    const wide = '𠀀'.repeat(100);
    assert.deepEqual(normaliseName(wide), { ok: true, value: wide });
    assert.deepEqual(normaliseName(`${'x'.repeat(98)}     y`), { ok: true, value: `${'x'.repeat(98)} y` });
    assert.deepEqual(normaliseName(' '.repeat(5000)), { ok: false, reason: 'too-long' });
  });
});
