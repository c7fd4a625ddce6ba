// What the IdP knows about the SMS of one login flow: each attempt's gateway and outcome, and the receipts that
// came back. Advisory only: it picks the gateway for a resend and warns the user, it never authenticates anyone.

import { flowKeys, smsReferenceKey } from '../store/keys.ts';
import type { Store } from '../store/store.ts';

export interface DeliveryAttempt {
  /** Our reference for the attempt, echoed by the gateway or carried in the receipt URL. */
  readonly ref: string;
  readonly provider: string;
  readonly messageId?: string;
  /** accepted; uncertain (the gateway may still send it); failed (it did not). */
  readonly outcome: 'accepted' | 'uncertain' | 'failed';
  readonly receipt?: 'delivered' | 'failed';
}

export interface DeliveryRecord {
  readonly attempts: readonly DeliveryAttempt[];
  /** The code of an uncertain attempt: a retry sends the same one, so a late SMS still carries a valid code. */
  readonly pending?: { readonly nonce: string; readonly phone: string; readonly expiresAt: number };
}

const EMPTY: DeliveryRecord = { attempts: [] };
const recordKey = flowKeys.deliveries;
const refKey = smsReferenceKey;

export class Deliveries {
  readonly #store: Store;

  constructor(store: Store) {
    this.#store = store;
  }

  async get(flowId: string): Promise<DeliveryRecord> {
    return (await this.#store.get<DeliveryRecord>(recordKey(flowId))) ?? EMPTY;
  }

  /** Gateways whose last message for this flow may be lost or late: a resend tries the others first. */
  static avoid(record: DeliveryRecord): string[] {
    const bad = record.attempts.filter((a) => a.outcome !== 'accepted' || a.receipt === 'failed');
    return [...new Set(bad.map((a) => a.provider))];
  }

  /** A receipt said the last message sent did not arrive. */
  static lastFailed(record: DeliveryRecord): boolean {
    const last = record.attempts.findLast((a) => a.outcome === 'accepted');
    return last?.receipt === 'failed';
  }

  /** Records one attempt (and the code to repeat when it is uncertain); every key expires with the flow. */
  async add(
    flowId: string,
    attempt: DeliveryAttempt,
    ttlSeconds: number,
    pending?: DeliveryRecord['pending'],
  ): Promise<void> {
    const record = await this.get(flowId);
    // The newest few attempts are all a flow can use (OTP_MAX_SENDS_PER_FLOW is at most 10).
    const attempts = [...record.attempts, attempt].slice(-12);
    // Independent keys, written together: one round trip on Redis.
    await Promise.all([
      this.#store.set(recordKey(flowId), { attempts, pending }, ttlSeconds),
      this.#store.set(refKey(attempt.ref), flowId, ttlSeconds),
    ]);
  }

  /**
   * Applies a receipt to the attempt it names. Ignored (false) when the attempt is gone, belongs to another
   * gateway, or was another message.
   */
  /** The flow an attempt reference belongs to, while it is kept. */
  async flowOf(ref: string): Promise<string | undefined> {
    if (!/^[A-Za-z0-9_-]{8,64}$/.test(ref)) return undefined;
    return this.#store.get<string>(refKey(ref));
  }

  async receipt(
    flowId: string,
    provider: string,
    ref: string,
    messageId: string | undefined,
    state: 'delivered' | 'failed',
  ): Promise<boolean> {
    const record = await this.get(flowId);
    const index = record.attempts.findIndex((a) => a.ref === ref && a.provider === provider);
    const attempt = record.attempts[index];
    if (attempt === undefined) return false;
    if (messageId !== undefined && attempt.messageId !== undefined && messageId !== attempt.messageId)
      return false;
    const ttl = await this.#store.ttl(recordKey(flowId));
    if (ttl === undefined) return false;
    const attempts = record.attempts.map((a, i) => (i === index ? { ...a, receipt: state } : a));
    await this.#store.set(recordKey(flowId), { ...record, attempts }, Math.max(1, ttl));
    return true;
  }
}
