// The OpenID Connect clients an SSO session has answered, and how they hear that it ended (back-channel logout).

import type Provider from 'oidc-provider';
import type { SsoSession } from '../idp/session/sso-session.ts';
import { oidcKeys } from '../store/keys.ts';
import type { Store } from '../store/store.ts';
import type { OidcLogins } from './logins.ts';

/** One client a session answered: its OP session (uid) and the `sid` its tokens carry. JSON-safe. */
export interface OidcParticipant {
  readonly clientId: string;
  readonly sessionUid: string;
  readonly sid: string;
  readonly accountId: string;
}

const key = oidcKeys.participants;

export class OidcParticipants {
  readonly #store: Store;
  readonly #ttlSeconds: number;

  constructor(store: Store, ttlSeconds: number) {
    this.#store = store;
    this.#ttlSeconds = ttlSeconds;
  }

  /** Records a client of the session (again: the latest OP session and sid win). */
  async add(ssoSessionId: string, participant: OidcParticipant): Promise<void> {
    const list = (await this.#store.get<OidcParticipant[]>(key(ssoSessionId))) ?? [];
    const others = list.filter((p) => p.clientId !== participant.clientId);
    await this.#store.set(key(ssoSessionId), [...others, participant], this.#ttlSeconds);
  }

  list(ssoSessionId: string): Promise<OidcParticipant[] | undefined> {
    return this.#store.get<OidcParticipant[]>(key(ssoSessionId));
  }

  /** The clients of a session, once (single use: of racing logouts one tells them). */
  take(ssoSessionId: string): Promise<OidcParticipant[] | undefined> {
    return this.#store.take<OidcParticipant[]>(key(ssoSessionId));
  }
}

/**
 * When an SSO session ends (SAML Single Logout, the IdP's logout page, an OIDC logout): every client with a
 * `backchannel_logout_uri` gets a logout token, and the OP sessions of the login are destroyed with their login
 * binding, so their tokens stop working. Returns the clients that could not be told.
 */
export async function endOidcSessions(
  provider: Provider,
  participants: OidcParticipants,
  logins: OidcLogins,
  session: SsoSession,
  onEvent: (event: string, fields: Record<string, unknown>) => void,
): Promise<string[]> {
  const list = (await participants.take(session.id)) ?? [];
  const failed: string[] = [];
  for (const p of list) {
    // An OP session already gone was ended by the provider's own logout, which told its clients.
    const opSession = await provider.Session.findByUid(p.sessionUid);
    if (opSession === undefined) continue;
    const client = (await provider.Client.find(p.clientId).catch(() => undefined)) as
      | { backchannelLogoutUri?: string; backchannelLogout(sub: string, sid: string): Promise<void> }
      | undefined;
    if (client?.backchannelLogoutUri !== undefined) {
      try {
        await client.backchannelLogout(p.accountId, p.sid);
        onEvent('oidc.backchannel.sent', { client: p.clientId });
      } catch (error) {
        failed.push(p.clientId);
        onEvent('oidc.backchannel.failed', { client: p.clientId, error: (error as Error).message });
      }
    }
    await opSession.destroy();
    await logins.forget(p.sessionUid);
  }
  return failed;
}
