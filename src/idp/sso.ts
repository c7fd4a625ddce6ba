// May the browser's SSO session answer this request without a new code? One decision for SAML and OpenID Connect.

import { NETS_SMS, readForcedEid } from '../login/login-service.ts';
import { parsePhone } from '../login/phone.ts';
import { parsePresetId } from '../login/preset.ts';
import type { EidentParams } from '../types.ts';
import type { SsoSession } from './session/sso-session.ts';

/** What an SSO answer must agree with besides the protocol's own checks (the presets and the eID choice). */
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

/** What a request asks of the SSO session, whatever its protocol. */
export interface SsoRequest extends SsoRequestContext {
  /** A new code whatever session there is: SAML ForceAuthn, OpenID Connect prompt=login. */
  readonly forceLogin: boolean;
  /** OpenID Connect max_age: a session whose login is older (in seconds) does not answer. */
  readonly maxAgeSeconds?: number;
}

/**
 * May `session` answer `request` without a new code (SAML core §3.4.1 ForceAuthn, OpenID Connect Core §3.1.2.1
 * prompt=login and max_age, then the presets of sessionServes)? `now` is ms since epoch.
 */
export function sessionMayAnswer(session: SsoSession, request: SsoRequest, now: number): boolean {
  if (request.forceLogin) return false;
  const { maxAgeSeconds } = request;
  if (maxAgeSeconds !== undefined && now / 1000 - session.authnInstant / 1000 > maxAgeSeconds) return false;
  return sessionServes(session, request);
}

/** The way forward for a request: answer from the session, log in, or (passive) refuse without asking. */
export type SsoDecision =
  | { readonly kind: 'answer'; readonly session: SsoSession }
  | { readonly kind: 'login' }
  | { readonly kind: 'no-passive' };

/**
 * The SSO decision for a request and the browser's session (undefined: none, or SSO off). A passive request
 * (SAML IsPassive) that the session cannot answer can never be satisfied: it is refused, not sent to a login.
 */
export function decideSso(
  session: SsoSession | undefined,
  request: SsoRequest & { readonly passive: boolean },
  now: number,
): SsoDecision {
  if (session !== undefined && sessionMayAnswer(session, request, now)) return { kind: 'answer', session };
  return request.passive ? { kind: 'no-passive' } : { kind: 'login' };
}
