// presetid parsing: the seed's three examples, the URL-mangled '+', Base64 forms, and what is refused.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parsePresetId } from '../../../src/login/preset.ts';

const b64 = (s: string): string => Buffer.from(s, 'utf8').toString('base64');
const b64url = (s: string): string => Buffer.from(s, 'utf8').toString('base64url');

const PHONE_ONLY = { phone: '+4612345678' };
const NAME_ONLY = { familyName: 'Svenson', givenName: 'Anton Erik' };
const BOTH = { phone: '+4612345678', familyName: 'Svenson', givenName: 'Anton Erik' };

describe('parsePresetId', () => {
  it('reads the seed examples verbatim', () => {
    assert.deepEqual(parsePresetId('+4612345678'), { ok: true, preset: PHONE_ONLY });
    assert.deepEqual(parsePresetId('Svenson, Anton Erik'), { ok: true, preset: NAME_ONLY });
    assert.deepEqual(parsePresetId('+4612345678 Svenson, Anton Erik'), { ok: true, preset: BOTH });
  });

  it('takes the space after the comma as optional', () => {
    assert.deepEqual(parsePresetId('Svenson,Anton Erik'), { ok: true, preset: NAME_ONLY });
    assert.deepEqual(parsePresetId('+4612345678 Svenson,Anton Erik'), { ok: true, preset: BOTH });
  });

  it("reads a leading space before the digits as the '+' a non-encoded URL lost", () => {
    assert.deepEqual(parsePresetId(' 4612345678'), { ok: true, preset: PHONE_ONLY });
    assert.deepEqual(parsePresetId(' 4612345678 Svenson, Anton Erik'), { ok: true, preset: BOTH });
    assert.deepEqual(parsePresetId(new URLSearchParams('presetid=+4612345678').get('presetid') ?? ''), {
      ok: true,
      preset: PHONE_ONLY,
    });
  });

  it('decodes standard and URL-safe Base64 of each form', () => {
    for (const [plain, preset] of [
      ['+4612345678', PHONE_ONLY],
      ['Svenson, Anton Erik', NAME_ONLY],
      ['+4612345678 Svenson, Anton Erik', BOTH],
    ] as const) {
      assert.deepEqual(parsePresetId(b64(plain)), { ok: true, preset }, `base64 of ${plain}`);
      assert.deepEqual(parsePresetId(b64url(plain)), { ok: true, preset }, `base64url of ${plain}`);
    }
  });

  it('decodes Base64 with non-ASCII names and a + that a URL turned into a space', () => {
    const plain = '+4741234567 Ødegård, Åse Marit';
    assert.deepEqual(parsePresetId(b64(plain)), {
      ok: true,
      preset: { phone: '+4741234567', familyName: 'Ødegård', givenName: 'Åse Marit' },
    });
    const withPlus = b64('+3546111234 Guðmundsson, Eyþór');
    assert.ok(withPlus.includes('+'), 'the fixture must contain a Base64 +');
    assert.deepEqual(parsePresetId(withPlus.replaceAll('+', ' ')), {
      ok: true,
      preset: { phone: '+3546111234', familyName: 'Guðmundsson', givenName: 'Eyþór' },
    });
  });

  it('normalises names: NFC, inner whitespace collapsed', () => {
    const result = parsePresetId('Sve\u0301nson,   Anton\u00a0 Erik ');
    assert.deepEqual(result, { ok: true, preset: { familyName: 'Svénson', givenName: 'Anton Erik' } });
  });

  it('refuses what does not follow the grammar', () => {
    const cases: [string, string][] = [
      ['', 'empty'],
      ['   ', 'empty'],
      ['+12', 'bad-phone'],
      ['+46abc', 'bad-phone'],
      ['+46 12345678', 'bad-phone'],
      ['+1234567890123456', 'bad-phone'],
      ['4612345678', 'malformed'],
      ['Svenson', 'malformed'],
      ['+4612345678 Svenson', 'malformed'],
      ['Svenson, Anton, Erik', 'bad-name'],
      ['Svenson,', 'bad-name'],
      [', Anton', 'bad-name'],
      ['Svenson,\u202eAnton', 'bad-name'],
      ['Svenson,\u0000Anton', 'malformed'],
      ['+4612345678\nSvenson, Anton', 'malformed'],
      [`${'S'.repeat(101)}, Anton`, 'name-too-long'],
      [`Svenson, ${'A'.repeat(700)}`, 'too-long'],
    ];
    for (const [raw, reason] of cases) {
      assert.deepEqual(parsePresetId(raw), { ok: false, reason }, JSON.stringify(raw));
    }
  });

  it('refuses Base64 that decodes to something unusable, or to invalid UTF-8', () => {
    assert.equal(parsePresetId(b64('Svenson')).ok, false);
    assert.equal(parsePresetId(b64('+12')).ok, false);
    assert.equal(parsePresetId(Buffer.from([0xff, 0xfe, 0x2b, 0x34]).toString('base64')).ok, false);
  });

  it('accepts names at the length cap', () => {
    const family = 'S'.repeat(100);
    assert.deepEqual(parsePresetId(`${family}, Anton`), {
      ok: true,
      preset: { familyName: family, givenName: 'Anton' },
    });
  });
});
