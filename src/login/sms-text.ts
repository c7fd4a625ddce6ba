// Writes the SMS carrying the code (docs/contract.md §5): the user's language, no user-typed text, an origin-bound last line.

import { type Locale, translate } from '../i18n/index.ts';

/**
 * The message: the translated `sms.body`, a blank line, then `@<host> #<code>`, the origin-bound one-time code
 * format (WICG "Origin-bound one-time codes delivered via SMS") that lets phones offer the code for autofill on
 * our pages. The host is BASE_URL's hostname without a port, as that format has no port. Only the code (checked
 * to be 6 ASCII digits), the TTL and our own host go in, so no user-typed text can reach the SMS.
 */
export function composeSmsText(opts: {
  locale: Locale;
  code: string;
  baseUrl: string;
  ttlMinutes: number;
}): string {
  if (!/^\d{6}$/.test(opts.code)) throw new RangeError('an SMS code must be 6 ASCII digits');
  if (!Number.isInteger(opts.ttlMinutes) || opts.ttlMinutes < 1)
    throw new RangeError('ttlMinutes must be >= 1');
  const host = new URL(opts.baseUrl).hostname;
  const body = translate(opts.locale, 'sms.body', { code: opts.code, count: opts.ttlMinutes });
  return `${body}\n\n@${host} #${opts.code}`;
}
