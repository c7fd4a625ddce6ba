// The SSO session cookie: which session a browser holds, set after a login and cleared at logout.

import { fastifyCookie, type SerializeOptions } from '@fastify/cookie';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Identity } from '../types.ts';
import type { SsoSession, SsoSessions } from '../idp/session/sso-session.ts';

/**
 * On https the cookie is `__Host-nsi_sso; Secure; SameSite=None`: an SP's HTTP-POST AuthnRequest is a cross-site
 * POST, and a Lax cookie rides only on top-level GET navigations, so only SameSite=None lets the POST binding see
 * the session. On http (development) browsers refuse SameSite=None without Secure, so it is `nsi_sso; SameSite=Lax`
 * there: SSO then works on the HTTP-Redirect binding only. Always HttpOnly and Path=/, and a browser-session
 * cookie: the record in the store bounds the lifetime.
 */
export class SsoCookie {
  readonly sessions: SsoSessions;
  readonly #name: string;
  readonly #options: SerializeOptions;

  constructor(sessions: SsoSessions, opts: { secure: boolean }) {
    this.sessions = sessions;
    this.#name = opts.secure ? '__Host-nsi_sso' : 'nsi_sso';
    this.#options = opts.secure
      ? { path: '/', httpOnly: true, secure: true, sameSite: 'none' }
      : { path: '/', httpOnly: true, sameSite: 'lax' };
  }

  /** The cookie's value as the browser sent it (read by @fastify/cookie). */
  value(request: FastifyRequest): string | undefined {
    return request.cookies[this.#name];
  }

  /** The browser's live session, if any. */
  current(request: FastifyRequest): Promise<SsoSession | undefined> {
    return this.sessions.find(this.value(request));
  }

  /**
   * The live session a raw Cookie header names (for the OpenID Provider's checks, which see no Fastify request).
   * @fastify/cookie's parse and serialize work once the plugin is registered, which app.ts does before any route.
   */
  fromHeader(header: string | undefined): Promise<SsoSession | undefined> {
    return this.sessions.find(header === undefined ? undefined : fastifyCookie.parse(header)[this.#name]);
  }

  /** After a login: continues or starts the browser's session and sets the cookie. */
  async establish(request: FastifyRequest, reply: FastifyReply, identity: Identity): Promise<SsoSession> {
    const { session, cookie } = await this.sessions.begin(identity, await this.current(request));
    reply.setCookie(this.#name, cookie, this.#options);
    return session;
  }

  clear(reply: FastifyReply): void {
    reply.setCookie(this.#name, '', { ...this.#options, maxAge: 0 });
  }

  /** The Set-Cookie value that removes the cookie (for replies Fastify does not build: the OpenID Provider's). */
  clearing(): string {
    return fastifyCookie.serialize(this.#name, '', { ...this.#options, maxAge: 0 });
  }
}
