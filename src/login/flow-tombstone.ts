// What stays of a login flow after it expires, so the expired page can still offer the way back to the SP.

import type { Locale } from '../i18n/index.ts';
import { flowKeys } from '../store/keys.ts';
import type { Store } from '../store/store.ts';
import type { PendingRequest } from '../types.ts';

/**
 * A day: long after the flow (FLOW_TTL_SECONDS) is gone, someone who comes back to the tab can still be sent to
 * the SP with a status instead of being stranded on our page.
 */
export const TOMBSTONE_TTL_SECONDS = 86400;

/**
 * The request the flow answers (SP, ACS, request ID, RelayState) without the phone a signed request may have
 * preset, the page language, and the token that the expired page's form posts back.
 */
export interface Tombstone {
  readonly request: PendingRequest;
  readonly locale: Locale;
  readonly csrf: string;
}

/**
 * Tombstones of open flows. One is written when a flow starts and removed when it ends (an identity or a status
 * went to the SP), so only a flow that ran out of time leaves one behind; taking it is single use.
 */
export class FlowTombstones {
  readonly #store: Store;

  constructor(store: Store) {
    this.#store = store;
  }

  /** Written when the flow starts. */
  async remember(flow: { id: string; request: PendingRequest; locale: Locale; csrf: string }): Promise<void> {
    const tombstone: Tombstone = {
      request: { ...flow.request, subjectPhone: undefined },
      locale: flow.locale,
      csrf: flow.csrf,
    };
    await this.#store.set(flowKeys.tombstone(flow.id), tombstone, TOMBSTONE_TTL_SECONDS);
  }

  /** The tombstone of a flow that has not ended, if any. */
  read(flowId: string): Promise<Tombstone | undefined> {
    return this.#store.get<Tombstone>(flowKeys.tombstone(flowId));
  }

  /** Reads and removes it at once: of two racing posts only one answers the SP. */
  take(flowId: string): Promise<Tombstone | undefined> {
    return this.#store.take<Tombstone>(flowKeys.tombstone(flowId));
  }

  /** Removed when the flow ends with an answer to the SP. */
  async forget(flowId: string): Promise<void> {
    await this.#store.delete(flowKeys.tombstone(flowId));
  }
}
