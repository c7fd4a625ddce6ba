// The SMS text: per language, the origin-bound last line, one GSM-7 segment, and no way for other input in.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LOCALES, translate } from '../../../src/i18n/index.ts';
import { composeSmsText } from '../../../src/login/sms-text.ts';

/** GSM 03.38 default alphabet (basic set, no escapes): one septet each. */
const GSM7 = new Set(
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà',
);

describe('composeSmsText', () => {
  for (const locale of LOCALES) {
    it(`${locale}: the translated body, a blank line, then '@host #code'`, () => {
      const text = composeSmsText({
        locale,
        code: '042917',
        baseUrl: 'https://idp.example.com',
        ttlMinutes: 15,
      });
      const lines = text.split('\n');
      assert.equal(lines.at(-1), '@idp.example.com #042917');
      assert.equal(lines.at(-2), '');
      assert.equal(
        lines.slice(0, -2).join('\n'),
        translate(locale, 'sms.body', { code: '042917', count: 15 }),
      );
      assert.ok(lines[0]?.includes('042917'));
      assert.ok(lines[0]?.includes('15'));
    });

    it(`${locale}: fits one GSM-7 SMS (160 characters, default alphabet only)`, () => {
      const text = composeSmsText({
        locale,
        code: '999999',
        baseUrl: 'https://identification.example.com',
        ttlMinutes: 15,
      });
      const outside = [...text].filter((ch) => !GSM7.has(ch));
      assert.deepEqual(outside, []);
      assert.ok(text.length <= 160, `${text.length} characters`);
    });
  }

  it('uses the singular for a one-minute code', () => {
    const text = composeSmsText({
      locale: 'en',
      code: '123456',
      baseUrl: 'https://idp.example.com',
      ttlMinutes: 1,
    });
    assert.match(text, /valid for 1 minute\./);
    const fi = composeSmsText({
      locale: 'fi',
      code: '123456',
      baseUrl: 'https://idp.example.com',
      ttlMinutes: 1,
    });
    assert.match(fi, /voimassa 1 minuutin\./);
  });

  it('takes the host from BASE_URL without port, path or credentials', () => {
    const text = composeSmsText({
      locale: 'nb',
      code: '123456',
      baseUrl: 'http://user:pw@localhost:3000/idp',
      ttlMinutes: 15,
    });
    assert.ok(text.endsWith('\n@localhost #123456'));
  });

  it('refuses anything but a 6-digit code, so no other text can reach the SMS', () => {
    for (const code of ['12345', '1234567', 'abcdef', '123 456', '12345\n', '１２３４５６']) {
      assert.throws(
        () => composeSmsText({ locale: 'en', code, baseUrl: 'https://idp.example.com', ttlMinutes: 15 }),
        RangeError,
      );
    }
    assert.throws(
      () =>
        composeSmsText({ locale: 'en', code: '123456', baseUrl: 'https://idp.example.com', ttlMinutes: 0 }),
      RangeError,
    );
  });
});
