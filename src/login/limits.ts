// SMS cost and code-guessing limits as atomic store counters (docs/contract.md §5): flow, IP, phone, prefix, global, failures.

import { createHmac, createSecretKey, type KeyObject } from 'node:crypto';
import { isIPv6 } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { LimitSettings } from '../config/settings/limits.ts';
import { flowKeys, limitKeys } from '../store/keys.ts';
import type { Store } from '../store/store.ts';

/** The limits in force: the limits section of the settings table (src/config/settings/limits.ts, docs/security.md). */
export type { LimitSettings } from '../config/settings/limits.ts';

/** Why a send is refused; each maps to a translated message. */
export type SendRefusal =
  | 'flow-sends'
  | 'ip-rate'
  | 'phone-rate'
  | 'phone-day-rate'
  | 'prefix-rate'
  | 'global-rate'
  | 'phone-locked';

/** Why a code may not be checked now: the number is locked, it must wait after wrong codes, or a guess is running. */
export type GuessRefusal = 'phone-locked' | 'failure-delay' | 'busy';

/** A refusal and, when a counter window decides it, the seconds until that window ends (its TTL). */
export interface Refusal<R extends string> {
  readonly reason: R;
  readonly retryAfterSeconds: number | undefined;
}

const HOUR = 3600;
const DAY = 24 * HOUR;
/** A guess holds its number's lock at most this long (a crashed request must not lock a number for longer). */
const GUESS_LOCK_SECONDS = 10;
/** How often a guess waiting for the one before it looks again. */
const GUESS_POLL_MS = 20;

/** The first `digits` digits of an E.164 number, country code included: `+46701234567`, 7 → `4670123`. */
export function numberPrefix(e164: string, digits: number): string {
  return e164.replace(/^\+/, '').slice(0, digits);
}

/**
 * The client a per-address count belongs to: an IPv4 address (also when IPv4-mapped), or the /64 network of an
 * IPv6 address, since one subscriber gets a whole /64 and could otherwise use a fresh address for every request.
 */
export function addressKey(ip: string): string {
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(ip);
  if (mapped !== null) return mapped[1] as string;
  const address = ip.replace(/%.*$/, '');
  if (!isIPv6(address)) return ip;
  const [head = '', tail] = address.split('::');
  const first = head === '' ? [] : head.split(':');
  const last = tail === undefined || tail === '' ? [] : tail.split(':');
  const groups =
    tail === undefined ? first : [...first, ...Array(8 - first.length - last.length).fill('0'), ...last];
  return `${groups
    .slice(0, 4)
    .map((g) => Number.parseInt(g, 16).toString(16))
    .join(':')}::/64`;
}

/**
 * Seconds a number must wait before its next guess after `failures` consecutive wrong codes: none below
 * `after`, then 2, 4, 8, … seconds, capped at `maxSeconds`. Together with the lock at otpMaxFailuresPerPhone
 * (at most 100, NIST SP 800-63B §5.2.2) this throttles guessing across flows.
 */
export function failureDelaySeconds(failures: number, after: number, maxSeconds: number): number {
  if (failures < after) return 0;
  return Math.min(maxSeconds, 2 ** Math.min(failures - after + 1, 30));
}

interface Window {
  readonly reason: Exclude<SendRefusal, 'flow-sends' | 'phone-locked'>;
  readonly key: string;
  readonly limit: number;
  readonly ttl: number;
}

/**
 * Counters live in their own keys so racing requests never lose a count; each window is fixed, started by its
 * first count, and its TTL says when to try again. Numbers, prefixes and addresses are keyed by an HMAC so the
 * store never holds them in clear.
 */
export class Limits {
  readonly #store: Store;
  readonly #settings: LimitSettings;
  /** The secret as a key object, made once: every counter key is an HMAC of it. */
  readonly #key: KeyObject;
  readonly #guessWaitMs: number;

  /** `guessWaitMs`: how long a guess waits for the one before it (a double submit) before it is refused as busy. */
  constructor(store: Store, settings: LimitSettings, secret: string, options: { guessWaitMs?: number } = {}) {
    this.#store = store;
    this.#settings = settings;
    this.#key = createSecretKey(Buffer.from(secret, 'utf8'));
    this.#guessWaitMs = options.guessWaitMs ?? 2000;
  }

  #digest(kind: string, value: string): string {
    return createHmac('sha256', this.#key).update(`${kind}:${value}`).digest('base64url').slice(0, 22);
  }

  /** `p`: the number's digest (#digest('phone', …)). */
  #windows(phone: string, p: string, clientIp: string): Window[] {
    const s = this.#settings;
    return [
      {
        reason: 'ip-rate',
        key: limitKeys.smsPerAddress(this.#digest('ip', addressKey(clientIp))),
        limit: s.smsMaxPerIp,
        ttl: HOUR,
      },
      { reason: 'phone-rate', key: limitKeys.smsPerPhone(p), limit: s.smsMaxPerPhone, ttl: HOUR },
      { reason: 'phone-day-rate', key: limitKeys.smsPerPhoneDay(p), limit: s.smsMaxPerPhoneDay, ttl: DAY },
      {
        reason: 'prefix-rate',
        key: limitKeys.smsPerPrefix(this.#digest('prefix', numberPrefix(phone, s.smsPrefixDigits))),
        limit: s.smsMaxPerPrefix,
        ttl: HOUR,
      },
      { reason: 'global-rate', key: limitKeys.smsGlobal, limit: s.smsMaxGlobal, ttl: HOUR },
    ];
  }

  async #retryAfter(key: string, fallback: number): Promise<number> {
    return (await this.#store.ttl(key)) ?? fallback;
  }

  /**
   * Counts one SMS against every limit, or refuses it. All counters are read first and a refused send writes
   * nothing, so refused requests cannot spend the shared budgets (phone, prefix, global) of others. Two sends
   * racing at a limit may both be counted, but the one over the limit is still refused: never more SMS than
   * the limits allow. The reads go out together, then the increments together: two round trips on Redis.
   */
  async chargeSend(
    flowId: string,
    phone: string,
    clientIp: string,
    flowTtlSeconds: number,
  ): Promise<Refusal<SendRefusal> | undefined> {
    const p = this.#digest('phone', phone);
    const flowKey = flowKeys.sends(flowId);
    const windows = this.#windows(phone, p, clientIp);
    const [failures = 0, sends = 0, ...counts] = await Promise.all([
      this.#store.get<number>(limitKeys.codeFailures(p)),
      this.#store.get<number>(flowKey),
      ...windows.map((w) => this.#store.get<number>(w.key)),
    ]);
    const locked = await this.#lockedBy(p, failures);
    if (locked !== undefined) return locked;
    if (sends >= this.#settings.otpMaxSendsPerFlow)
      return { reason: 'flow-sends', retryAfterSeconds: undefined };
    const full = windows.find((w, i) => (counts[i] ?? 0) >= w.limit);
    if (full !== undefined) {
      return { reason: full.reason, retryAfterSeconds: await this.#retryAfter(full.key, full.ttl) };
    }
    const [sent, ...counted] = await Promise.all([
      this.#store.increment(flowKey, flowTtlSeconds),
      ...windows.map((w) => this.#store.increment(w.key, w.ttl)),
    ]);
    if (sent > this.#settings.otpMaxSendsPerFlow)
      return { reason: 'flow-sends', retryAfterSeconds: undefined };
    const over = windows.find((w, i) => (counted[i] ?? 0) > w.limit);
    if (over !== undefined) {
      return { reason: over.reason, retryAfterSeconds: await this.#retryAfter(over.key, over.ttl) };
    }
    return undefined;
  }

  /** The number's lock, given its count of consecutive wrong codes (`p`: its digest). */
  async #lockedBy(p: string, failures: number): Promise<Refusal<'phone-locked'> | undefined> {
    if (failures < this.#settings.otpMaxFailuresPerPhone) return undefined;
    return {
      reason: 'phone-locked',
      retryAfterSeconds: await this.#retryAfter(limitKeys.codeFailures(p), DAY),
    };
  }

  /**
   * Counts one new login flow for the client address, or refuses it with when to try again. Every flow holds store
   * memory for its lifetime, so an unbounded number of starts would exhaust the store.
   */
  async chargeFlowStart(clientIp: string): Promise<Refusal<'flow-rate'> | undefined> {
    const key = limitKeys.flowStartsPerAddress(this.#digest('ip', addressKey(clientIp)));
    if ((await this.#store.increment(key, HOUR)) <= this.#settings.flowMaxPerIp) return undefined;
    return { reason: 'flow-rate', retryAfterSeconds: await this.#retryAfter(key, HOUR) };
  }

  /** Sends used by this flow so far. */
  async sendsUsed(flowId: string): Promise<number> {
    return (await this.#store.get<number>(flowKeys.sends(flowId))) ?? 0;
  }

  /**
   * Starts checking a code typed for `phone`. One guess at a time per number, so parallel requests cannot slip
   * past the delay or the lock: a guess waits a moment for the one before it, then is refused as busy.
   * Refused too while the number is locked or must still wait after wrong codes. When this returns undefined the
   * caller must call endGuess.
   */
  async beginGuess(phone: string): Promise<Refusal<GuessRefusal> | undefined> {
    const p = this.#digest('phone', phone);
    const deadline = Date.now() + this.#guessWaitMs;
    while (!(await this.#store.setIfAbsent(limitKeys.guessLock(p), 1, GUESS_LOCK_SECONDS))) {
      if (Date.now() >= deadline) return { reason: 'busy', retryAfterSeconds: undefined };
      await sleep(GUESS_POLL_MS);
    }
    // The lock and the wait are read together (one round trip); the lock is the refusal that counts first.
    const [failures = 0, wait] = await Promise.all([
      this.#store.get<number>(limitKeys.codeFailures(p)),
      this.#store.ttl(limitKeys.codeWait(p)),
    ]);
    const refusal =
      (await this.#lockedBy(p, failures)) ??
      (wait === undefined || wait <= 0
        ? undefined
        : { reason: 'failure-delay' as const, retryAfterSeconds: wait });
    if (refusal !== undefined) await this.#store.delete(limitKeys.guessLock(p));
    return refusal;
  }

  /** Ends a guess started with beginGuess. */
  async endGuess(phone: string): Promise<void> {
    await this.#store.delete(limitKeys.guessLock(this.#digest('phone', phone)));
  }

  /**
   * Records one wrong code: counts it for this flow's code and for the number across flows, and starts the
   * number's wait before its next guess. Returns the wrong entries for this flow's code so far.
   */
  async recordWrongCode(flowId: string, phone: string, flowTtlSeconds: number): Promise<number> {
    const p = this.#digest('phone', phone);
    const [attempts, failures] = await Promise.all([
      this.#store.increment(flowKeys.wrongCodes(flowId), flowTtlSeconds),
      this.#store.increment(limitKeys.codeFailures(p), DAY),
    ]);
    const s = this.#settings;
    const delay = failureDelaySeconds(failures, s.otpFailureDelayAfter, s.otpFailureDelayMaxSeconds);
    if (delay > 0) await this.#store.set(limitKeys.codeWait(p), failures, delay);
    return attempts;
  }

  /** Wrong entries so far for this flow's code. */
  async wrongCodes(flowId: string): Promise<number> {
    return (await this.#store.get<number>(flowKeys.wrongCodes(flowId))) ?? 0;
  }

  /** A new code starts with no wrong entries. */
  async resetWrongCodes(flowId: string): Promise<void> {
    await this.#store.delete(flowKeys.wrongCodes(flowId));
  }

  /** A right code ends the number's run of failures: its count and wait are cleared. */
  async clearFailures(phone: string): Promise<void> {
    const p = this.#digest('phone', phone);
    await Promise.all([
      this.#store.delete(limitKeys.codeFailures(p)),
      this.#store.delete(limitKeys.codeWait(p)),
    ]);
  }
}
