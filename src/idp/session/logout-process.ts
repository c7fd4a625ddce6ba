// One Single Logout in progress: the SPs to tell, what each answered, and who hears the outcome (SAML profiles §4.4).

import { randomBytes } from 'node:crypto';
import type { Locale } from '../../i18n/index.ts';
import { sessionKeys } from '../../store/keys.ts';
import type { Store } from '../../store/store.ts';
import type { NameIdFormat } from '../../types.ts';

/** A session participant that gets a LogoutRequest from us. */
export interface LogoutTarget {
  readonly spEntityId: string;
  readonly spDisplayName: string;
  /** The ID of our LogoutRequest; the SP's LogoutResponse names it in InResponseTo. */
  readonly requestId: string;
  readonly nameId: string;
  readonly nameIdFormat: NameIdFormat;
  readonly spNameQualifier: string;
  readonly sessionIndex: string;
}

/** The SP whose LogoutRequest started the logout; it gets the final LogoutResponse. */
export interface LogoutInitiator {
  readonly spEntityId: string;
  readonly spDisplayName: string;
  readonly requestId: string;
  readonly relayState: string | undefined;
  readonly binding: 'redirect' | 'post';
}

/** JSON-safe; stored under `{id}:slo`. */
export interface LogoutProcess {
  readonly id: string;
  readonly locale: Locale;
  /** ms since epoch. */
  readonly createdAt: number;
  /** Undefined when the user logged out at the IdP. */
  readonly initiator: LogoutInitiator | undefined;
  readonly targets: readonly LogoutTarget[];
  /** Display names of participants we cannot tell (no SingleLogoutService in their metadata). */
  readonly unreachable: readonly string[];
  /** Where the browser goes when the process is over, instead of our page (an OIDC client's logout return). */
  readonly returnTo?: string;
}

/** A logout started elsewhere (an OIDC client's) that continues in the browser through the SAML SPs. JSON-safe. */
export interface LogoutTicket {
  readonly sessionId: string;
  readonly returnTo: string;
}

/** Where one target stands. */
export type TargetState = 'pending' | 'done' | 'failed';

/** A finished process with every target's last state. */
export interface ClosedLogout {
  readonly process: LogoutProcess;
  readonly states: readonly TargetState[];
  /** False when any target did not confirm or could not be told: the answer is PartialLogout. */
  readonly complete: boolean;
}

interface OutstandingRequest {
  readonly processId: string;
  readonly index: number;
}

const ID = /^[A-Za-z0-9_-]{24}$/;
const processKey = sessionKeys.logout;
const stateKey = sessionKeys.logoutTarget;
const requestKey = sessionKeys.logoutRequest;
const ticketKey = sessionKeys.logoutTicket;

/** Keeps logouts in the Store. Each target's answer is its own key, so answers arriving together never collide. */
export class LogoutProcesses {
  readonly #store: Store;
  readonly #ttlSeconds: number;
  readonly #now: () => number;

  /** `ttlSeconds` bounds how long a logout may take end to end (the page, every SP, the final answer). */
  constructor(opts: { store: Store; ttlSeconds: number; now?: () => number }) {
    this.#store = opts.store;
    this.#ttlSeconds = opts.ttlSeconds;
    this.#now = opts.now ?? Date.now;
  }

  /** Stores a new process and an index from each LogoutRequest ID to it. */
  async open(input: Omit<LogoutProcess, 'id' | 'createdAt'>): Promise<LogoutProcess> {
    const process: LogoutProcess = {
      ...input,
      id: randomBytes(18).toString('base64url'),
      createdAt: this.#now(),
    };
    await this.#store.set(processKey(process.id), process, this.#ttlSeconds);
    await Promise.all(
      process.targets.map((target, index) =>
        this.#store.set(
          requestKey(target.requestId),
          { processId: process.id, index } satisfies OutstandingRequest,
          this.#ttlSeconds,
        ),
      ),
    );
    return process;
  }

  /** A single-use ticket (10 minutes) for `/saml/logout/continue/<ticket>`. */
  async issueTicket(ticket: LogoutTicket): Promise<string> {
    const id = randomBytes(18).toString('base64url');
    await this.#store.set(ticketKey(id), ticket, 600);
    return id;
  }

  takeTicket(id: string): Promise<LogoutTicket | undefined> {
    return ID.test(id) ? this.#store.take<LogoutTicket>(ticketKey(id)) : Promise.resolve(undefined);
  }

  async get(id: string): Promise<LogoutProcess | undefined> {
    return ID.test(id) ? this.#store.get<LogoutProcess>(processKey(id)) : undefined;
  }

  async states(process: LogoutProcess): Promise<TargetState[]> {
    return Promise.all(
      process.targets.map(
        async (_target, index) =>
          (await this.#store.get<TargetState>(stateKey(process.id, index))) ?? ('pending' as const),
      ),
    );
  }

  /** Records an SP's answer to our LogoutRequest `requestId`. False when no logout waits for it from this SP
   * (unknown, already answered, or another SP's request): each request is answered once. */
  async answer(requestId: string, spEntityId: string, ok: boolean): Promise<boolean> {
    const outstanding = await this.#store.get<OutstandingRequest>(requestKey(requestId));
    if (outstanding === undefined) return false;
    const process = await this.get(outstanding.processId);
    if (process?.targets[outstanding.index]?.spEntityId !== spEntityId) return false;
    if ((await this.#store.take(requestKey(requestId))) === undefined) return false;
    await this.#store.set(stateKey(process.id, outstanding.index), ok ? 'done' : 'failed', this.#ttlSeconds);
    return true;
  }

  /** Marks a target failed before it answered (we could not even send to it). */
  async fail(process: LogoutProcess, index: number): Promise<void> {
    await this.#store.setIfAbsent(stateKey(process.id, index), 'failed', this.#ttlSeconds);
  }

  /** Ends a process (single use); targets still pending count as failed: their time is up. */
  async close(id: string): Promise<ClosedLogout | undefined> {
    if (!ID.test(id)) return undefined;
    const process = await this.#store.take<LogoutProcess>(processKey(id));
    if (process === undefined) return undefined;
    const states = await this.states(process);
    await Promise.all([
      ...process.targets.map((t) => this.#store.delete(requestKey(t.requestId))),
      ...process.targets.map((_t, i) => this.#store.delete(stateKey(process.id, i))),
    ]);
    const complete = process.unreachable.length === 0 && states.every((s) => s === 'done');
    return { process, states, complete };
  }
}
