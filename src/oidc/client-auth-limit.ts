// Failed client authentications at the token, PAR and revocation endpoints, counted per client_id and per client
// address: past the limit the endpoint answers 429 with Retry-After instead of checking one more secret.

import { createHmac } from 'node:crypto';
import Provider, { errors, type KoaContextWithOIDC } from 'oidc-provider';
import { addressKey } from '../login/limits.ts';
import { oidcKeys } from '../store/keys.ts';
import type { Store } from '../store/store.ts';

const HOUR = 3600;
/** The provider routes that authenticate clients. */
const CLIENT_AUTH_ROUTES = new Set(['token', 'pushed_authorization_request', 'revocation', 'introspection']);

/** Refused before the secret is checked: RFC 6749 has no code for it, so `invalid_client` with HTTP 429. */
class TooManyFailures extends errors.CustomOIDCProviderError {
  constructor() {
    super('invalid_client', 'too many failed client authentications; try again later');
    this.status = 429;
    this.statusCode = 429;
  }
}

/** The wait of a refused request, from the check to the answer. */
const waits = new WeakMap<object, number>();

/** Counters in the store, keyed by an HMAC so client ids and addresses are never held in clear. */
export class ClientAuthLimit {
  readonly #store: Store;
  readonly #secret: string;
  readonly #max: number;

  constructor(store: Store, secret: string, maxFailuresPerHour: number) {
    this.#store = store;
    this.#secret = secret;
    this.#max = maxFailuresPerHour;
  }

  #keys(clientId: string | undefined, ip: string): string[] {
    const digest = (kind: string, value: string) =>
      createHmac('sha256', this.#secret).update(`${kind}:${value}`).digest('base64url').slice(0, 22);
    const keys = [oidcKeys.authFailuresPerAddress(digest('ip', addressKey(ip)))];
    if (clientId !== undefined) keys.push(oidcKeys.authFailuresPerClient(digest('client', clientId)));
    return keys;
  }

  /** Seconds to wait when the client or the address is over the limit, else undefined. */
  async refusal(clientId: string | undefined, ip: string): Promise<number | undefined> {
    for (const key of this.#keys(clientId, ip)) {
      if (((await this.#store.get<number>(key)) ?? 0) >= this.#max)
        return (await this.#store.ttl(key)) ?? HOUR;
    }
    return undefined;
  }

  async recordFailure(clientId: string | undefined, ip: string): Promise<void> {
    await Promise.all(this.#keys(clientId, ip).map((key) => this.#store.increment(key, HOUR)));
  }

  /**
   * Installs the limit on a provider: the check runs when the provider looks the client up during client
   * authentication (the client_id may be in the body, which only the provider parses), the count after a 401.
   */
  install(provider: Provider, onEvent?: (event: string, fields: Record<string, unknown>) => void): void {
    const client = provider.Client as unknown as { find(id: string, ...rest: unknown[]): Promise<unknown> };
    const find = client.find.bind(client);
    client.find = async (id: string, ...rest: unknown[]) => {
      const ctx = Provider.ctx as KoaContextWithOIDC | undefined;
      const route = ctx?.oidc?.route;
      if (ctx !== undefined && route !== undefined && CLIENT_AUTH_ROUTES.has(route)) {
        const wait = await this.refusal(id, ctx.ip);
        if (wait !== undefined) {
          waits.set(ctx, wait);
          throw new TooManyFailures();
        }
      }
      return find(id, ...rest);
    };
    provider.use(async (ctx, next) => {
      await next();
      const route = ctx.oidc?.route;
      if (route === undefined || !CLIENT_AUTH_ROUTES.has(route)) return;
      const body = ctx.body as { error?: string } | undefined;
      if (body?.error !== 'invalid_client') return;
      const wait = waits.get(ctx);
      if (wait !== undefined) {
        ctx.set('retry-after', String(Math.max(1, wait)));
        onEvent?.('oidc.client_auth.limited', {
          route,
          reason: 'oidc-client-auth',
          retryAfter: wait,
          network: maskIp(ctx.ip),
        });
        return;
      }
      if (ctx.status !== 401) return;
      const clientId = ctx.oidc?.client?.clientId;
      await this.recordFailure(clientId, ctx.ip);
      onEvent?.('oidc.client_auth.failed', { route, client: clientId, network: maskIp(ctx.ip) });
    });
  }
}

/** Logs keep the network, never the whole address. */
function maskIp(ip: string): string {
  const key = addressKey(ip);
  return key.includes('::/64') ? key : key.replace(/\.\d+$/, '.x');
}
