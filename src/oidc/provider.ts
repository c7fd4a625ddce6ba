// The OpenID Provider (oidc-provider, certified): its configuration for this IdP. Issuer `$BASE_URL/oidc`.

import { createHmac } from 'node:crypto';
import Provider, { type Configuration, errors, type KoaContextWithOIDC } from 'oidc-provider';
import { LOCALES } from '../i18n/index.ts';
import type { KeyRing } from '../saml/keys/key-ring.ts';
import type { Store } from '../store/store.ts';
import { storeAdapter } from './adapter.ts';
import {
  ACR,
  accountIdFor,
  CLAIM_NAMES,
  identityClaims,
  pairwiseSub,
  SCOPE_CLAIMS,
  SCOPES,
} from './claims.ts';
import type { ClientRegistry } from './client-registry.ts';
import { oidcJwks } from './keys.ts';
import type { OidcLogins } from './logins.ts';
import { EXTRA_PARAMS, type OidcParams, paramProblem } from './params.ts';
import { buildPolicy, loadExistingGrant, type PolicyDeps } from './policy.ts';

/** HTML the provider shows itself, rendered with the IdP's own templates (http/oidc-routes.ts supplies them). */
export interface ProviderPages {
  /** An error that cannot go back to the client (unknown client, unregistered redirect_uri). */
  error(ctx: KoaContextWithOIDC, out: { error: string; error_description?: string }): Promise<string>;
  /** RP-initiated logout: the confirmation page around the library's form. */
  logout?(ctx: KoaContextWithOIDC, form: string): Promise<string>;
  /** After an RP-initiated logout without a post_logout_redirect_uri. */
  loggedOut?(ctx: KoaContextWithOIDC): Promise<string>;
}

export interface ProviderOptions {
  readonly issuer: string;
  readonly store: Store;
  readonly clients: ClientRegistry;
  readonly logins: OidcLogins;
  readonly ring: KeyRing;
  readonly secret: string;
  readonly pages: ProviderPages;
  readonly policy: Omit<PolicyDeps, 'logins' | 'clients'>;
  readonly ttl: {
    readonly session: number;
    readonly interaction: number;
    readonly accessToken: number;
    readonly idToken: number;
  };
  /** TRUST_PROXY is set: read the scheme and client address from the proxy's headers. */
  readonly proxy: boolean;
  /** Back-channel logout and client JWKS fetches may go to loopback/private addresses (tests, intranets). */
  readonly allowPrivateOutbound: boolean;
  readonly onEvent?: (event: string, fields: Record<string, unknown>) => void;
  /**
   * The CSP of the provider's own pages (http/csp.ts). The library's HTML (form_post, logout) runs one inline
   * script it allows by hash, which it adds to the script-src given here.
   */
  readonly contentSecurityPolicy: string;
}

/** Cookie keys from the IdP secret: the same in every process, never the secret itself. */
function cookieKeys(secret: string): string[] {
  return [createHmac('sha256', secret).update('oidc-cookies').digest('base64url')];
}

const HEADERS: Record<string, string> = {
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
};

export function buildProvider(options: ProviderOptions): Provider {
  const { clients, logins, secret } = options;
  const claims: Record<string, string[] | null> = {
    acr: null,
    amr: null,
    auth_time: null,
    iss: null,
    sid: null,
  };
  for (const [scope, names] of Object.entries(SCOPE_CLAIMS)) claims[scope] = [...names];
  // The ID token always says how the person was identified (the token sets these; userinfo has none of them).
  claims.openid = [...(claims.openid ?? []), 'acr', 'amr', 'auth_time'];

  const configuration: Configuration = {
    adapter: storeAdapter(options.store, (id) => clients.get(id)?.metadata as never),
    clients: [],
    jwks: { keys: oidcJwks(options.ring) as never },
    scopes: SCOPES,
    claims,
    conformIdTokenClaims: false,
    acrValues: [ACR],
    responseTypes: ['code'],
    subjectTypes: ['public', 'pairwise'],
    clientDefaults: {
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
      id_token_signed_response_alg: 'RS256',
      subject_type: 'pairwise',
    },
    clientAuthMethods: ['client_secret_basic', 'client_secret_post', 'private_key_jwt', 'none'],
    pairwiseIdentifier: (_ctx, accountId, client) =>
      pairwiseSub(secret, String(client.sectorIdentifier ?? ''), accountId),
    issueRefreshToken: () => false,
    extraParams: Object.fromEntries(
      EXTRA_PARAMS.map((name) => [
        name,
        // One validator checks all of them together (presetid against login_hint); it runs once, on the first.
        name === EXTRA_PARAMS[0]
          ? (ctx: KoaContextWithOIDC) => {
              const client = clients.get(ctx.oidc.client?.clientId as string);
              const problem = paramProblem(
                ctx.oidc.params as unknown as OidcParams,
                client?.eids ?? ['nets_sms'],
                options.policy.smsCountries,
              );
              if (problem !== undefined) throw new errors.InvalidRequest(problem);
            }
          : null,
      ]),
    ) as never,
    findAccount: async (ctx, sub, token) => {
      // Claims always come from the login a token stands on; a session that ended takes its tokens with it.
      if (token === undefined) return { accountId: sub, claims: () => ({ sub }) };
      const uid = (token as { sessionUid?: string }).sessionUid;
      const identity = uid === undefined ? undefined : await logins.identity(uid);
      if (identity === undefined || accountIdFor(identity.phone) !== sub) return undefined;
      const allowed = clients.get(ctx.oidc.client?.clientId as string)?.claims;
      return { accountId: sub, claims: () => identityClaims(sub, identity, allowed) as { sub: string } };
    },
    loadExistingGrant: loadExistingGrant as never,
    interactions: {
      url: (_ctx, interaction) => `/login/oidc/${interaction.uid}`,
      policy: buildPolicy({ ...options.policy, logins, clients }) as never,
    },
    features: {
      devInteractions: { enabled: false },
      userinfo: { enabled: true },
      pushedAuthorizationRequests: { enabled: true },
      encryption: { enabled: true },
      revocation: { enabled: true },
      backchannelLogout: { enabled: true },
      rpInitiatedLogout: {
        enabled: true,
        ...(options.pages.logout === undefined
          ? {}
          : {
              logoutSource: async (ctx: KoaContextWithOIDC, form: string) => {
                ctx.body = await options.pages.logout?.(ctx, form);
              },
            }),
        ...(options.pages.loggedOut === undefined
          ? {}
          : {
              postLogoutSuccessSource: async (ctx: KoaContextWithOIDC) => {
                ctx.body = await options.pages.loggedOut?.(ctx);
              },
            }),
      },
    },
    renderError: async (ctx, out) => {
      ctx.type = 'html';
      ctx.body = await options.pages.error(ctx, out as { error: string; error_description?: string });
    },
    cookies: {
      keys: cookieKeys(secret),
      names: { session: 'nsi_oidc', interaction: 'nsi_oidc_interaction', resume: 'nsi_oidc_resume' },
      long: { httpOnly: true, sameSite: 'lax', signed: true },
      short: { httpOnly: true, sameSite: 'lax', signed: true },
    },
    ttl: {
      AccessToken: options.ttl.accessToken,
      AuthorizationCode: 60,
      IdToken: options.ttl.idToken,
      Interaction: options.ttl.interaction,
      Session: options.ttl.session,
      Grant: options.ttl.session,
      PushedAuthorizationRequest: 60,
    },
    routes: {
      authorization: '/authorize',
      token: '/token',
      userinfo: '/userinfo',
      jwks: '/jwks',
      end_session: '/logout',
      pushed_authorization_request: '/par',
      revocation: '/revoke',
    },
    discovery: {
      ui_locales_supported: [...LOCALES],
      claims_supported: ['sub', 'acr', 'amr', 'auth_time', 'iss', 'sid', ...CLAIM_NAMES],
      service_documentation: undefined,
    },
    fetch: (url, init) => {
      if (!options.allowPrivateOutbound) return globalThis.fetch(url, init);
      const { dispatcher: _ssrfGuard, ...rest } = init as RequestInit & { dispatcher?: unknown };
      return globalThis.fetch(url, rest);
    },
  };
  const provider = new Provider(options.issuer, configuration);
  provider.proxy = options.proxy;
  // Our headers on everything the provider answers (Fastify's hooks do not see these replies). The CSP is set
  // first: the library adds the hash of its one inline script (form_post, logout auto-submit) to script-src.
  provider.use(async (ctx, next) => {
    for (const [name, value] of Object.entries(HEADERS)) ctx.set(name, value);
    ctx.set('content-security-policy', options.contentSecurityPolicy);
    await next();
    if (!ctx.response.get('cache-control')) ctx.set('cache-control', 'no-store');
  });
  const onEvent = options.onEvent;
  if (onEvent !== undefined) {
    const on = provider.on.bind(provider) as (
      event: string,
      listener: (ctx: KoaContextWithOIDC, error: Error) => void,
    ) => void;
    const log = (event: string) => (ctx: KoaContextWithOIDC, error?: Error) =>
      onEvent(`oidc.${event}`, {
        client: ctx?.oidc?.client?.clientId,
        ...(error === undefined ? {} : { error: (error as { error?: string }).error ?? error.message }),
      });
    for (const event of ['authorization.success', 'grant.success', 'end_session.success'])
      on(event, log(event));
    for (const event of ['authorization.error', 'grant.error', 'userinfo.error', 'backchannel.error'])
      on(event, (ctx, error) => log(event)(ctx, error));
    on('server_error', (ctx, error) =>
      onEvent('oidc.server_error', { client: ctx?.oidc?.client?.clientId, error: error.message }),
    );
  }
  return provider;
}
