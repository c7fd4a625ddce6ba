// Who hears the end of a login: the SAML SP (auto-posted Response) or the OpenID Connect client (its authorization).

import type { FastifyReply } from 'fastify';
import type { SamlStatusError } from '../errors.ts';
import type { Locale } from '../i18n/index.ts';
import type { EstablishSession } from '../idp/answer.ts';
import type { SsoSession } from '../idp/session/sso-session.ts';
import type { Identity, PendingRequest } from '../types.ts';
import type { OidcAnswer } from './oidc-answer.ts';
import type { SpAnswer } from './post-to-sp.ts';
import type { SsoCookie } from './sso-cookie.ts';

/** What every protocol's answer shares: the events of app.ts and, with SSO on, the browser's session cookie. */
export interface AnswerContext {
  readonly onEvent: (event: string, fields: Record<string, unknown>) => void;
  /** Undefined when SSO_ENABLED=false. */
  readonly sso: SsoCookie | undefined;
}

/** How an answer after a login starts or continues the browser's SSO session (undefined with SSO off). */
export function establishFor(
  reply: FastifyReply,
  identity: Identity,
  sso: SsoCookie | undefined,
): EstablishSession | undefined {
  return sso === undefined ? undefined : () => sso.establish(reply.request, reply, identity);
}

/** A login's or an SSO answer's success: whom it answers, who it is, in which language. */
export interface Answered {
  readonly request: PendingRequest;
  readonly identity: Identity;
  readonly locale: Locale;
  /** The SSO session an SSO answer comes from; undefined after a login (the answer starts or continues one). */
  readonly existing?: SsoSession;
}

export interface LoginAnswer {
  success(reply: FastifyReply, answered: Answered): Promise<FastifyReply>;
  failure(
    reply: FastifyReply,
    request: PendingRequest,
    error: SamlStatusError,
    locale: Locale,
  ): FastifyReply | Promise<FastifyReply>;
  /** Logs an authentication event in the request under way (app.ts: log, metrics, audit trail). */
  event?(name: string, fields: Record<string, unknown>): void;
}

/** Picks the answer by the request's protocol. */
export class ProtocolAnswers implements LoginAnswer {
  readonly #saml: SpAnswer;
  readonly #oidc: OidcAnswer | undefined;

  constructor(saml: SpAnswer, oidc: OidcAnswer | undefined) {
    this.#saml = saml;
    this.#oidc = oidc;
  }

  #for(request: PendingRequest): LoginAnswer {
    if (request.oidc === undefined) return this.#saml;
    if (this.#oidc === undefined) throw new Error('OpenID Connect is not enabled');
    return this.#oidc;
  }

  success(reply: FastifyReply, answered: Answered): Promise<FastifyReply> {
    return this.#for(answered.request).success(reply, answered);
  }

  failure(
    reply: FastifyReply,
    request: PendingRequest,
    error: SamlStatusError,
    locale: Locale,
  ): FastifyReply | Promise<FastifyReply> {
    return this.#for(request).failure(reply, request, error, locale);
  }

  event(name: string, fields: Record<string, unknown>): void {
    this.#saml.event(name, fields);
  }
}
