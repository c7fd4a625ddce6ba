// Locale negotiation (docs/contract.md §2), catalog completeness and placeholders, plurals and interpolation.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { da } from '../../../src/i18n/da.ts';
import { en } from '../../../src/i18n/en.ts';
import { fi } from '../../../src/i18n/fi.ts';
import {
  htmlLang,
  isLocale,
  LOCALE_NAMES,
  LOCALES,
  type Locale,
  type Message,
  type MessageKey,
  negotiateLocale,
  translate,
} from '../../../src/i18n/index.ts';
import { nb } from '../../../src/i18n/nb.ts';
import { sv } from '../../../src/i18n/sv.ts';

const CATALOGS: Record<Locale, Record<string, Message>> = { nb, sv, da, fi, en };

describe('negotiateLocale', () => {
  const requested: [string, Locale][] = [
    ['nb_NO', 'nb'],
    ['nb-NO', 'nb'],
    ['en_GB', 'en'],
    ['en-GB', 'en'],
    ['da_DK', 'da'],
    ['sv_SE', 'sv'],
    ['fi_FI', 'fi'],
    ['sv_FI', 'sv'],
    ['sv-fi', 'sv'],
    ['nb', 'nb'],
    ['no', 'nb'],
    ['nn', 'nb'],
    ['nn_NO', 'nb'],
    ['NO', 'nb'],
    [' fi ', 'fi'],
    ['de_DE fi_FI', 'fi'],
  ];
  for (const [tag, locale] of requested) {
    it(`requested ${JSON.stringify(tag)} → ${locale}`, () => {
      assert.equal(negotiateLocale({ requested: tag, acceptLanguage: 'en', fallback: 'da' }), locale);
    });
  }

  it('passes over an unknown requested locale to Accept-Language, then the fallback', () => {
    assert.equal(negotiateLocale({ requested: 'de_DE', acceptLanguage: 'sv', fallback: 'nb' }), 'sv');
    assert.equal(negotiateLocale({ requested: 'de_DE', fallback: 'fi' }), 'fi');
    assert.equal(negotiateLocale({ requested: '', acceptLanguage: '', fallback: 'da' }), 'da');
    assert.equal(negotiateLocale({ fallback: 'en' }), 'en');
  });

  const accept: [string, Locale][] = [
    ['da, en-GB;q=0.8, en;q=0.7', 'da'],
    ['de-DE, de;q=0.9, sv;q=0.5, en;q=0.4', 'sv'],
    ['en;q=0.5, fi;q=0.9', 'fi'],
    ['en;q=0.5, fi;q=0', 'en'],
    ['fi;q=0.000, sv;q=0.001', 'sv'],
    ['nn-NO,nn;q=0.9,no;q=0.8', 'nb'],
    ['sv-FI,fi;q=0.9', 'sv'],
    ['*, fi;q=0.5', 'fi'],
    ['en;q=1.0, da;q=1', 'en'],
    ['en;q=2, da;q=0.5', 'da'],
    ['en;q=abc, da;q=0.5', 'da'],
    ['x-klingon, fi', 'fi'],
  ];
  for (const [header, locale] of accept) {
    it(`Accept-Language ${JSON.stringify(header)} → ${locale}`, () => {
      assert.equal(negotiateLocale({ acceptLanguage: header, fallback: 'nb' }), locale);
    });
  }

  it('falls back when Accept-Language names nothing we have', () => {
    assert.equal(negotiateLocale({ acceptLanguage: 'de, fr;q=0.8, *;q=0.1', fallback: 'nb' }), 'nb');
    assert.equal(negotiateLocale({ acceptLanguage: ';;;,,,', fallback: 'sv' }), 'sv');
    assert.equal(negotiateLocale({ acceptLanguage: `${'de,'.repeat(5000)}fi`, fallback: 'da' }), 'da');
  });
});

describe('catalogs', () => {
  const enKeys = Object.keys(en).sort();
  const placeholders = (text: string): string[] =>
    [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1] ?? '').sort();
  const forms = (message: Message): Record<string, string> =>
    typeof message === 'string' ? { text: message } : { one: message.one, other: message.other };

  for (const locale of LOCALES) {
    const catalog = CATALOGS[locale];

    it(`${locale} has exactly en's keys`, () => {
      assert.deepEqual(Object.keys(catalog).sort(), enKeys);
    });

    it(`${locale} has en's placeholders and plural shape in every message`, () => {
      for (const key of enKeys) {
        const ours = catalog[key];
        const reference = en[key as keyof typeof en];
        assert.ok(ours !== undefined, `${locale} ${key} missing`);
        assert.deepEqual(
          Object.keys(forms(ours)),
          Object.keys(forms(reference)),
          `${locale} ${key} plural shape`,
        );
        const ourForms = forms(ours);
        for (const [form, text] of Object.entries(forms(reference))) {
          assert.deepEqual(
            placeholders(ourForms[form] ?? ''),
            placeholders(text),
            `${locale} ${key} ${form}`,
          );
        }
      }
    });

    it(`${locale} has no empty message and no stray whitespace`, () => {
      for (const [key, message] of Object.entries(catalog)) {
        for (const text of Object.values(forms(message))) {
          assert.ok(text.length > 0 && text === text.trim() && !text.includes('  '), `${locale} ${key}`);
        }
      }
    });
  }

  it('leaves at most one message identical to English (e.g. Danish "Reference")', () => {
    for (const locale of ['nb', 'sv', 'da', 'fi'] as const) {
      const same = enKeys.filter(
        (key) => JSON.stringify(CATALOGS[locale][key]) === JSON.stringify(en[key as keyof typeof en]),
      );
      assert.ok(same.length <= 1, `${locale} left untranslated: ${same.join(', ')}`);
    }
  });
});

describe('translate', () => {
  it('fills placeholders and leaves unknown ones as written', () => {
    assert.equal(translate('en', 'error.reference', { ref: 'abc-123' }), 'Reference: abc-123');
    assert.equal(translate('en', 'error.reference'), 'Reference: {ref}');
    assert.equal(translate('en', 'error.reference', { other: 'x' }), 'Reference: {ref}');
    assert.equal(
      translate('nb', 'identify.intro', { sp: 'Demo {ref} <b>' }),
      'Demo {ref} <b> trenger å vite hvem du er. Vi sender en engangskode til mobiltelefonen din.',
    );
  });

  it('chooses the plural form by count with each language’s rules', () => {
    assert.equal(translate('en', 'verify.attemptsLeft', { count: 1 }), '1 attempt left.');
    assert.equal(translate('en', 'verify.attemptsLeft', { count: 3 }), '3 attempts left.');
    assert.equal(translate('en', 'verify.attemptsLeft', { count: 0 }), '0 attempts left.');
    assert.equal(translate('fi', 'verify.attemptsLeft', { count: 1 }), '1 yritys jäljellä.');
    assert.equal(translate('fi', 'verify.attemptsLeft', { count: 4 }), '4 yritystä jäljellä.');
    assert.equal(translate('sv', 'verify.resendWait', { count: 1 }), 'Du kan begära koden igen om 1 sekund.');
    assert.equal(
      translate('sv', 'verify.resendWait', { count: 30 }),
      'Du kan begära koden igen om 30 sekunder.',
    );
    assert.equal(
      translate('da', 'error.resendWait', { count: '1' }),
      'Vent 1 sekund, før du beder om koden igen',
    );
    assert.equal(
      translate('nb', 'error.resendWait', { count: 0 }),
      'Vent 0 sekunder før du ber om koden på nytt',
    );
  });

  it('returns an unknown key as itself, also one that names an Object property', () => {
    assert.equal(translate('en', 'no.such.key' as MessageKey), 'no.such.key');
    assert.equal(translate('nb', 'constructor' as MessageKey), 'constructor');
    assert.equal(translate('nb', '__proto__' as MessageKey), '__proto__');
  });

  it('uses the other form when no count is given', () => {
    assert.equal(translate('en', 'verify.attemptsLeft'), '{count} attempts left.');
  });

  it('renders every message of every catalog to a non-empty string', () => {
    for (const locale of LOCALES) {
      for (const key of Object.keys(en) as (keyof typeof en)[]) {
        const text = translate(locale, key, {
          count: 2,
          sp: 'SP',
          phone: '+47',
          minutes: 15,
          ref: 'r',
          code: '1',
        });
        assert.ok(text.length > 0 && !/\{\w+\}/.test(text), `${locale} ${key}: ${text}`);
      }
    }
  });
});

describe('locale helpers', () => {
  it('lists the five locales, their own names and <html lang> tags', () => {
    assert.deepEqual([...LOCALES].sort(), ['da', 'en', 'fi', 'nb', 'sv']);
    assert.deepEqual(
      LOCALES.map((l) => htmlLang(l)),
      ['nb', 'sv', 'da', 'fi', 'en'],
    );
    assert.equal(LOCALE_NAMES.fi, 'Suomi');
    assert.equal(isLocale('sv'), true);
    assert.equal(isLocale('no'), false);
  });
});
