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
import { decodeSsoMessage, type QuerySignature, type SsoHttpInput } from './bindings.ts';
import { attr, childrenNamed, descendants, isElement, optionalChild, text, xsBoolean } from '../xml/dom.ts';
import {
  findEnvelopedSignature,
  verifyEnvelopedSignature,
  verifyQuerySignature,
} from '../xml/signature-verify.ts';
import type { ServiceProviderEntry, SpRegistry } from '../metadata/sp-registry.ts';
import { Binding, NameIdFormatUrn, Ns } from '../urn.ts';
import { parseXmlStrict, XmlRejectedError } from '../xml/xml-guard.ts';
import { checkIssueInstant, stripQuery, untrusted } from './message-checks.ts';

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

// xs:ID is an NCName; we take the ASCII subset SPs use, and cap the length.
const XS_ID = /^[A-Za-z_][A-Za-z0-9_.-]{0,255}$/;

const NAME_ID_FORMATS = new Map<string, NameIdFormat>([
  [NameIdFormatUrn.unspecified, 'unspecified'],
  [NameIdFormatUrn.transient, 'transient'],
  [NameIdFormatUrn.persistent, 'persistent'],
]);

function refuse(code: SamlStatusCode | undefined, message: StatusMessage, detail?: string): SamlStatusError {
  return new SamlStatusError(SamlStatus.Requester, code, message, detail);
}

/** Reads and checks AuthnRequests (SAML core §3.4.1, bindings §3.4/§3.5, docs/design.md §4). */
export class AuthnRequestReader {
  readonly #opts: AuthnRequestReaderOptions;

  constructor(opts: AuthnRequestReaderOptions) {
    this.#opts = opts;
  }

  /** Throws UntrustedRequestError for anything before the SP and its ACS are known to be right. */
  async read(input: SsoHttpInput, now: Date): Promise<ReadResult> {
    try {
      return await this.#read(input, now);
    } catch (err) {
      if (err instanceof XmlRejectedError) throw untrusted('malformed', err.message);
      throw err;
    }
  }

  async #read(input: SsoHttpInput, now: Date): Promise<ReadResult> {
    const opts = this.#opts;
    const message = decodeSsoMessage(input, opts);
    const doc = parseXmlStrict(message.xml);
    const root = doc.documentElement!;
    if (!isElement(root, Ns.protocol, 'AuthnRequest'))
      throw untrusted('malformed', 'the message is not a samlp:AuthnRequest');
    if (attr(root, 'Version') !== '2.0') throw untrusted('malformed', 'the AuthnRequest Version is not 2.0');
    const requestId = attr(root, 'ID') ?? '';
    if (!XS_ID.test(requestId))
      throw untrusted('malformed', 'the AuthnRequest ID is missing or not an xs:ID');
    if (
      descendants(doc, '*', 'Assertion').length > 0 ||
      descendants(doc, '*', 'EncryptedAssertion').length > 0
    ) {
      throw untrusted('malformed', 'an AuthnRequest must not carry an Assertion');
    }

    const sp = this.#issuer(root);
    const signed = this.#verifySignatures(doc, message.xml, message.querySignature, sp);
    if (!signed && (sp.authnRequestsSigned || opts.wantAuthnRequestsSigned)) {
      throw untrusted('signature-required', `${sp.entityId}: AuthnRequests must be signed`);
    }

    const destination = attr(root, 'Destination');
    // SAML bindings §3.4.5.2, §3.5.5.2: a signed message names where it was sent, so it cannot be replayed here.
    if (destination === undefined && signed) {
      throw untrusted('bad-destination', `${sp.entityId}: a signed AuthnRequest has no Destination`);
    }
    if (destination !== undefined && stripQuery(destination.trim()) !== stripQuery(input.endpointUrl)) {
      throw untrusted('bad-destination', `${sp.entityId}: Destination is not this SSO endpoint`);
    }
    checkIssueInstant(attr(root, 'IssueInstant'), now, this.#opts, sp.entityId, 'AuthnRequest');

    const acs = resolveAcs(sp, {
      url: attr(root, 'AssertionConsumerServiceURL')?.trim(),
      index: this.#unsignedShort(
        attr(root, 'AssertionConsumerServiceIndex'),
        'AssertionConsumerServiceIndex',
      ),
    });
    const attributeServiceIndex = this.#unsignedShort(
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
    const subject = this.#subject(root);
    const refusal = this.#refusal(root, sp, formatUrn, nameIdFormat, spNameQualifier) ?? subject.refusal;

    const ttl = opts.maxAgeSeconds + 2 * opts.clockSkewSeconds;
    if (!(await opts.rememberRequestId(sp.entityId, requestId, ttl))) {
      throw untrusted('replayed', `${sp.entityId}: AuthnRequest ID seen before`);
    }

    const request: PendingRequest = {
      spEntityId: sp.entityId,
      requestId,
      acsUrl: acs.url,
      relayState: message.relayState,
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

  #issuer(root: Element): ServiceProviderEntry {
    const issuer = optionalChild(root, Ns.assertion, 'Issuer');
    if (issuer === undefined) throw untrusted('unknown-sp', 'the AuthnRequest has no Issuer');
    const format = attr(issuer, 'Format')?.trim();
    if (format !== undefined && format !== NameIdFormatUrn.entity) {
      throw untrusted('unknown-sp', 'the Issuer Format is not entity');
    }
    // Exactly as the SP's metadata spells it: an entityID with whitespace around it is another name.
    const entityId = issuer.textContent ?? '';
    const sp = this.#opts.registry.get(entityId);
    if (sp === undefined)
      throw untrusted('unknown-sp', `no trusted SP with entityID ${JSON.stringify(entityId.slice(0, 200))}`);
    return sp;
  }

  #verifySignatures(
    doc: Document,
    xml: string,
    querySignature: QuerySignature | undefined,
    sp: ServiceProviderEntry,
  ): boolean {
    const enveloped = findEnvelopedSignature(doc);
    if (querySignature !== undefined) verifyQuerySignature(querySignature, sp.signingCerts);
    if (enveloped !== undefined) verifyEnvelopedSignature(xml, enveloped, sp.signingCerts);
    return querySignature !== undefined || enveloped !== undefined;
  }

  #unsignedShort(value: string | undefined, name: string): number | undefined {
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
  #subject(root: Element): { nameId: string | undefined; refusal: SamlStatusError | undefined } {
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

  #refusal(
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
      if (comparison === undefined)
        throw new XmlRejectedError('RequestedAuthnContext Comparison is not valid');
      const classRefs = childrenNamed(requested, Ns.assertion, 'AuthnContextClassRef').map(text);
      if (!authnContextSatisfied(comparison, classRefs)) {
        return refuse(SamlStatus.NoAuthnContext, 'the requested authentication context cannot be satisfied');
      }
    }
    return undefined;
  }
}
