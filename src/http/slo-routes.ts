// Single Logout (SAML profiles §4.4) on /saml/slo with both bindings, and the IdP-initiated logout at /saml/logout.

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { FlowError, UntrustedRequestError } from '../errors.ts';
import { type Locale, translate } from '../i18n/index.ts';
import type {
  LogoutInitiator,
  LogoutProcess,
  LogoutProcesses,
  LogoutTarget,
} from '../idp/session/logout-process.ts';
import type { SsoParticipant, SsoSession } from '../idp/session/sso-session.ts';
import {
  type LogoutMessageBuilder,
  LogoutStatus,
  type LogoutStatusValue,
  type OutboundMessage,
  type SloBinding,
  sloEndpoint,
} from '../saml/outbound/logout.ts';
import type {
  IncomingLogoutRequest,
  IncomingLogoutResponse,
  LogoutReader,
} from '../saml/inbound/logout-reader.ts';
import { nameIdFormatUrn } from '../saml/outbound/name-id.ts';
import type { ServiceProviderEntry, SpRegistry } from '../saml/metadata/sp-registry.ts';
import { newSamlId } from '../saml/values.ts';
import { requestLocale } from './error-handler.ts';
import { newNonce } from './security.ts';
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

/** What a LogoutResponse answers: the request it names and where the RelayState goes back. */
interface Answerable {
  readonly requestId: string;
  readonly relayState: string | undefined;
  readonly binding: SloBinding;
}

/** The session a LogoutRequest names, none (already over: Success), or a mismatch (UnknownPrincipal). */
type Located = { readonly session: SsoSession | undefined } | { readonly mismatch: string };

const CSP_BASE = "default-src 'none'; style-src 'self'; img-src 'self' data:; base-uri 'none'";

/** Pages of the logout are loaded inside the logout page's frames: same-origin framing only. */
const framable = {
  onSend: async (_request: FastifyRequest, reply: FastifyReply, payload: unknown) => {
    reply.header('x-frame-options', 'SAMEORIGIN');
    return payload;
  },
};

function origin(url: string): string {
  return new URL(url).origin;
}

/** SAML profiles §4.4.4.1: the NameID must be the one the assertion to this SP carried. */
function nameMatches(participant: SsoParticipant, message: IncomingLogoutRequest): boolean {
  return (
    participant.nameId === message.nameId &&
    (message.nameIdFormat === undefined ||
      message.nameIdFormat === nameIdFormatUrn(participant.nameIdFormat)) &&
    (message.spNameQualifier === undefined || message.spNameQualifier === participant.spNameQualifier)
  );
}

export function registerSloRoutes(app: FastifyInstance, deps: SloRouteDeps): void {
  const { cookie, processes, registry } = deps;
  const sessions = cookie.sessions;
  const timeoutMs = deps.timeoutSeconds * 1000;

  /**
   * Puts a message on its binding: a 303 for HTTP-Redirect, an auto-posting form for HTTP-POST. Browsers apply
   * form-action to the redirects that follow a form post too: in a frame the SP answers by redirecting back to us
   * ('self'); the initiator, at the top, may send the user anywhere after its logout, so that form is not limited.
   */
  const send = (
    reply: FastifyReply,
    message: OutboundMessage,
    locale: Locale,
    spName: string,
    place: 'top' | 'frame',
  ): FastifyReply => {
    if (message.binding === 'redirect') return reply.redirect(message.url, 303);
    const nonce = newNonce();
    const policy =
      place === 'frame'
        ? `form-action ${origin(message.url)} 'self'; frame-ancestors 'self'`
        : "frame-ancestors 'none'";
    reply.header('content-security-policy', `${CSP_BASE}; script-src 'nonce-${nonce}'; ${policy}`);
    return renderPage(reply, 'logout-post', locale, {
      title: translate(locale, 'logout.returning', { sp: spName }),
      spName,
      url: message.url,
      fields: Object.entries(message.fields).map(([name, value]) => ({ name, value })),
      nonce,
    });
  };

  const done = (reply: FastifyReply, locale: Locale, notLoggedOut: readonly string[]): FastifyReply =>
    renderPage(reply, 'logout-done', locale, {
      title: translate(locale, notLoggedOut.length > 0 ? 'logout.partialHeading' : 'logout.doneHeading'),
      partial: notLoggedOut.length > 0,
      services: notLoggedOut,
    });

  /** The LogoutResponse to an SP's LogoutRequest, on the binding it came on when the SP lists that one. */
  const respond = (
    reply: FastifyReply,
    sp: ServiceProviderEntry,
    to: Answerable,
    status: LogoutStatusValue,
    locale: Locale,
    notLoggedOut: readonly string[],
  ): FastifyReply => {
    deps.onEvent('slo.response', { sp: sp.entityId, status: status.subCode ?? status.code });
    const endpoint = sloEndpoint(sp, to.binding);
    if (endpoint === undefined) return done(reply, locale, notLoggedOut);
    const message = deps.builder.response(
      { spEntityId: sp.entityId, endpoint, inResponseTo: to.requestId, status, relayState: to.relayState },
      new Date(),
    );
    return send(reply, message, locale, sp.displayName, 'top');
  };

  const displayName = (entityId: string): string => registry.get(entityId)?.displayName ?? entityId;

  /** Splits the other participants of an ended session into those we can tell and those we cannot. */
  const plan = (
    session: SsoSession,
    initiator: string | undefined,
  ): { targets: LogoutTarget[]; unreachable: string[] } => {
    const targets: LogoutTarget[] = [];
    const unreachable: string[] = [];
    for (const p of session.participants) {
      if (p.spEntityId === initiator) continue;
      const sp = registry.get(p.spEntityId);
      if (sp === undefined || sloEndpoint(sp) === undefined) {
        unreachable.push(displayName(p.spEntityId));
        continue;
      }
      targets.push({
        spEntityId: p.spEntityId,
        spDisplayName: sp.displayName,
        requestId: newSamlId(),
        nameId: p.nameId,
        nameIdFormat: p.nameIdFormat,
        spNameQualifier: p.spNameQualifier,
        sessionIndex: p.sessionIndex,
      });
    }
    return { targets, unreachable };
  };

  /** Ends the session, clears the cookie when it is this browser's, and starts telling the other SPs. */
  const endAndPropagate = async (
    request: FastifyRequest,
    reply: FastifyReply,
    session: SsoSession,
    locale: Locale,
    initiator: LogoutInitiator | undefined,
    returnTo?: string,
  ): Promise<{ process: LogoutProcess } | { unreachable: string[] } | undefined> => {
    const ended = await sessions.end(session.id);
    if (cookie.value(request)?.startsWith(`${session.id}.`)) cookie.clear(reply);
    if (ended === undefined) return undefined;
    const planned = plan(ended, initiator?.spEntityId);
    const { targets } = planned;
    // OIDC clients were told by back-channel logout as the session ended; those that failed count as unreachable.
    const unreachable = [...planned.unreachable, ...ended.untold];
    deps.onEvent('slo.session.ended', {
      sp: initiator?.spEntityId,
      phone: ended.identity.phone,
      by: initiator?.spEntityId ?? 'user',
      targets: targets.length,
      unreachable: unreachable.length,
    });
    if (targets.length === 0) return { unreachable };
    return { process: await processes.open({ locale, initiator, targets, unreachable, returnTo }) };
  };

  const locate = async (request: FastifyRequest, message: IncomingLogoutRequest): Promise<Located> => {
    const check = (session: SsoSession, sessionIndex: string | undefined): Located => {
      const p = session.participants.find((x) => x.spEntityId === message.spEntityId);
      if (p === undefined) return { mismatch: 'this SP has no part in the session' };
      if (sessionIndex !== undefined && p.sessionIndex !== sessionIndex) return { mismatch: 'SessionIndex' };
      return nameMatches(p, message) ? { session } : { mismatch: 'NameID' };
    };
    if (message.sessionIndexes.length === 0) {
      // SAML core §3.7.1: without SessionIndex the request is for the principal's sessions; we know this browser's.
      const session = await cookie.current(request);
      return session === undefined ? { session: undefined } : check(session, undefined);
    }
    for (const index of message.sessionIndexes) {
      const id = sessions.sessionIdOf(message.spEntityId, index);
      if (id === undefined) continue;
      const session = await sessions.get(id);
      return session === undefined ? { session: undefined } : check(session, index);
    }
    return { mismatch: 'no SessionIndex we issued to this SP' };
  };

  const onLogoutRequest = async (
    request: FastifyRequest,
    reply: FastifyReply,
    message: IncomingLogoutRequest,
  ): Promise<FastifyReply> => {
    const sp = registry.get(message.spEntityId) as ServiceProviderEntry;
    const locale = requestLocale(request, deps.defaultLocale);
    const located = await locate(request, message);
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
      return respond(reply, sp, message, status, locale, []);
    }
    const success = { code: LogoutStatus.success };
    if (located.session === undefined) {
      if (cookie.value(request) !== undefined && (await cookie.current(request)) === undefined)
        cookie.clear(reply);
      return respond(reply, sp, message, success, locale, []);
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
    return respond(reply, sp, message, status, locale, unreachable);
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
    reply.header('content-security-policy', `${CSP_BASE}; frame-ancestors 'self'`);
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
  app.get('/saml/slo', framable, slo);
  app.post('/saml/slo', framable, slo);

  type ProcessRequest = FastifyRequest<{ Params: { id: string } }>;

  /** The logout page: one hidden frame per SP, all at once, so a slow or broken SP holds up nobody. */
  app.get('/saml/slo/progress/:id', async (request: ProcessRequest, reply) => {
    const locale = requestLocale(request, deps.defaultLocale);
    const process = await processes.get(request.params.id);
    if (process === undefined) return done(reply, locale, []);
    const frameOrigins = new Set<string>();
    for (const target of process.targets) {
      const sp = registry.get(target.spEntityId);
      const endpoint = sp === undefined ? undefined : sloEndpoint(sp);
      if (endpoint !== undefined) frameOrigins.add(origin(endpoint.url));
    }
    const nonce = newNonce();
    reply.header(
      'content-security-policy',
      `${CSP_BASE}; script-src 'nonce-${nonce}'; connect-src 'self'; frame-src 'self' ${[...frameOrigins].join(' ')}; form-action 'self'; frame-ancestors 'none'`,
    );
    const base = `/saml/slo`;
    return renderPage(reply, 'logout-progress', process.locale, {
      title: translate(process.locale, 'logout.progressHeading'),
      spName: process.initiator?.spDisplayName,
      targets: process.targets.map((t, i) => ({
        name: t.spDisplayName,
        frameUrl: `${base}/send/${process.id}/${i}`,
      })),
      statusUrl: `${base}/status/${process.id}`,
      finishUrl: `${base}/finish/${process.id}`,
      timeoutSeconds: deps.timeoutSeconds,
      timeoutMs,
      nonce,
    });
  });

  /** One frame: our signed LogoutRequest to one SP (SAML profiles §4.4.3.3: front channel). */
  app.get(
    '/saml/slo/send/:id/:index',
    framable,
    async (request: FastifyRequest<{ Params: { id: string; index: string } }>, reply) => {
      const locale = requestLocale(request, deps.defaultLocale);
      const process = await processes.get(request.params.id);
      const index = Number(request.params.index);
      const target = process?.targets[index];
      if (process === undefined || target === undefined) throw new FlowError('expired', 'logout not found');
      const sp = registry.get(target.spEntityId);
      const endpoint = sp === undefined ? undefined : sloEndpoint(sp);
      if (endpoint === undefined) {
        await processes.fail(process, index);
        reply.header('content-security-policy', `${CSP_BASE}; frame-ancestors 'self'`);
        return renderPage(reply, 'logout-frame', locale, { title: target.spDisplayName, ok: false });
      }
      const message = deps.builder.request(
        {
          spEntityId: target.spEntityId,
          endpoint,
          requestId: target.requestId,
          nameId: {
            value: target.nameId,
            format: target.nameIdFormat,
            spNameQualifier: target.spNameQualifier,
          },
          sessionIndex: target.sessionIndex,
        },
        new Date(),
      );
      deps.onEvent('slo.request.sent', { sp: target.spEntityId, binding: endpoint.binding });
      return send(reply, message, process.locale, target.spDisplayName, 'frame');
    },
  );

  /** Where each SP stands, for the logout page's script. */
  app.get('/saml/slo/status/:id', async (request: ProcessRequest, reply) => {
    const process = await processes.get(request.params.id);
    if (process === undefined) return reply.code(404).send({ states: [] });
    return reply.send({ states: await processes.states(process) });
  });

  /** The end of a logout: the initiator's LogoutResponse (Success, or PartialLogout), or the logged-out page. */
  app.get('/saml/slo/finish/:id', async (request: ProcessRequest, reply) => {
    const closed = await processes.close(request.params.id);
    if (closed === undefined) return done(reply, requestLocale(request, deps.defaultLocale), []);
    const { process, states, complete } = closed;
    const notLoggedOut = [
      ...process.unreachable,
      ...process.targets.filter((_t, i) => states[i] !== 'done').map((t) => t.spDisplayName),
    ];
    deps.onEvent('slo.finished', { by: process.initiator?.spEntityId ?? 'user', complete });
    const initiator = process.initiator;
    const sp = initiator === undefined ? undefined : registry.get(initiator.spEntityId);
    if (initiator === undefined && process.returnTo !== undefined)
      return reply.redirect(process.returnTo, 303);
    if (initiator === undefined || sp === undefined) return done(reply, process.locale, notLoggedOut);
    const status = complete
      ? { code: LogoutStatus.success }
      : { code: LogoutStatus.success, subCode: LogoutStatus.partialLogout };
    return respond(reply, sp, initiator, status, process.locale, notLoggedOut);
  });

  /** IdP-initiated logout: a confirmation page, so that a link on another site cannot log the user out. */
  app.get('/saml/logout', async (request, reply) => {
    const locale = requestLocale(request, deps.defaultLocale);
    const session = await cookie.current(request);
    if (session === undefined) return done(reply, locale, []);
    return renderPage(reply, 'logout-confirm', locale, {
      title: translate(locale, 'logout.confirmHeading'),
      services: session.participants.map((p) => displayName(p.spEntityId)),
      formAction: '/saml/logout',
      token: sessions.logoutToken(session),
    });
  });

  app.post('/saml/logout', async (request, reply) => {
    const locale = requestLocale(request, deps.defaultLocale);
    const session = await cookie.current(request);
    if (session === undefined) return done(reply, locale, []);
    const token = (request.body as Fields | undefined)?.token;
    if (!sessions.logoutTokenMatches(session, typeof token === 'string' ? token : undefined)) {
      throw new FlowError('forbidden', 'logout token missing or wrong');
    }
    const outcome = await endAndPropagate(request, reply, session, locale, undefined);
    if (outcome !== undefined && 'process' in outcome) {
      return reply.redirect(`/saml/slo/progress/${outcome.process.id}`, 303);
    }
    return done(reply, locale, outcome?.unreachable ?? []);
  });

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
