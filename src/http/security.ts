// Security headers for every reply, request ids users can quote, and log serializers that keep SAML out of logs.

import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/** The CSP of every page: nothing external, forms only to ourselves, never framed. */
export const DEFAULT_CSP =
  "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/** The auto-post page may submit to the SP's ACS and run its one nonce'd script. */
export function postToSpCsp(acsUrl: string, nonce: string): string {
  const origin = new URL(acsUrl).origin;
  return `default-src 'none'; style-src 'self'; img-src 'self' data:; script-src 'nonce-${nonce}'; form-action ${origin}; frame-ancestors 'none'; base-uri 'none'`;
}

export function newNonce(): string {
  return randomBytes(16).toString('base64');
}

/** Short ids a user can read out to support; the same id is on every log line of the request. */
export function newReferenceId(): string {
  return randomBytes(5).toString('hex').toUpperCase();
}

export function registerSecurityHeaders(app: FastifyInstance): void {
  app.addHook('onSend', async (_request, reply: FastifyReply, payload) => {
    if (!reply.hasHeader('content-security-policy')) reply.header('content-security-policy', DEFAULT_CSP);
    reply.header('x-content-type-options', 'nosniff');
    reply.header('x-frame-options', 'DENY');
    reply.header('referrer-policy', 'no-referrer');
    reply.header('cross-origin-opener-policy', 'same-origin');
    if (!reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
    return payload;
  });
}

/** Request log fields without the query string: it carries SAML messages and presets (PII). */
export const logSerializers = {
  req(request: FastifyRequest) {
    return { method: request.method, path: request.url.split('?')[0], ip: request.ip };
  },
};
