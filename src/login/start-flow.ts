// Opens a login flow for a trusted request: the start limit, the eID and preset the SP asked for, the page language.

import { randomBytes } from 'node:crypto';
import { loggable, SamlStatus, SamlStatusError, TooManyRequestsError } from '../errors.ts';
import { type Locale, negotiateLocale } from '../i18n/index.ts';
import type { EidentParams, PendingRequest } from '../types.ts';
import { flowEvent, type LoginContext, type LoginSettings } from './context.ts';
import { type Flow, firstStep } from './flow.ts';
import { parsePhone } from './phone.ts';
import { parsePresetId, type Preset } from './preset.ts';

export interface StartInput {
  readonly request: PendingRequest;
  readonly params: EidentParams;
  readonly acceptLanguage: string | undefined;
  readonly spDefaultLocale: string | undefined;
  readonly offeredEids: readonly string[];
  /** The client address, for the limit on flow starts. */
  readonly clientIp: string;
}

/** The country each of our languages is spoken in first, for a number typed without its country code. */
export const LOCALE_COUNTRY: Readonly<Record<Locale, string | undefined>> = {
  nb: 'NO',
  sv: 'SE',
  da: 'DK',
  fi: 'FI',
  en: undefined,
};

/**
 * The country of a number typed without its country code: the region of the requested locale (`sv_FI` → FI),
 * else DEFAULT_PHONE_COUNTRY, else the language's country (`sv` → SE); only one that SMS_COUNTRIES allows.
 */
export function phoneCountryFor(
  locale: Locale,
  requestedLocale: string | undefined,
  settings: Pick<LoginSettings, 'defaultPhoneCountry' | 'smsCountries'>,
): string | undefined {
  const tag = /^[a-z]{2,3}[-_]([a-z]{2})(?![a-z])/i.exec(requestedLocale?.trim() ?? '');
  const region = tag?.[1]?.toUpperCase();
  const allowed = settings.smsCountries;
  return [region, settings.defaultPhoneCountry, LOCALE_COUNTRY[locale]].find(
    (c) => c !== undefined && (allowed === '*' || allowed.includes(c)),
  );
}

/** `forcepkivendor` names one eID: `nets_sms` or E-Ident's `abs:nets_sms` spelling. */
export function readForcedEid(raw: string | undefined): string | undefined {
  if (raw === undefined || raw.trim() === '') return undefined;
  const value = raw.trim().toLowerCase();
  return value.startsWith('abs:') ? value.slice(4) : value;
}

/**
 * Opens a flow for a trusted request. Throws SamlStatusError (Requester) for a preset or eID choice the IdP
 * cannot use, so the SP hears why (docs/contract.md §4).
 */
export async function startFlow(ctx: LoginContext, input: StartInput): Promise<Flow> {
  const refused = await ctx.limits.chargeFlowStart(input.clientIp);
  if (refused !== undefined) {
    ctx.onEvent('login.refused', { reason: refused.reason, retryAfter: refused.retryAfterSeconds });
    throw new TooManyRequestsError(
      'too many logins started from this address',
      refused.retryAfterSeconds ?? 3600,
    );
  }
  const forced = readForcedEid(input.params.forcepkivendor);
  if (forced !== undefined && !input.offeredEids.includes(forced)) {
    throw new SamlStatusError(
      SamlStatus.Requester,
      SamlStatus.NoSupportedIDP,
      'the requested eID is not offered here',
      `forcepkivendor ${loggable(forced)}`,
    );
  }
  const preset = readPreset(ctx.settings, input.params.presetid, input.request.subjectPhone);
  const locale = negotiateLocale({
    requested: input.params.locale,
    acceptLanguage: input.acceptLanguage,
    fallback: negotiateLocale({ requested: input.spDefaultLocale, fallback: ctx.settings.defaultLocale }),
  });
  const flow: Flow = {
    id: randomBytes(18).toString('base64url'),
    step: firstStep(input.offeredEids, forced),
    createdAt: ctx.now(),
    request: input.request,
    locale,
    csrf: randomBytes(24).toString('base64url'),
    offeredEids: input.offeredEids,
    preset,
    givenName: preset.givenName,
    familyName: preset.familyName,
    phone: preset.phone,
    phoneCountry: phoneCountryFor(locale, input.params.locale, ctx.settings),
  };
  await ctx.flows.open(flow);
  flowEvent(ctx, 'login.started', flow, {});
  return flow;
}

function readPreset(
  settings: LoginSettings,
  presetid: string | undefined,
  subjectPhone: string | undefined,
): Preset {
  const allowedCountries = settings.smsCountries;
  let preset: Preset = {};
  if (presetid !== undefined && presetid !== '') {
    const parsed = parsePresetId(presetid);
    if (!parsed.ok)
      throw new SamlStatusError(
        SamlStatus.Requester,
        undefined,
        'the presetid cannot be used',
        `presetid: ${parsed.reason}`,
      );
    preset = parsed.preset;
  }
  // Both name a number: they must name the same one, or the SP asked for two people at once.
  if (preset.phone !== undefined && subjectPhone !== undefined) {
    const fromSubject = parsePhone(subjectPhone, { allowedCountries });
    const fromPreset = parsePhone(preset.phone, { allowedCountries });
    if (!fromSubject.ok || !fromPreset.ok || fromSubject.e164 !== fromPreset.e164) {
      throw new SamlStatusError(
        SamlStatus.Requester,
        SamlStatus.UnknownPrincipal,
        'the presetid and the Subject name different people',
      );
    }
  }
  const phoneSource = preset.phone ?? subjectPhone;
  if (phoneSource === undefined) return preset;
  const phone = parsePhone(phoneSource, { allowedCountries });
  if (!phone.ok)
    throw new SamlStatusError(
      SamlStatus.Requester,
      undefined,
      'the preset phone number cannot be used',
      `preset phone: ${phone.problem}`,
    );
  return { ...preset, phone: phone.e164 };
}
