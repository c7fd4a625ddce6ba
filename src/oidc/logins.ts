// Which login an OpenID Provider session stands on: the shared SSO session (or, without SSO, the identity itself).

import type { SsoSessions } from '../idp/session/sso-session.ts';
import { oidcKeys } from '../store/keys.ts';
import type { Store } from '../store/store.ts';
import type { Identity } from '../types.ts';

/** What a finished login leaves for the OP session that resumes it. JSON-safe. */
export interface LoginBinding {
  /** The SSO session the login began or continued; the identity is read from there while it lives. */
  readonly ssoSessionId?: string;
  /** Only when SSO_ENABLED=false: the identity itself, for this OP session's lifetime. */
  readonly identity?: Identity;
  /** When the code was typed (ms since epoch): `auth_time`. */
  readonly authnInstant: number;
}

const key = oidcKeys.login;

/** Binds OP sessions (by their uid, which every token carries) to logins. */
export class OidcLogins {
  readonly #store: Store;
  readonly #sessions: SsoSessions | undefined;
  readonly #ttlSeconds: number;

  constructor(opts: { store: Store; sessions: SsoSessions | undefined; ttlSeconds: number }) {
    this.#store = opts.store;
    this.#sessions = opts.sessions;
    this.#ttlSeconds = opts.ttlSeconds;
  }

  bind(sessionUid: string, binding: LoginBinding): Promise<void> {
    return this.#store.set(key(sessionUid), binding, this.#ttlSeconds);
  }

  get(sessionUid: string): Promise<LoginBinding | undefined> {
    return this.#store.get<LoginBinding>(key(sessionUid));
  }

  forget(sessionUid: string): Promise<void> {
    return this.#store.delete(key(sessionUid));
  }

  /** The person an OP session stands for; undefined once the shared session has ended (tokens die with it). */
  async identity(sessionUid: string): Promise<Identity | undefined> {
    const binding = await this.get(sessionUid);
    if (binding === undefined) return undefined;
    if (binding.ssoSessionId === undefined) return binding.identity;
    return (await this.#sessions?.get(binding.ssoSessionId))?.identity;
  }
}
