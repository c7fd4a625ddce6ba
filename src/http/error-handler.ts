// Turns every error into a plain page with a reference id (never a stack trace), with the status its class sets.

import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { FlowError, StoreUnavailableError, TooManyRequestsError, UntrustedRequestError } from '../errors.ts';
import { type Locale, type MessageKey, negotiateLocale, translate } from '../i18n/index.ts';
import { renderPage } from './views.ts';

interface ErrorPage {
  readonly status: number;
  readonly heading: MessageKey;
  readonly message: MessageKey;
  readonly vars?: Readonly<Record<string, string | number>>;
}

/** A route schema refused the input (http/route-schemas.ts): a malformed request, as the handler would say. */
function asRefusal(error: unknown): unknown {
  if (error instanceof Error && 'validation' in error && error.validation !== undefined) {
    return new UntrustedRequestError('malformed', error.message);
  }
  return error;
}

function pageFor(error: unknown): ErrorPage {
  if (error instanceof UntrustedRequestError) {
    const message: MessageKey = error.reason === 'unknown-sp' ? 'error.unknownSp' : 'error.badRequest';
    return { status: 400, heading: 'error.heading', message };
  }
  if (error instanceof FlowError) {
    if (error.kind === 'finished')
      return { status: 410, heading: 'error.heading', message: 'error.finished' };
    if (error.kind === 'forbidden')
      return { status: 403, heading: 'error.heading', message: 'error.forbidden' };
    return { status: 410, heading: 'error.expiredHeading', message: 'error.expired' };
  }
  if (error instanceof TooManyRequestsError) {
    const minutes = Math.max(1, Math.ceil(error.retryAfterSeconds / 60));
    return {
      status: 429,
      heading: 'error.heading',
      message: 'error.tooManyLogins',
      vars: { count: minutes },
    };
  }
  if (error instanceof StoreUnavailableError) {
    return { status: 503, heading: 'error.unavailableHeading', message: 'error.unavailable' };
  }
  const status = (error as FastifyError).statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return {
      status,
      heading: 'error.heading',
      message: status === 413 ? 'error.tooLarge' : 'error.badRequest',
    };
  }
  return { status: 500, heading: 'error.heading', message: 'error.generic' };
}

export function requestLocale(request: FastifyRequest, fallback: Locale): Locale {
  const header = request.headers['accept-language'];
  return negotiateLocale({ acceptLanguage: typeof header === 'string' ? header : undefined, fallback });
}

/** Renders the error page in the browser's language. */
export function sendErrorPage(
  request: FastifyRequest,
  reply: FastifyReply,
  page: ErrorPage,
  fallbackLocale: Locale,
): FastifyReply {
  const locale = requestLocale(request, fallbackLocale);
  const heading = translate(locale, page.heading);
  return renderPage(
    reply,
    'error',
    locale,
    { title: heading, heading, message: translate(locale, page.message, page.vars), reference: request.id },
    page.status,
  );
}

export function registerErrorHandler(app: FastifyInstance, fallbackLocale: Locale): void {
  app.setErrorHandler((thrown, request, reply) => {
    const error = asRefusal(thrown);
    const page = pageFor(error);
    if (page.status >= 500 && !(error instanceof StoreUnavailableError)) {
      request.log.error({ err: error }, 'request failed');
    } else {
      const name = error instanceof Error ? error.name : 'Error';
      const reason = error instanceof UntrustedRequestError ? error.reason : undefined;
      request.log.warn({ error: name, reason, detail: (error as Error).message }, 'request refused');
    }
    if (error instanceof TooManyRequestsError) reply.header('retry-after', String(error.retryAfterSeconds));
    return sendErrorPage(request, reply, page, fallbackLocale);
  });
  app.setNotFoundHandler((request, reply) =>
    sendErrorPage(
      request,
      reply,
      { status: 404, heading: 'error.notFoundHeading', message: 'error.notFound' },
      fallbackLocale,
    ),
  );
}
