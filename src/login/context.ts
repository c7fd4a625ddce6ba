// What the login's steps share: its settings, the stores and limits they use, the clock and the event log.

import type { Locale } from '../i18n/index.ts';
import type { SmsProvider } from '../sms/sms-provider.ts';
import type { Store } from '../store/store.ts';
import type { Deliveries } from './delivery.ts';
import type { Flow } from './flow.ts';
import type { FlowStore } from './flow-store.ts';
import type { GuessRefusal, LimitSettings, Limits, Refusal, SendRefusal } from './limits.ts';
import { type Problem, refusalProblem } from './outcome.ts';

/** Settings the login reads; all from src/config/. */
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

export interface LoginContext {
  /** For the per-flow locks and markers the steps keep beside the flow record. */
  readonly store: Store;
  readonly flows: FlowStore;
  readonly limits: Limits;
  readonly deliveries: Deliveries;
  readonly sms: SmsProvider;
  readonly settings: LoginSettings;
  /** Key for code hashes and derivation; the same in every IdP process. */
  readonly secret: string;
  readonly now: () => number;
  /** Logs authentication events; phone numbers arrive masked. */
  readonly onEvent: (event: string, fields: Record<string, unknown>) => void;
}

/** An event of one flow: it names the flow, its SP and the AuthnRequest it answers (the audit trail's keys). */
export function flowEvent(
  ctx: LoginContext,
  event: string,
  flow: Flow,
  fields: Record<string, unknown>,
): void {
  ctx.onEvent(event, {
    flow: flow.id,
    sp: flow.request.spEntityId,
    inResponseTo: flow.request.requestId,
    ...fields,
  });
}

/** Logs a limit's refusal and turns it into the message the form shows. */
export function refused(
  ctx: LoginContext,
  flow: Flow,
  phone: string,
  refusal: Refusal<SendRefusal | GuessRefusal>,
): Problem {
  flowEvent(ctx, 'otp.refused', flow, {
    reason: refusal.reason,
    retryAfter: refusal.retryAfterSeconds,
    phone,
  });
  return refusalProblem(refusal);
}
