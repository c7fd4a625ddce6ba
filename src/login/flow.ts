// The login flow record, one shape per step, and its pure stage rules: which step follows, which fields are locked.

import type { Locale } from '../i18n/index.ts';
import type { PendingRequest } from '../types.ts';
import type { Preset } from './preset.ts';

/** The eID this IdP implements (seed: `nets_sms`); `abs:` is E-Ident's prefixed spelling of the same. */
export const NETS_SMS = 'nets_sms';

/** The seed's steps: 1 choose-method, 2a–2d identify (one step, field locks from the preset), 3 verify-code. */
export type Step = 'choose-method' | 'identify' | 'verify-code' | 'done';

/**
 * What every step holds. JSON-safe; stored under its id with a TTL (docs/design.md §1.3). The field names are the
 * stored record's: a record written by an earlier version still reads as one of the shapes below.
 */
interface FlowBase {
  readonly id: string;
  /** ms since epoch. */
  readonly createdAt: number;
  readonly request: PendingRequest;
  readonly locale: Locale;
  /** Anti-CSRF token posted back by every form of this flow (checked by http/flow-guard.ts). */
  readonly csrf: string;
  readonly offeredEids: readonly string[];
  /** Values the SP preset; these fields are locked (seed: "The user can't change these values later"). */
  readonly preset: Preset;
  /** ISO region a number typed without a country code belongs to (login/start-flow.ts `phoneCountryFor`). */
  readonly phoneCountry?: string;
  /** Current values: preset or entered. The phone is E.164. */
  readonly givenName?: string;
  readonly familyName?: string;
  readonly phone?: string;
  /** ms since epoch of the last SMS sent, kept across "wrong number?" for the send race check. */
  readonly lastSentAt?: number;
}

/** Step 1: several eIDs are offered and the person picks one. */
export interface ChooseMethodFlow extends FlowBase {
  readonly step: 'choose-method';
}

/** Step 2 (2a–2d): names and number, each locked when preset; also the step "wrong number?" returns to. */
export interface IdentifyFlow extends FlowBase {
  readonly step: 'identify';
}

/** Step 3: a code went to `phone`; the names and number are settled. */
export interface VerifyCodeFlow extends FlowBase {
  readonly step: 'verify-code';
  readonly givenName: string;
  readonly familyName: string;
  readonly phone: string;
  /** Random input from which the code is derived with the secret; lets a resend repeat the same code. */
  readonly codeNonce: string;
  /** Keyed hash of the code sent, bound to this flow. */
  readonly codeHash: string;
  /** ms since epoch. */
  readonly codeExpiresAt: number;
  readonly lastSentAt: number;
}

/** Over: an identity or a status went to the SP. No code is kept. */
export interface DoneFlow extends FlowBase {
  readonly step: 'done';
  readonly codeExpiresAt?: number;
}

/** One login in progress. */
export type Flow = ChooseMethodFlow | IdentifyFlow | VerifyCodeFlow | DoneFlow;

/** A flow that can still take input. */
export type OpenFlow = ChooseMethodFlow | IdentifyFlow | VerifyCodeFlow;

/** The names and number a code is sent for. */
export interface Person {
  readonly givenName: string;
  readonly familyName: string;
  readonly phone: string;
}

/** The code that went out: its nonce, keyed hash and expiry (ms since epoch). */
export interface SentCode {
  readonly nonce: string;
  readonly hash: string;
  readonly expiresAt: number;
}

/** What may happen to a flow. */
export type FlowInput =
  /** Step 1: the person picked an eID. */
  | { readonly kind: 'choose-method'; readonly eid: string }
  /** Step 2 or a resend on step 3: a code went out to `person`. */
  | { readonly kind: 'code-sent'; readonly person: Person; readonly code: SentCode }
  /** "Wrong number?" on step 3. */
  | { readonly kind: 'change-phone' }
  /** The right code was typed. */
  | { readonly kind: 'code-verified' }
  /** Cancel, another eID, too many wrong codes: no identity will come. */
  | { readonly kind: 'end' }
  | { readonly kind: 'change-locale'; readonly locale: Locale };

/** Why a transition is refused; the flow stays as it was. */
export type TransitionRefusal =
  /** The flow is done: nothing changes it any more. */
  | 'finished'
  /** The input belongs to another step (a stale form: PRG sends it to the current step). */
  | 'wrong-step'
  /** An eID the request did not offer, or one this method does not implement. */
  | 'not-offered'
  /** The input would change a value the SP preset. */
  | 'locked';

export type Transition =
  | { readonly ok: true; readonly flow: Flow }
  | { readonly ok: false; readonly refused: TransitionRefusal };

const refuse = (refused: TransitionRefusal): Transition => ({ ok: false, refused });
const to = (flow: Flow): Transition => ({ ok: true, flow });

/** A person that keeps every value the SP preset (a locked name locks both names). */
function keepsPreset(preset: Preset, person: Person): boolean {
  if (preset.phone !== undefined && preset.phone !== person.phone) return false;
  if (preset.familyName === undefined) return true;
  return preset.familyName === person.familyName && (preset.givenName ?? '') === person.givenName;
}

/** The flow without its code: what a step before verify-code, or done, keeps of step 3. */
function withoutCode(flow: Flow): FlowBase & { codeExpiresAt?: number } {
  if (flow.step !== 'verify-code') return flow;
  const { codeNonce: _nonce, codeHash: _hash, ...rest } = flow;
  return rest;
}

/**
 * The stage rules (docs/design.md §1.3): choose-method → identify → verify-code → done, with "wrong number?" back
 * from verify-code to identify when the number was typed. Pure: time is passed in, nothing is read or stored.
 */
export function transition(flow: Flow, input: FlowInput, now: number): Transition {
  if (flow.step === 'done') return refuse('finished');
  switch (input.kind) {
    case 'choose-method':
      if (flow.step !== 'choose-method') return refuse('wrong-step');
      if (input.eid !== NETS_SMS || !flow.offeredEids.includes(NETS_SMS)) return refuse('not-offered');
      return to({ ...flow, step: 'identify' });
    case 'code-sent': {
      if (flow.step === 'choose-method') return refuse('wrong-step');
      // A resend goes to the number the code step already has; a new number goes through "wrong number?".
      if (flow.step === 'verify-code' && input.person.phone !== flow.phone) return refuse('locked');
      if (!keepsPreset(flow.preset, input.person)) return refuse('locked');
      const { nonce, hash, expiresAt } = input.code;
      return to({
        ...flow,
        ...input.person,
        step: 'verify-code',
        codeNonce: nonce,
        codeHash: hash,
        codeExpiresAt: expiresAt,
        lastSentAt: now,
      });
    }
    case 'change-phone': {
      if (flow.step !== 'verify-code') return refuse('wrong-step');
      if (flow.preset.phone !== undefined) return refuse('locked');
      const { codeExpiresAt: _expiry, ...kept } = withoutCode(flow);
      return to({ ...kept, step: 'identify' });
    }
    case 'code-verified':
      if (flow.step !== 'verify-code') return refuse('wrong-step');
      return to({ ...withoutCode(flow), step: 'done' });
    case 'end':
      return to({ ...withoutCode(flow), step: 'done' });
    case 'change-locale':
      return to({ ...flow, locale: input.locale });
  }
}

/** Which of the seed's variants the identify step is: 2a none preset, 2b phone, 2c both, 2d name. */
export type IdentifyVariant = '2a' | '2b' | '2c' | '2d';

export function identifyVariant(preset: Preset): IdentifyVariant {
  const name = preset.familyName !== undefined;
  const phone = preset.phone !== undefined;
  if (name && phone) return '2c';
  if (phone) return '2b';
  if (name) return '2d';
  return '2a';
}

/** The first step of a new flow: step 1 only when several eIDs are offered and forcepkivendor picked none. */
export function firstStep(
  offeredEids: readonly string[],
  forcedEid: string | undefined,
): 'choose-method' | 'identify' {
  return offeredEids.length > 1 && forcedEid === undefined ? 'choose-method' : 'identify';
}

/** The code of this flow is still usable at `now`. */
export function codeIsLive(flow: Flow, now: number): flow is VerifyCodeFlow {
  return flow.step === 'verify-code' && now < flow.codeExpiresAt;
}

/** Seconds until the code expires at `now`; 0 when it has or there is none. */
export function codeSecondsLeft(flow: Flow, now: number): number {
  return codeIsLive(flow, now) ? Math.ceil((flow.codeExpiresAt - now) / 1000) : 0;
}

/** Seconds until a resend is allowed (0 when allowed now). */
export function resendWaitSeconds(flow: Flow, cooldownSeconds: number, now: number): number {
  if (flow.lastSentAt === undefined) return 0;
  return Math.max(0, Math.ceil((flow.lastSentAt + cooldownSeconds * 1000 - now) / 1000));
}
