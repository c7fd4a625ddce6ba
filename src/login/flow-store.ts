// The stored flow record: read (shape-checked), write, compare-and-set, and its tombstone at start and end.

import { FlowError } from '../errors.ts';
import { isLocale } from '../i18n/index.ts';
import { flowKeys } from '../store/keys.ts';
import type { Store } from '../store/store.ts';
import { type DoneFlow, type Flow, type OpenFlow, transition } from './flow.ts';
import { FlowTombstones } from './flow-tombstone.ts';

const FLOW_ID = /^[A-Za-z0-9_-]{24}$/;

const isString = (value: unknown): value is string => typeof value === 'string';
const isNumber = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);
const isRecord = (value: unknown): value is object => typeof value === 'object' && value !== null;

/** A property of a parsed JSON object, without trusting its prototype. */
function field(record: object, name: string): unknown {
  return Object.getOwnPropertyDescriptor(record, name)?.value;
}

/** Fields a step may hold as text; each is absent or a string. */
const OPTIONAL_TEXT = ['givenName', 'familyName', 'phone', 'phoneCountry'] as const;
/** What the code step holds besides them. */
const CODE_TEXT = ['givenName', 'familyName', 'phone', 'codeNonce', 'codeHash'] as const;

/**
 * True when a stored value is a flow this version can act on: the fields every step holds, and on the code step
 * the code and the person it went to. A record that is not (written by another version, or damaged) is treated as
 * expired, so the person sees the expired page with the way back to the SP, never an error.
 */
export function isStoredFlow(value: unknown): value is Flow {
  if (!isRecord(value)) return false;
  const get = (name: string): unknown => field(value, name);
  const request = get('request');
  const locale = get('locale');
  const offered = get('offeredEids');
  const common =
    isString(get('id')) &&
    isNumber(get('createdAt')) &&
    isRecord(request) &&
    isString(field(request, 'spEntityId')) &&
    isString(field(request, 'acsUrl')) &&
    isString(locale) &&
    isLocale(locale) &&
    isString(get('csrf')) &&
    Array.isArray(offered) &&
    offered.every(isString) &&
    isRecord(get('preset')) &&
    OPTIONAL_TEXT.every((name) => get(name) === undefined || isString(get(name))) &&
    (get('lastSentAt') === undefined || isNumber(get('lastSentAt')));
  if (!common) return false;
  switch (get('step')) {
    case 'choose-method':
    case 'identify':
    case 'done':
      return true;
    case 'verify-code':
      return (
        CODE_TEXT.every((name) => isString(get(name))) &&
        isNumber(get('codeExpiresAt')) &&
        isNumber(get('lastSentAt'))
      );
    default:
      return false;
  }
}

export class FlowStore {
  readonly #store: Store;
  readonly #ttlSeconds: number;
  readonly #now: () => number;
  readonly #tombstones: FlowTombstones;

  constructor(store: Store, flowTtlSeconds: number, now: () => number) {
    this.#store = store;
    this.#ttlSeconds = flowTtlSeconds;
    this.#now = now;
    this.#tombstones = new FlowTombstones(store);
  }

  /** What is left of expired flows: the way back to their SP (flow-tombstone.ts). */
  get tombstones(): FlowTombstones {
    return this.#tombstones;
  }

  /** The flow, or FlowError('expired') when it is gone or unreadable. */
  async load(flowId: string): Promise<Flow> {
    const flow = FLOW_ID.test(flowId) ? await this.read(flowId) : undefined;
    if (flow === undefined) throw new FlowError('expired', 'login flow not found or expired');
    return flow;
  }

  /** The stored flow as it is now, or undefined when it is gone or unreadable. */
  async read(flowId: string): Promise<Flow | undefined> {
    const stored = await this.#store.get<unknown>(flowKeys.record(flowId));
    return isStoredFlow(stored) ? stored : undefined;
  }

  /** A new flow and its tombstone. */
  async open(flow: Flow): Promise<void> {
    // Both keys carry the flow's hash tag: made together they apply in this order, in one round trip on Redis.
    await Promise.all([this.save(flow), this.#tombstones.remember(flow)]);
  }

  async save(flow: Flow): Promise<void> {
    await this.#store.set(flowKeys.record(flow.id), flow, this.#ttlOf(flow));
  }

  /** Writes `next` only when the stored flow is still `read` (compare-and-set); false when it changed meanwhile. */
  saveIf(read: Flow, next: Flow): Promise<boolean> {
    return this.#store.replaceIf(flowKeys.record(read.id), read, next, this.#ttlOf(next));
  }

  /** Stores a flow that ended with an answer to its SP; its tombstone goes, later visits see "finished". */
  async finish(done: DoneFlow): Promise<void> {
    await Promise.all([this.save(done), this.#tombstones.forget(done.id)]);
  }

  /** Ends a flow that will not produce an identity (cancel, another eID, too many wrong codes). */
  async end(flow: OpenFlow): Promise<void> {
    const ended = transition(flow, { kind: 'end' }, this.#now());
    if (ended.ok && ended.flow.step === 'done') await this.finish(ended.flow);
  }

  #ttlOf(flow: Flow): number {
    const left = Math.ceil((flow.createdAt + this.#ttlSeconds * 1000 - this.#now()) / 1000);
    return Math.max(left, 60);
  }
}
