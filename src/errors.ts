// The error classes and their policy: HTTP status, SAML status, and whether a Response may go to the SP (docs/design.md §1.4).

/** SAML 2.0 top-level and second-level status codes we answer with (SAML core §3.2.2.2). */
export const SamlStatus = {
  Requester: 'urn:oasis:names:tc:SAML:2.0:status:Requester',
  Responder: 'urn:oasis:names:tc:SAML:2.0:status:Responder',
  AuthnFailed: 'urn:oasis:names:tc:SAML:2.0:status:AuthnFailed',
  NoPassive: 'urn:oasis:names:tc:SAML:2.0:status:NoPassive',
  InvalidNameIDPolicy: 'urn:oasis:names:tc:SAML:2.0:status:InvalidNameIDPolicy',
  NoAuthnContext: 'urn:oasis:names:tc:SAML:2.0:status:NoAuthnContext',
  UnsupportedBinding: 'urn:oasis:names:tc:SAML:2.0:status:UnsupportedBinding',
  UnknownPrincipal: 'urn:oasis:names:tc:SAML:2.0:status:UnknownPrincipal',
  RequestDenied: 'urn:oasis:names:tc:SAML:2.0:status:RequestDenied',
  NoSupportedIDP: 'urn:oasis:names:tc:SAML:2.0:status:NoSupportedIDP',
} as const;
export type SamlStatusCode = (typeof SamlStatus)[keyof typeof SamlStatus];

/** Why a request cannot be trusted; shown to the user as a translated sentence, logged as the code. */
export type UntrustedReason =
  | 'malformed'
  | 'too-large'
  | 'unknown-sp'
  | 'bad-signature'
  | 'signature-required'
  | 'bad-destination'
  | 'stale'
  | 'replayed'
  | 'acs-not-in-metadata'
  | 'unsupported-binding'
  | 'relay-state'
  | 'unknown-session';

/** The request cannot be answered to any SP (unknown issuer, bad XML, bad signature, ACS unknown): error page, 400. */
export class UntrustedRequestError extends Error {
  readonly reason: UntrustedReason;
  readonly httpStatus = 400;
  constructor(reason: UntrustedReason, detail: string) {
    super(detail);
    this.name = 'UntrustedRequestError';
    this.reason = reason;
  }
}

/**
 * Every StatusMessage we sign. Only these fixed sentences reach the SP: a value from the request inside our signed
 * Response would let anyone who can send an AuthnRequest have us vouch for their text (phishing on the SP's page).
 */
export type StatusMessage =
  | 'cancel'
  | 'login expired'
  | 'too many wrong codes'
  | 'no session for a passive request'
  | 'the requested eID is not offered here'
  | 'the requested eID is handled elsewhere'
  | 'the presetid cannot be used'
  | 'the preset phone number cannot be used'
  | 'the NameID format is not supported'
  | 'SPNameQualifier must be the SP entityID'
  | 'only the HTTP-POST binding is supported for the Response'
  | 'the requested authentication context cannot be satisfied'
  | 'the Subject must not contain a SubjectConfirmation'
  | 'the person who logged in is not the requested Subject'
  | 'the presetid and the Subject name different people';

/** The SP and its ACS are known: answer with a signed Response carrying this status (docs/contract.md §4). */
export class SamlStatusError extends Error {
  readonly topLevel: typeof SamlStatus.Requester | typeof SamlStatus.Responder;
  readonly secondLevel: SamlStatusCode | undefined;
  /** What the request said that led here, for the log only (never signed, never shown). */
  readonly detail: string | undefined;
  constructor(
    topLevel: typeof SamlStatus.Requester | typeof SamlStatus.Responder,
    secondLevel: SamlStatusCode | undefined,
    message: StatusMessage,
    detail?: string,
  ) {
    super(message);
    this.name = 'SamlStatusError';
    this.topLevel = topLevel;
    this.secondLevel = secondLevel;
    this.detail = detail;
  }
}

/** A request value fit for a log line: length-capped, JSON-quoted (control characters escaped). */
export function loggable(value: string | undefined, max = 120): string | undefined {
  if (value === undefined) return undefined;
  return JSON.stringify(value.length > max ? `${value.slice(0, max)}…` : value);
}

/** The login flow is gone or unusable (expired, unknown id, already finished): a page that explains it. */
export class FlowError extends Error {
  readonly kind: 'expired' | 'finished' | 'forbidden';
  readonly httpStatus: number;
  constructor(kind: FlowError['kind'], message: string) {
    super(message);
    this.name = 'FlowError';
    this.kind = kind;
    this.httpStatus = kind === 'forbidden' ? 403 : 410;
  }
}

/** Too many requests from one client address: a 429 page saying when to try again; nothing stored. */
export class TooManyRequestsError extends Error {
  readonly retryAfterSeconds: number;
  constructor(message: string, retryAfterSeconds: number) {
    super(message);
    this.name = 'TooManyRequestsError';
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

/** The shared store cannot be reached: a 503 page, nothing half-written. */
export class StoreUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StoreUnavailableError';
  }
}
