// The nets_sms login: turns a pending request into an identity through steps 1, 2a–2d and 3 of the seed.

import { createHmac, randomBytes } from 'node:crypto';
import { sameSecret } from '../constant-time.ts';
import { FlowError, loggable, SamlStatus, SamlStatusError, TooManyRequestsError } from '../errors.ts';
import { type Locale, negotiateLocale } from '../i18n/index.ts';
import type { MessageKey } from '../i18n/index.ts';
import type { SmsProvider } from '../sms/sms-provider.ts';
import type { Store } from '../store/store.ts';
import type { EidentParams, Identity, PendingRequest } from '../types.ts';
import { codeIsLive, type Flow, firstStep, resendWaitSeconds } from './flow.ts';
import { type GuessRefusal, type LimitSettings, Limits, type Refusal, type SendRefusal } from './limits.ts';
import { normaliseName } from './names.ts';
import { deriveCode, hashCode, isCodeShaped, verifyCode } from './otp.ts';
import { parsePhone } from './phone.ts';
import { parsePresetId, type Preset } from './preset.ts';
import { composeSmsText } from './sms-text.ts';
import { FlowTombstones } from './flow-tombstone.ts';
import { sendCodeSms } from './code-delivery.ts';
import { Deliveries } from './delivery.ts';

/** The eID this IdP implements (seed: `nets_sms`); `abs:` is E-Ident's prefixed spelling of the same. */
export const NETS_SMS = 'nets_sms';

/** Settings the login reads; all from src/config.ts. */
export interface LoginSettings extends LimitSettings {
  readonly baseUrl: string;
  readonly otpTtlSeconds: number;
  readonly otpResendCooldownSeconds: number;
  readonly flowTtlSeconds: number;
  readonly smsCountries: readonly string[] | '*';
  readonly defaultLocale: Locale;
  /** DEFAULT_PHONE_COUNTRY (see phoneCountryFor). */
  readonly defaultPhoneCountry?: string;
  /** SMS_WEBHOOK_TIMEOUT_MS: the longest one send may take; a flow's send lock outlives it. */
  readonly smsWebhookTimeoutMs?: number;
  /** SMS_GATEWAY_TIMEOUT_MS, per gateway; a send may fail over through every gateway. */
  readonly smsGateways?: { readonly timeoutMs: number };
}

export interface LoginDeps {
  readonly store: Store;
  readonly sms: SmsProvider;
  readonly settings: LoginSettings;
  /** Key for code hashes and derivation; the same in every IdP process. */
  readonly secret: string;
  /** Logs authentication events; phone numbers arrive masked. */
  readonly onEvent?: (event: string, fields: Record<string, unknown>) => void;
  readonly now?: () => number;
}

export interface StartInput {
  readonly request: PendingRequest;
  readonly params: EidentParams;
  readonly acceptLanguage: string | undefined;
  readonly spDefaultLocale: string | undefined;
  readonly offeredEids: readonly string[];
  /** The client address, for the limit on flow starts. */
  readonly clientIp: string;
}

/** A field-level or form-level problem, as a message key with its placeholders. */
export interface Problem {
  readonly key: MessageKey;
  readonly vars?: Readonly<Record<string, string | number>>;
}
export type Problems = Readonly<
  Partial<Record<'given_name' | 'family_name' | 'phone' | 'code' | 'form', Problem>>
>;

/** What a POST leads to; http/ turns each into a reply. */
export type Outcome =
  | { readonly kind: 'redirect'; readonly flow: Flow; readonly notice?: 'sent' | 'resent' }
  | {
      readonly kind: 'invalid';
      readonly flow: Flow;
      readonly problems: Problems;
      readonly values: Record<string, string>;
    }
  | { readonly kind: 'completed'; readonly flow: Flow; readonly identity: Identity }
  | { readonly kind: 'failed'; readonly flow: Flow; readonly error: SamlStatusError };

/** Posted form fields, as strings. */
export type Form = Readonly<Record<string, string | undefined>>;

const LOCALE_COUNTRY: Record<Locale, string | undefined> = {
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

/** Each limit's message and the unit (seconds) its wait is shown in; 0: the message names no time. */
const REFUSAL_MESSAGE: Record<SendRefusal | GuessRefusal, { key: MessageKey; unit: number }> = {
  'flow-sends': { key: 'error.tooManySends', unit: 0 },
  'ip-rate': { key: 'error.ipRate', unit: 60 },
  'phone-rate': { key: 'error.phoneRate', unit: 60 },
  'phone-day-rate': { key: 'error.phoneDayRate', unit: 3600 },
  'prefix-rate': { key: 'error.prefixRate', unit: 60 },
  'global-rate': { key: 'error.globalRate', unit: 60 },
  'phone-locked': { key: 'error.phoneLocked', unit: 3600 },
  'failure-delay': { key: 'code.waitSeconds', unit: 1 },
  busy: { key: 'code.busy', unit: 0 },
};

/** The message for a limit, saying when to try again: the counter's TTL, rounded up so never too early. */
function refusalProblem(refusal: Refusal<SendRefusal | GuessRefusal>): Problem {
  const seconds = refusal.retryAfterSeconds ?? 0;
  if (refusal.reason === 'failure-delay' && seconds > 90) {
    return { key: 'code.waitMinutes', vars: { count: Math.ceil(seconds / 60) } };
  }
  const { key, unit } = REFUSAL_MESSAGE[refusal.reason];
  return unit === 0 ? { key } : { key, vars: { count: Math.max(1, Math.ceil(seconds / unit)) } };
}

const flowKey = (id: string): string => `{${id}}:flow`;

/** Most gateways one send can go through (failover), for the send lock's lifetime. */
const GATEWAYS_PER_SEND = 6;

export class LoginService {
  readonly #store: Store;
  readonly #sms: SmsProvider;
  readonly #settings: LoginSettings;
  readonly #secret: string;
  readonly #limits: Limits;
  readonly #tombstones: FlowTombstones;
  readonly #deliveries: Deliveries;
  readonly #now: () => number;
  readonly #onEvent: NonNullable<LoginDeps['onEvent']>;

  constructor(deps: LoginDeps) {
    this.#store = deps.store;
    this.#sms = deps.sms;
    this.#settings = deps.settings;
    this.#secret = deps.secret;
    this.#limits = new Limits(deps.store, deps.settings, deps.secret);
    this.#tombstones = new FlowTombstones(deps.store);
    this.#deliveries = new Deliveries(deps.store);
    this.#now = deps.now ?? Date.now;
    this.#onEvent = deps.onEvent ?? (() => {});
  }

  get settings(): LoginSettings {
    return this.#settings;
  }

  /** What is left of expired flows: the way back to their SP (flow-tombstone.ts). */
  get tombstones(): FlowTombstones {
    return this.#tombstones;
  }

  /**
   * Opens a flow for a trusted request. Throws SamlStatusError (Requester) for a preset or eID choice the IdP
   * cannot use, so the SP hears why (docs/contract.md §4).
   */
  async start(input: StartInput): Promise<Flow> {
    const refused = await this.#limits.chargeFlowStart(input.clientIp);
    if (refused !== undefined) {
      this.#onEvent('login.refused', { reason: refused.reason, retryAfter: refused.retryAfterSeconds });
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
    const preset = this.#readPreset(input.params.presetid, input.request.subjectPhone);
    const locale = negotiateLocale({
      requested: input.params.locale,
      acceptLanguage: input.acceptLanguage,
      fallback: negotiateLocale({ requested: input.spDefaultLocale, fallback: this.#settings.defaultLocale }),
    });
    const flow: Flow = {
      id: randomBytes(18).toString('base64url'),
      step: firstStep(input.offeredEids, forced),
      createdAt: this.#now(),
      request: input.request,
      locale,
      csrf: randomBytes(24).toString('base64url'),
      offeredEids: input.offeredEids,
      preset,
      givenName: preset.givenName,
      familyName: preset.familyName,
      phone: preset.phone,
      codeNonce: undefined,
      codeHash: undefined,
      codeExpiresAt: undefined,
      lastSentAt: undefined,
      phoneCountry: phoneCountryFor(locale, input.params.locale, this.#settings),
    };
    await this.#save(flow);
    await this.#tombstones.remember(flow);
    this.#flowEvent('login.started', flow, {});
    return flow;
  }

  /** An event of one flow: it names the flow, its SP and the AuthnRequest it answers (the audit trail's keys). */
  #flowEvent(event: string, flow: Flow, fields: Record<string, unknown>): void {
    this.#onEvent(event, {
      flow: flow.id,
      sp: flow.request.spEntityId,
      inResponseTo: flow.request.requestId,
      ...fields,
    });
  }

  #readPreset(presetid: string | undefined, subjectPhone: string | undefined): Preset {
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
      const fromSubject = parsePhone(subjectPhone, { allowedCountries: this.#settings.smsCountries });
      const fromPreset = parsePhone(preset.phone, { allowedCountries: this.#settings.smsCountries });
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
    const phone = parsePhone(phoneSource, { allowedCountries: this.#settings.smsCountries });
    if (!phone.ok)
      throw new SamlStatusError(
        SamlStatus.Requester,
        undefined,
        'the preset phone number cannot be used',
        `preset phone: ${phone.problem}`,
      );
    return { ...preset, phone: phone.e164 };
  }

  /** The flow, or FlowError('expired') when it is gone. */
  async load(flowId: string): Promise<Flow> {
    const flow = /^[A-Za-z0-9_-]{24}$/.test(flowId)
      ? await this.#store.get<Flow>(flowKey(flowId))
      : undefined;
    if (flow === undefined) throw new FlowError('expired', 'login flow not found or expired');
    return flow;
  }

  /** The value that binds a flow to the browser that started it (the flow cookie, http/security.ts). */
  bindingToken(flowId: string): string {
    return createHmac('sha256', this.#secret).update(`flow-binding:${flowId}`).digest('base64url');
  }

  /** True when `presented` is this flow's binding token (constant time). */
  bindingMatches(flowId: string, presented: string | undefined): boolean {
    return sameSecret(this.bindingToken(flowId), presented);
  }

  /** True when the posted token is this flow's (constant time). */
  /** Shows the flow in another of our languages from now on (the person chose it on the page). */
  async changeLocale(flow: Flow, locale: Locale): Promise<Flow> {
    if (flow.step === 'done' || flow.locale === locale) return flow;
    const next: Flow = { ...flow, locale };
    // Only over the flow as it was read: a racing request may have finished it or changed its step since.
    if (await this.#saveIf(flow, next)) return next;
    return (await this.#store.get<Flow>(flowKey(flow.id))) ?? flow;
  }

  /** True when the posted token is this flow's (constant time). */
  csrfMatches(flow: Flow, posted: string | undefined): boolean {
    return sameSecret(flow.csrf, posted);
  }

  /** What the code page shows: attempts left, resend wait, sends left. */
  async codeStatus(flow: Flow): Promise<{
    attemptsLeft: number;
    resendWait: number;
    sendsLeft: number;
    /** Seconds until the code expires; 0 when it has. */
    codeSecondsLeft: number;
    /** A delivery receipt said the last SMS did not reach the phone. */
    deliveryFailed: boolean;
  }> {
    const [wrong, sends, delivery] = await Promise.all([
      this.#limits.wrongCodes(flow.id),
      this.#limits.sendsUsed(flow.id),
      this.#deliveries.get(flow.id),
    ]);
    const now = this.#now();
    return {
      attemptsLeft: Math.max(0, this.#settings.otpMaxAttempts - wrong),
      resendWait: resendWaitSeconds(flow, this.#settings.otpResendCooldownSeconds, now),
      sendsLeft: Math.max(0, this.#settings.otpMaxSendsPerFlow - sends),
      codeSecondsLeft: codeIsLive(flow, now) ? Math.ceil(((flow.codeExpiresAt as number) - now) / 1000) : 0,
      deliveryFailed: Deliveries.lastFailed(delivery),
    };
  }

  /**
   * Handles one POST of the flow's forms. A POST for another step than the current one only redirects to the
   * current step (docs/design.md §1.3); `action=cancel` ends the flow with AuthnFailed everywhere.
   */
  async submit(flow: Flow, form: Form, clientIp: string): Promise<Outcome> {
    if (flow.step === 'done') throw new FlowError('finished', 'login already finished');
    if (form.action === 'cancel') {
      await this.#end(flow);
      this.#flowEvent('login.cancelled', flow, {});
      return {
        kind: 'failed',
        flow,
        error: new SamlStatusError(SamlStatus.Responder, SamlStatus.AuthnFailed, 'cancel'),
      };
    }
    if (form.step !== flow.step) return { kind: 'redirect', flow };
    switch (flow.step) {
      case 'choose-method':
        return this.#chooseMethod(flow, form);
      case 'identify':
        return this.#identify(flow, form, clientIp);
      case 'verify-code':
        if (form.action === 'change-phone') return this.#changePhone(flow);
        return form.action === 'resend' ? this.#resend(flow, clientIp) : this.#verify(flow, form);
    }
  }

  async #chooseMethod(flow: Flow, form: Form): Promise<Outcome> {
    const eid = form.eid;
    if (eid === NETS_SMS && flow.offeredEids.includes(NETS_SMS)) {
      const next: Flow = { ...flow, step: 'identify' };
      await this.#save(next);
      return { kind: 'redirect', flow: next };
    }
    if (eid !== undefined && flow.offeredEids.includes(eid)) {
      await this.#end(flow);
      return {
        kind: 'failed',
        flow,
        error: new SamlStatusError(
          SamlStatus.Responder,
          SamlStatus.NoSupportedIDP,
          'the requested eID is handled elsewhere',
          `eID ${loggable(eid)}`,
        ),
      };
    }
    return { kind: 'invalid', flow, problems: { form: { key: 'choose.required' } }, values: {} };
  }

  async #identify(flow: Flow, form: Form, clientIp: string): Promise<Outcome> {
    const problems: Record<string, Problem> = {};
    const values: Record<string, string> = {};
    const locked = flow.preset;

    let givenName = locked.givenName;
    let familyName = locked.familyName;
    if (locked.familyName === undefined) {
      values.given_name = form.given_name ?? '';
      values.family_name = form.family_name ?? '';
      const given = normaliseName(values.given_name);
      const family = normaliseName(values.family_name);
      if (given.ok) givenName = given.value;
      else problems.given_name = { key: `givenName.${given.reason}` as MessageKey };
      if (family.ok) familyName = family.value;
      else problems.family_name = { key: `familyName.${family.reason}` as MessageKey };
    }
    let phone = locked.phone;
    if (phone === undefined) {
      values.phone = form.phone ?? '';
      const parsed = parsePhone(values.phone, {
        defaultCountry: flow.phoneCountry ?? LOCALE_COUNTRY[flow.locale],
        allowedCountries: this.#settings.smsCountries,
      });
      if (parsed.ok) phone = parsed.e164;
      else problems.phone = { key: `phone.${parsed.problem}` as MessageKey };
    }
    if (Object.keys(problems).length > 0 || phone === undefined)
      return { kind: 'invalid', flow, problems, values };

    const named: Flow = { ...flow, givenName, familyName, phone };
    this.#flowEvent('login.identified', named, { phone });
    const sent = await this.#sendCode(named, clientIp, false);
    if ('problem' in sent) return { kind: 'invalid', flow, problems: { form: sent.problem }, values };
    return { kind: 'redirect', flow: sent.flow, notice: 'sent' };
  }

  async #resend(flow: Flow, clientIp: string): Promise<Outcome> {
    const wait = resendWaitSeconds(flow, this.#settings.otpResendCooldownSeconds, this.#now());
    if (wait > 0) {
      return {
        kind: 'invalid',
        flow,
        problems: { form: { key: 'error.resendWait', vars: { count: wait } } },
        values: {},
      };
    }
    const sent = await this.#sendCode(flow, clientIp, true);
    if ('problem' in sent) return { kind: 'invalid', flow, problems: { form: sent.problem }, values: {} };
    return { kind: 'redirect', flow: sent.flow, notice: 'resent' };
  }

  /**
   * Sends the flow's code: the same one while it is valid (docs/contract.md §5), a fresh one otherwise. The code is
   * derived from a random nonce with the secret, so the store never holds it, only its keyed hash.
   */
  async #sendCode(
    flow: Flow,
    clientIp: string,
    resend: boolean,
  ): Promise<{ flow: Flow } | { problem: Problem }> {
    const now = this.#now();
    const phone = flow.phone as string;
    // One send at a time per flow: a double submit must not send two different codes. The lock outlives the
    // slowest send the gateway setting allows, so it cannot lapse while a send is still under way.
    const slowest = Math.max(
      this.#settings.smsWebhookTimeoutMs ?? 0,
      this.#settings.smsGateways?.timeoutMs ?? 0,
    );
    const lockSeconds = Math.max(15, Math.ceil((slowest * GATEWAYS_PER_SEND) / 1000) + 10);
    if (!(await this.#store.setIfAbsent(`{${flow.id}}:sending`, 1, lockSeconds))) {
      return { problem: { key: 'error.busy' } };
    }
    try {
      // A submit that raced this one may have sent already: its result is the answer, not a second SMS.
      const current = await this.#store.get<Flow>(flowKey(flow.id));
      if (current === undefined) throw new FlowError('expired', 'login flow not found or expired');
      if (current.step !== flow.step || current.lastSentAt !== flow.lastSentAt) return { flow: current };
      const refusal = await this.#limits.chargeSend(flow.id, phone, clientIp, this.#settings.flowTtlSeconds);
      if (refusal !== undefined) return { problem: this.#refused(flow, phone, refusal) };
      const delivery = await this.#deliveries.get(flow.id);
      const pending = delivery.pending;
      const reuse = resend && codeIsLive(flow, now) && flow.codeNonce !== undefined;
      // After an uncertain attempt the same code goes out again, so whichever SMS arrives carries a valid code.
      const repeat = !reuse && pending !== undefined && pending.phone === phone && pending.expiresAt > now;
      const nonce = reuse
        ? (flow.codeNonce as string)
        : repeat
          ? pending.nonce
          : randomBytes(16).toString('base64url');
      const expiresAt = reuse
        ? (flow.codeExpiresAt as number)
        : repeat
          ? pending.expiresAt
          : now + this.#settings.otpTtlSeconds * 1000;
      const code = deriveCode(this.#secret, flow.id, nonce);
      const text = composeSmsText({
        locale: flow.locale,
        code,
        baseUrl: this.#settings.baseUrl,
        ttlMinutes: Math.ceil(this.#settings.otpTtlSeconds / 60),
      });
      const outcome = await sendCodeSms(this.#sms, this.#deliveries, {
        flowId: flow.id,
        phone,
        text,
        ref: randomBytes(12).toString('base64url'),
        nonce,
        expiresAt,
        now,
        record: delivery,
        ttlSeconds: this.#settings.flowTtlSeconds,
      });
      if (!outcome.sent) {
        const { failure, provider } = outcome;
        this.#flowEvent('otp.send_failed', flow, { failure, provider, phone });
        return { problem: { key: outcome.numberAtFault ? 'sms.permanent' : 'sms.temporary' } };
      }
      if (!reuse && !repeat) await this.#store.delete(`{${flow.id}}:attempts`);
      const next: Flow = {
        ...flow,
        step: 'verify-code',
        codeNonce: nonce,
        codeHash: hashCode(this.#secret, flow.id, code),
        codeExpiresAt: expiresAt,
        lastSentAt: now,
      };
      await this.#save(next);
      this.#flowEvent(resend ? 'otp.resent' : 'otp.sent', flow, { phone, sameCode: reuse });
      return { flow: next };
    } finally {
      await this.#store.delete(`{${flow.id}}:sending`);
    }
  }

  async #verify(flow: Flow, form: Form): Promise<Outcome> {
    const typed = form.code ?? '';
    const values = { code: '' };
    if (typed.trim() === '')
      return { kind: 'invalid', flow, problems: { code: { key: 'code.required' } }, values };
    if (!isCodeShaped(typed))
      return { kind: 'invalid', flow, problems: { code: { key: 'code.format' } }, values };
    if (!codeIsLive(flow, this.#now())) {
      return { kind: 'invalid', flow, problems: { code: { key: 'code.expired' } }, values };
    }
    const loadedPhone = flow.phone as string;
    const refusal = await this.#limits.beginGuess(loadedPhone);
    if (refusal !== undefined) {
      return { kind: 'invalid', flow, problems: { code: this.#refused(flow, loadedPhone, refusal) }, values };
    }
    try {
      // Under the number's guess lock, read the flow again: a racing request may have ended it, sent a new code or
      // changed the number. Identity and lock key come from this copy only; another number is not this lock's.
      const current = await this.#store.get<Flow>(flowKey(flow.id));
      if (current === undefined) throw new FlowError('expired', 'login flow not found or expired');
      if (current.step !== 'verify-code') throw new FlowError('finished', 'login already finished');
      if (current.phone !== loadedPhone) return { kind: 'redirect', flow: current };
      return await this.#checkCode(current, typed, current.phone);
    } finally {
      await this.#limits.endGuess(loadedPhone);
    }
  }

  async #checkCode(flow: Flow, typed: string, phone: string): Promise<Outcome> {
    const values = { code: '' };
    if (!verifyCode(this.#secret, flow.id, typed, flow.codeHash as string)) {
      const wrong = await this.#limits.recordWrongCode(flow.id, phone, this.#settings.flowTtlSeconds);
      this.#flowEvent('otp.failed', flow, { phone, attempt: wrong });
      if (wrong >= this.#settings.otpMaxAttempts) {
        await this.#end(flow);
        this.#flowEvent('login.failed', flow, { phone, reason: 'wrong-codes' });
        return {
          kind: 'failed',
          flow,
          error: new SamlStatusError(SamlStatus.Responder, SamlStatus.AuthnFailed, 'too many wrong codes'),
        };
      }
      const left = this.#settings.otpMaxAttempts - wrong;
      return {
        kind: 'invalid',
        flow,
        problems: { code: { key: 'code.wrong', vars: { count: left } } },
        values,
      };
    }
    // Single use: of racing submits only one records the code as used, and only that one gets an identity.
    if (!(await this.#store.setIfAbsent(`{${flow.id}}:used`, 1, this.#settings.flowTtlSeconds))) {
      throw new FlowError('finished', 'code already used');
    }
    const done: Flow = { ...flow, step: 'done', codeNonce: undefined, codeHash: undefined };
    await this.#save(done);
    await this.#tombstones.forget(flow.id);
    await this.#limits.clearFailures(phone);
    this.#flowEvent('otp.verified', flow, { phone });
    return {
      kind: 'completed',
      flow: done,
      identity: { phone, givenName: flow.givenName as string, familyName: flow.familyName as string },
    };
  }

  /**
   * A gateway's authenticated delivery receipt for one of our attempts: recorded against its flow while the flow is
   * still in progress, so the code page can say the SMS did not arrive and the next resend avoids that gateway.
   */
  async recordReceipt(receipt: {
    provider: string;
    reference: string;
    messageId?: string;
    state: 'delivered' | 'failed';
  }): Promise<boolean> {
    const { provider, reference, messageId, state } = receipt;
    const flowId = await this.#deliveries.flowOf(reference);
    const flow = flowId === undefined ? undefined : await this.#store.get<Flow>(flowKey(flowId));
    if (flow === undefined || flow.step === 'done') return false;
    if (!(await this.#deliveries.receipt(flow.id, provider, reference, messageId, state))) return false;
    this.#flowEvent('sms.receipt', flow, { provider, state, phone: flow.phone });
    return true;
  }

  /** Logs a limit's refusal and turns it into the message the form shows. */
  #refused(flow: Flow, phone: string, refusal: Parameters<typeof refusalProblem>[0]): Problem {
    this.#flowEvent('otp.refused', flow, {
      reason: refusal.reason,
      retryAfter: refusal.retryAfterSeconds,
      phone,
    });
    return refusalProblem(refusal);
  }

  /** Ends a flow that will not produce an identity; later visits see "finished". */
  async #end(flow: Flow): Promise<void> {
    await this.#save({ ...flow, step: 'done', codeNonce: undefined, codeHash: undefined });
    await this.#tombstones.forget(flow.id);
  }

  /**
   * "Wrong number?" on step 3, only when the number was typed (a preset one is locked): back to step 2 with the
   * names kept. The code sent is dropped; the sends it cost still count against the flow's limit.
   */
  async #changePhone(flow: Flow): Promise<Outcome> {
    if (flow.preset.phone !== undefined) return { kind: 'redirect', flow };
    const next: Flow = {
      ...flow,
      step: 'identify',
      codeNonce: undefined,
      codeHash: undefined,
      codeExpiresAt: undefined,
    };
    // A code verified (or a flow ended) since this copy was read must not be undone by going back to step 2.
    if (!(await this.#saveIf(flow, next))) return { kind: 'redirect', flow };
    this.#flowEvent('login.phone_changed', flow, { phone: flow.phone });
    return { kind: 'redirect', flow: next };
  }

  async #save(flow: Flow): Promise<void> {
    await this.#store.set(flowKey(flow.id), flow, this.#ttlOf(flow));
  }

  /** Writes `next` only when the stored flow is still `read` (compare-and-set); false when it changed meanwhile. */
  async #saveIf(read: Flow, next: Flow): Promise<boolean> {
    return this.#store.replaceIf(flowKey(read.id), read, next, this.#ttlOf(next));
  }

  #ttlOf(flow: Flow): number {
    const left = Math.ceil((flow.createdAt + this.#settings.flowTtlSeconds * 1000 - this.#now()) / 1000);
    return Math.max(left, 60);
  }
}

/** `forcepkivendor` names one eID: `nets_sms` or E-Ident's `abs:nets_sms` spelling. */
export function readForcedEid(raw: string | undefined): string | undefined {
  if (raw === undefined || raw.trim() === '') return undefined;
  const value = raw.trim().toLowerCase();
  return value.startsWith('abs:') ? value.slice(4) : value;
}
