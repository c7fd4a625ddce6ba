// POST /sms/receipts/:provider (docs/contract.md §5a): delivery receipts from the gateways. Each is authenticated the way
// its vendor documents (sms/receipts/*); anything else is refused and nothing is recorded.

import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { LoginService } from '../login/login-service.ts';
import type { ReceiptVerifier } from '../sms/receipts/receipt.ts';

/** Receipts are a few hundred bytes. */
const RECEIPT_MAX_BYTES = 16 * 1024;

export interface ReceiptRouteDeps {
  readonly login: LoginService;
  /** BASE_URL: the public URL the gateways posted to (Twilio signs it). */
  readonly baseUrl: string;
  readonly verifiers: ReadonlyMap<string, ReceiptVerifier>;
}

export async function registerReceiptRoutes(app: FastifyInstance, deps: ReceiptRouteDeps): Promise<void> {
  await app.register(async (scope) => {
    // The raw body, as signatures cover the bytes sent.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser(
      ['application/json', 'application/x-www-form-urlencoded'],
      { parseAs: 'string', bodyLimit: RECEIPT_MAX_BYTES },
      (_request, body, done) => done(null, body),
    );
    scope.post(
      '/sms/receipts/:provider',
      async (request: FastifyRequest<{ Params: { provider: string } }>, reply) => {
        const verifier = deps.verifiers.get(request.params.provider);
        if (verifier === undefined) return reply.code(404).send();
        const url = `${deps.baseUrl}${request.url}`;
        const checked = verifier.check({
          url,
          query: new URL(url).searchParams,
          headers: request.headers,
          rawBody: typeof request.body === 'string' ? request.body : '',
        });
        if (!checked.ok) {
          request.log.warn(
            { event: 'sms.receipt_refused', provider: verifier.provider, reason: checked.reason },
            'sms.receipt_refused',
          );
          return reply.code(checked.status).send();
        }
        const { reference, messageId, state } = checked.receipt;
        const recorded =
          state !== 'pending' &&
          (await deps.login.recordReceipt({ provider: verifier.provider, reference, messageId, state }));
        if (!recorded)
          request.log.info(
            { event: 'sms.receipt_ignored', provider: verifier.provider, state },
            'sms.receipt_ignored',
          );
        // Every authenticated receipt is answered 200, recorded or not, so the gateway does not retry it.
        return reply.code(200).send();
      },
    );
  });
}
