// Builds the signed SAML Responses we post to an SP: a successful login (docs/contract.md §4) or a status error.

import { type SamlStatusError, UntrustedRequestError } from '../../errors.ts';
import type { Identity, NameIdFormat, PendingRequest } from '../../types.ts';
import { identityAttributes } from './attributes.ts';
import { encryptAssertion } from './encrypt.ts';
import { type KeyRing, signingKeys } from '../keys/key-ring.ts';
import type { IdpKeys } from '../keys/keys.ts';
import { nameIdFormatUrn } from './name-id.ts';
import type { ServiceProviderEntry } from '../metadata/sp-metadata.ts';
import { nameIdFormatFor, type ResponsePolicy, responsePolicy } from '../metadata/sp-policy.ts';
import { AttrNameFormatBasic, AuthnContextClass, BearerMethod, Binding, Ns, StatusSuccess } from '../urn.ts';
import { newSamlId, samlTime } from '../values.ts';
import { signElement } from '../xml/template-signer.ts';
import { el, renderXml, type XmlElement } from '../xml/xml-writer.ts';

/** The namespaces the Response element declares: the in-scope context of the Assertion it carries. */
const RESPONSE_NAMESPACES: ReadonlyMap<string, string> = new Map([
  ['samlp', Ns.protocol],
  ['saml', Ns.assertion],
]);

/** What every Response needs from the IdP. */
export interface ResponseBuilderOptions {
  keys: IdpKeys;
  idpEntityId: string;
  assertionTtlSeconds: number;
  clockSkewSeconds: number;
  /** During a key rollover: the pairs, and which signs (per SP from its sidecar); overrides `keys`. */
  ring?: KeyRing;
  /** The SP a Response goes to, for its policy (sp-policy.ts: encryption, attributes, NameID format, signing
   * key); without it every SP gets the defaults. */
  lookupSp?: (entityId: string) => ServiceProviderEntry | undefined;
}

/** The IdP session the assertion reports. */
export interface SessionInfo {
  readonly sessionIndex: string;
  readonly authnInstant: Date;
  readonly nameId: string;
  readonly nameIdFormat: NameIdFormat;
  /** When set, sent as AuthnStatement SessionNotOnOrAfter. */
  readonly sessionNotOnOrAfter?: Date;
}

/** Signs Responses and Assertions with the IdP key; IDs are fresh for every message. */
export class ResponseBuilder {
  readonly #opts: ResponseBuilderOptions;

  constructor(opts: ResponseBuilderOptions) {
    this.#opts = opts;
  }

  /** Base64 of a signed Response with the assertion of CONTRACT §4: Destination = Recipient = request.acsUrl,
   * InResponseTo, Audience = SP entityID, NotBefore = now - skew, NotOnOrAfter = now + ttl, SubjectConfirmation
   * bearer with NotOnOrAfter/Recipient/InResponseTo, AuthnStatement (AuthnInstant, SessionIndex,
   * SessionNotOnOrAfter optional, AuthnContextClassRef MobileOneFactorUnregistered), AttributeStatement with
   * PHONE_NUMBER, SURNAME, GIVENNAME, FULLNAME (given + ' ' + family), PID (= phone), IDPROVIDER (= 'nets_sms'),
   * each NameFormat basic, AttributeValue xsi:type xs:string. Fresh random IDs (start with '_' + hex). */
  success(request: PendingRequest, identity: Identity, session: SessionInfo, now: Date): string {
    const { idpEntityId, assertionTtlSeconds, clockSkewSeconds } = this.#opts;
    const policy = this.#policy(request);
    const keys = this.#keys(policy);
    const released = identityAttributes(identity).filter(
      (a) => policy?.attributes === undefined || policy.attributes.includes(a.name),
    );
    const encryption = policy?.encryption;
    const issued = samlTime(now);
    const notBefore = samlTime(new Date(now.getTime() - clockSkewSeconds * 1000));
    const notOnOrAfter = samlTime(new Date(now.getTime() + assertionTtlSeconds * 1000));
    const qualified = session.nameIdFormat !== 'unspecified';

    const assertion = el(
      'saml:Assertion',
      {
        // Encrypted, the Assertion stands alone once decrypted, so it declares its own prefix (SAML core §6.2).
        'xmlns:saml': encryption === undefined ? undefined : Ns.assertion,
        'xmlns:xs': Ns.xs,
        'xmlns:xsi': Ns.xsi,
        ID: newSamlId(),
        Version: '2.0',
        IssueInstant: issued,
      },
      [
        el('saml:Issuer', {}, [idpEntityId]),
        el('saml:Subject', {}, [
          el(
            'saml:NameID',
            {
              Format: nameIdFormatUrn(session.nameIdFormat),
              NameQualifier: qualified ? idpEntityId : undefined,
              SPNameQualifier: qualified ? (request.spNameQualifier ?? request.spEntityId) : undefined,
            },
            [session.nameId],
          ),
          el('saml:SubjectConfirmation', { Method: BearerMethod }, [
            el('saml:SubjectConfirmationData', {
              NotOnOrAfter: notOnOrAfter,
              Recipient: request.acsUrl,
              InResponseTo: request.requestId,
            }),
          ]),
        ]),
        el('saml:Conditions', { NotBefore: notBefore, NotOnOrAfter: notOnOrAfter }, [
          el('saml:AudienceRestriction', {}, [el('saml:Audience', {}, [request.spEntityId])]),
        ]),
        el(
          'saml:AuthnStatement',
          {
            AuthnInstant: samlTime(session.authnInstant),
            SessionIndex: session.sessionIndex,
            SessionNotOnOrAfter:
              session.sessionNotOnOrAfter === undefined ? undefined : samlTime(session.sessionNotOnOrAfter),
          },
          [
            el('saml:AuthnContext', {}, [
              el('saml:AuthnContextClassRef', {}, [AuthnContextClass.mobileOneFactorUnregistered]),
            ]),
          ],
        ),
        // The schema wants at least one Attribute in an AttributeStatement: none released, none sent.
        released.length > 0 &&
          el(
            'saml:AttributeStatement',
            {},
            released.map((a) =>
              el('saml:Attribute', { Name: a.name, NameFormat: AttrNameFormatBasic }, [
                el('saml:AttributeValue', { 'xsi:type': 'xs:string' }, [a.value]),
              ]),
            ),
          ),
      ],
    );
    const status = el('samlp:Status', {}, [el('samlp:StatusCode', { Value: StatusSuccess })]);
    // SAML core §6.1: the Assertion is signed first, then encrypted; the Response signature covers the result.
    const signedAssertion = signElement(assertion, keys, RESPONSE_NAMESPACES);
    const carried =
      encryption === undefined ? signedAssertion : encryptAssertion(signedAssertion, encryption);
    return this.#signResponse(this.#response(request, now, status, carried), keys);
  }

  /** The NameID format the assertion for `request` carries: the requested one, or the SP metadata's when the
   * request named none (sp-policy.ts). */
  nameIdFormatFor(request: PendingRequest): NameIdFormat {
    const sp = this.#opts.lookupSp?.(request.spEntityId);
    return sp === undefined ? request.nameIdFormat : nameIdFormatFor(request, sp);
  }

  /** Base64 of a signed Response with Status (top-level + nested second-level + StatusMessage), no Assertion. */
  failure(request: PendingRequest, error: SamlStatusError, now: Date): string {
    const status = el('samlp:Status', {}, [
      el('samlp:StatusCode', { Value: error.topLevel }, [
        error.secondLevel !== undefined && el('samlp:StatusCode', { Value: error.secondLevel }),
      ]),
      error.message !== '' && el('samlp:StatusMessage', {}, [error.message]),
    ]);
    return this.#signResponse(
      this.#response(request, now, status, undefined),
      this.#keys(this.#policy(request)),
    );
  }

  /**
   * Throws UntrustedRequestError unless the SP is still trusted and still lists `request.acsUrl` as an HTTP-POST
   * ACS: a login begun before its metadata changed must not answer an SP or ACS the metadata no longer names
   * (docs/contract.md §4). Without `lookupSp` there is nothing to check against.
   */
  checkRecipient(request: PendingRequest): void {
    const lookup = this.#opts.lookupSp;
    if (lookup === undefined) return;
    const sp = lookup(request.spEntityId);
    if (sp === undefined) {
      throw new UntrustedRequestError('unknown-sp', `${request.spEntityId}: no longer a trusted SP`);
    }
    if (!sp.acs.some((a) => a.binding === Binding.post && a.url === request.acsUrl)) {
      throw new UntrustedRequestError(
        'acs-not-in-metadata',
        `${sp.entityId}: the ACS of this login is no longer in the metadata`,
      );
    }
  }

  #policy(request: PendingRequest): ResponsePolicy | undefined {
    this.checkRecipient(request);
    const sp = this.#opts.lookupSp?.(request.spEntityId);
    return sp === undefined ? undefined : responsePolicy(request, sp);
  }

  #keys(policy: ResponsePolicy | undefined): IdpKeys {
    const ring = this.#opts.ring;
    return ring === undefined ? this.#opts.keys : signingKeys(ring, policy?.signingKey);
  }

  #response(
    request: PendingRequest,
    now: Date,
    status: XmlElement,
    assertion: XmlElement | undefined,
  ): XmlElement {
    return el(
      'samlp:Response',
      {
        'xmlns:samlp': Ns.protocol,
        'xmlns:saml': Ns.assertion,
        ID: newSamlId(),
        InResponseTo: request.requestId,
        Version: '2.0',
        IssueInstant: samlTime(now),
        Destination: request.acsUrl,
      },
      [el('saml:Issuer', {}, [this.#opts.idpEntityId]), status, assertion],
    );
  }

  /** Signs the Response element (after its Assertion, whose signature it then covers) and encodes it. */
  #signResponse(response: XmlElement, keys: IdpKeys): string {
    const signed = renderXml(signElement(response, keys), { declaration: true });
    return Buffer.from(signed, 'utf8').toString('base64');
  }
}
