// The pages of a flow that is over: expired (with the way back to the SP while its tombstone lasts) or finished.

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { FlowError, SamlStatus, SamlStatusError } from '../errors.ts';
import { type Locale, translate } from '../i18n/index.ts';
import type { Flow } from '../login/flow.ts';
import type { LoginService } from '../login/login-service.ts';
import type { LoginAnswer } from './login-answer.ts';
import type { FlowGuard } from './flow-guard.ts';
import { FLOW_RETURN_SCHEMA } from './route-schemas.ts';
import type { ServiceLookup } from './sp-logo.ts';
import { renderPage } from './views.ts';

export interface FlowEndDeps {
  readonly login: LoginService;
  readonly flowGuard: FlowGuard;
  readonly answer: LoginAnswer;
  readonly service: ServiceLookup;
}

const FLOW_ID = /^[A-Za-z0-9_-]{24}$/;

/** The SP's site: the origin of its ACS (from its trusted metadata), where a person can start again. */
function siteOf(acsUrl: string): string | undefined {
  try {
    return `${new URL(acsUrl).origin}/`;
  } catch {
    return undefined;
  }
}

/**
 * The page for a flow that is gone. While its tombstone lasts the page names the SP and offers a button that
 * sends it a signed AuthnFailed Response (SAML core §3.2.2.2), so the person lands back at the service with a
 * status it understands; without one it says to go back to the service and start again (HTTP 410 either way).
 */
export async function renderExpired(
  request: FastifyRequest,
  reply: FastifyReply,
  flowId: string,
  deps: FlowEndDeps,
  fallbackLocale: Locale,
): Promise<FastifyReply> {
  const tombstone = FLOW_ID.test(flowId) ? await deps.login.tombstones.read(flowId) : undefined;
  if (tombstone === undefined) throw new FlowError('expired', 'login flow not found or expired');
  const locale = tombstone.locale ?? fallbackLocale;
  const service = deps.service(tombstone.request, locale);
  const heading = translate(locale, 'error.expiredHeading');
  const minutes = Math.max(1, Math.round(deps.login.settings.flowTtlSeconds / 60));
  return renderPage(
    reply,
    'error',
    locale,
    {
      title: heading,
      heading,
      message: translate(locale, 'error.expiredExplained', { count: minutes, sp: service.name }),
      spName: service.name,
      service,
      back: { action: `/login/${flowId}/return`, csrf: tombstone.csrf },
      reference: request.id,
    },
    410,
  );
}

/** The page for a flow that already ended (identity or status sent): nothing more to do here, a link to the SP. */
export function renderFinished(
  request: FastifyRequest,
  reply: FastifyReply,
  flow: Flow,
  service: ServiceLookup,
): FastifyReply {
  const view = service(flow.request, flow.locale);
  const heading = translate(flow.locale, 'error.finishedHeading');
  return renderPage(
    reply,
    'error',
    flow.locale,
    {
      title: heading,
      heading,
      message: translate(flow.locale, 'error.finished'),
      spName: view.name,
      service: view,
      spLink: siteOf(flow.request.acsUrl),
      reference: request.id,
    },
    410,
  );
}

/**
 * POST /login/:flowId/return, the expired page's button: takes the tombstone (single use) and answers the SP with
 * Responder/AuthnFailed. Its form token must match; the flow cookie, when the browser still sends it, must too. A
 * flow that still exists goes back to its current step instead.
 */
export function registerFlowReturn(app: FastifyInstance, deps: FlowEndDeps): void {
  app.post(
    '/login/:flowId/return',
    { schema: FLOW_RETURN_SCHEMA, attachValidation: true },
    async (request: FastifyRequest<{ Params: { flowId: string } }>, reply: FastifyReply) => {
      const { flowId } = request.params;
      if (!FLOW_ID.test(flowId)) throw new FlowError('expired', 'login flow not found or expired');
      const alive = await deps.login.load(flowId).catch((error: unknown) => {
        if (error instanceof FlowError && error.kind === 'expired') return undefined;
        throw error;
      });
      if (alive !== undefined) return reply.redirect(`/login/${flowId}`, 303);
      const tombstone = await deps.login.tombstones.read(flowId);
      if (tombstone === undefined) throw new FlowError('expired', 'login flow not found or expired');
      const posted = (request.body as Record<string, unknown> | undefined)?.csrf;
      const cookie = deps.flowGuard.presented(request);
      if (
        !deps.flowGuard.csrfMatches(tombstone, posted) ||
        (cookie !== undefined && !deps.flowGuard.matches(flowId, cookie))
      ) {
        throw new FlowError('forbidden', 'expired-flow return without its token');
      }
      const taken = await deps.login.tombstones.take(flowId);
      if (taken === undefined) throw new FlowError('expired', 'login flow not found or expired');
      deps.answer.event?.('login.expired_return', {
        flow: flowId,
        sp: taken.request.spEntityId,
        inResponseTo: taken.request.requestId,
      });
      const error = new SamlStatusError(SamlStatus.Responder, SamlStatus.AuthnFailed, 'login expired');
      return deps.answer.failure(reply, taken.request, error, taken.locale);
    },
  );
}
