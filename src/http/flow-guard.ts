// Ties a login flow to the browser that started it (the flow cookie) and checks the CSRF token its forms post back.

import { createHmac } from 'node:crypto';
import type { CookieSerializeOptions } from '@fastify/cookie';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { sameSecret } from '../constant-time.ts';

/** The cookie that binds a login flow to the browser that started it. One per flow: its Path is the flow's pages. */
export const FLOW_COOKIE = 'nsi_flow';

/**
 * Set on the 303 that follows the SP's (cross-site) request: HttpOnly, SameSite=Lax (sent on the top-level GET
 * that follows, never on cross-site subrequests or POSTs), Secure when BASE_URL is https, only for this flow's
 * pages, and gone with the flow.
 */
export function flowCookieOptions(
  flowId: string,
  secure: boolean,
  maxAgeSeconds: number,
): CookieSerializeOptions {
  return { path: `/login/${flowId}`, httpOnly: true, sameSite: 'lax', secure, maxAge: maxAgeSeconds };
}

export interface FlowGuardOptions {
  /** IDP_SECRET: the same in every IdP process, so any of them recognises the cookie. */
  readonly secret: string;
  /** BASE_URL is https. */
  readonly secureCookies: boolean;
  /** FLOW_TTL_SECONDS: the cookie lives as long as its flow. */
  readonly flowTtlSeconds: number;
}

export class FlowGuard {
  readonly #options: FlowGuardOptions;

  constructor(options: FlowGuardOptions) {
    this.#options = options;
  }

  /** The value that binds a flow to its browser: a keyed hash of the flow id, nothing stored. */
  token(flowId: string): string {
    return createHmac('sha256', this.#options.secret).update(`flow-binding:${flowId}`).digest('base64url');
  }

  /** Sets the flow cookie on the reply that sends the browser into its new flow. */
  bind(reply: FastifyReply, flowId: string): void {
    const { secureCookies, flowTtlSeconds } = this.#options;
    reply.setCookie(
      FLOW_COOKIE,
      this.token(flowId),
      flowCookieOptions(flowId, secureCookies, flowTtlSeconds),
    );
  }

  /** The flow cookie the request presents, if any. */
  presented(request: FastifyRequest): string | undefined {
    return request.cookies[FLOW_COOKIE];
  }

  /** True when `presented` is this flow's binding token (constant time). */
  matches(flowId: string, presented: string | undefined): boolean {
    return sameSecret(this.token(flowId), presented);
  }

  /** True when the posted token is the flow's own (constant time). */
  csrfMatches(flow: { readonly csrf: string }, posted: unknown): boolean {
    return sameSecret(flow.csrf, posted);
  }
}
