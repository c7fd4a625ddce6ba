// Settings table, login section: the code's lifetime, the login flow and the SSO session.

import { flag, setting, wholeNumber } from '../setting.ts';

export const OTP_TTL_SECONDS = setting({
  name: 'OTP_TTL_SECONDS',
  parse: wholeNumber(1, 900),
  default: 900,
  doc: "code lifetime (the method's 15 minutes; may only be shorter)",
});

export const LOGIN = {
  otpTtlSeconds: OTP_TTL_SECONDS,
  otpResendCooldownSeconds: setting({
    name: 'OTP_RESEND_COOLDOWN_SECONDS',
    parse: wholeNumber(0, 3600),
    default: 30,
    doc: 'wait before a resend',
  }),
  flowTtlSeconds: setting({
    name: 'FLOW_TTL_SECONDS',
    parse: wholeNumber(60, 86400),
    default: 1800,
    doc: 'lifetime of a login flow (never shorter than `OTP_TTL_SECONDS`)',
  }),
  ssoEnabled: setting({
    name: 'SSO_ENABLED',
    parse: flag,
    default: true,
    doc: 'keep an SSO session after a login, so further SPs get assertions without a new code',
  }),
  ssoSessionTtlSeconds: setting({
    name: 'SSO_SESSION_TTL_SECONDS',
    parse: wholeNumber(60, 7 * 86400),
    default: 8 * 3600,
    doc: 'lifetime of an SSO session from its login',
  }),
};
