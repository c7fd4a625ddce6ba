// What the answer to a request asserts about its session and how it joins the SSO session, for SAML and OpenID Connect.

import { randomBytes } from 'node:crypto';
import type { Identity, NameIdFormat } from '../types.ts';
import type { SsoSession, SsoSessions } from './session/sso-session.ts';

/** Starts or continues the browser's SSO session after a login (http/ sets its cookie). */
export type EstablishSession = () => Promise<SsoSession>;

/**
 * The SSO session an answer speaks for. An SSO answer passes the session it comes from (`existing`); after a
 * login the browser's session starts or continues (`establish`). Undefined with SSO off (no `establish`): every
 * answer then stands alone.
 */
export async function answeringSession(
  existing: SsoSession | undefined,
  establish: EstablishSession | undefined,
): Promise<SsoSession | undefined> {
  return existing ?? (await establish?.());
}

/** The SPNameQualifier a NameID carries: the one the SP asked for, else its entityID. */
export function nameQualifier(request: {
  readonly spEntityId: string;
  readonly spNameQualifier: string | undefined;
}): string {
  return request.spNameQualifier ?? request.spEntityId;
}

/** Who an assertion names to an SP; the SP logs out with these values (SAML profiles §4.4.4.1). */
export interface AssertedSubject {
  readonly spEntityId: string;
  readonly nameId: string;
  readonly nameIdFormat: NameIdFormat;
  readonly spNameQualifier: string;
}

/** What an assertion states about the session (SAML core §2.7.2 AuthnStatement). */
export interface AssertedSession {
  readonly sessionIndex: string;
  readonly authnInstant: Date;
  /** The end of the SSO session; undefined when the assertion stands alone. */
  readonly sessionNotOnOrAfter: Date | undefined;
}

/**
 * Records in `sso` that `subject` went to its SP, and returns what the assertion states: the SP's SessionIndex
 * in the session (the same for the whole session), the session's AuthnInstant and end. Without a session (SSO
 * off, or it ended meanwhile) the assertion stands alone: a fresh SessionIndex and AuthnInstant `now`.
 */
export async function joinSession(
  sessions: SsoSessions | undefined,
  sso: SsoSession | undefined,
  subject: AssertedSubject,
  now: Date,
): Promise<AssertedSession> {
  const participant = sso === undefined ? undefined : await sessions?.join(sso.id, subject);
  if (sso === undefined || participant === undefined) {
    return {
      sessionIndex: `_${randomBytes(16).toString('hex')}`,
      authnInstant: now,
      sessionNotOnOrAfter: undefined,
    };
  }
  return {
    sessionIndex: participant.sessionIndex,
    authnInstant: new Date(sso.authnInstant),
    sessionNotOnOrAfter: new Date(sso.expiresAt),
  };
}

/** What a finished login binds an OpenID Provider session to. */
export interface SessionBinding {
  /** The SSO session the login began or continued; the identity is read from there while it lives. */
  readonly ssoSessionId?: string;
  /** Only with SSO off: the identity itself. */
  readonly identity?: Identity;
  /** When the code was typed (ms since epoch). */
  readonly authnInstant: number;
}

/** The SSO session when there is one, else (SSO off) the identity with the login's time `now` (ms since epoch). */
export function sessionBinding(identity: Identity, sso: SsoSession | undefined, now: number): SessionBinding {
  return sso === undefined
    ? { identity, authnInstant: now }
    : { ssoSessionId: sso.id, authnInstant: sso.authnInstant };
}
