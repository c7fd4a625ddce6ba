// The webhook SMS provider against a real local HTTP server: the request it makes and how answers are classified.

import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { SmsError, type SmsFailure } from '../../../src/sms/sms-provider.ts';
import { classifyStatus, WebhookSmsProvider } from '../../../src/sms/webhook.ts';

interface Received {
  readonly method: string | undefined;
  readonly url: string | undefined;
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
}

const MESSAGE = { to: '+4612345678', text: 'Din engångskod är 123456.\n\n@idp.example.com #123456' };

describe('WebhookSmsProvider', () => {
  let server: Server;
  let base: string;
  const received: Received[] = [];
  const pending = new Set<ServerResponse>();

  before(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        received.push({
          method: req.method,
          url: req.url,
          headers: req.headers,
          body: Buffer.concat(chunks).toString('utf8'),
        });
        const status = Number(/\/status\/(\d+)/.exec(req.url ?? '')?.[1] ?? 200);
        if (req.url?.startsWith('/slow')) {
          pending.add(res);
          return;
        }
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            error: 'gateway text that must never reach the user',
            padding: 'x'.repeat(200_000),
          }),
        );
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  after(async () => {
    for (const res of pending) res.destroy();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  const failureOf = async (promise: Promise<void>): Promise<SmsFailure> => {
    try {
      await promise;
    } catch (error) {
      assert.ok(error instanceof SmsError, `expected SmsError, got ${String(error)}`);
      assert.ok(!error.message.includes('gateway text'));
      return error.failure;
    }
    assert.fail('expected the send to fail');
  };

  it('POSTs {"to", "message"} as JSON with the configured headers, and resolves on 2xx', async () => {
    received.length = 0;
    const provider = new WebhookSmsProvider({
      url: `${base}/status/200/send?key=1`,
      timeoutMs: 2000,
      headers: { authorization: 'Bearer t0ken', 'Content-Type': 'text/plain' },
    });
    assert.equal(provider.name, 'webhook');
    await provider.send(MESSAGE);
    assert.equal(received.length, 1);
    const [req] = received;
    assert.equal(req?.method, 'POST');
    assert.equal(req?.url, '/status/200/send?key=1');
    assert.equal(req?.headers['content-type'], 'application/json');
    assert.equal(req?.headers.authorization, 'Bearer t0ken');
    assert.deepEqual(JSON.parse(req?.body ?? ''), { to: '+4612345678', message: MESSAGE.text });
  });

  it('accepts every 2xx', async () => {
    for (const status of [201, 202, 204]) {
      await new WebhookSmsProvider({ url: `${base}/status/${status}`, timeoutMs: 2000 }).send(MESSAGE);
    }
  });

  it('classifies 4xx as permanent and 429 as rate-limited', async () => {
    for (const [status, failure] of [
      [400, 'permanent'],
      [404, 'permanent'],
      [422, 'permanent'],
      [429, 'rate-limited'],
    ] as const) {
      const provider = new WebhookSmsProvider({ url: `${base}/status/${status}`, timeoutMs: 2000 });
      assert.equal(await failureOf(provider.send(MESSAGE)), failure, String(status));
    }
  });

  it('classifies 5xx and redirects as temporary', async () => {
    for (const status of [500, 502, 503, 302]) {
      const provider = new WebhookSmsProvider({ url: `${base}/status/${status}`, timeoutMs: 2000 });
      assert.equal(await failureOf(provider.send(MESSAGE)), 'temporary', String(status));
    }
  });

  it('gives up after timeoutMs without an answer: temporary', async () => {
    const provider = new WebhookSmsProvider({ url: `${base}/slow`, timeoutMs: 200 });
    const started = performance.now();
    assert.equal(await failureOf(provider.send(MESSAGE)), 'temporary');
    const elapsed = performance.now() - started;
    assert.ok(elapsed >= 150 && elapsed < 2000, `took ${elapsed} ms`);
  });

  it('stops when the caller aborts: temporary', async () => {
    const provider = new WebhookSmsProvider({ url: `${base}/slow`, timeoutMs: 5000 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const started = performance.now();
    assert.equal(await failureOf(provider.send(MESSAGE, controller.signal)), 'temporary');
    assert.ok(performance.now() - started < 2000);
  });

  it('treats a closed port as temporary', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const provider = new WebhookSmsProvider({ url: `http://127.0.0.1:${port}/`, timeoutMs: 2000 });
    assert.equal(await failureOf(provider.send(MESSAGE)), 'temporary');
  });
});

describe('classifyStatus', () => {
  it('maps status codes to the contract’s failures', () => {
    assert.equal(classifyStatus(200), undefined);
    assert.equal(classifyStatus(299), undefined);
    assert.equal(classifyStatus(400), 'permanent');
    assert.equal(classifyStatus(499), 'permanent');
    assert.equal(classifyStatus(429), 'rate-limited');
    assert.equal(classifyStatus(500), 'temporary');
    assert.equal(classifyStatus(301), 'temporary');
  });
});
