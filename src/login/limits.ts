// SMS cost and code-guessing limits as atomic store counters (CONTRACT.md §5): per flow, phone, client IP, global.

import { createHmac } from 'node:crypto';
import type { Store } from '../store/store.ts';

/** The limits in force; each comes from its own environment variable (src/config.ts). */
export interface LimitSettings {
  readonly otpMaxAttempts: number;
  readonly otpMaxSendsPerFlow: number;
  readonly smsMaxPerPhone: number;
  readonly smsMaxPerIp: number;
  readonly smsMaxGlobal: number;
  readonly otpMaxFailuresPerPhone: number;
}

/** Why a send is refused; each maps to a translated message. */
export type SendRefusal = 'flow-sends' | 'phone-rate' | 'ip-rate' | 'global-rate' | 'phone-locked';

const HOUR = 3600;
const DAY = 24 * HOUR;

/**
 * Counters live in their own keys so racing requests never lose a count. Phone numbers and addresses are keyed by
 * an HMAC so the store never holds them in clear.
 */
export class Limits {
  readonly #store: Store;
  readonly #settings: LimitSettings;
  readonly #secret: string;

  constructor(store: Store, settings: LimitSettings, secret: string) {
    this.#store = store;
    this.#settings = settings;
    this.#secret = secret;
  }

  #digest(value: string): string {
    return createHmac('sha256', this.#secret).update(value).digest('base64url').slice(0, 22);
  }

  /**
   * Counts one SMS against every limit; refuses when any is over. The per-flow count is checked first so a
   * flow that is out of sends never spends the shared budgets.
   */
  async chargeSend(
    flowId: string,
    phone: string,
    clientIp: string,
    flowTtlSeconds: number,
  ): Promise<SendRefusal | undefined> {
    const phoneKey = this.#digest(phone);
    const failures = (await this.#store.get<number>(`otpfail:${phoneKey}`)) ?? 0;
    if (failures >= this.#settings.otpMaxFailuresPerPhone) return 'phone-locked';
    if (
      (await this.#store.increment(`{${flowId}}:sends`, flowTtlSeconds)) > this.#settings.otpMaxSendsPerFlow
    ) {
      return 'flow-sends';
    }
    const [perPhone, perIp, global] = await Promise.all([
      this.#store.increment(`sms:phone:${phoneKey}`, HOUR),
      this.#store.increment(`sms:ip:${this.#digest(clientIp)}`, HOUR),
      this.#store.increment(`sms:global:${Math.floor(Date.now() / (HOUR * 1000))}`, HOUR),
    ]);
    if (perPhone > this.#settings.smsMaxPerPhone) return 'phone-rate';
    if (perIp > this.#settings.smsMaxPerIp) return 'ip-rate';
    if (global > this.#settings.smsMaxGlobal) return 'global-rate';
    return undefined;
  }

  /** Sends used by this flow so far. */
  async sendsUsed(flowId: string): Promise<number> {
    return (await this.#store.get<number>(`{${flowId}}:sends`)) ?? 0;
  }

  /** Records one wrong code; returns the wrong entries for this flow's code so far. */
  async recordWrongCode(flowId: string, phone: string, flowTtlSeconds: number): Promise<number> {
    const [attempts] = await Promise.all([
      this.#store.increment(`{${flowId}}:attempts`, flowTtlSeconds),
      this.#store.increment(`otpfail:${this.#digest(phone)}`, DAY),
    ]);
    return attempts;
  }

  /** Wrong entries so far for this flow's code. */
  async wrongCodes(flowId: string): Promise<number> {
    return (await this.#store.get<number>(`{${flowId}}:attempts`)) ?? 0;
  }

  /** A right code clears the per-phone failure count. */
  async clearFailures(phone: string): Promise<void> {
    await this.#store.delete(`otpfail:${this.#digest(phone)}`);
  }
}
