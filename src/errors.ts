// The error classes and their policy: HTTP status, SAML status, and whether a Response may go to the SP (DESIGN.md §1.4).

/** SAML 2.0 top-level and second-level status codes we answer with (SAML core §3.2.2.2). */
export const SamlStatus = {
  Requester: 'urn:oasis:names:tc:SAML:2.0:status:Requester',
  Responder: 'urn:oasis:names:tc:SAML:2.0:status:Responder',
  AuthnFailed: 'urn:oasis:names:tc:SAML:2.0:status:AuthnFailed',
  NoPassive: 'urn:oasis:names:tc:SAML:2.0:status:NoPassive',
  InvalidNameIDPolicy: 'urn:oasis:names:tc:SAML:2.0:status:InvalidNameIDPolicy',
  NoAuthnContext: 'urn:oasis:names:tc:SAML:2.0:status:NoAuthnContext',
  UnsupportedBinding: 'urn:oasis:names:tc:SAML:2.0:status:UnsupportedBinding',
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
  | 'relay-state';

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

/** The SP and its ACS are known: answer with a signed Response carrying this status (CONTRACT.md §4). */
export class SamlStatusError extends Error {
  readonly topLevel: typeof SamlStatus.Requester | typeof SamlStatus.Responder;
  readonly secondLevel: SamlStatusCode | undefined;
  constructor(
    topLevel: typeof SamlStatus.Requester | typeof SamlStatus.Responder,
    secondLevel: SamlStatusCode | undefined,
    message: string,
  ) {
    super(message);
    this.name = 'SamlStatusError';
    this.topLevel = topLevel;
    this.secondLevel = secondLevel;
  }
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
