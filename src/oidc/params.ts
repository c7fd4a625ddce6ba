// E-Ident's authorization parameters beside OIDC's own: amr_values, presetid, login_hint, locale/language.

import { NETS_SMS, readForcedEid } from '../login/login-service.ts';
import { parsePhone } from '../login/phone.ts';
import { parsePresetId } from '../login/preset.ts';
import type { EidentParams } from '../types.ts';
import { ACR } from './claims.ts';

/** The authorize parameters this module reads (all strings, as oidc-provider hands them over). */
export interface OidcParams {
  readonly amr_values?: string;
  readonly idp_values?: string;
  readonly acr_values?: string;
  readonly presetid?: string;
  readonly login_hint?: string;
  readonly ui_locales?: string;
  readonly locale?: string;
  readonly language?: string;
}

/** Parameters oidc-provider must keep (its `extraParams`); ui_locales, login_hint, acr_values are its own. */
export const EXTRA_PARAMS = ['amr_values', 'idp_values', 'presetid', 'locale', 'language'] as const;

/**
 * The eID the request picks: the first of `amr_values` (NEB's `idp_values` too), else `acr_values` naming nets_sms
 * or our class. Undefined: the request picks none (step 1 when several are offered).
 */
export function requestedEid(params: OidcParams): string | undefined {
  const first = (params.amr_values ?? params.idp_values)?.trim().split(/\s+/)[0];
  if (first !== undefined && first !== '') return readForcedEid(first);
  const acr = params.acr_values?.trim().split(/\s+/) ?? [];
  return acr.some((v) => v === ACR || readForcedEid(v.replace(/^idp:/, '')) === NETS_SMS)
    ? NETS_SMS
    : undefined;
}

/** A `login_hint` that is a phone number (`+4612345678`, `tel:+46…`), in E.164; anything else is no phone. */
export function hintPhone(params: OidcParams, smsCountries: readonly string[] | '*'): string | undefined {
  const raw = params.login_hint?.trim().replace(/^tel:/i, '');
  if (raw === undefined || !/^\+\d[\d ]{5,20}$/.test(raw)) return undefined;
  const parsed = parsePhone(raw, { allowedCountries: smsCountries });
  return parsed.ok ? parsed.e164 : undefined;
}

/**
 * Why the request cannot be served (an `invalid_request` before any page is shown), or undefined. Mirrors the SAML
 * side: an eID not offered (NoSupportedIDP), a presetid that does not parse or names an unusable number, and a
 * login_hint phone that contradicts the presetid phone.
 */
export function paramProblem(
  params: OidcParams,
  offeredEids: readonly string[],
  smsCountries: readonly string[] | '*',
): string | undefined {
  const eid = requestedEid(params);
  if (eid !== undefined && !offeredEids.includes(eid)) return `eID ${eid} is not offered here`;
  let presetPhone: string | undefined;
  if (params.presetid !== undefined && params.presetid !== '') {
    const parsed = parsePresetId(params.presetid);
    if (!parsed.ok) return `presetid: ${parsed.reason}`;
    if (parsed.preset.phone !== undefined) {
      const phone = parsePhone(parsed.preset.phone, { allowedCountries: smsCountries });
      if (!phone.ok) return `presetid phone: ${phone.problem}`;
      presetPhone = phone.e164;
    }
  }
  const hinted = hintPhone(params, smsCountries);
  if (hinted !== undefined && presetPhone !== undefined && hinted !== presetPhone)
    return 'login_hint and presetid name different phone numbers';
  return undefined;
}

/** The parameters the login flow takes, as the SAML side passes them. */
export function eidentParams(params: OidcParams): EidentParams {
  return {
    forcepkivendor: requestedEid(params),
    presetid: params.presetid,
    locale: params.ui_locales ?? params.locale ?? params.language,
  };
}
