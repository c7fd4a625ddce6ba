// The last page of every login: auto-posts the signed SAMLResponse (+ RelayState) to the SP's ACS (CONTRACT.md §3).

import { randomBytes } from 'node:crypto';
import type { FastifyReply } from 'fastify';
import type { SamlStatusError } from '../errors.ts';
import type { Locale } from '../i18n/index.ts';
import { makeNameId } from '../saml/name-id.ts';
import type { ResponseBuilder } from '../saml/response.ts';
import type { Identity, PendingRequest } from '../types.ts';
import { newNonce, postToSpCsp } from './security.ts';
import { renderPage } from './views.ts';

/** Joins protocol and login: builds the signed Response for an outcome and renders the auto-post page. */
export class SpAnswer {
  readonly #responses: ResponseBuilder;
  readonly #secret: string;
  readonly #onEvent: (event: string, fields: Record<string, unknown>) => void;

  constructor(
    responses: ResponseBuilder,
    secret: string,
    onEvent: (event: string, fields: Record<string, unknown>) => void,
  ) {
    this.#responses = responses;
    this.#secret = secret;
    this.#onEvent = onEvent;
  }

  success(reply: FastifyReply, request: PendingRequest, identity: Identity, locale: Locale): FastifyReply {
    const now = new Date();
    const nameId = makeNameId(
      request.nameIdFormat,
      identity.phone,
      request.spNameQualifier ?? request.spEntityId,
      this.#secret,
    );
    const xml = this.#responses.success(
      request,
      identity,
      {
        sessionIndex: `_${randomBytes(16).toString('hex')}`,
        authnInstant: now,
        nameId,
        nameIdFormat: request.nameIdFormat,
      },
      now,
    );
    this.#onEvent('saml.response.issued', {
      sp: request.spEntityId,
      inResponseTo: request.requestId,
      phone: identity.phone,
    });
    return this.#post(reply, request, xml, locale);
  }

  failure(
    reply: FastifyReply,
    request: PendingRequest,
    error: SamlStatusError,
    locale: Locale,
  ): FastifyReply {
    const xml = this.#responses.failure(request, error, new Date());
    this.#onEvent('saml.response.status', {
      sp: request.spEntityId,
      inResponseTo: request.requestId,
      status: error.secondLevel ?? error.topLevel,
      message: error.message,
    });
    return this.#post(reply, request, xml, locale);
  }

  #post(reply: FastifyReply, request: PendingRequest, samlResponse: string, locale: Locale): FastifyReply {
    const nonce = newNonce();
    reply.header('content-security-policy', postToSpCsp(request.acsUrl, nonce));
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
