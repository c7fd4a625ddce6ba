// What a login form post leads to (http/ turns each into a reply), and the messages a limit's refusal shows.

import type { SamlStatusError } from '../errors.ts';
import type { MessageKey } from '../i18n/index.ts';
import type { Identity } from '../types.ts';
import type { Flow } from './flow.ts';
import type { GuessRefusal, Refusal, SendRefusal } from './limits.ts';

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
export function refusalProblem(refusal: Refusal<SendRefusal | GuessRefusal>): Problem {
  const seconds = refusal.retryAfterSeconds ?? 0;
  if (refusal.reason === 'failure-delay' && seconds > 90) {
    return { key: 'code.waitMinutes', vars: { count: Math.ceil(seconds / 60) } };
  }
  const { key, unit } = REFUSAL_MESSAGE[refusal.reason];
  return unit === 0 ? { key } : { key, vars: { count: Math.max(1, Math.ceil(seconds / unit)) } };
}
