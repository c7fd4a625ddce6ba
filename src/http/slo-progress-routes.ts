// The logout page and its frames: one signed LogoutRequest per SP at once, their states, and the end of the logout.

import type { FastifyInstance, FastifyRequest } from 'fastify';
import { FlowError } from '../errors.ts';
import { translate } from '../i18n/index.ts';
import type { SingleLogout } from '../idp/logout.ts';
import { LogoutStatus, sloEndpoint } from '../saml/outbound/logout.ts';
import { requestLocale } from './error-handler.ts';
import { pageCsp } from './csp.ts';
import { newNonce } from './security.ts';
import { FRAME_CSP, framable, type LogoutResponder, logoutDone, origin, sendMessage } from './slo-pages.ts';
import type { SloRouteDeps } from './slo-routes.ts';
import { renderPage } from './views.ts';

export function registerSloProgressRoutes(
  app: FastifyInstance,
  deps: SloRouteDeps,
  logout: SingleLogout,
  responder: LogoutResponder,
): void {
  const { processes, registry } = deps;

  type ProcessRequest = FastifyRequest<{ Params: { id: string } }>;

  /** The logout page: one hidden frame per SP, all at once, so a slow or broken SP holds up nobody. */
  app.get('/saml/slo/progress/:id', async (request: ProcessRequest, reply) => {
    const locale = requestLocale(request, deps.defaultLocale);
    const process = await processes.get(request.params.id);
    if (process === undefined) return logoutDone(reply, locale, []);
    const frameOrigins = new Set<string>();
    for (const target of process.targets) {
      const sp = registry.get(target.spEntityId);
      const endpoint = sp === undefined ? undefined : sloEndpoint(sp);
      if (endpoint !== undefined) frameOrigins.add(origin(endpoint.url));
    }
    const nonce = newNonce();
    reply.header(
      'content-security-policy',
      pageCsp({ script: { nonce }, connectSelf: true, frameSrc: ["'self'", ...frameOrigins] }),
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
      timeoutMs: deps.timeoutSeconds * 1000,
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
        reply.header('content-security-policy', FRAME_CSP);
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
      return sendMessage(reply, message, process.locale, target.spDisplayName, 'frame');
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
    const finished = await logout.finish(request.params.id);
    if (finished === undefined) return logoutDone(reply, requestLocale(request, deps.defaultLocale), []);
    const { process, notLoggedOut, complete } = finished;
    const initiator = process.initiator;
    const sp = initiator === undefined ? undefined : registry.get(initiator.spEntityId);
    if (initiator === undefined && process.returnTo !== undefined)
      return reply.redirect(process.returnTo, 303);
    if (initiator === undefined || sp === undefined) return logoutDone(reply, process.locale, notLoggedOut);
    const status = complete
      ? { code: LogoutStatus.success }
      : { code: LogoutStatus.success, subCode: LogoutStatus.partialLogout };
    return responder.respond(reply, sp, initiator, status, process.locale, notLoggedOut);
  });
}
