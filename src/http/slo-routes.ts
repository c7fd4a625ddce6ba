// Single Logout (SAML profiles §4.4) on /saml/slo with both bindings, and the IdP-initiated logout at /saml/logout:
// SAML and HTTP in, the decisions of idp/logout.ts, SAML and HTTP out.

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { FlowError, UntrustedRequestError } from '../errors.ts';
import { type Locale, translate } from '../i18n/index.ts';
import { type LogoutRequestNames, type Propagation, SingleLogout } from '../idp/logout.ts';
import type { LogoutInitiator, LogoutProcesses } from '../idp/session/logout-process.ts';
import type { SsoSession } from '../idp/session/sso-session.ts';
import { type LogoutMessageBuilder, LogoutStatus, sloEndpoint } from '../saml/outbound/logout.ts';
import type {
  IncomingLogoutRequest,
  IncomingLogoutResponse,
  LogoutReader,
} from '../saml/inbound/logout-reader.ts';
import { nameIdFormatUrn } from '../saml/outbound/name-id.ts';
import type { ServiceProviderEntry, SpRegistry } from '../saml/metadata/sp-registry.ts';
import { newSamlId } from '../saml/values.ts';
import type { NameIdFormat } from '../types.ts';
import { requestLocale } from './error-handler.ts';
import { LOGOUT_CONFIRM_SCHEMA, SLO_POST_SCHEMA, SLO_REDIRECT_SCHEMA } from './route-schemas.ts';
import { FRAME_CSP, framable, LogoutResponder, logoutDone } from './slo-pages.ts';
import { registerSloProgressRoutes } from './slo-progress-routes.ts';
import type { SsoCookie } from './sso-cookie.ts';
import { renderPage } from './views.ts';

export interface SloRouteDeps {
  /** BASE_URL + /saml/slo: the Destination SPs must name. */
  readonly sloUrl: string;
  readonly registry: SpRegistry;
  readonly reader: LogoutReader;
  readonly builder: LogoutMessageBuilder;
  readonly cookie: SsoCookie;
  readonly processes: LogoutProcesses;
  /** SLO_PROPAGATION_TIMEOUT_SECONDS: how long the logout page waits for the SPs' answers. */
  readonly timeoutSeconds: number;
  readonly defaultLocale: Locale;
  readonly onEvent: (event: string, fields: Record<string, unknown>) => void;
}

type Fields = Readonly<Record<string, string | string[] | undefined>>;

const FORMATS: readonly NameIdFormat[] = ['unspecified', 'transient', 'persistent'];

/** Whom a LogoutRequest names, with its NameID Format URN read as one of ours (or none of ours). */
function logoutNames(message: IncomingLogoutRequest): LogoutRequestNames {
  const urn = message.nameIdFormat;
  return {
    spEntityId: message.spEntityId,
    nameId: message.nameId,
    nameIdFormat:
      urn === undefined ? undefined : (FORMATS.find((f) => nameIdFormatUrn(f) === urn) ?? 'other'),
    spNameQualifier: message.spNameQualifier,
    sessionIndexes: message.sessionIndexes,
  };
}

export function registerSloRoutes(app: FastifyInstance, deps: SloRouteDeps): void {
  const { cookie, processes, registry } = deps;
  const sessions = cookie.sessions;
  const logout = new SingleLogout({
    sessions,
    processes,
    onEvent: deps.onEvent,
    // SAML SPs are told by a LogoutRequest to the SingleLogoutService of their metadata.
    directory: {
      describe: (entityId) => {
        const sp = registry.get(entityId);
        return sp === undefined
          ? undefined
          : { displayName: sp.displayName, reachable: sloEndpoint(sp) !== undefined };
      },
      newRequestId: newSamlId,
    },
  });
  const responder = new LogoutResponder(deps.builder, deps.onEvent);

  /** Ends the session, clears the cookie when it is this browser's, and starts telling the other SPs. */
  const endAndPropagate = async (
    request: FastifyRequest,
    reply: FastifyReply,
    session: SsoSession,
    locale: Locale,
    initiator: LogoutInitiator | undefined,
    returnTo?: string,
  ): Promise<Propagation | undefined> => {
    const outcome = await logout.endAndPropagate(session, locale, initiator, returnTo);
    if (cookie.value(request)?.startsWith(`${session.id}.`)) cookie.clear(reply);
    return outcome;
  };

  const onLogoutRequest = async (
    request: FastifyRequest,
    reply: FastifyReply,
    message: IncomingLogoutRequest,
  ): Promise<FastifyReply> => {
    const sp = registry.get(message.spEntityId) as ServiceProviderEntry;
    const locale = requestLocale(request, deps.defaultLocale);
    const located = await logout.locate(logoutNames(message), () => cookie.current(request));
    if ('mismatch' in located) {
      deps.onEvent('slo.refused', { sp: sp.entityId, reason: located.mismatch, signed: message.signed });
      // Unsigned, the request proves nothing about its sender: our signed answer would vouch for its InResponseTo
      // and RelayState to anyone. Only the SP's signature, or a SessionIndex we gave it, earns an answer.
      if (!message.signed) {
        throw new UntrustedRequestError(
          'unknown-session',
          `${sp.entityId}: unsigned LogoutRequest for no session of ours (${located.mismatch})`,
        );
      }
      const status = {
        code: LogoutStatus.requester,
        subCode: LogoutStatus.unknownPrincipal,
        message: 'no session of this principal with this SP',
      };
      return responder.respond(reply, sp, message, status, locale, []);
    }
    const success = { code: LogoutStatus.success };
    if (located.session === undefined) {
      if (cookie.value(request) !== undefined && (await cookie.current(request)) === undefined)
        cookie.clear(reply);
      return responder.respond(reply, sp, message, success, locale, []);
    }
    const initiator: LogoutInitiator = {
      spEntityId: sp.entityId,
      spDisplayName: sp.displayName,
      requestId: message.requestId,
      relayState: message.relayState,
      binding: message.binding,
    };
    const outcome = await endAndPropagate(request, reply, located.session, locale, initiator);
    if (outcome !== undefined && 'process' in outcome) {
      return reply.redirect(`/saml/slo/progress/${outcome.process.id}`, 303);
    }
    const unreachable = outcome?.unreachable ?? [];
    const status = unreachable.length > 0 ? { ...success, subCode: LogoutStatus.partialLogout } : success;
    return responder.respond(reply, sp, message, status, locale, unreachable);
  };

  const onLogoutResponse = async (
    request: FastifyRequest,
    reply: FastifyReply,
    message: IncomingLogoutResponse,
  ): Promise<FastifyReply> => {
    const ok = message.statusCode === LogoutStatus.success;
    if (!(await processes.answer(message.inResponseTo, message.spEntityId, ok))) {
      throw new UntrustedRequestError(
        'stale',
        `${message.spEntityId}: LogoutResponse to no logout in progress`,
      );
    }
    deps.onEvent('slo.answered', {
      sp: message.spEntityId,
      status: message.subStatusCode ?? message.statusCode,
    });
    reply.header('content-security-policy', FRAME_CSP);
    const locale = requestLocale(request, deps.defaultLocale);
    return renderPage(reply, 'logout-frame', locale, {
      title: translate(locale, ok ? 'logout.stateDone' : 'logout.stateFailed'),
      ok,
    });
  };

  const slo = async (request: FastifyRequest, reply: FastifyReply) => {
    const rawUrl = request.raw.url ?? '';
    const q = rawUrl.indexOf('?');
    const message = await deps.reader.read(
      {
        binding: request.method === 'POST' ? 'post' : 'redirect',
        rawQuery: q === -1 ? '' : rawUrl.slice(q + 1),
        form: (request.method === 'POST' ? (request.body ?? {}) : {}) as Fields,
        endpointUrl: deps.sloUrl,
      },
      new Date(),
    );
    return message.kind === 'request'
      ? onLogoutRequest(request, reply, message)
      : onLogoutResponse(request, reply, message);
  };
  // As for SSO, the binding refuses a malformed message itself and names what is wrong (attachValidation).
  app.get('/saml/slo', { ...framable, schema: SLO_REDIRECT_SCHEMA, attachValidation: true }, slo);
  app.post('/saml/slo', { ...framable, schema: SLO_POST_SCHEMA, attachValidation: true }, slo);

  registerSloProgressRoutes(app, deps, logout, responder);

  /** IdP-initiated logout: a confirmation page, so that a link on another site cannot log the user out. */
  app.get('/saml/logout', async (request, reply) => {
    const locale = requestLocale(request, deps.defaultLocale);
    const session = await cookie.current(request);
    if (session === undefined) return logoutDone(reply, locale, []);
    return renderPage(reply, 'logout-confirm', locale, {
      title: translate(locale, 'logout.confirmHeading'),
      services: session.participants.map((p) => logout.displayName(p.spEntityId)),
      formAction: '/saml/logout',
      token: sessions.logoutToken(session),
    });
  });

  app.post(
    '/saml/logout',
    { schema: LOGOUT_CONFIRM_SCHEMA, attachValidation: true },
    async (request, reply) => {
      const locale = requestLocale(request, deps.defaultLocale);
      const session = await cookie.current(request);
      if (session === undefined) return logoutDone(reply, locale, []);
      const token = (request.body as Fields | undefined)?.token;
      if (!sessions.logoutTokenMatches(session, typeof token === 'string' ? token : undefined)) {
        throw new FlowError('forbidden', 'logout token missing or wrong');
      }
      const outcome = await endAndPropagate(request, reply, session, locale, undefined);
      if (outcome !== undefined && 'process' in outcome) {
        return reply.redirect(`/saml/slo/progress/${outcome.process.id}`, 303);
      }
      return logoutDone(reply, locale, outcome?.unreachable ?? []);
    },
  );

  // An OpenID Connect client's logout continues here: the SAML SPs of the session are told through the same
  // pages, then the browser returns where that client's logout goes. The ticket is single use and names the
  // session this browser holds.
  app.get(
    '/saml/logout/continue/:ticket',
    async (request: FastifyRequest<{ Params: { ticket: string } }>, reply) => {
      const ticket = await processes.takeTicket(request.params.ticket);
      if (ticket === undefined) throw new FlowError('expired', 'logout ticket not found or used');
      const locale = requestLocale(request, deps.defaultLocale);
      const session = await cookie.current(request);
      if (session === undefined || session.id !== ticket.sessionId)
        return reply.redirect(ticket.returnTo, 303);
      const outcome = await endAndPropagate(request, reply, session, locale, undefined, ticket.returnTo);
      if (outcome !== undefined && 'process' in outcome) {
        return reply.redirect(`/saml/slo/progress/${outcome.process.id}`, 303);
      }
      return reply.redirect(ticket.returnTo, 303);
    },
  );
}
