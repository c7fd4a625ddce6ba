// Reads a LogoutRequest or LogoutResponse from an SP on either binding and checks it before anything acts on it.

import { type DecodedMessage, decodeSsoMessage, parseRawQuery } from './bindings.ts';
import { attr, childrenNamed, descendants, isElement, optionalChild, text, xsDateTime } from '../xml/dom.ts';
import {
  findEnvelopedSignature,
  verifyEnvelopedSignature,
  verifyQuerySignature,
} from '../xml/signature-verify.ts';
import type { SloBinding } from '../outbound/logout.ts';
import type { ServiceProviderEntry, SpRegistry } from '../metadata/sp-registry.ts';
import { NameIdFormatUrn, Ns } from '../urn.ts';
import { parseXmlStrict, XmlRejectedError } from '../xml/xml-guard.ts';
import { checkIssueInstant, stripQuery, untrusted } from './message-checks.ts';

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

const XS_ID = /^[A-Za-z_][A-Za-z0-9_.-]{0,255}$/;

type Parameter = 'SAMLRequest' | 'SAMLResponse';

/**
 * Takes the message off the binding with the SSO decoder (same size caps, strict query, capped inflate). That
 * decoder reads `SAMLRequest`; a `SAMLResponse` is handed to it under that name and the Redirect signature's
 * octets are then cut from the query as received (SAML bindings §3.4.4.1).
 */
function decode(
  input: SloHttpInput,
  limits: LogoutReaderOptions,
): { parameter: Parameter; message: DecodedMessage } {
  const query = parseRawQuery(input.rawQuery);
  const source: ReadonlyMap<string, unknown> =
    input.binding === 'redirect' ? query : new Map(Object.entries(input.form));
  const hasRequest = source.get('SAMLRequest') !== undefined;
  const hasResponse = source.get('SAMLResponse') !== undefined;
  if (hasRequest === hasResponse) {
    throw untrusted('malformed', 'send exactly one of SAMLRequest and SAMLResponse');
  }
  if (hasRequest) return { parameter: 'SAMLRequest', message: decodeSsoMessage(input, limits) };
  if (input.binding === 'post') {
    if (query.has('SAMLResponse'))
      throw untrusted('malformed', 'SAMLResponse in the query of a POST request');
    const { SAMLResponse, ...rest } = input.form;
    return {
      parameter: 'SAMLResponse',
      message: decodeSsoMessage({ ...input, form: { ...rest, SAMLRequest: SAMLResponse } }, limits),
    };
  }
  const segments = input.rawQuery.replace(/^\?/, '').split('&');
  const response = query.get('SAMLResponse')!;
  const renamed = segments
    .map((s) => (s === response.raw ? `SAMLRequest=${s.slice(s.indexOf('=') + 1)}` : s))
    .join('&');
  const message = decodeSsoMessage({ ...input, rawQuery: renamed }, limits);
  const signature = message.querySignature;
  if (signature === undefined) return { parameter: 'SAMLResponse', message };
  // Each candidate starts with the renamed parameter; give it back the name it was signed with.
  const name = response.raw.slice(0, response.raw.indexOf('='));
  const signedOctets = signature.signedOctets.map((octets) =>
    Buffer.concat([Buffer.from(name), octets.subarray('SAMLRequest'.length)]),
  );
  return {
    parameter: 'SAMLResponse',
    message: { ...message, querySignature: { ...signature, signedOctets } },
  };
}

/** Reads and checks logout messages: issuer, signature, Destination, age, replay (docs/design.md §4). */
export class LogoutReader {
  readonly #opts: LogoutReaderOptions;

  constructor(opts: LogoutReaderOptions) {
    this.#opts = opts;
  }

  /** Throws UntrustedRequestError for anything that cannot be trusted; nothing is sent to the SP then. */
  async read(input: SloHttpInput, now: Date): Promise<IncomingLogoutRequest | IncomingLogoutResponse> {
    try {
      return await this.#read(input, now);
    } catch (err) {
      if (err instanceof XmlRejectedError) throw untrusted('malformed', err.message);
      throw err;
    }
  }

  async #read(input: SloHttpInput, now: Date): Promise<IncomingLogoutRequest | IncomingLogoutResponse> {
    const { parameter, message } = decode(input, this.#opts);
    const doc = parseXmlStrict(message.xml);
    const root = doc.documentElement!;
    const expected = parameter === 'SAMLRequest' ? 'LogoutRequest' : 'LogoutResponse';
    if (!isElement(root, Ns.protocol, expected))
      throw untrusted('malformed', `the message is not a samlp:${expected}`);
    if (attr(root, 'Version') !== '2.0') throw untrusted('malformed', `the ${expected} Version is not 2.0`);
    const id = attr(root, 'ID') ?? '';
    if (!XS_ID.test(id)) throw untrusted('malformed', `the ${expected} ID is missing or not an xs:ID`);
    if (
      descendants(doc, '*', 'Assertion').length > 0 ||
      descendants(doc, '*', 'EncryptedAssertion').length > 0
    ) {
      throw untrusted('malformed', `a ${expected} must not carry an Assertion`);
    }

    const sp = this.#issuer(root, expected);
    const enveloped = findEnvelopedSignature(doc);
    if (message.querySignature !== undefined) verifyQuerySignature(message.querySignature, sp.signingCerts);
    if (enveloped !== undefined) verifyEnvelopedSignature(message.xml, enveloped, sp.signingCerts);
    const signed = message.querySignature !== undefined || enveloped !== undefined;
    if (!signed && (sp.authnRequestsSigned || this.#opts.wantLogoutRequestsSigned)) {
      throw untrusted('signature-required', `${sp.entityId}: logout messages must be signed`);
    }

    const destination = attr(root, 'Destination');
    // SAML bindings §3.4.5.2, §3.5.5.2: a signed message names where it was sent, so it cannot be replayed here.
    if (destination === undefined && signed) {
      throw untrusted('bad-destination', `${sp.entityId}: a signed ${expected} has no Destination`);
    }
    if (destination !== undefined && stripQuery(destination.trim()) !== stripQuery(input.endpointUrl)) {
      throw untrusted('bad-destination', `${sp.entityId}: Destination is not this SLO endpoint`);
    }
    checkIssueInstant(attr(root, 'IssueInstant'), now, this.#opts, sp.entityId, expected);

    const result =
      parameter === 'SAMLRequest'
        ? this.#request(root, sp, id, message, input.binding, signed, now)
        : this.#response(root, sp, input.binding, signed);
    const ttl = this.#opts.maxAgeSeconds + 2 * this.#opts.clockSkewSeconds;
    if (!(await this.#opts.rememberMessageId(sp.entityId, id, ttl))) {
      throw untrusted('replayed', `${sp.entityId}: ${expected} ID seen before`);
    }
    return result;
  }

  #issuer(root: Element, what: string): ServiceProviderEntry {
    const issuer = optionalChild(root, Ns.assertion, 'Issuer');
    if (issuer === undefined) throw untrusted('unknown-sp', `the ${what} has no Issuer`);
    const format = attr(issuer, 'Format')?.trim();
    if (format !== undefined && format !== NameIdFormatUrn.entity) {
      throw untrusted('unknown-sp', 'the Issuer Format is not entity');
    }
    // Exactly as the SP's metadata spells it: an entityID with whitespace around it is another name.
    const entityId = issuer.textContent ?? '';
    const sp = this.#opts.registry.get(entityId);
    if (sp === undefined) {
      throw untrusted('unknown-sp', `no trusted SP with entityID ${JSON.stringify(entityId.slice(0, 200))}`);
    }
    return sp;
  }

  #request(
    root: Element,
    sp: ServiceProviderEntry,
    requestId: string,
    message: DecodedMessage,
    binding: SloBinding,
    signed: boolean,
    now: Date,
  ): IncomingLogoutRequest {
    const notOnOrAfter = attr(root, 'NotOnOrAfter');
    if (notOnOrAfter !== undefined) {
      const until = xsDateTime(notOnOrAfter);
      if (until === undefined)
        throw untrusted('malformed', `${sp.entityId}: NotOnOrAfter is not an xs:dateTime`);
      if (now.getTime() >= until.getTime() + this.#opts.clockSkewSeconds * 1000) {
        throw untrusted('stale', `${sp.entityId}: the LogoutRequest expired (NotOnOrAfter)`);
      }
    }
    if (
      optionalChild(root, Ns.assertion, 'EncryptedID') !== undefined ||
      optionalChild(root, Ns.assertion, 'BaseID')
    ) {
      throw untrusted('malformed', `${sp.entityId}: only a plain NameID is accepted in a LogoutRequest`);
    }
    const nameIdElement = optionalChild(root, Ns.assertion, 'NameID');
    const nameId = nameIdElement === undefined ? '' : text(nameIdElement);
    if (nameIdElement === undefined || nameId === '') {
      throw untrusted('malformed', `${sp.entityId}: the LogoutRequest names no NameID`);
    }
    const sessionIndexes = childrenNamed(root, Ns.protocol, 'SessionIndex')
      .map(text)
      .filter((s) => s !== '');
    // SAML profiles §4.4.4.1 wants it signed. Unsigned, only a SessionIndex we gave this SP shows it comes from the
    // SP: without one it would end whatever session the browser's cookie holds, on a NameID that may be a phone.
    if (!signed && sessionIndexes.length === 0) {
      throw untrusted(
        'signature-required',
        `${sp.entityId}: an unsigned LogoutRequest must name a SessionIndex`,
      );
    }
    return {
      kind: 'request',
      spEntityId: sp.entityId,
      requestId,
      nameId,
      nameIdFormat: attr(nameIdElement, 'Format')?.trim() || undefined,
      spNameQualifier: attr(nameIdElement, 'SPNameQualifier')?.trim() || undefined,
      sessionIndexes,
      relayState: message.relayState,
      binding,
      signed,
    };
  }

  #response(
    root: Element,
    sp: ServiceProviderEntry,
    binding: SloBinding,
    signed: boolean,
  ): IncomingLogoutResponse {
    const inResponseTo = attr(root, 'InResponseTo')?.trim() ?? '';
    if (!XS_ID.test(inResponseTo))
      throw untrusted('malformed', `${sp.entityId}: the LogoutResponse has no InResponseTo`);
    const status = optionalChild(root, Ns.protocol, 'Status');
    const code = status === undefined ? undefined : optionalChild(status, Ns.protocol, 'StatusCode');
    const value = code === undefined ? undefined : attr(code, 'Value')?.trim();
    if (code === undefined || value === undefined || value === '') {
      throw untrusted('malformed', `${sp.entityId}: the LogoutResponse has no StatusCode`);
    }
    const sub = optionalChild(code, Ns.protocol, 'StatusCode');
    return {
      kind: 'response',
      spEntityId: sp.entityId,
      inResponseTo,
      statusCode: value,
      subStatusCode: sub === undefined ? undefined : attr(sub, 'Value')?.trim(),
      binding,
      signed,
    };
  }
}
