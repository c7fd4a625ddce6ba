// Shapes shared by saml/, login/ and http/: what a trusted AuthnRequest becomes and what a login produces.

/** NameID formats we can give (docs/contract.md §4). */
export type NameIdFormat = 'unspecified' | 'transient' | 'persistent';

/**
 * A verified AuthnRequest, reduced to what the rest of the IdP needs. JSON-safe: it is stored in the login flow.
 * Everything here was checked against the SP's metadata; `acsUrl` is always one the metadata lists.
 */
export interface PendingRequest {
  readonly spEntityId: string;
  /** The AuthnRequest ID, echoed as InResponseTo; undefined for an unsolicited (IdP-initiated) Response. */
  readonly requestId?: string;
  /** HTTP-POST AssertionConsumerService URL resolved from the SP's metadata. */
  readonly acsUrl: string;
  /** RelayState exactly as received (undefined when absent). */
  readonly relayState: string | undefined;
  readonly forceAuthn: boolean;
  readonly isPassive: boolean;
  readonly nameIdFormat: NameIdFormat;
  /** NameIDPolicy SPNameQualifier, when the SP asked for one. */
  readonly spNameQualifier: string | undefined;
  /** Phone number the SP put in a *signed* request's Subject/NameID (a preset, docs/contract.md §2). */
  readonly subjectPhone: string | undefined;
  /** Human name of the SP for the pages (mdui:DisplayName, else the entityID host). */
  readonly spDisplayName: string;
  /** AttributeConsumingServiceIndex of the request: which of the SP's services names the attributes it wants. */
  readonly attributeServiceIndex?: number;
  /**
   * Set when the login answers an OpenID Connect authorization instead of an AuthnRequest. Then `spEntityId` is
   * the client_id, `acsUrl` its checked redirect_uri and `spDisplayName` its client_name.
   */
  readonly oidc?: OidcRequestRef;
}

/** The OpenID Connect authorization a login answers: the provider's interaction waiting for the result. */
export interface OidcRequestRef {
  readonly interactionUid: string;
  /** The client's state, for an error sent after the interaction expired. */
  readonly state: string | undefined;
}

/** The person the login method identified (seed: "Information about the end user"). */
export interface Identity {
  /** E.164, e.g. +4612345678. */
  readonly phone: string;
  readonly givenName: string;
  readonly familyName: string;
}

/** E-Ident's query parameters, read by http/ and given to login/ (docs/contract.md §2). */
export interface EidentParams {
  readonly forcepkivendor: string | undefined;
  readonly presetid: string | undefined;
  readonly locale: string | undefined;
}
