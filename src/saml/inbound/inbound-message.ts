// One SP-sent message on its way in: decoded off its binding, parsed, run through its type's ordered checks, read,
// and only then remembered against replay, so a refused message does not use up its ID.

import type { ServiceProviderEntry, SpRegistry } from '../metadata/sp-registry.ts';
import { attr } from '../xml/dom.ts';
import { parseXmlStrict, XmlRejectedError } from '../xml/xml-guard.ts';
import {
  type DecodedMessage,
  type DecodeLimits,
  decodeMessage,
  type MessageParameter,
  type SsoHttpInput,
} from './bindings.ts';
import { untrusted } from './message-checks.ts';

/** The three messages an SP sends us. */
export type MessageName = 'AuthnRequest' | 'LogoutRequest' | 'LogoutResponse';

/** What the checks need from the app; the same for every message type. */
export interface InboundPolicy extends DecodeLimits {
  /** Looked up per message: the registry may reload. */
  readonly registry: SpRegistry;
  /** The IdP wants every SP to sign this kind of message (else only SPs whose metadata says they sign). */
  readonly wantSigned: boolean;
  readonly clockSkewSeconds: number;
  readonly maxAgeSeconds: number;
  /** Replay cache: true when this message ID of this SP was not seen before. */
  rememberId(spEntityId: string, id: string, ttlSeconds: number): Promise<boolean>;
}

/** A parsed message and what the checks have learnt about it so far. */
export class InboundMessage {
  readonly name: MessageName;
  readonly input: SsoHttpInput;
  readonly decoded: DecodedMessage;
  readonly doc: Document;
  readonly root: Element;
  readonly policy: InboundPolicy;
  readonly now: Date;
  /** True once a query or enveloped signature verified with the SP's keys. */
  signed = false;
  #sp: ServiceProviderEntry | undefined;

  constructor(
    name: MessageName,
    input: SsoHttpInput,
    decoded: DecodedMessage,
    policy: InboundPolicy,
    now: Date,
  ) {
    this.name = name;
    this.input = input;
    this.decoded = decoded;
    this.doc = parseXmlStrict(decoded.xml);
    this.root = this.doc.documentElement!;
    this.policy = policy;
    this.now = now;
  }

  /** The SP named by the Issuer; only checks after the issuer check may ask. */
  get sp(): ServiceProviderEntry {
    if (this.#sp === undefined) throw new Error(`the ${this.name} Issuer was not checked yet`);
    return this.#sp;
  }

  set sp(sp: ServiceProviderEntry) {
    this.#sp = sp;
  }
}

/** One named check: returns when the message passes, throws an UntrustedRequestError when it does not. */
export type Check = (message: InboundMessage) => void;

/** A message type: the parameter it travels in, its checks in the order they refuse, and how its fields are read. */
export interface MessageType<Result> {
  readonly name: MessageName;
  readonly parameter: MessageParameter;
  readonly checks: readonly Check[];
  /** Reads the checked message; may still refuse what only reading finds (UntrustedRequestError). */
  readonly read: (message: InboundMessage) => Result;
}

/** Runs one message through its type. Throws UntrustedRequestError: nothing is sent to an SP then. */
export async function readInbound<Result>(
  type: MessageType<Result>,
  input: SsoHttpInput,
  policy: InboundPolicy,
  now: Date,
): Promise<Result> {
  try {
    const decoded = decodeMessage(input, type.parameter, policy);
    const message = new InboundMessage(type.name, input, decoded, policy, now);
    for (const check of type.checks) check(message);
    const result = type.read(message);
    await notReplayed(message);
    return result;
  } catch (err) {
    if (err instanceof XmlRejectedError) throw untrusted('malformed', err.message);
    throw err;
  }
}

/** Last of all: the ID was not seen from this SP within the time the message could still be accepted. */
async function notReplayed(message: InboundMessage): Promise<void> {
  const { policy, sp } = message;
  const ttl = policy.maxAgeSeconds + 2 * policy.clockSkewSeconds;
  if (!(await policy.rememberId(sp.entityId, attr(message.root, 'ID') ?? '', ttl))) {
    throw untrusted('replayed', `${sp.entityId}: ${message.name} ID seen before`);
  }
}
