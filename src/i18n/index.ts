// Picks the page language (docs/contract.md §2) and translates message keys, with plurals, from the five catalogs.

import { da } from './da.ts';
import { en, type Message, type Messages, type Plural } from './en.ts';
import { fi } from './fi.ts';
import { nb } from './nb.ts';
import { sv } from './sv.ts';

export type { Message, Messages, Plural } from './en.ts';

/** The UI languages: Norwegian bokmål, Swedish, Danish, Finnish, English. */
export type Locale = 'nb' | 'sv' | 'da' | 'fi' | 'en';
export type MessageKey = keyof Messages;

export const LOCALES: readonly Locale[] = Object.freeze(['nb', 'sv', 'da', 'fi', 'en']);

/** Each language's name in itself, for a language switcher. */
export const LOCALE_NAMES: Readonly<Record<Locale, string>> = Object.freeze({
  nb: 'Norsk bokmål',
  sv: 'Svenska',
  da: 'Dansk',
  fi: 'Suomi',
  en: 'English',
});

const CATALOGS: Readonly<Record<Locale, Messages>> = { nb, sv, da, fi, en };

/** Primary language subtags we answer, and the locale each maps to (`no` and `nn` read as bokmål). */
const LANGUAGE_TO_LOCALE: ReadonlyMap<string, Locale> = new Map([
  ['nb', 'nb'],
  ['no', 'nb'],
  ['nn', 'nb'],
  ['sv', 'sv'],
  ['da', 'da'],
  ['fi', 'fi'],
  ['en', 'en'],
]);

/** Longest header or parameter we read; anything longer is cut, not parsed. */
const MAX_INPUT = 1024;

export function isLocale(value: string): value is Locale {
  return (LOCALES as readonly string[]).includes(value);
}

/** One language tag (`nb_NO`, `en-GB`, `sv_FI`, `no`) to a locale we have, by its primary subtag. */
function matchTag(tag: string): Locale | undefined {
  const primary = tag.trim().toLowerCase().split(/[-_]/)[0] ?? '';
  return LANGUAGE_TO_LOCALE.get(primary);
}

/** Accept-Language (RFC 9110 §12.5.4) as tags in preference order; q=0 and malformed entries are dropped. */
function acceptedTags(header: string): string[] {
  const entries: { tag: string; q: number; index: number }[] = [];
  header
    .slice(0, MAX_INPUT)
    .split(',')
    .forEach((part, index) => {
      const [rawTag = '', ...params] = part.split(';');
      const tag = rawTag.trim();
      if (!/^[A-Za-z]{1,8}(?:[-_][A-Za-z0-9]{1,8})*$/.test(tag)) return;
      let q = 1;
      for (const param of params) {
        const m = /^\s*q\s*=\s*(0(?:\.\d{0,3})?|1(?:\.0{0,3})?)\s*$/i.exec(param);
        if (m?.[1] !== undefined) q = Number(m[1]);
        else if (/^\s*q\s*=/i.test(param)) q = -1;
      }
      if (q > 0) entries.push({ tag, q, index });
    });
  entries.sort((a, b) => b.q - a.q || a.index - b.index);
  return entries.map((e) => e.tag);
}

/**
 * docs/contract.md §2: the requested locale (`nb_NO`, `en_GB`, `da_DK`, `sv_SE`, `fi_FI`, `sv_FI`, with `-` or `_`;
 * bare `nb`, `no`, `nn`; a space-separated `ui_locales` list is read in order), then Accept-Language with its
 * q-values, then the fallback.
 */
export function negotiateLocale(opts: {
  requested?: string;
  acceptLanguage?: string;
  fallback: Locale;
}): Locale {
  if (opts.requested !== undefined) {
    for (const tag of opts.requested.slice(0, MAX_INPUT).split(/[\s,]+/)) {
      const locale = matchTag(tag);
      if (locale !== undefined) return locale;
    }
  }
  if (opts.acceptLanguage !== undefined) {
    for (const tag of acceptedTags(opts.acceptLanguage)) {
      const locale = matchTag(tag);
      if (locale !== undefined) return locale;
    }
  }
  return opts.fallback;
}

const pluralRules = new Map<Locale, Intl.PluralRules>(LOCALES.map((l) => [l, new Intl.PluralRules(l)]));

function pick(locale: Locale, message: Message, count: unknown): string {
  if (typeof message === 'string') return message;
  const n = typeof count === 'number' ? count : Number(count);
  if (!Number.isFinite(n)) return message.other;
  return pluralRules.get(locale)?.select(n) === 'one' ? message.one : message.other;
}

/**
 * The message for `key` in `locale`, `{name}` placeholders filled from `vars`. A plural message is chosen by
 * `vars.count`. A placeholder without a value stays as written; an unknown key comes back as itself. The result
 * is plain text: pages escape it.
 */
export function translate(
  locale: Locale,
  key: MessageKey,
  vars?: Readonly<Record<string, string | number>>,
): string {
  const catalog = CATALOGS[locale] ?? CATALOGS.en;
  if (!Object.hasOwn(en, key)) return String(key);
  const message: Message = Object.hasOwn(catalog, key) ? catalog[key] : en[key];
  const text = pick(locale, message, vars?.count);
  // Most messages have no placeholder (and pages pass an empty `vars` for every one).
  if (vars === undefined || !text.includes('{')) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) =>
    Object.hasOwn(vars, name) ? String(vars[name]) : whole,
  );
}

/**
 * Both forms of a plural message with `{count}` left in, for a page script that counts (the resend wait);
 * undefined when the message is not a plural.
 */
export function pluralForms(locale: Locale, key: MessageKey): Plural | undefined {
  if (!Object.hasOwn(en, key)) return undefined;
  const catalog = CATALOGS[locale] ?? CATALOGS.en;
  const message: Message = Object.hasOwn(catalog, key) ? catalog[key] : en[key];
  return typeof message === 'string' ? undefined : { one: message.one, other: message.other };
}

/** BCP 47 tag for `<html lang>`. */
export function htmlLang(locale: Locale): string {
  return locale;
}
