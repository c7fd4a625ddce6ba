// May the browser's SSO session answer this request without a new code? One decision for SAML and OpenID Connect.

import { NETS_SMS, readForcedEid } from '../login/login-service.ts';
import { parsePhone } from '../login/phone.ts';
import { parsePresetId } from '../login/preset.ts';
import type { EidentParams } from '../types.ts';
import type { SsoSession } from './session/sso-session.ts';

/** What an SSO answer must agree with besides the AuthnRequest checks. */
export interface SsoRequestContext {
  readonly params: EidentParams;
  /** The phone a signed AuthnRequest put in its Subject. */
  readonly subjectPhone: string | undefined;
  readonly offeredEids: readonly string[];
  readonly smsCountries: readonly string[] | '*';
}

/**
 * True when the session may answer without a new code: the SP is offered nets_sms and forcepkivendor names no
 * other eID, and every preset (docs/contract.md §2: presetid, a signed Subject) names the session's own person. A preset
 * the IdP cannot read is left to the login flow, which answers Requester.
 */
export function sessionServes(session: SsoSession, context: SsoRequestContext): boolean {
  if (!context.offeredEids.includes(NETS_SMS)) return false;
  const forced = readForcedEid(context.params.forcepkivendor);
  if (forced !== undefined && forced !== NETS_SMS) return false;
  const { identity } = session;
  const samePhone = (raw: string): boolean => {
    const parsed = parsePhone(raw, { allowedCountries: context.smsCountries });
    return parsed.ok && parsed.e164 === identity.phone;
  };
  const presetid = context.params.presetid;
  if (presetid !== undefined && presetid !== '') {
    const parsed = parsePresetId(presetid);
    if (!parsed.ok) return false;
    const { phone, familyName, givenName } = parsed.preset;
    if (phone !== undefined && !samePhone(phone)) return false;
    if (familyName !== undefined && familyName !== identity.familyName) return false;
    if (givenName !== undefined && givenName !== identity.givenName) return false;
  }
  return context.subjectPhone === undefined || samePhone(context.subjectPhone);
}
