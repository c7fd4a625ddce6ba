// The last page of every login: auto-posts the signed SAMLResponse (+ RelayState) to the SP's ACS (docs/contract.md §3).

import type { FastifyReply } from 'fastify';
import type { SamlStatusError } from '../errors.ts';
import type { Locale } from '../i18n/index.ts';
import { answeringSession, joinSession, nameQualifier } from '../idp/answer.ts';
import { makeNameId } from '../saml/outbound/name-id.ts';
import type { ResponseBuilder } from '../saml/outbound/response.ts';
import type { PendingRequest } from '../types.ts';
import { type AnswerContext, type Answered, establishFor } from './login-answer.ts';
import { newNonce, postToSpCsp } from './security.ts';
import { renderPage } from './views.ts';

/** Joins protocol and login: builds the signed Response for an outcome and renders the auto-post page. */
export class SpAnswer {
  readonly #responses: ResponseBuilder;
  readonly #secret: string;
  readonly #context: AnswerContext;

  /** Without `context.sso` (SSO_ENABLED=false) no session is kept: every assertion stands alone. */
  constructor(responses: ResponseBuilder, secret: string, context: AnswerContext) {
    this.#responses = responses;
    this.#secret = secret;
    this.#context = context;
  }

  /**
   * The assertion for `identity`. After a login (`existing` undefined) the browser's SSO session starts or
   * continues; an SSO answer passes the session it comes from. Either way the session records this SP with the
   * NameID and SessionIndex it gets, and the AuthnInstant is the session's (idp/answer.ts).
   */
  async success(reply: FastifyReply, answered: Answered): Promise<FastifyReply> {
    const { request, identity, locale, existing } = answered;
    // Before the session records this SP: a refused recipient gets nothing and joins nothing.
    this.#responses.checkRecipient(request);
    const now = new Date();
    // The SP's metadata names the format when the request did not (saml/metadata/sp-policy.ts).
    const nameIdFormat = this.#responses.nameIdFormatFor(request);
    const spNameQualifier = nameQualifier(request);
    const nameId = makeNameId(nameIdFormat, identity.phone, spNameQualifier, this.#secret);
    const { sso } = this.#context;
    const session = await answeringSession(existing, establishFor(reply, identity, sso));
    const asserted = await joinSession(
      sso?.sessions,
      session,
      { spEntityId: request.spEntityId, nameId, nameIdFormat, spNameQualifier },
      now,
    );
    const xml = this.#responses.success(request, identity, { ...asserted, nameId, nameIdFormat }, now);
    this.#context.onEvent('saml.response.issued', {
      sp: request.spEntityId,
      inResponseTo: request.requestId,
      phone: identity.phone,
      sso: existing !== undefined,
    });
    return this.#post(reply, request, xml, locale);
  }

  /** Logs an authentication event in the request under way (the events of app.ts: log, metrics, audit). */
  event(name: string, fields: Record<string, unknown>): void {
    this.#context.onEvent(name, fields);
  }

  failure(
    reply: FastifyReply,
    request: PendingRequest,
    error: SamlStatusError,
    locale: Locale,
  ): FastifyReply {
    const xml = this.#responses.failure(request, error, new Date());
    this.#context.onEvent('saml.response.status', {
      sp: request.spEntityId,
      inResponseTo: request.requestId,
      status: error.secondLevel ?? error.topLevel,
      message: error.message,
      ...(error.detail === undefined ? {} : { detail: error.detail }),
    });
    return this.#post(reply, request, xml, locale);
  }

  #post(reply: FastifyReply, request: PendingRequest, samlResponse: string, locale: Locale): FastifyReply {
    const nonce = newNonce();
    reply.header('content-security-policy', postToSpCsp(nonce));
    return renderPage(reply, 'post-to-sp', locale, {
      title: request.spDisplayName,
      spName: request.spDisplayName,
      acsUrl: request.acsUrl,
      samlResponse,
      hasRelayState: request.relayState !== undefined,
      relayState: request.relayState,
      nonce,
    });
  }
}
