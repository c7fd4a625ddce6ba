// Builds the OpenID Provider from the Config and mounts it: clients, login bindings, keys, SSO bridge, routes.

import type { FastifyInstance } from 'fastify';
import type { Config } from '../config/config.ts';
import type { LoginService } from '../login/login-service.ts';
import type { LogoutProcesses } from '../idp/session/logout-process.ts';
import { ClientAuthLimit } from '../oidc/client-auth-limit.ts';
import { ClientRegistry } from '../oidc/client-registry.ts';
import { OidcLogins } from '../oidc/logins.ts';
import { endOidcSessions, OidcParticipants } from '../oidc/participants.ts';
import { buildProvider } from '../oidc/provider.ts';
import type { KeyRing } from '../saml/keys/key-ring.ts';
import type { Store } from '../store/store.ts';
import { pageCsp } from './csp.ts';
import type { FlowGuard } from './flow-guard.ts';
import type { OidcAnswer } from './oidc-answer.ts';
import { providerPages, registerOidcRoutes } from './oidc-routes.ts';
import type { SsoCookie } from './sso-cookie.ts';

export interface OidcSetup {
  readonly answer: OidcAnswer;
  readonly clients: ClientRegistry;
  close(): void;
}

export async function setUpOidc(
  app: FastifyInstance,
  deps: {
    readonly config: Config;
    readonly store: Store;
    readonly ring: KeyRing;
    readonly secret: string;
    readonly login: LoginService;
    /** Binds each new flow to this browser (the flow cookie). */
    readonly flowGuard: FlowGuard;
    /** The SSO cookie when SSO_ENABLED (shared with SAML), else undefined. */
    readonly sso: SsoCookie | undefined;
    readonly onEvent: (event: string, fields: Record<string, unknown>) => void;
    /** SAML logouts in progress: an RP-initiated logout continues through the SAML SPs of the session. */
    readonly logoutProcesses: LogoutProcesses;
  },
): Promise<OidcSetup> {
  const { config } = deps;
  const clients = ClientRegistry.load(config.oidc.clientsDir, {
    onProblem: (file, problem) => app.log.error({ file, problem }, 'OIDC client refused'),
  });
  clients.watch({
    onReload: () => app.log.info({ clients: clients.size }, 'OIDC clients reloaded'),
    onProblem: (file, problem) => app.log.error({ file, problem }, 'OIDC client refused'),
  });
  const logins = new OidcLogins({
    store: deps.store,
    sessions: deps.sso?.sessions,
    ttlSeconds: config.login.ssoSessionTtlSeconds,
  });
  const participants = new OidcParticipants(deps.store, config.login.ssoSessionTtlSeconds);
  const ssoCookie = deps.sso;
  const findSso =
    ssoCookie === undefined ? undefined : (header: string | undefined) => ssoCookie.fromHeader(header);
  const provider = buildProvider({
    issuer: `${config.server.baseUrl}/oidc`,
    store: deps.store,
    clients,
    logins,
    ring: deps.ring,
    secret: deps.secret,
    pages: providerPages(app, config.pages.defaultLocale, deps.onEvent),
    policy: {
      ssoFromCookies: findSso,
      smsCountries: config.sms.smsCountries,
      joined: (ssoSessionId, participant) => participants.add(ssoSessionId, participant),
    },
    ttl: {
      session: config.login.ssoSessionTtlSeconds,
      interaction: config.login.flowTtlSeconds,
      accessToken: config.oidc.accessTokenTtlSeconds,
      idToken: config.oidc.idTokenTtlSeconds,
    },
    proxy: config.server.trustProxy !== false,
    allowPrivateOutbound: config.oidc.allowPrivateOutbound,
    onEvent: deps.onEvent,
    // No form-action: the library's form_post page posts to the client's redirect_uri.
    contentSecurityPolicy: pageCsp({ script: 'self', formAction: 'anywhere' }),
  });
  new ClientAuthLimit(deps.store, deps.secret, config.oidc.clientAuthMaxFailures).install(
    provider,
    deps.onEvent,
  );
  const sso = deps.sso;
  if (sso !== undefined && findSso !== undefined) {
    // SAML Single Logout, the IdP's logout page or an OIDC logout end the SSO session: OIDC clients hear it too.
    // A client whose back-channel endpoint failed is named among those not logged out (the logout is partial).
    sso.sessions.onEnd(async (ended) => {
      const failed = await endOidcSessions(provider, participants, logins, ended, deps.onEvent);
      return failed.map((clientId) => clients.get(clientId)?.displayName ?? clientId);
    });
    // An RP-initiated logout, once confirmed, ends the SSO session shared with SAML. With SAML SPs in the session
    // the browser first goes through the SAML logout pages (LogoutRequests to each), then where the provider
    // would have sent it (the client's post_logout_redirect_uri with its state).
    provider.use(async (ctx, next) => {
      await next();
      if (ctx.oidc?.route !== 'end_session_confirm') return;
      const current = await findSso(ctx.get('cookie') || undefined);
      if (current === undefined) return;
      const returnTo = ctx.response.get('location');
      if (current.participants.length > 0 && returnTo !== '') {
        const ticket = await deps.logoutProcesses.issueTicket({ sessionId: current.id, returnTo });
        ctx.status = 303;
        ctx.redirect(`/saml/logout/continue/${ticket}`);
        deps.onEvent('oidc.logout.saml', { sps: current.participants.length });
        return;
      }
      await sso.sessions.end(current.id);
      ctx.append('set-cookie', sso.clearing());
      deps.onEvent('oidc.sso.ended', { session: current.id });
    });
  }
  const answer = await registerOidcRoutes(app, {
    provider,
    clients,
    login: deps.login,
    defaultLocale: config.pages.defaultLocale,
    flowGuard: deps.flowGuard,
    sso: deps.sso,
    onEvent: deps.onEvent,
  });
  return { answer, clients, close: () => clients.close() };
}
