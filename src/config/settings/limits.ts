// Settings table, limits section: SMS cost and code-guessing limits (login/limits.ts, docs/security.md).

import { computed, setting, type Values, wholeNumber } from '../setting.ts';

/** A raised hourly cap per number raises the defaults of the caps that contain it. */
export const SMS_MAX_PER_PHONE = setting({
  name: 'SMS_MAX_PER_PHONE',
  parse: wholeNumber(1, 1000),
  default: 5,
  doc: 'SMS to one number per hour, across flows',
});

export const LIMITS = {
  otpMaxAttempts: setting({
    name: 'OTP_MAX_ATTEMPTS',
    parse: wholeNumber(1, 5),
    default: 5,
    doc: 'wrong entries per code; then the flow ends with `AuthnFailed`',
  }),
  otpMaxSendsPerFlow: setting({
    name: 'OTP_MAX_SENDS_PER_FLOW',
    parse: wholeNumber(1, 10),
    default: 3,
    doc: 'SMS per login flow, the first one included',
  }),
  smsMaxPerPhone: SMS_MAX_PER_PHONE,
  smsMaxPerPhoneDay: setting({
    name: 'SMS_MAX_PER_PHONE_DAY',
    parse: wholeNumber(1, 10000),
    default: computed(({ value }) => Math.max(10, value(SMS_MAX_PER_PHONE))),
    defaultText: '`10` (or `SMS_MAX_PER_PHONE` when higher)',
    doc: 'SMS to one number per 24 hours',
  }),
  smsMaxPerPrefix: setting({
    name: 'SMS_MAX_PER_PREFIX',
    parse: wholeNumber(1, 1000000),
    default: computed(({ value }) => Math.max(30, value(SMS_MAX_PER_PHONE))),
    defaultText: '`30` (or `SMS_MAX_PER_PHONE` when higher)',
    doc:
      'SMS per hour to numbers that share their first `SMS_PREFIX_DIGITS` digits (SMS pumping through a ' +
      'number range)',
  }),
  smsPrefixDigits: setting({
    name: 'SMS_PREFIX_DIGITS',
    parse: wholeNumber(4, 15),
    default: 7,
    doc:
      'leading digits of the E.164 number, country code included, that make its prefix (`+47 912 34 567` → ' +
      '`4791234`)',
  }),
  smsMaxPerIp: setting({
    name: 'SMS_MAX_PER_IP',
    parse: wholeNumber(1, 100000),
    default: 20,
    doc: 'SMS triggered from one client address per hour',
  }),
  smsMaxGlobal: setting({
    name: 'SMS_MAX_GLOBAL',
    parse: wholeNumber(1, 10000000),
    default: 1000,
    doc: 'all SMS per hour (cost ceiling)',
  }),
  otpMaxFailuresPerPhone: setting({
    name: 'OTP_MAX_FAILURES_PER_PHONE',
    parse: wholeNumber(1, 100),
    default: 10,
    doc:
      'wrong codes for one number per 24 h (at most 100: NIST SP 800-63B §5.2.2); then that number is refused ' +
      'until the 24 h are over; a right code clears the count',
  }),
  otpFailureDelayAfter: setting({
    name: 'OTP_FAILURE_DELAY_AFTER',
    parse: wholeNumber(1, 100),
    default: 5,
    doc: 'wrong codes for one number after which each further guess waits 2, 4, 8 … seconds',
  }),
  otpFailureDelayMaxSeconds: setting({
    name: 'OTP_FAILURE_DELAY_MAX_SECONDS',
    parse: wholeNumber(1, 86400),
    default: 900,
    doc: 'the longest of those waits',
  }),
  flowMaxPerIp: setting({
    name: 'FLOW_MAX_PER_IP',
    parse: wholeNumber(1, 1_000_000),
    default: 300,
    doc:
      'login flows started from one client address per hour (each holds store memory); past it a 429 page ' +
      'says when to retry',
  }),
};

/** The limits as the login reads them (login/limits.ts). */
export type LimitSettings = Values<typeof LIMITS>;
