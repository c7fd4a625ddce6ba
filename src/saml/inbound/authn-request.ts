// Turns an AuthnRequest on either binding into a trusted PendingRequest, or says why it cannot be trusted or served.

import {
  loggable,
  SamlStatus,
  type SamlStatusCode,
  SamlStatusError,
  type StatusMessage,
} from '../../errors.ts';
import type { NameIdFormat, PendingRequest } from '../../types.ts';
import { resolveAcs } from '../acs.ts';
import { authnContextSatisfied, parseComparison } from '../authn-context.ts';
import type { ServiceProviderEntry, SpRegistry } from '../metadata/sp-registry.ts';
import { Binding, NameIdFormatUrn, Ns } from '../urn.ts';
import { attr, childrenNamed, optionalChild, text, xsBoolean } from '../xml/dom.ts';
import { XmlRejectedError } from '../xml/xml-guard.ts';
import type { SsoHttpInput } from './bindings.ts';
import { type InboundMessage, type InboundPolicy, type MessageType, readInbound } from './inbound-message.ts';
import {
  carriesNoAssertion,
  destinationIs,
  hasXsId,
  isExpectedRoot,
  issuedRecently,
  issuerIsTrustedSp,
  isVersion20,
  signatureVerifies,
  signedWhenRequired,
  untrusted,
} from './message-checks.ts';

export type { SsoHttpInput } from './bindings.ts';

/** What the reader needs from the app. */
export interface AuthnRequestReaderOptions {
  registry: SpRegistry; // look up per call (registry may reload)
  /** replay cache: returns true when the ID was not seen before; the reader calls it once per request */
  rememberRequestId(spEntityId: string, requestId: string, ttlSeconds: number): Promise<boolean>;
  wantAuthnRequestsSigned: boolean;
  clockSkewSeconds: number;
  maxAgeSeconds: number;
  maxBytes: number;
  relayStateMaxBytes: number;
}

/** A trusted request, and whether it can be served. */
export interface ReadResult {
  readonly request: PendingRequest; // from src/types.ts
  /** Set when the SP and ACS are known but the request cannot be served (e.g. InvalidNameIDPolicy,
   * UnsupportedBinding for a ProtocolBinding other than HTTP-POST, NoAuthnContext for an unsatisfiable
   * RequestedAuthnContext): the caller answers the SP with this status. */
  readonly refusal: SamlStatusError | undefined;
  /** True when a signature (query or enveloped) verified with the SP's keys. */
  readonly signed: boolean;
}

const NAME_ID_FORMATS = new Map<string, NameIdFormat>([
  [NameIdFormatUrn.unspecified, 'unspecified'],
  [NameIdFormatUrn.transient, 'transient'],
  [NameIdFormatUrn.persistent, 'persistent'],
]);

/** The AuthnRequest (SAML core §3.4.1, bindings §3.4/§3.5): its checks in order of refusal, then its fields. */
export const AUTHN_REQUEST: MessageType<ReadResult> = {
  name: 'AuthnRequest',
  parameter: 'SAMLRequest',
  checks: [
    isExpectedRoot,
    isVersion20,
    hasXsId,
    carriesNoAssertion,
    issuerIsTrustedSp,
    signatureVerifies,
    signedWhenRequired('AuthnRequests'),
    destinationIs('SSO'),
    issuedRecently,
  ],
  read: readAuthnRequest,
};

/** Reads and checks AuthnRequests (docs/design.md §4). */
export class AuthnRequestReader {
  readonly #opts: AuthnRequestReaderOptions;

  constructor(opts: AuthnRequestReaderOptions) {
    this.#opts = opts;
  }

  /** Throws UntrustedRequestError for anything before the SP and its ACS are known to be right. */
  read(input: SsoHttpInput, now: Date): Promise<ReadResult> {
    const opts = this.#opts;
    const policy: InboundPolicy = {
      registry: opts.registry,
      wantSigned: opts.wantAuthnRequestsSigned,
      clockSkewSeconds: opts.clockSkewSeconds,
      maxAgeSeconds: opts.maxAgeSeconds,
      maxBytes: opts.maxBytes,
      relayStateMaxBytes: opts.relayStateMaxBytes,
      rememberId: (sp, id, ttl) => opts.rememberRequestId(sp, id, ttl),
    };
    return readInbound(AUTHN_REQUEST, input, policy, now);
  }
}

function readAuthnRequest(message: InboundMessage): ReadResult {
  const { root, sp, decoded, signed } = message;
  const acs = resolveAcs(sp, {
    url: attr(root, 'AssertionConsumerServiceURL')?.trim(),
    index: unsignedShort(attr(root, 'AssertionConsumerServiceIndex'), 'AssertionConsumerServiceIndex'),
  });
  const attributeServiceIndex = unsignedShort(
    attr(root, 'AttributeConsumingServiceIndex'),
    'AttributeConsumingServiceIndex',
  );

  const forceAuthn = xsBoolean(attr(root, 'ForceAuthn'), 'ForceAuthn') ?? false;
  const isPassive = xsBoolean(attr(root, 'IsPassive'), 'IsPassive') ?? false;
  const policy = optionalChild(root, Ns.protocol, 'NameIDPolicy');
  const formatUrn = policy === undefined ? undefined : attr(policy, 'Format')?.trim() || undefined;
  const spNameQualifier =
    policy === undefined ? undefined : attr(policy, 'SPNameQualifier')?.trim() || undefined;
  const nameIdFormat = formatUrn === undefined ? 'unspecified' : NAME_ID_FORMATS.get(formatUrn);
  const subject = readSubject(root);
  const refusal = refusalOf(root, sp, formatUrn, nameIdFormat, spNameQualifier) ?? subject.refusal;

  const request: PendingRequest = {
    spEntityId: sp.entityId,
    requestId: attr(root, 'ID') ?? '',
    acsUrl: acs.url,
    relayState: decoded.relayState,
    forceAuthn,
    isPassive,
    nameIdFormat: nameIdFormat ?? 'unspecified',
    spNameQualifier,
    subjectPhone: subject.nameId,
    spDisplayName: sp.displayName,
    ...(attributeServiceIndex === undefined ? {} : { attributeServiceIndex }),
  };
  return { request, refusal, signed };
}

function refuse(code: SamlStatusCode | undefined, message: StatusMessage, detail?: string): SamlStatusError {
  return new SamlStatusError(SamlStatus.Requester, code, message, detail);
}

function unsignedShort(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\s*\d{1,5}\s*$/.test(value) || Number(value) > 65535) {
    throw untrusted('malformed', `${name} is not an unsignedShort`);
  }
  return Number(value);
}

/**
 * SAML profiles §4.1.4.1: a Subject names who must log in and carries no SubjectConfirmation. Its NameID, signed
 * or not, becomes a locked preset (as `presetid` does), so the assertion can only name that person; a Subject
 * we cannot read as one NameID is refused rather than dropped.
 */
function readSubject(root: Element): { nameId: string | undefined; refusal: SamlStatusError | undefined } {
  const subject = optionalChild(root, Ns.assertion, 'Subject');
  if (subject === undefined) return { nameId: undefined, refusal: undefined };
  if (childrenNamed(subject, Ns.assertion, 'SubjectConfirmation').length > 0) {
    const refusal = refuse(undefined, 'the Subject must not contain a SubjectConfirmation');
    return { nameId: undefined, refusal };
  }
  const nameId = optionalChild(subject, Ns.assertion, 'NameID');
  const value = nameId === undefined ? '' : text(nameId);
  if (value === '') {
    const refusal = refuse(
      SamlStatus.UnknownPrincipal,
      'the person who logged in is not the requested Subject',
      'a Subject without a NameID we can read',
    );
    return { nameId: undefined, refusal };
  }
  return { nameId: value, refusal: undefined };
}

function refusalOf(
  root: Element,
  sp: ServiceProviderEntry,
  formatUrn: string | undefined,
  nameIdFormat: NameIdFormat | undefined,
  spNameQualifier: string | undefined,
): SamlStatusError | undefined {
  const protocolBinding = attr(root, 'ProtocolBinding')?.trim();
  if (protocolBinding !== undefined && protocolBinding !== Binding.post) {
    return refuse(
      SamlStatus.UnsupportedBinding,
      'only the HTTP-POST binding is supported for the Response',
      `ProtocolBinding ${loggable(protocolBinding)}`,
    );
  }
  if (nameIdFormat === undefined) {
    return refuse(
      SamlStatus.InvalidNameIDPolicy,
      'the NameID format is not supported',
      `NameIDPolicy Format ${loggable(formatUrn)}`,
    );
  }
  // Persistent IDs are keyed by the SP; another qualifier would let one SP obtain another's identifiers.
  if (spNameQualifier !== undefined && spNameQualifier !== sp.entityId) {
    return refuse(
      SamlStatus.InvalidNameIDPolicy,
      'SPNameQualifier must be the SP entityID',
      `SPNameQualifier ${loggable(spNameQualifier)}`,
    );
  }
  const requested = optionalChild(root, Ns.protocol, 'RequestedAuthnContext');
  if (requested !== undefined) {
    const comparison = parseComparison(attr(requested, 'Comparison'));
    if (comparison === undefined) throw new XmlRejectedError('RequestedAuthnContext Comparison is not valid');
    const classRefs = childrenNamed(requested, Ns.assertion, 'AuthnContextClassRef').map(text);
    if (!authnContextSatisfied(comparison, classRefs)) {
      return refuse(SamlStatus.NoAuthnContext, 'the requested authentication context cannot be satisfied');
    }
  }
  return undefined;
}
