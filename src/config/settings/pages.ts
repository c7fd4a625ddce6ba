// Settings table, pages section: the login pages' language, default country, name, logo and colours.

import { isLocale, LOCALES, type Locale } from '../../i18n/index.ts';
import { DEFAULT_BRAND_COLOR, DEFAULT_BRAND_CONTRAST_COLOR, parseHexColor } from '../colour.ts';
import { type Parser, setting } from '../setting.ts';

/** A language we have; a region after `-` or `_` is dropped (`sv_FI` → `sv`). */
const locale: Parser<Locale> = (raw, name) => {
  const language = raw.toLowerCase().replace(/[-_].*$/, '');
  return isLocale(language)
    ? { value: language }
    : { problem: `${name} must be one of ${LOCALES.join(', ')} (got "${language}")` };
};

/** An ISO 3166 alpha-2 country code, any case. */
const country: Parser<string> = (raw, name) => {
  const code = raw.trim().toUpperCase();
  return /^[A-Z]{2}$/.test(code)
    ? { value: code }
    : { problem: `${name} must be an ISO 3166 alpha-2 code (got "${code}")` };
};

const displayName: Parser<string | undefined> = (raw, name) => {
  const trimmed = raw.trim();
  if (trimmed.length > 60) return { problem: `${name} must be 60 characters or fewer` };
  return { value: trimmed === '' ? undefined : trimmed };
};

const logoFile: Parser<string> = (raw, name) =>
  /\.(svg|png)$/i.test(raw)
    ? { value: raw }
    : { problem: `${name} must be an .svg or .png file (got "${raw}")` };

const hexColour: Parser<string> = (raw, name) => {
  const parsed = parseHexColor(raw);
  return parsed === undefined
    ? { problem: `${name} must be a hex colour such as #1f3b73 (got "${raw}")` }
    : { value: parsed };
};

export const PAGES = {
  defaultLocale: setting<Locale>({
    name: 'DEFAULT_LOCALE',
    parse: locale,
    default: 'nb',
    values: LOCALES.map((l) => `\`${l}\``).join(', '),
    doc: 'UI language when neither the request nor the browser names one we have',
  }),
  defaultPhoneCountry: setting<string | undefined>({
    name: 'DEFAULT_PHONE_COUNTRY',
    parse: country,
    default: undefined,
    values: 'ISO 3166 alpha-2',
    doc:
      "country of a number typed without `+` and country code when the request's locale names no region " +
      "(`sv_FI` → FI); unset: the page language's country (`sv` → SE, none for `en`)",
  }),
  idpDisplayName: setting<string | undefined>({
    name: 'IDP_DISPLAY_NAME',
    parse: displayName,
    default: undefined,
    defaultText: '"Identification", translated',
    values: '60 characters at most',
    doc: "the IdP's name in the page header and title",
  }),
  idpLogoFile: setting<string | undefined>({
    name: 'IDP_LOGO_FILE',
    parse: logoFile,
    default: undefined,
    defaultText: 'a neutral phone mark',
    values: '`.svg` or `.png`, 100 KB at most',
    doc: 'shown in the header on the brand colour, served from our origin',
  }),
  brandColor: setting({
    name: 'IDP_BRAND_COLOR',
    parse: hexColour,
    default: DEFAULT_BRAND_COLOR,
    values: '`#rgb` or `#rrggbb`',
    doc: 'header and button colour',
  }),
  brandContrastColor: setting({
    name: 'IDP_BRAND_CONTRAST_COLOR',
    parse: hexColour,
    default: DEFAULT_BRAND_CONTRAST_COLOR,
    values: '`#rgb` or `#rrggbb`',
    doc: 'the text on the brand colour; must contrast at least 4.5:1 with it (WCAG 2.2 §1.4.3)',
  }),
};
