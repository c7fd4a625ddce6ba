// The pages of Single Logout: a SAML logout message on its binding, the LogoutResponse to an SP, the logged-out page.

import type { FastifyReply, FastifyRequest } from 'fastify';
import { type Locale, translate } from '../i18n/index.ts';
import {
  type LogoutMessageBuilder,
  type LogoutStatusValue,
  type OutboundMessage,
  type SloBinding,
  sloEndpoint,
} from '../saml/outbound/logout.ts';
import type { ServiceProviderEntry } from '../saml/metadata/sp-registry.ts';
import { pageCsp } from './csp.ts';
import { newNonce } from './security.ts';
import { renderPage } from './views.ts';

/** A logout frame's page: no form, shown only inside our own logout page. */
export const FRAME_CSP = pageCsp({ formAction: 'anywhere', frameAncestors: 'self' });

/** Pages of the logout are loaded inside the logout page's frames: same-origin framing only. */
export const framable = {
  onSend: async (_request: FastifyRequest, reply: FastifyReply, payload: unknown) => {
    reply.header('x-frame-options', 'SAMEORIGIN');
    return payload;
  },
};

export function origin(url: string): string {
  return new URL(url).origin;
}

/** What a LogoutResponse answers: the request it names and where the RelayState goes back. */
export interface Answerable {
  readonly requestId: string;
  readonly relayState: string | undefined;
  readonly binding: SloBinding;
}

/**
 * Puts a message on its binding: a 303 for HTTP-Redirect, an auto-posting form for HTTP-POST. Browsers apply
 * form-action to the redirects that follow a form post too: in a frame the SP answers by redirecting back to us
 * ('self'); the initiator, at the top, may send the user anywhere after its logout, so that form is not limited.
 */
export function sendMessage(
  reply: FastifyReply,
  message: OutboundMessage,
  locale: Locale,
  spName: string,
  place: 'top' | 'frame',
): FastifyReply {
  if (message.binding === 'redirect') return reply.redirect(message.url, 303);
  const nonce = newNonce();
  const csp =
    place === 'frame'
      ? pageCsp({ script: { nonce }, formAction: [origin(message.url), "'self'"], frameAncestors: 'self' })
      : pageCsp({ script: { nonce }, formAction: 'anywhere' });
  reply.header('content-security-policy', csp);
  return renderPage(reply, 'logout-post', locale, {
    title: translate(locale, 'logout.returning', { sp: spName }),
    spName,
    url: message.url,
    fields: Object.entries(message.fields).map(([name, value]) => ({ name, value })),
    nonce,
  });
}

/** The logged-out page; `notLoggedOut` names the services that may still hold a session (a partial logout). */
export function logoutDone(
  reply: FastifyReply,
  locale: Locale,
  notLoggedOut: readonly string[],
): FastifyReply {
  return renderPage(reply, 'logout-done', locale, {
    title: translate(locale, notLoggedOut.length > 0 ? 'logout.partialHeading' : 'logout.doneHeading'),
    partial: notLoggedOut.length > 0,
    services: notLoggedOut,
  });
}

/** Answers an SP's LogoutRequest: the LogoutResponse on the binding it came on when the SP lists that one. */
export class LogoutResponder {
  readonly #builder: LogoutMessageBuilder;
  readonly #onEvent: (event: string, fields: Record<string, unknown>) => void;

  constructor(
    builder: LogoutMessageBuilder,
    onEvent: (event: string, fields: Record<string, unknown>) => void,
  ) {
    this.#builder = builder;
    this.#onEvent = onEvent;
  }

  respond(
    reply: FastifyReply,
    sp: ServiceProviderEntry,
    to: Answerable,
    status: LogoutStatusValue,
    locale: Locale,
    notLoggedOut: readonly string[],
  ): FastifyReply {
    this.#onEvent('slo.response', { sp: sp.entityId, status: status.subCode ?? status.code });
    const endpoint = sloEndpoint(sp, to.binding);
    if (endpoint === undefined) return logoutDone(reply, locale, notLoggedOut);
    const message = this.#builder.response(
      { spEntityId: sp.entityId, endpoint, inResponseTo: to.requestId, status, relayState: to.relayState },
      new Date(),
    );
    return sendMessage(reply, message, locale, sp.displayName, 'top');
  }
}
