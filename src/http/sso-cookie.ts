// The SSO session cookie: which session a browser holds, set after a login and cleared at logout.

import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Identity } from '../types.ts';
import {
  type SsoRequestContext,
  type SsoSession,
  type SsoSessions,
  sessionServes,
} from '../login/sso-session.ts';

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
  readonly #attributes: string;

  constructor(sessions: SsoSessions, opts: { secure: boolean }) {
    this.sessions = sessions;
    this.#name = opts.secure ? '__Host-nsi_sso' : 'nsi_sso';
    this.#attributes = opts.secure
      ? 'Path=/; HttpOnly; Secure; SameSite=None'
      : 'Path=/; HttpOnly; SameSite=Lax';
  }

  /** The cookie's value as the browser sent it. */
  value(request: FastifyRequest): string | undefined {
    const header = request.headers.cookie;
    if (typeof header !== 'string') return undefined;
    for (const pair of header.split(';')) {
      const eq = pair.indexOf('=');
      if (eq > 0 && pair.slice(0, eq).trim() === this.#name) return pair.slice(eq + 1).trim();
    }
    return undefined;
  }

  /** The browser's live session, if any. */
  current(request: FastifyRequest): Promise<SsoSession | undefined> {
    return this.sessions.find(this.value(request));
  }

  /** The browser's session when it may answer this AuthnRequest without a new code (login/sso-session.ts). */
  async serving(request: FastifyRequest, context: SsoRequestContext): Promise<SsoSession | undefined> {
    const session = await this.current(request);
    return session !== undefined && sessionServes(session, context) ? session : undefined;
  }

  /** After a login: continues or starts the browser's session and sets the cookie. */
  async establish(request: FastifyRequest, reply: FastifyReply, identity: Identity): Promise<SsoSession> {
    const { session, cookie } = await this.sessions.begin(identity, await this.current(request));
    reply.header('set-cookie', `${this.#name}=${cookie}; ${this.#attributes}`);
    return session;
  }

  clear(reply: FastifyReply): void {
    reply.header('set-cookie', this.clearing());
  }

  /** The Set-Cookie value that removes the cookie (for replies Fastify does not build: the OpenID Provider's). */
  clearing(): string {
    return `${this.#name}=; Max-Age=0; ${this.#attributes}`;
  }
}
