// Reads a LogoutRequest or LogoutResponse from an SP on either binding and checks it before anything acts on it.

import type { SpRegistry } from '../metadata/sp-registry.ts';
import type { SloBinding } from '../outbound/logout.ts';
import { Ns } from '../urn.ts';
import { attr, childrenNamed, optionalChild, text, xsDateTime } from '../xml/dom.ts';
import { type MessageParameter, parseRawQuery } from './bindings.ts';
import { type Check, type InboundPolicy, type MessageType, readInbound } from './inbound-message.ts';
import {
  carriesNoAssertion,
  destinationIs,
  hasXsId,
  isExpectedRoot,
  issuedRecently,
  issuerIsTrustedSp,
  isVersion20,
  isXsId,
  signatureVerifies,
  signedWhenRequired,
  untrusted,
} from './message-checks.ts';

/** What the HTTP layer hands over for one request to /saml/slo. */
export interface SloHttpInput {
  readonly binding: SloBinding;
  /** The raw query string as received (not decoded): Redirect signatures are over its octets. */
  readonly rawQuery: string;
  readonly form: Readonly<Record<string, string | string[] | undefined>>;
  /** Our SLO endpoint URL; Destination must be it (query ignored). */
  readonly endpointUrl: string;
}

/** A verified LogoutRequest from an SP (SAML core §3.7.1). */
export interface IncomingLogoutRequest {
  readonly kind: 'request';
  readonly spEntityId: string;
  readonly requestId: string;
  readonly nameId: string;
  /** The NameID Format and SPNameQualifier as sent, when sent. */
  readonly nameIdFormat: string | undefined;
  readonly spNameQualifier: string | undefined;
  readonly sessionIndexes: readonly string[];
  readonly relayState: string | undefined;
  readonly binding: SloBinding;
  readonly signed: boolean;
}

/** A verified LogoutResponse from an SP to one of our LogoutRequests (SAML core §3.7.2). */
export interface IncomingLogoutResponse {
  readonly kind: 'response';
  readonly spEntityId: string;
  readonly inResponseTo: string;
  readonly statusCode: string;
  readonly subStatusCode: string | undefined;
  readonly binding: SloBinding;
  readonly signed: boolean;
}

export interface LogoutReaderOptions {
  readonly registry: SpRegistry;
  /** Replay cache: true when this message ID of this SP was not seen before. */
  rememberMessageId(spEntityId: string, id: string, ttlSeconds: number): Promise<boolean>;
  /** `WANT_LOGOUT_REQUESTS_SIGNED`: every SP must sign; else only those whose metadata says they sign requests. */
  readonly wantLogoutRequestsSigned: boolean;
  readonly clockSkewSeconds: number;
  readonly maxAgeSeconds: number;
  readonly maxBytes: number;
  readonly relayStateMaxBytes: number;
}

/** NotOnOrAfter, when sent, has not passed (with the clock skew allowed). */
const notExpired: Check = ({ root, sp, now, policy }) => {
  const notOnOrAfter = attr(root, 'NotOnOrAfter');
  if (notOnOrAfter === undefined) return;
  const until = xsDateTime(notOnOrAfter);
  if (until === undefined) throw untrusted('malformed', `${sp.entityId}: NotOnOrAfter is not an xs:dateTime`);
  if (now.getTime() >= until.getTime() + policy.clockSkewSeconds * 1000) {
    throw untrusted('stale', `${sp.entityId}: the LogoutRequest expired (NotOnOrAfter)`);
  }
};

/** The principal is named by a plain, non-empty NameID (no EncryptedID or BaseID). */
const namesPlainNameId: Check = ({ root, sp }) => {
  if (
    optionalChild(root, Ns.assertion, 'EncryptedID') !== undefined ||
    optionalChild(root, Ns.assertion, 'BaseID')
  ) {
    throw untrusted('malformed', `${sp.entityId}: only a plain NameID is accepted in a LogoutRequest`);
  }
  const nameId = optionalChild(root, Ns.assertion, 'NameID');
  if (nameId === undefined || text(nameId) === '') {
    throw untrusted('malformed', `${sp.entityId}: the LogoutRequest names no NameID`);
  }
};

/**
 * SAML profiles §4.4.4.1 wants it signed. Unsigned, only a SessionIndex we gave this SP shows it comes from the SP:
 * without one it would end whatever session the browser's cookie holds, on a NameID that may be a phone.
 */
const unsignedNamesSessionIndex: Check = ({ root, sp, signed }) => {
  if (!signed && sessionIndexesOf(root).length === 0) {
    throw untrusted(
      'signature-required',
      `${sp.entityId}: an unsigned LogoutRequest must name a SessionIndex`,
    );
  }
};

const answersOurRequest: Check = ({ root, sp }) => {
  if (!isXsId(attr(root, 'InResponseTo')?.trim() ?? '')) {
    throw untrusted('malformed', `${sp.entityId}: the LogoutResponse has no InResponseTo`);
  }
};

const hasStatusCode: Check = ({ root, sp }) => {
  const value = statusValue(statusCodeOf(root));
  if (value === undefined || value === '') {
    throw untrusted('malformed', `${sp.entityId}: the LogoutResponse has no StatusCode`);
  }
};

function sessionIndexesOf(root: Element): string[] {
  return childrenNamed(root, Ns.protocol, 'SessionIndex')
    .map(text)
    .filter((s) => s !== '');
}

function statusCodeOf(root: Element): Element | undefined {
  const status = optionalChild(root, Ns.protocol, 'Status');
  return status === undefined ? undefined : optionalChild(status, Ns.protocol, 'StatusCode');
}

function statusValue(code: Element | undefined): string | undefined {
  return code === undefined ? undefined : attr(code, 'Value')?.trim();
}

/** A LogoutRequest: the checks every message has, then its own, in order of refusal. */
export const LOGOUT_REQUEST: MessageType<IncomingLogoutRequest> = {
  name: 'LogoutRequest',
  parameter: 'SAMLRequest',
  checks: [
    isExpectedRoot,
    isVersion20,
    hasXsId,
    carriesNoAssertion,
    issuerIsTrustedSp,
    signatureVerifies,
    signedWhenRequired('logout messages'),
    destinationIs('SLO'),
    issuedRecently,
    notExpired,
    namesPlainNameId,
    unsignedNamesSessionIndex,
  ],
  read: ({ root, sp, decoded, signed, input }) => {
    const nameId = optionalChild(root, Ns.assertion, 'NameID');
    return {
      kind: 'request',
      spEntityId: sp.entityId,
      requestId: attr(root, 'ID') ?? '',
      nameId: nameId === undefined ? '' : text(nameId),
      nameIdFormat: nameId === undefined ? undefined : attr(nameId, 'Format')?.trim() || undefined,
      spNameQualifier:
        nameId === undefined ? undefined : attr(nameId, 'SPNameQualifier')?.trim() || undefined,
      sessionIndexes: sessionIndexesOf(root),
      relayState: decoded.relayState,
      binding: input.binding,
      signed,
    };
  },
};

/** A LogoutResponse: the checks every message has, then its own, in order of refusal. */
export const LOGOUT_RESPONSE: MessageType<IncomingLogoutResponse> = {
  name: 'LogoutResponse',
  parameter: 'SAMLResponse',
  checks: [
    isExpectedRoot,
    isVersion20,
    hasXsId,
    carriesNoAssertion,
    issuerIsTrustedSp,
    signatureVerifies,
    signedWhenRequired('logout messages'),
    destinationIs('SLO'),
    issuedRecently,
    answersOurRequest,
    hasStatusCode,
  ],
  read: ({ root, sp, signed, input }) => {
    const code = statusCodeOf(root);
    const sub = code === undefined ? undefined : optionalChild(code, Ns.protocol, 'StatusCode');
    return {
      kind: 'response',
      spEntityId: sp.entityId,
      inResponseTo: attr(root, 'InResponseTo')?.trim() ?? '',
      statusCode: statusValue(code) ?? '',
      subStatusCode: statusValue(sub),
      binding: input.binding,
      signed,
    };
  },
};

/**
 * Which message the request carries: exactly one of SAMLRequest and SAMLResponse, in the query (Redirect) or the
 * form (POST).
 */
function parameterOf(input: SloHttpInput): MessageParameter {
  const query = parseRawQuery(input.rawQuery);
  const source: ReadonlyMap<string, unknown> =
    input.binding === 'redirect' ? query : new Map(Object.entries(input.form));
  const hasRequest = source.get('SAMLRequest') !== undefined;
  const hasResponse = source.get('SAMLResponse') !== undefined;
  if (hasRequest === hasResponse) {
    throw untrusted('malformed', 'send exactly one of SAMLRequest and SAMLResponse');
  }
  // A POSTed LogoutResponse with a SAMLRequest in its query would be two messages in one request.
  if (hasResponse && input.binding === 'post' && query.has('SAMLRequest')) {
    throw untrusted('malformed', 'SAMLRequest in the query of a POST request');
  }
  return hasRequest ? 'SAMLRequest' : 'SAMLResponse';
}

/** Reads and checks logout messages: issuer, signature, Destination, age, replay (docs/design.md §4). */
export class LogoutReader {
  readonly #opts: LogoutReaderOptions;

  constructor(opts: LogoutReaderOptions) {
    this.#opts = opts;
  }

  /** Throws UntrustedRequestError for anything that cannot be trusted; nothing is sent to the SP then. */
  async read(input: SloHttpInput, now: Date): Promise<IncomingLogoutRequest | IncomingLogoutResponse> {
    const opts = this.#opts;
    const policy: InboundPolicy = {
      registry: opts.registry,
      wantSigned: opts.wantLogoutRequestsSigned,
      clockSkewSeconds: opts.clockSkewSeconds,
      maxAgeSeconds: opts.maxAgeSeconds,
      maxBytes: opts.maxBytes,
      relayStateMaxBytes: opts.relayStateMaxBytes,
      rememberId: (sp, id, ttl) => opts.rememberMessageId(sp, id, ttl),
    };
    return parameterOf(input) === 'SAMLRequest'
      ? readInbound(LOGOUT_REQUEST, input, policy, now)
      : readInbound(LOGOUT_RESPONSE, input, policy, now);
  }
}
