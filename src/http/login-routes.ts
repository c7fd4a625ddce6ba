// The login screens (seed steps 1, 2a–2d, 3): one GET renders the flow's current step, POSTs follow PRG.

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { FlowError } from '../errors.ts';
import { isLocale, LOCALE_NAMES, LOCALES, type MessageKey, pluralForms, translate } from '../i18n/index.ts';
import { type Flow, identifyVariant } from '../login/flow.ts';
import type { Form, LoginService, Problems } from '../login/login-service.ts';
import { examplePhone, formatPhone, maskPhone } from '../login/phone.ts';
import { sendErrorPage } from './error-handler.ts';
import { registerFlowReturn, renderExpired, renderFinished } from './flow-end-pages.ts';
import type { LoginAnswer } from './login-answer.ts';
import type { FlowGuard } from './flow-guard.ts';
import { LOGIN_FORM_SCHEMA, LOGIN_PAGE_SCHEMA } from './route-schemas.ts';
import { SELF_SCRIPT_CSP } from './security.ts';
import { plainService, type ServiceLookup } from './sp-logo.ts';
import { renderPage } from './views.ts';

export interface LoginRouteDeps {
  readonly login: LoginService;
  /** The flow cookie and the forms' CSRF token. */
  readonly flowGuard: FlowGuard;
  readonly answer: LoginAnswer;
  /** The SP's name in the page's language and its logo (sp-logo.ts); default: the request's name, no logo. */
  readonly service?: ServiceLookup;
}

const FIELD_ORDER = ['given_name', 'family_name', 'phone', 'code', 'form'] as const;
const NOTICES: Record<string, MessageKey> = { sent: 'verify.noticeSent', resent: 'verify.noticeResent' };

/** Only single string values are form input; a repeated field is treated as absent. */
function readForm(body: unknown): Form {
  const form: Record<string, string> = {};
  if (body !== null && typeof body === 'object') {
    for (const [key, value] of Object.entries(body)) if (typeof value === 'string') form[key] = value;
  }
  return form;
}

export function registerLoginRoutes(app: FastifyInstance, deps: LoginRouteDeps): void {
  const { login, flowGuard } = deps;
  const service = deps.service ?? plainService;
  const ends = { login, flowGuard, answer: deps.answer, service };
  registerFlowReturn(app, ends);

  /** The flow, or undefined once the expired page (with the way back to the SP) has been sent. */
  const loadFlow = async (request: FastifyRequest<{ Params: { flowId: string } }>, reply: FastifyReply) => {
    try {
      return await login.load(request.params.flowId);
    } catch (error) {
      if (!(error instanceof FlowError && error.kind === 'expired')) throw error;
      await renderExpired(request, reply, request.params.flowId, ends, login.settings.defaultLocale);
      return undefined;
    }
  };

  /**
   * The flow cookie set after SSO must come back, from every client: one without it did not start this flow (a
   * link or code handed over by someone else), whether or not it sends Fetch Metadata. A client without cookies
   * cannot do web SSO anyway.
   */
  const unbound = (request: FastifyRequest, reply: FastifyReply, flow: Flow): FastifyReply | undefined => {
    const presented = flowGuard.presented(request);
    if (flowGuard.matches(flow.id, presented)) return;
    request.log.warn(
      { event: 'flow.unbound', flow: flow.id, cookie: presented !== undefined },
      'flow.unbound',
    );
    const page = { status: 403, heading: 'error.heading', message: 'error.flowCookie' } as const;
    return sendErrorPage(request, reply, page, flow.locale);
  };

  const render = async (
    reply: FastifyReply,
    flow: Flow,
    extra: { problems?: Problems; values?: Record<string, string>; notice?: string },
    status = 200,
  ): Promise<FastifyReply> => {
    const t = (key: MessageKey, vars?: Record<string, string | number>) => translate(flow.locale, key, vars);
    const problems: Record<string, string> = {};
    const problemList: { field: string | undefined; message: string }[] = [];
    for (const field of FIELD_ORDER) {
      const problem = extra.problems?.[field];
      if (problem === undefined) continue;
      const message = t(problem.key, problem.vars);
      problems[field] = message;
      problemList.push({ field: field === 'form' ? undefined : field, message });
    }
    const sp = service(flow.request, flow.locale);
    const base = {
      spName: sp.name,
      service: sp,
      formAction: `/login/${flow.id}`,
      csrf: flow.csrf,
      step: flow.step,
      problems,
      problemList,
      values: extra.values ?? {},
      // Plain links, so the choice works without JavaScript; the page is rendered again in that language.
      languages: LOCALES.map((code) => ({
        code,
        name: LOCALE_NAMES[code],
        href: `/login/${flow.id}?lang=${code}`,
        current: code === flow.locale,
      })),
    };
    switch (flow.step) {
      case 'choose-method':
        return renderPage(
          reply,
          'choose-method',
          flow.locale,
          {
            ...base,
            title: t('choose.heading'),
            methods: flow.offeredEids.map((id) => ({
              id,
              name: id === 'nets_sms' ? t('choose.netsSms') : id,
              description: id === 'nets_sms' ? t('choose.netsSmsDescription') : t('choose.otherMethod'),
            })),
          },
          status,
        );
      case 'identify': {
        const variant = identifyVariant(flow.preset);
        const lockedName = flow.preset.familyName !== undefined;
        const presetPhone = flow.preset.phone;
        const lockedPhone = presetPhone !== undefined;
        // Back from step 3 through "wrong number?": the names and the number as typed, to correct.
        const typedPhone = lockedPhone ? undefined : flow.phone;
        const returning = typedPhone !== undefined;
        const example = examplePhone(flow.phoneCountry);
        return renderPage(
          reply,
          'identify',
          flow.locale,
          {
            ...base,
            title: t(lockedName && lockedPhone ? 'identify.headingConfirm' : 'identify.heading'),
            variant,
            confirmOnly: lockedName && lockedPhone,
            lockedName,
            lockedPhone,
            fullName: lockedName
              ? `${flow.preset.givenName ?? ''} ${flow.preset.familyName ?? ''}`.trim()
              : undefined,
            phoneDisplay: presetPhone === undefined ? undefined : formatPhone(presetPhone),
            phoneHint:
              example === undefined
                ? t('identify.phoneHint')
                : t('identify.phoneHintExample', { phone: example }),
            returning,
            values:
              extra.values ??
              (typedPhone === undefined
                ? {}
                : {
                    given_name: flow.givenName ?? '',
                    family_name: flow.familyName ?? '',
                    phone: formatPhone(typedPhone),
                  }),
          },
          status,
        );
      }
      case 'verify-code': {
        const status3 = await login.codeStatus(flow);
        const countdown = status3.resendWait > 0 && status3.sendsLeft > 0;
        if (countdown) reply.header('content-security-policy', SELF_SCRIPT_CSP);
        return renderPage(
          reply,
          'verify-code',
          flow.locale,
          {
            ...base,
            title: t('verify.heading'),
            notice: extra.notice,
            maskedPhone: maskPhone(flow.phone),
            deliveryFailed: status3.deliveryFailed,
            codeMinutes: Math.ceil(status3.codeSecondsLeft / 60),
            canChangePhone: flow.preset.phone === undefined,
            countdown: countdown
              ? { ...pluralForms(flow.locale, 'verify.resendWait'), ready: t('verify.resendReady') }
              : undefined,
            attemptsLeft: status3.attemptsLeft,
            resendWait: status3.resendWait,
            sendsLeft: status3.sendsLeft,
          },
          status,
        );
      }
      case 'done':
        return renderFinished(reply.request, reply, flow, service);
    }
  };

  app.get(
    '/login/:flowId',
    { schema: LOGIN_PAGE_SCHEMA },
    async (
      request: FastifyRequest<{
        Params: { flowId: string };
        Querystring: { notice?: string; lang?: string };
      }>,
      reply,
    ) => {
      const loaded = await loadFlow(request, reply);
      if (loaded === undefined) return reply;
      const refused = unbound(request, reply, loaded);
      if (refused !== undefined) return refused;
      const lang = request.query.lang;
      const flow =
        typeof lang === 'string' && isLocale(lang) ? await login.changeLocale(loaded, lang) : loaded;
      const asked = request.query.notice;
      const noticeKey =
        typeof asked === 'string' && Object.hasOwn(NOTICES, asked) ? NOTICES[asked] : undefined;
      const notice = noticeKey === undefined ? undefined : translate(flow.locale, noticeKey);
      return render(reply, flow, { notice });
    },
  );

  // A field that fails LOGIN_FORM_SCHEMA is read as absent (readForm): the flow's own answer follows.
  const formOptions = { schema: LOGIN_FORM_SCHEMA, attachValidation: true };
  app.post(
    '/login/:flowId',
    formOptions,
    async (request: FastifyRequest<{ Params: { flowId: string } }>, reply) => {
      const flow = await loadFlow(request, reply);
      if (flow === undefined) return reply;
      const refused = unbound(request, reply, flow);
      if (refused !== undefined) return refused;
      const form = readForm(request.body);
      if (!flowGuard.csrfMatches(flow, form.csrf))
        throw new FlowError('forbidden', 'CSRF token missing or wrong');
      const outcome = await login.submit(flow, form, request.ip);
      switch (outcome.kind) {
        case 'redirect': {
          const notice = outcome.notice === undefined ? '' : `?notice=${outcome.notice}`;
          return reply.redirect(`/login/${flow.id}${notice}`, 303);
        }
        case 'invalid':
          return render(reply, outcome.flow, { problems: outcome.problems, values: outcome.values }, 400);
        case 'completed':
          return deps.answer.success(reply, {
            request: flow.request,
            identity: outcome.identity,
            locale: flow.locale,
          });
        case 'failed':
          return deps.answer.failure(reply, flow.request, outcome.error, flow.locale);
      }
    },
  );
}
