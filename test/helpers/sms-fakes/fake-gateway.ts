// The common part of the local SMS gateway fakes: an HTTP server on 127.0.0.1 that records every request, lets the
// vendor fake check it against the vendor's documentation, and answers the way the test chose (`mode`).

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** How the fake answers the next sends. */
export type FakeMode =
  | 'ok'
  | 'invalid-number'
  | 'rate-limited'
  | 'auth'
  | 'credit'
  | 'server-error'
  | 'unavailable'
  | 'bad-gateway'
  | 'hang';

export interface FakeRequest {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
}

/** A message the fake accepted, as the vendor would have sent it. */
export interface AcceptedSms {
  readonly to: string;
  readonly text: string;
  readonly from: string | undefined;
  readonly reference: string | undefined;
  readonly messageId: string;
  /** Where the vendor would post the receipt, when the request named one. */
  readonly callbackUrl: string | undefined;
  /** Every field of the request, for per-vendor checks (validity, flags). */
  readonly fields: Readonly<Record<string, unknown>>;
}

export interface FakeAnswer {
  readonly status: number;
  readonly contentType?: string;
  readonly body: string;
  readonly headers?: Record<string, string>;
}

/** What does not follow the vendor's documentation. */
export type Problem = { ok: false; problem: string };

/** The modes that answer with the vendor's documented failure. */
export type FailureMode = Exclude<FakeMode, 'ok' | 'hang'>;

/** The outcome of a vendor fake's request check: the message, or what is wrong with the request. */
export type Checked =
  | { ok: true; message: Omit<AcceptedSms, 'messageId'> }
  | Problem
  /** Credentials the vendor would refuse: answered as the vendor does, not a fault of the request's shape. */
  | { ok: false; unauthorized: true };

export abstract class FakeGateway {
  readonly #server: Server;
  readonly #hanging = new Set<ServerResponse>();
  readonly received: FakeRequest[] = [];
  readonly accepted: AcceptedSms[] = [];
  /** Requests that did not follow the vendor's documentation; a test expects none. */
  readonly violations: string[] = [];
  mode: FakeMode = 'ok';
  /** Requests refused for wrong credentials. */
  refusedCredentials = 0;
  #origin = '';

  protected constructor() {
    this.#server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const url = new URL(request.url ?? '/', 'http://fake');
        const req: FakeRequest = {
          method: request.method ?? '',
          path: url.pathname,
          query: url.searchParams,
          headers: request.headers,
          body: Buffer.concat(chunks).toString('utf8'),
        };
        this.received.push(req);
        const answer = this.#answer(req);
        if (answer === 'hang') {
          this.#hanging.add(response);
          return;
        }
        response.writeHead(answer.status, {
          'content-type': answer.contentType ?? 'application/json',
          ...answer.headers,
        });
        response.end(answer.body);
      });
    });
  }

  /** Starts listening on a free port of 127.0.0.1; the fake, ready for requests. */
  protected async listen(): Promise<this> {
    await new Promise<void>((resolve, reject) => {
      this.#server.once('error', reject);
      this.#server.listen(0, '127.0.0.1', () => resolve());
    });
    this.#origin = `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
    return this;
  }

  /** The origin to give the IdP as SMS_<GATEWAY>_BASE_URL. */
  get baseUrl(): string {
    return this.#origin;
  }

  /** Messages accepted for `to`. */
  acceptedFor(to: string): readonly AcceptedSms[] {
    return this.accepted.filter((m) => m.to === to);
  }

  /** The code on the last line (`#123456`) of the last message accepted for `to`. */
  codeFor(to: string): string {
    const text = this.acceptedFor(to).at(-1)?.text ?? '';
    const code = /#(\d{6})$/.exec(text.split('\n').at(-1) ?? '')?.[1];
    if (code === undefined) throw new Error(`no code was delivered to ${to}`);
    return code;
  }

  /** Checks a request against the vendor's documented shape. */
  protected abstract check(req: FakeRequest): Checked;
  /** The vendor's documented answer for each failure mode. */
  protected abstract readonly failures: Readonly<Record<FailureMode, FakeAnswer>>;
  /** The vendor's documented success answer. */
  protected abstract success(message: AcceptedSms): FakeAnswer;
  /** A request that asked the vendor to check and not send. */
  protected isDryRun(_message: AcceptedSms): boolean {
    return false;
  }
  /** The vendor's id for a new message. */
  protected abstract newMessageId(): string;

  #answer(req: FakeRequest): FakeAnswer | 'hang' {
    const checked = this.check(req);
    if (!checked.ok && 'unauthorized' in checked) {
      this.refusedCredentials += 1;
      return this.failures.auth;
    }
    if (!checked.ok) {
      this.violations.push(checked.problem);
      return { status: 400, contentType: 'text/plain', body: `fake: ${checked.problem}` };
    }
    if (this.mode === 'hang') return 'hang';
    if (this.mode !== 'ok') return this.failures[this.mode];
    const message: AcceptedSms = { ...checked.message, messageId: this.newMessageId() };
    if (!this.isDryRun(message)) this.accepted.push(message);
    return this.success(message);
  }

  async close(): Promise<void> {
    for (const response of this.#hanging) response.destroy();
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }
}

/** Whether the request carries HTTP Basic credentials `user`:`password`. */
export function hasBasicAuth(req: FakeRequest, user: string, password: string): boolean {
  const auth = readBasic(req.headers.authorization);
  return auth?.user === user && auth.password === password;
}

/** `Basic base64(user:password)`, decoded; undefined when the header is not Basic. */
function readBasic(header: string | undefined): { user: string; password: string } | undefined {
  const match = /^Basic ([A-Za-z0-9+/=]+)$/.exec(header ?? '');
  if (match === null) return undefined;
  const decoded = Buffer.from(match[1] as string, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? undefined : { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

/** Lower-case hex of `bytes` random bytes. */
export function randomHex(bytes: number): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(bytes))).toString('hex');
}

/** Undefined for a POST to `path`, else the problem. */
export function wrongRoute(req: FakeRequest, path: string): Problem | undefined {
  return req.method === 'POST' && req.path === path
    ? undefined
    : { ok: false, problem: `${req.method} ${req.path}` };
}

type Read<T> = { ok: true; fields: T } | Problem;

/** An application/x-www-form-urlencoded body that has only the vendor's documented fields. */
export function readForm(req: FakeRequest, documented: ReadonlySet<string>): Read<URLSearchParams> {
  if (req.headers['content-type'] !== 'application/x-www-form-urlencoded') {
    return { ok: false, problem: `content-type ${req.headers['content-type']}` };
  }
  const form = new URLSearchParams(req.body);
  return onlyDocumented([...form.keys()], documented) ?? { ok: true, fields: form };
}

/** A JSON object body that has only the vendor's documented fields. */
export function readJson(req: FakeRequest, documented: ReadonlySet<string>): Read<Record<string, unknown>> {
  if (!/^application\/json/.test(req.headers['content-type'] ?? ''))
    return { ok: false, problem: 'content-type' };
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(req.body) as Record<string, unknown>;
  } catch {
    return { ok: false, problem: 'body is not JSON' };
  }
  return onlyDocumented(Object.keys(body), documented) ?? { ok: true, fields: body };
}

function onlyDocumented(keys: readonly string[], documented: ReadonlySet<string>): Problem | undefined {
  const unknown = keys.filter((k) => !documented.has(k));
  return unknown.length > 0 ? { ok: false, problem: `unknown fields ${unknown.join(',')}` } : undefined;
}
