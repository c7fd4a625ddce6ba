// OpenID Connect in the Fastify app: the provider mounted at /oidc, and the bridge from its interactions into the
// login screens (/login/oidc/:uid → /login/:flowId, the same steps as SAML).

import middie from '@fastify/middie';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type Provider from 'oidc-provider';
import type { KoaContextWithOIDC } from 'oidc-provider';
import { FlowError, SamlStatusError } from '../errors.ts';
import { htmlLang, type Locale, negotiateLocale, translate } from '../i18n/index.ts';
import type { LoginService } from '../login/login-service.ts';
import type { ClientRegistry } from '../oidc/client-registry.ts';
import { eidentParams, hintPhone, type OidcParams } from '../oidc/params.ts';
import type { ProviderPages } from '../oidc/provider.ts';
import type { PendingRequest } from '../types.ts';
import { OidcAnswer } from './oidc-answer.ts';
import type { FlowGuard } from './flow-guard.ts';
import { newReferenceId } from './security.ts';
import type { SsoCookie } from './sso-cookie.ts';

export interface OidcRouteDeps {
  readonly provider: Provider;
  readonly clients: ClientRegistry;
  readonly login: LoginService;
  readonly defaultLocale: Locale;
  /** Binds each new flow to this browser (the flow cookie). */
  readonly flowGuard: FlowGuard;
  readonly sso: SsoCookie | undefined;
  readonly onEvent: (event: string, fields: Record<string, unknown>) => void;
}

/** The provider's own pages in our layout and language (error page, logout pages). */
export function providerPages(
  app: FastifyInstance,
  defaultLocale: Locale,
  onEvent: (event: string, fields: Record<string, unknown>) => void,
): ProviderPages {
  const localeOf = (ctx: KoaContextWithOIDC): Locale =>
    negotiateLocale({
      requested: (ctx.oidc?.params?.ui_locales as string | undefined) ?? undefined,
      acceptLanguage: ctx.get('accept-language') || undefined,
      fallback: defaultLocale,
    });
  return {
    async error(ctx, out) {
      const locale = localeOf(ctx);
      const heading = translate(locale, 'error.heading');
      const reference = newReferenceId();
      // Nothing goes back to the client: the reference lets support find why.
      onEvent('oidc.error_page', { error: out.error, description: out.error_description, reference });
      return app.view('error', {
        title: heading,
        heading,
        message: translate(locale, 'error.badRequest'),
        reference,
        locale,
        htmlLang: htmlLang(locale),
      });
    },
    // The form is the provider's own (its action and xsrf token); our button submits it.
    async logout(ctx, form) {
      const locale = localeOf(ctx);
      const client = ctx.oidc?.client;
      return app.view('oidc-logout', {
        title: translate(locale, 'logout.confirmHeading'),
        spName: client?.clientName ?? client?.clientId,
        form,
        locale,
        htmlLang: htmlLang(locale),
      });
    },
    async loggedOut(ctx) {
      const locale = localeOf(ctx);
      return app.view('logout-done', {
        title: translate(locale, 'logout.doneHeading'),
        partial: false,
        locale,
        htmlLang: htmlLang(locale),
      });
    },
  };
}

/** Mounts the provider and the interaction bridge; returns the answer that finishes OIDC logins. */
export async function registerOidcRoutes(app: FastifyInstance, deps: OidcRouteDeps): Promise<OidcAnswer> {
  const { provider, clients, login } = deps;
  await app.register(middie);
  // Everything under /oidc belongs to the provider (discovery, jwks, authorize, token, userinfo, logout, par).
  app.use('/oidc', provider.callback());
  const answer = new OidcAnswer(provider, { onEvent: deps.onEvent, sso: deps.sso });

  app.get(
    '/login/oidc/:uid',
    async (request: FastifyRequest<{ Params: { uid: string } }>, reply: FastifyReply) => {
      const details = await provider.interactionDetails(request.raw, reply.raw).catch(() => {
        throw new FlowError('expired', 'OpenID Connect interaction not found or expired');
      });
      if (details.uid !== request.params.uid)
        throw new FlowError('forbidden', 'interaction of another browser');
      const params = details.params as unknown as OidcParams & {
        client_id: string;
        redirect_uri: string;
        state?: string;
        prompt?: string;
      };
      const client = clients.get(params.client_id);
      if (client === undefined) throw new FlowError('expired', 'client no longer registered');
      const pending: PendingRequest = {
        spEntityId: client.clientId,
        acsUrl: params.redirect_uri,
        relayState: undefined,
        forceAuthn: params.prompt?.split(' ').includes('login') ?? false,
        isPassive: false,
        nameIdFormat: 'unspecified',
        spNameQualifier: undefined,
        subjectPhone: hintPhone(params, login.settings.smsCountries),
        spDisplayName: client.displayName,
        oidc: { interactionUid: details.uid, state: params.state },
      };
      const accept = request.headers['accept-language'];
      try {
        const flow = await login.start({
          request: pending,
          params: eidentParams(params),
          acceptLanguage: typeof accept === 'string' ? accept : undefined,
          spDefaultLocale: client.defaultLocale,
          offeredEids: client.eids,
          clientIp: request.ip,
        });
        deps.flowGuard.bind(reply, flow.id);
        return reply.redirect(`/login/${flow.id}`, 303);
      } catch (error) {
        if (!(error instanceof SamlStatusError)) throw error;
        const locale = negotiateLocale({
          requested: eidentParams(params).locale,
          fallback: deps.defaultLocale,
        });
        return answer.failure(reply, pending, error, locale);
      }
    },
  );
  return answer;
}
