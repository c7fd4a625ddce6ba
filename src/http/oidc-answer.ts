// The last page of a login that answers an OpenID Connect client: the result goes to the waiting authorization,
// and the browser continues there (then to the client) through a page of ours, not a redirect chain.

import type { FastifyReply } from 'fastify';
import type Provider from 'oidc-provider';
import { SamlStatus, type SamlStatusError } from '../errors.ts';
import type { Locale } from '../i18n/index.ts';
import { answeringSession, sessionBinding } from '../idp/answer.ts';
import { ACR, AMR, accountIdFor } from '../oidc/claims.ts';
import type { LoginResult } from '../oidc/policy.ts';
import type { PendingRequest } from '../types.ts';
import { type AnswerContext, type Answered, establishFor } from './login-answer.ts';
import { renderPage } from './views.ts';

/** RFC 6749 §4.1.2.1 error for a login that ended without an identity (docs/contract.md §4's SAML statuses). */
export function oauthError(error: SamlStatusError): { error: string; error_description: string } {
  return {
    error: error.topLevel === SamlStatus.Requester ? 'invalid_request' : 'access_denied',
    error_description: error.message,
  };
}

export class OidcAnswer {
  readonly #provider: Provider;
  readonly #context: AnswerContext;

  constructor(provider: Provider, context: AnswerContext) {
    this.#provider = provider;
    this.#context = context;
  }

  /** After the code was typed: starts or continues the SSO session (shared with SAML) and resumes the client's
   * authorization as this person. */
  async success(reply: FastifyReply, answered: Answered): Promise<FastifyReply> {
    const { request, identity, locale, existing } = answered;
    const sso = await answeringSession(existing, establishFor(reply, identity, this.#context.sso));
    const binding = sessionBinding(identity, sso, Date.now());
    const nsi: LoginResult = { binding };
    const result = {
      login: {
        accountId: accountIdFor(identity.phone),
        acr: ACR,
        amr: [...AMR],
        ts: Math.floor(binding.authnInstant / 1000),
        // A browser-session cookie, like the SSO cookie: the store bounds the lifetime.
        remember: false,
      },
      nsi,
    };
    this.#context.onEvent('oidc.login.completed', { client: request.spEntityId, phone: identity.phone });
    return this.#continue(reply, request, result, locale);
  }

  async failure(
    reply: FastifyReply,
    request: PendingRequest,
    error: SamlStatusError,
    locale: Locale,
  ): Promise<FastifyReply> {
    const result = oauthError(error);
    this.#context.onEvent('oidc.login.refused', { client: request.spEntityId, ...result });
    return this.#continue(reply, request, result, locale);
  }

  /**
   * Saves the result in the waiting interaction and renders a page that moves on to it (Refresh header and a
   * link). A page, because this follows a form POST: browsers apply CSP form-action to every redirect after a
   * submission, and the chain ends at the client's origin. When the interaction has expired, the error goes
   * straight to the client's redirect_uri (checked when the authorization began) with its state.
   */
  async #continue(
    reply: FastifyReply,
    request: PendingRequest,
    result: Record<string, unknown>,
    locale: Locale,
  ): Promise<FastifyReply> {
    const ref = request.oidc;
    if (ref === undefined) throw new Error('not an OpenID Connect request');
    const interaction = await this.#provider.Interaction.find(ref.interactionUid);
    let href: string;
    if (interaction === undefined) {
      const url = new URL(request.acsUrl);
      const error =
        'error' in result ? result : { error: 'access_denied', error_description: 'login expired' };
      for (const [k, v] of Object.entries(error)) url.searchParams.set(k, String(v));
      if (ref.state !== undefined) url.searchParams.set('state', ref.state);
      url.searchParams.set('iss', this.#provider.issuer);
      href = url.href;
    } else {
      interaction.result = result;
      await interaction.save(Math.max(1, (interaction.exp ?? 0) - Math.floor(Date.now() / 1000)));
      href = interaction.returnTo;
    }
    reply.header('refresh', `0;url=${href}`);
    return renderPage(reply, 'oidc-continue', locale, {
      title: request.spDisplayName,
      spName: request.spDisplayName,
      href,
    });
  }
}
