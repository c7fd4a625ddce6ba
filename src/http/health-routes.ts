// Liveness and readiness for load balancers and orchestrators (docs/contract.md §2), and the drain before a shutdown.

import type { FastifyInstance } from 'fastify';
import type { Store } from '../store/store.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** From now on /readyz answers 503 and every answer closes its connection; requests are still served. */
    startDraining(): void;
  }
}

export function registerHealthRoutes(
  app: FastifyInstance,
  deps: {
    store: Store /** Trusted SAML SPs plus registered OIDC clients, read at each probe. */;
    relyingParties: () => number;
  },
): void {
  let draining = false;
  app.decorate('startDraining', () => {
    draining = true;
  });
  // Clients on a kept-alive connection reconnect, and so reach a process that is not going away.
  app.addHook('onSend', (_request, reply, payload, done) => {
    if (draining) reply.header('connection', 'close');
    done(null, payload);
  });

  app.get('/healthz', (_request, reply) => {
    reply.send({ status: 'ok' });
  });

  /** 200 only when not draining, the store answers (within a second), keys are loaded and an SP or OIDC client is
   * trusted (an OIDC-only deployment is ready without SAML SPs). */
  app.get('/readyz', async (_request, reply) => {
    if (draining) return reply.code(503).send({ status: 'not ready', problems: ['shutting down'] });
    const problems: string[] = [];
    try {
      await Promise.race([
        deps.store.ping(),
        new Promise((_, reject) => setTimeout(() => reject(new Error('timeout')), 1000).unref()),
      ]);
    } catch {
      problems.push('store');
    }
    if (deps.relyingParties() === 0) problems.push('no trusted SP or OIDC client');
    return reply
      .code(problems.length === 0 ? 200 : 503)
      .send({ status: problems.length === 0 ? 'ready' : 'not ready', problems });
  });
}
