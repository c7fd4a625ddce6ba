// Measuring wrappers: the store, the SMS provider and every HTTP route report to Metrics without knowing it.

import type { FastifyInstance } from 'fastify';
import { countryOf } from '../sms/router.ts';
import { type SendResult, SmsError, type SmsMessage, type SmsProvider } from '../sms/sms-provider.ts';
import type { Store } from '../store/store.ts';
import type { Metrics } from './metrics.ts';

/** The store, counting each operation and each failure under the store's name (`memory`, `redis`). */
export function measuredStore(store: Store, name: string, metrics: Metrics): Store {
  const measure =
    <A extends unknown[], R>(operation: string, call: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      try {
        const result = await call(...args);
        metrics.storeOperation(name, operation, false);
        return result;
      } catch (error) {
        metrics.storeOperation(name, operation, true);
        throw error;
      }
    };
  return {
    get: measure('get', (key: string) => store.get(key)) as Store['get'],
    set: measure('set', (key: string, value: unknown, ttl: number) => store.set(key, value, ttl)),
    setIfAbsent: measure('setIfAbsent', (key: string, value: unknown, ttl: number) =>
      store.setIfAbsent(key, value, ttl),
    ),
    replaceIf: measure('replaceIf', (key: string, expected: unknown, value: unknown, ttl: number) =>
      store.replaceIf(key, expected, value, ttl),
    ),
    take: measure('take', (key: string) => store.take(key)) as Store['take'],
    delete: measure('delete', (key: string) => store.delete(key)),
    increment: measure('increment', (key: string, ttl: number) => store.increment(key, ttl)),
    ttl: measure('ttl', (key: string) => store.ttl(key)),
    ping: measure('ping', () => store.ping()),
    close: () => store.close(),
  };
}

/** The provider, timing each send and counting its outcome: `accepted` or the SmsError failure kind. */
export function measuredSms(sms: SmsProvider, metrics: Metrics): SmsProvider {
  const provider = sms.name;
  return {
    name: provider,
    // The gateway's answer (which gateway, its message id) is passed on: receipts are matched with it.
    async send(message: SmsMessage, signal?: AbortSignal): Promise<SendResult | undefined> {
      const started = process.hrtime.bigint();
      const seconds = () => Number(process.hrtime.bigint() - started) / 1e9;
      try {
        const result = await sms.send(message, signal);
        metrics.smsSent(provider, countryOf(message.to), 'accepted', seconds());
        return result ?? undefined;
      } catch (error) {
        const outcome = error instanceof SmsError ? error.failure : 'error';
        metrics.smsSent(provider, countryOf(message.to), outcome, seconds());
        throw error;
      }
    },
  };
}

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'OPTIONS', 'PATCH']);

/** Each answered request's latency under its route pattern (`/login/:flowId`), never the URL it came with. */
export function registerHttpMetrics(app: FastifyInstance, metrics: Metrics): void {
  // A callback hook, not an async one: it runs on every request and needs no promise.
  app.addHook('onResponse', (request, reply, done) => {
    const route = request.routeOptions.url ?? 'unmatched';
    const method = METHODS.has(request.method) ? request.method : 'other';
    metrics.httpRequest(method, route, reply.statusCode, reply.elapsedTime / 1000);
    done();
  });
}
