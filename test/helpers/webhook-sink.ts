// A local SMS gateway for tests: receives the `webhook` provider's JSON POSTs (docs/contract.md §5) and answers a chosen status.

import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One POST the sink received, with the status it answered. */
export interface ReceivedSms {
  readonly to: string;
  readonly message: string;
  readonly contentType: string | undefined;
  readonly status: number;
}

const MAX_BODY = 64 * 1024;

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) request.destroy(new Error('webhook body too large'));
      else chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

/** An HTTP server on 127.0.0.1 that records every `{to, message}` body it is sent. */
export class WebhookSink {
  readonly #server: Server;
  readonly #received: ReceivedSms[] = [];
  #url = '';
  /** The HTTP status answered to the next POSTs (default 200). */
  status = 200;

  private constructor() {
    this.#server = createServer((request, response) => {
      this.#handle(request).then(
        (status) => response.writeHead(status, { 'content-type': 'application/json' }).end('{}'),
        () => response.writeHead(400).end(),
      );
    });
  }

  /** Starts a sink on a free port of 127.0.0.1. */
  static async start(): Promise<WebhookSink> {
    const sink = new WebhookSink();
    await new Promise<void>((resolve, reject) => {
      sink.#server.once('error', reject);
      sink.#server.listen(0, '127.0.0.1', () => resolve());
    });
    const { port } = sink.#server.address() as AddressInfo;
    sink.#url = `http://127.0.0.1:${port}/sms`;
    return sink;
  }

  /** The URL to give the IdP as SMS_WEBHOOK_URL. */
  get url(): string {
    return this.#url;
  }

  /** Every POST so far, oldest first, including those answered with an error status. */
  get received(): readonly ReceivedSms[] {
    return this.#received;
  }

  /** Messages to `to` that the sink accepted (answered 2xx). */
  accepted(to: string): readonly ReceivedSms[] {
    return this.#received.filter((r) => r.to === to && r.status >= 200 && r.status < 300);
  }

  /** The code in the last accepted message to `to`: the `#<6 digits>` on its last line. */
  codeFor(to: string): string {
    const last = this.accepted(to).at(-1);
    const lastLine = last?.message.split('\n').at(-1) ?? '';
    const code = /#(\d{6})$/.exec(lastLine)?.[1];
    if (code === undefined) throw new Error(`no code was delivered to ${to}`);
    return code;
  }

  async #handle(request: IncomingMessage): Promise<number> {
    const body = JSON.parse(await readBody(request)) as { to?: unknown; message?: unknown };
    if (request.method !== 'POST' || typeof body.to !== 'string' || typeof body.message !== 'string') {
      throw new Error('not an SMS webhook call');
    }
    const status = this.status;
    this.#received.push({
      to: body.to,
      message: body.message,
      contentType: request.headers['content-type'],
      status,
    });
    return status;
  }

  /** Stops the server and drops open connections. */
  async close(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }
}
