// Security headers for every reply, request ids users can quote, and log serializers that keep SAML out of logs.

import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { pageCsp } from './csp.ts';

/** The CSP of every page: nothing external, forms only to ourselves, never framed. */
export const DEFAULT_CSP = pageCsp();

/** A page that runs our own script files (/assets/*.js, progressive enhancement only), never an inline one. */
export const SELF_SCRIPT_CSP = pageCsp({ script: 'self' });

/**
 * The auto-post page runs its one nonce'd script and has no `form-action`: browsers apply form-action to the
 * redirects that follow a form post, and an SP's ACS may redirect anywhere after it has read the Response (to its
 * application on another origin). The form's action is the ACS from metadata and the page holds no other markup.
 */
export function postToSpCsp(nonce: string): string {
  return pageCsp({ script: { nonce }, formAction: 'anywhere' });
}

export function newNonce(): string {
  return randomBytes(16).toString('base64');
}

/** Short ids a user can read out to support; the same id is on every log line of the request. */
export function newReferenceId(): string {
  return randomBytes(5).toString('hex').toUpperCase();
}

/** Headers every reply carries, set once per reply from a constant list. */
const FIXED_HEADERS = {
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
} as const;

export function registerSecurityHeaders(app: FastifyInstance): void {
  // A callback hook, not an async one: it runs on every reply, and needs no promise.
  app.addHook('onSend', (_request, reply: FastifyReply, payload, done) => {
    if (!reply.hasHeader('content-security-policy')) reply.header('content-security-policy', DEFAULT_CSP);
    reply.headers(FIXED_HEADERS);
    if (!reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
    done(null, payload);
  });
}

/** Request log fields without the query string: it carries SAML messages and presets (PII). */
export const logSerializers = {
  req(request: FastifyRequest) {
    return { method: request.method, path: request.url.split('?')[0], ip: request.ip };
  },
};
