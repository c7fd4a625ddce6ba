// The login flow record and its pure stage rules: which step is current and which fields the preset locks.

import type { Locale } from '../i18n/index.ts';
import type { PendingRequest } from '../types.ts';
import type { Preset } from './preset.ts';

/** The seed's steps: 1 choose-method, 2a–2d identify (one step, field locks from the preset), 3 verify-code. */
export type Step = 'choose-method' | 'identify' | 'verify-code' | 'done';

/** One login in progress. JSON-safe; stored under its id with a TTL (docs/design.md §1.3). */
export interface Flow {
  readonly id: string;
  readonly step: Step;
  /** ms since epoch. */
  readonly createdAt: number;
  readonly request: PendingRequest;
  readonly locale: Locale;
  /** Anti-CSRF token posted back by every form of this flow. */
  readonly csrf: string;
  readonly offeredEids: readonly string[];
  /** Values the SP preset; these fields are locked (seed: "The user can't change these values later"). */
  readonly preset: Preset;
  /** Current values: preset or entered. */
  readonly givenName: string | undefined;
  readonly familyName: string | undefined;
  /** E.164. */
  readonly phone: string | undefined;
  /** ISO region a number typed without a country code belongs to (login-service.ts `phoneCountryFor`). */
  readonly phoneCountry?: string;
  /** Random input from which the code is derived with the secret; lets a resend repeat the same code. */
  readonly codeNonce: string | undefined;
  /** Keyed hash of the code sent, bound to this flow. */
  readonly codeHash: string | undefined;
  /** ms since epoch. */
  readonly codeExpiresAt: number | undefined;
  readonly lastSentAt: number | undefined;
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
export function firstStep(offeredEids: readonly string[], forcedEid: string | undefined): Step {
  return offeredEids.length > 1 && forcedEid === undefined ? 'choose-method' : 'identify';
}

/** The code of this flow is still usable at `now`. */
export function codeIsLive(flow: Flow, now: number): boolean {
  return flow.codeHash !== undefined && flow.codeExpiresAt !== undefined && now < flow.codeExpiresAt;
}

/** Seconds until a resend is allowed (0 when allowed now). */
export function resendWaitSeconds(flow: Flow, cooldownSeconds: number, now: number): number {
  if (flow.lastSentAt === undefined) return 0;
  return Math.max(0, Math.ceil((flow.lastSentAt + cooldownSeconds * 1000 - now) / 1000));
}
