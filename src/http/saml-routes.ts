// SAML endpoints: our metadata and the SSO service for both bindings (docs/contract.md §2).

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { SamlStatus, SamlStatusError } from '../errors.ts';
import type { Locale } from '../i18n/index.ts';
import { decideSso } from '../idp/sso.ts';
import type { LoginService } from '../login/login-service.ts';
import type { AuthnRequestReader } from '../saml/inbound/authn-request.ts';
import { unsolicitedRequest } from '../saml/idp-initiated.ts';
import type { SpRegistry } from '../saml/metadata/sp-registry.ts';
import type { EidentParams, PendingRequest } from '../types.ts';
import { requestLocale } from './error-handler.ts';
import type { FlowGuard } from './flow-guard.ts';
import type { SpAnswer } from './post-to-sp.ts';
import { IDP_INITIATED_SCHEMA, SSO_POST_SCHEMA, SSO_REDIRECT_SCHEMA } from './route-schemas.ts';
import type { SsoCookie } from './sso-cookie.ts';

export interface SamlRouteDeps {
  readonly ssoUrl: string;
  readonly metadataXml: () => string;
  readonly registry: SpRegistry;
  readonly reader: AuthnRequestReader;
  readonly login: LoginService;
  /** Binds each new flow to this browser (the flow cookie). */
  readonly flowGuard: FlowGuard;
  readonly answer: SpAnswer;
  readonly defaultLocale: Locale;
  /** Longest RelayState accepted on an IdP-initiated link (RELAY_STATE_MAX_BYTES). */
  readonly relayStateMaxBytes: number;
  /** The SSO session cookie; undefined when SSO_ENABLED=false. */
  readonly sso?: SsoCookie;
}

type Fields = Readonly<Record<string, string | string[] | undefined>>;

/** First value of a parameter from the query, else from the form (E-Ident's parameters ride on either). */
function param(query: Fields, form: Fields, ...names: string[]): string | undefined {
  for (const source of [query, form]) {
    for (const name of names) {
      const v = source[name];
      const first = Array.isArray(v) ? v[0] : v;
      if (typeof first === 'string') return first;
    }
  }
  return undefined;
}

export function registerSamlRoutes(app: FastifyInstance, deps: SamlRouteDeps): void {
  app.get('/saml/metadata', (_request, reply) => {
    reply
      .header('content-type', 'application/samlmetadata+xml; charset=utf-8')
      .header('cache-control', 'public, max-age=3600')
      .header('content-disposition', 'inline; filename="idp-metadata.xml"')
      .send(deps.metadataXml());
  });

  type Read = (
    request: FastifyRequest,
    query: Fields,
    form: Fields,
  ) => Promise<{ request: PendingRequest; refusal: SamlStatusError | undefined }>;

  const readAuthnRequest: Read = (request, _query, form) => {
    const rawUrl = request.raw.url ?? '';
    const q = rawUrl.indexOf('?');
    return deps.reader.read(
      {
        binding: request.method === 'POST' ? 'post' : 'redirect',
        rawQuery: q === -1 ? '' : rawUrl.slice(q + 1),
        form,
        endpointUrl: deps.ssoUrl,
      },
      new Date(),
    );
  };

  // IdP-initiated SSO (SAML profiles §4.1.5): no AuthnRequest, only to SPs whose sidecar turns `idpInitiated` on.
  // Shibboleth's parameter names (providerId, shire, target) are accepted too.
  const readUnsolicited: Read = async (_request, query) => ({
    request: unsolicitedRequest(
      (entityId) => deps.registry.get(entityId),
      {
        sp: param(query, {}, 'sp', 'providerId'),
        acsUrl: param(query, {}, 'acs', 'shire'),
        acsIndex: param(query, {}, 'acsIndex'),
        relayState: param(query, {}, 'RelayState', 'target'),
      },
      deps.relayStateMaxBytes,
    ),
    refusal: undefined,
  });

  const serve = (read: Read) => async (request: FastifyRequest, reply: FastifyReply) => {
    const form = (request.method === 'POST' ? (request.body ?? {}) : {}) as Fields;
    const query = request.query as Fields;
    const { request: pending, refusal } = await read(request, query, form);
    const sp = deps.registry.get(pending.spEntityId);
    const params: EidentParams = {
      forcepkivendor: param(query, form, 'forcepkivendor'),
      presetid: param(query, form, 'presetid'),
      locale: param(query, form, 'locale', 'language', 'ui_locales'),
    };
    const locale = requestLocale(request, deps.defaultLocale);
    if (refusal !== undefined) return deps.answer.failure(reply, pending, refusal, locale);
    // SAML core §3.4.1: a session answers without a new code, unless the SP forces a new login; IsPassive
    // without a usable session (or with ForceAuthn) can never be satisfied (idp/sso.ts).
    const sso = decideSso(
      await deps.sso?.current(request),
      {
        forceLogin: pending.forceAuthn,
        passive: pending.isPassive,
        params,
        subjectPhone: pending.subjectPhone,
        offeredEids: sp?.settings.eids ?? ['nets_sms'],
        smsCountries: deps.login.settings.smsCountries,
      },
      Date.now(),
    );
    if (sso.kind === 'answer')
      return deps.answer.success(reply, {
        request: pending,
        identity: sso.session.identity,
        locale,
        existing: sso.session,
      });
    if (sso.kind === 'no-passive') {
      const noPassive = new SamlStatusError(
        SamlStatus.Responder,
        SamlStatus.NoPassive,
        'no session for a passive request',
      );
      return deps.answer.failure(reply, pending, noPassive, locale);
    }
    try {
      const accept = request.headers['accept-language'];
      const flow = await deps.login.start({
        request: pending,
        params,
        acceptLanguage: typeof accept === 'string' ? accept : undefined,
        spDefaultLocale: sp?.settings.defaultLocale,
        offeredEids: sp?.settings.eids ?? ['nets_sms'],
        clientIp: request.ip,
      });
      // This first, cross-site request needs no cookie; it sets the one that binds the flow to this browser.
      deps.flowGuard.bind(reply, flow.id);
      return reply.redirect(`/login/${flow.id}`, 303);
    } catch (error) {
      if (error instanceof SamlStatusError) return deps.answer.failure(reply, pending, error, locale);
      throw error;
    }
  };
  // The bindings refuse malformed messages themselves, naming what is wrong (a repeated parameter, a field that is
  // not text) in the log: a schema failure is left to them (attachValidation), so the refusal says the same.
  app.get('/saml/sso', { schema: SSO_REDIRECT_SCHEMA, attachValidation: true }, serve(readAuthnRequest));
  app.post('/saml/sso', { schema: SSO_POST_SCHEMA, attachValidation: true }, serve(readAuthnRequest));
  app.get('/saml/idp-initiated', { schema: IDP_INITIATED_SCHEMA }, serve(readUnsolicited));
}
