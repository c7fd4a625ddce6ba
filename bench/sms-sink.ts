// The SMS gateway of the benchmark: a loopback HTTP server that takes the `webhook` provider's JSON POSTs
// (docs/contract.md §5), answers 200 as an accepting gateway does, and keeps the last code per number until read.

import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

const MAX_BODY = 16 * 1024;
/** The code is the `#<6 digits>` ending the message's last line (`@<host> #123456`). */
const CODE = /\n@[^\n]+ #(\d{6})$/;

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) request.destroy(new Error('SMS body too large'));
      else chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

export class SmsSink {
  readonly #server: Server;
  /** Number → last code sent to it and not read yet; read codes are dropped so a long soak keeps no history. */
  readonly #codes = new Map<string, string>();
  #url = '';
  received = 0;
  refused = 0;

  private constructor() {
    this.#server = createServer((request, response) => {
      this.#accept(request).then(
        () => response.writeHead(200, { 'content-type': 'application/json' }).end('{}'),
        () => {
          this.refused += 1;
          response.writeHead(400).end();
        },
      );
    });
  }

  static async start(): Promise<SmsSink> {
    const sink = new SmsSink();
    await new Promise<void>((resolve, reject) => {
      sink.#server.once('error', reject);
      sink.#server.listen(0, '127.0.0.1', resolve);
    });
    sink.#url = `http://127.0.0.1:${(sink.#server.address() as AddressInfo).port}/sms`;
    return sink;
  }

  /** SMS_WEBHOOK_URL for the IdP. */
  get url(): string {
    return this.#url;
  }

  /** The code last sent to `to`, once; throws when none arrived. */
  takeCode(to: string): string {
    const code = this.#codes.get(to);
    if (code === undefined) throw new Error(`no SMS reached the gateway for ${to}`);
    this.#codes.delete(to);
    return code;
  }

  async #accept(request: IncomingMessage): Promise<void> {
    if (request.method !== 'POST' || !request.headers['content-type']?.startsWith('application/json')) {
      throw new Error('not an SMS webhook call');
    }
    const body = JSON.parse(await readBody(request)) as { to?: unknown; message?: unknown };
    if (typeof body.to !== 'string' || typeof body.message !== 'string') throw new Error('not an SMS');
    const code = CODE.exec(body.message)?.[1];
    if (code === undefined) throw new Error('no code in the SMS');
    this.received += 1;
    this.#codes.set(body.to, code);
  }

  async close(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise((resolve) => this.#server.close(resolve));
  }
}
