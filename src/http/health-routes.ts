// Liveness and readiness for load balancers and orchestrators (CONTRACT.md §2).

import type { FastifyInstance } from 'fastify';
import type { SpRegistry } from '../saml/sp-registry.ts';
import type { Store } from '../store/store.ts';

export function registerHealthRoutes(
  app: FastifyInstance,
  deps: { store: Store; registry: SpRegistry },
): void {
  app.get('/healthz', (_request, reply) => {
    reply.send({ status: 'ok' });
  });

  /** 200 only when the store answers (within a second), keys are loaded and at least one SP is trusted. */
  app.get('/readyz', async (_request, reply) => {
    const problems: string[] = [];
    try {
      await Promise.race([
        deps.store.ping(),
        new Promise((_, reject) => setTimeout(() => reject(new Error('timeout')), 1000).unref()),
      ]);
    } catch {
      problems.push('store');
    }
    if (deps.registry.size === 0) problems.push('no trusted SP');
    reply
      .code(problems.length === 0 ? 200 : 503)
      .send({ status: problems.length === 0 ? 'ready' : 'not ready', problems });
  });
}
