// Phone numbers for the one-time code (docs/contract.md §5): parsed to E.164, refused when they cannot or should not get an SMS.

import { createHmac } from 'node:crypto';
import {
  type CountryCode,
  getCountries,
  getCountryCallingCode,
  getExampleNumber,
  isSupportedCountry,
  type NumberType,
  parsePhoneNumberFromString,
  parsePhoneNumberWithError,
} from 'libphonenumber-js/max';
import mobileExamples from 'libphonenumber-js/mobile/examples';

export type PhoneProblem = 'required' | 'invalid' | 'not-mobile' | 'costly' | 'country-not-allowed';

/**
 * What each number type means for us. MOBILE and FIXED_LINE_OR_MOBILE (Denmark and the NANP, whose ranges do not
 * tell the two apart) take an SMS. Lines that cannot receive one are `not-mobile`: FIXED_LINE, PAGER, VOICEMAIL,
 * and VOIP (not reliably SMS-capable, and not tied to a person). Ranges that cost the sender or forward at a
 * premium are `costly`: PREMIUM_RATE, SHARED_COST, TOLL_FREE, UAN, and PERSONAL_NUMBER (follow-me numbers, e.g.
 * UK 070 or Norway's 880, a known SMS-fraud route).
 */
const TYPE_RULE: Readonly<Record<NonNullable<NumberType>, 'ok' | 'not-mobile' | 'costly'>> = {
  MOBILE: 'ok',
  FIXED_LINE_OR_MOBILE: 'ok',
  FIXED_LINE: 'not-mobile',
  PAGER: 'not-mobile',
  VOICEMAIL: 'not-mobile',
  VOIP: 'not-mobile',
  PREMIUM_RATE: 'costly',
  SHARED_COST: 'costly',
  TOLL_FREE: 'costly',
  UAN: 'costly',
  PERSONAL_NUMBER: 'costly',
};

/** Longest input read; a typed number with its spacing fits easily. */
const MAX_INPUT = 40;

/** What people type around the digits: spaces (incl. no-break), dashes, dots, slashes and brackets. */
const TYPED = /^\+?[\d\s\u00a0\u2009\u202f\-\u2010\u2011\u2012\u2013.()/]*$/u;

/**
 * Reads a number as people type it: `+47 412 34 567`, `0047 41234567`, `00 47 …`, `070-123 45 67` (national, with
 * `defaultCountry` SE), `+46 (0)70 …`. Refused in this order: empty (`required`); letters, extensions or a number
 * libphonenumber's full metadata does not know (`invalid`); a number outside `allowedCountries`, or one that
 * belongs to no country (satellite and international networks, even with `'*'`) (`country-not-allowed`); a type
 * in TYPE_RULE that is not `ok`. With the full metadata a valid number always has a type, so an unknown type
 * cannot pass; were one to appear it is refused as `not-mobile`.
 */
export function parsePhone(
  input: string,
  opts: { defaultCountry?: string; allowedCountries: readonly string[] | '*' },
): { ok: true; e164: string; country: string | undefined } | { ok: false; problem: PhoneProblem } {
  const trimmed = input.trim();
  if (trimmed === '') return { ok: false, problem: 'required' };
  if (trimmed.length > MAX_INPUT || !TYPED.test(trimmed)) return { ok: false, problem: 'invalid' };
  // '(0)' marks a trunk prefix dropped when dialling from abroad; '00' is the international prefix in Europe.
  let text = trimmed.replaceAll('(0)', ' ');
  if (/^00\D*[1-9]/.test(text)) text = `+${text.replace(/^00/, '')}`;

  let number: ReturnType<typeof parsePhoneNumberWithError>;
  try {
    const region = opts.defaultCountry?.toUpperCase();
    const defaultCountry =
      region !== undefined && isSupportedCountry(region) ? (region as CountryCode) : undefined;
    number = parsePhoneNumberWithError(text, { defaultCountry });
  } catch {
    return { ok: false, problem: 'invalid' };
  }
  if (number.ext !== undefined || !number.isValid()) return { ok: false, problem: 'invalid' };

  const country = number.country;
  if (country === undefined) return { ok: false, problem: 'country-not-allowed' };
  if (opts.allowedCountries !== '*' && !opts.allowedCountries.some((c) => c.toUpperCase() === country)) {
    return { ok: false, problem: 'country-not-allowed' };
  }
  const type = number.getType();
  const rule = type === undefined ? 'not-mobile' : TYPE_RULE[type];
  if (rule !== 'ok') return { ok: false, problem: rule };
  return { ok: true, e164: number.number, country };
}

/** Example numbers by region, made once each: the identify page shows one on every render. */
const examples = new Map<string, string | undefined>();

/** A mobile number of `country` written the way people there write it (`070-123 45 67` for SE), for a form hint. */
export function examplePhone(country: string | undefined): string | undefined {
  const region = country?.toUpperCase();
  if (region === undefined || !isSupportedCountry(region)) return undefined;
  // Only supported regions get here, so the map holds at most one entry per region libphonenumber knows.
  if (!examples.has(region)) {
    examples.set(region, getExampleNumber(region as CountryCode, mobileExamples)?.formatNational());
  }
  return examples.get(region);
}

/** Human display, international format as libphonenumber writes it for the country: `+47 41 23 45 67`. */
export function formatPhone(e164: string): string {
  try {
    return parsePhoneNumberWithError(e164).formatInternational();
  } catch {
    return e164;
  }
}

/**
 * For logs and the code page: the first 5 characters (incl. `+`) and the last 2 stay, the rest is masked:
 * `+4612345678` → `+4612****78`. Short numbers keep fewer leading characters so at least 3 are always masked.
 */
export function maskPhone(e164: string): string {
  const head = Math.max(1, Math.min(5, e164.length - 5));
  const tail = e164.length > 4 ? 2 : 0;
  return (
    e164.slice(0, head) + '*'.repeat(Math.max(0, e164.length - head - tail)) + e164.slice(e164.length - tail)
  );
}

/**
 * For log lines: only the country calling code and the last 2 digits stay (`+47******67`), too few to tell who it
 * is; `phoneLogRef` beside it lets support match a number they are given.
 */
export function maskPhoneForLog(e164: string): string {
  const digits = e164.replace(/^\+/, '');
  const code = callingCodeOf(e164);
  const head = digits.startsWith(code) ? code : '';
  const tail = digits.length - head.length > 4 ? 2 : 0;
  return `+${head}${'*'.repeat(Math.max(0, digits.length - head.length - tail))}${digits.slice(digits.length - tail)}`;
}

/** Every country calling code of a country or territory (`1`, `46`, `358`…), read once from the metadata. */
const CALLING_CODES: ReadonlySet<string> = new Set(getCountries().map((c) => getCountryCallingCode(c)));

/**
 * The country calling code a number starts with. Calling codes are prefix-free, so the first of its 1–3 leading
 * digits that is one is it: a set lookup, where parsing the number (a few log lines per login) costs far more.
 * A number the lookup cannot place (a non-geographic code, a national part of implausible length) is parsed.
 */
function callingCodeOf(e164: string): string {
  for (let length = 1; length <= 3 && e164.startsWith('+'); length++) {
    const code = e164.slice(1, 1 + length);
    const national = e164.length - 1 - length;
    if (CALLING_CODES.has(code) && national >= 2 && national <= 17) return code;
  }
  return parsePhoneNumberFromString(e164)?.countryCallingCode ?? '';
}

/** A keyed reference to a number for logs: HMAC-SHA256(IDP_SECRET, "phone-log:" + E.164), first 16 hex digits. */
export function phoneLogRef(secret: string, e164: string): string {
  return createHmac('sha256', secret).update(`phone-log:${e164}`).digest('hex').slice(0, 16);
}
