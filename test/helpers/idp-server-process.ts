// Real IdP processes (`node src/server.ts`) sharing one store behind one public URL, with a webhook SMS sink.

import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { httpTransport, PathCookieJar, type Transport } from './browser-client.ts';

const HOST = '127.0.0.1';
const SERVER_TS = new URL('../../src/server.ts', import.meta.url).pathname;
const PROJECT_ROOT = new URL('../../', import.meta.url).pathname;
// A process starts in about a second; on a machine busy with other jobs (shared CI) it has taken over 10 s.
const START_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 5_000;
const LISTENING = /"msg":"Server listening at (http:\/\/127\.0\.0\.1:\d+)"/;

/** Every child started here, SIGKILLed if the test process exits without cleaning up. */
const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

/** One SMS as the webhook provider posts it (docs/contract.md §5). */
export interface SinkMessage {
  readonly to: string;
  readonly message: string;
}

/** A webhook call the sink has recorded but not yet answered. */
export interface HeldRequest {
  /** Resolves when the IdP's webhook call has arrived. */
  readonly arrived: Promise<void>;
  /** Answers it (204). Safe to call more than once. */
  release(): void;
}

/** An HTTP endpoint standing in for the SMS gateway: records `{to, message}` and answers 204. */
export interface SmsSink {
  /** The URL to give the IdP as SMS_WEBHOOK_URL. */
  readonly url: string;
  readonly messages: readonly SinkMessage[];
  /** The code in the last message to `to` (the `#123456` on its last line). */
  lastCode(to: string): string;
  /** The next call is recorded, then left unanswered until `release()`: a slow gateway. */
  holdNext(): HeldRequest;
  close(): Promise<void>;
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

/** Starts the sink on 127.0.0.1, on a free port. */
export async function startSmsSink(): Promise<SmsSink> {
  const messages: SinkMessage[] = [];
  const releases: (() => void)[] = [];
  let hold: { arrived: () => void; released: Promise<void> } | undefined;
  const server: Server = createServer((request: IncomingMessage, response: ServerResponse) => {
    void (async () => {
      const body = JSON.parse(await readBody(request)) as SinkMessage;
      if (typeof body.to !== 'string' || typeof body.message !== 'string') throw new Error('not an SMS');
      messages.push({ to: body.to, message: body.message });
      const held = hold;
      hold = undefined;
      if (held !== undefined) {
        held.arrived();
        await held.released;
      }
      response.writeHead(204).end();
    })().catch(() => response.writeHead(400).end());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, HOST, resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${HOST}:${port}/sms`,
    messages,
    lastCode(to) {
      const last = messages.filter((m) => m.to === to).at(-1);
      const match = last === undefined ? null : /\n@[^\n]+ #(\d{6})$/.exec(last.message);
      if (match === null) throw new Error(`no code sent to ${to}`);
      return match[1] as string;
    },
    holdNext() {
      let arrived = () => {};
      let release = () => {};
      const arrivedPromise = new Promise<void>((resolve) => {
        arrived = resolve;
      });
      const released = new Promise<void>((resolve) => {
        release = resolve;
      });
      releases.push(release);
      hold = { arrived, released };
      return { arrived: arrivedPromise, release };
    },
    async close() {
      for (const release of releases) release();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** How a child process ended. */
export interface Exit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

/** One running `node src/server.ts`. */
export interface IdpProcess {
  /** `http://127.0.0.1:<port>`: this process itself, not the public URL. */
  readonly origin: string;
  readonly pid: number;
  /** Resolves when the process has exited, however it ended. */
  readonly exited: Promise<Exit>;
  /** Everything it wrote to stdout and stderr so far (JSON log lines). */
  output(): string;
  /** Resolves once its output matches, rejects after `timeoutMs` or when it exits first. */
  waitForLog(pattern: RegExp, timeoutMs?: number): Promise<void>;
  /** SIGTERM (graceful shutdown) and the exit it leads to; SIGKILL when that takes over 5 s. */
  stop(): Promise<Exit>;
  /** SIGKILL, as a crash; resolves on exit. Safe on a process that has already ended. */
  kill(): Promise<void>;
}

async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/**
 * Spawns the IdP with Node from this process (`process.execPath`) and `env` on top of PATH and HOME only, so
 * the test's own environment does not leak in. It listens on a free port (PORT=0, read back from its log) of
 * 127.0.0.1; resolves once /healthz answers 200.
 */
export async function startIdpProcess(env: Readonly<Record<string, string>>): Promise<IdpProcess> {
  const child = spawn(process.execPath, [SERVER_TS], {
    cwd: PROJECT_ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env, PORT: '0', HOST },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  live.add(child);
  let output = '';
  const listeners = new Set<() => void>();
  const notify = () => {
    for (const listener of listeners) listener();
  };
  const collect = (chunk: Buffer) => {
    output += chunk.toString('utf8');
    notify();
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const exited = new Promise<Exit>((resolve) => {
    child.once('exit', (code, signal) => {
      live.delete(child);
      resolve({ code, signal });
      notify();
    });
  });
  const ended = () => child.exitCode !== null || child.signalCode !== null;

  const waitForLog = (pattern: RegExp, timeoutMs = START_TIMEOUT_MS): Promise<void> =>
    new Promise((resolve, reject) => {
      const finish = (error?: Error) => {
        clearTimeout(timer);
        listeners.delete(check);
        if (error) reject(error);
        else resolve();
      };
      const check = () => {
        if (pattern.test(output)) finish();
        else if (ended()) finish(new Error(`IdP exited before logging ${pattern}:\n${output.slice(-2000)}`));
      };
      const timer = setTimeout(
        () => finish(new Error(`IdP did not log ${pattern} within ${timeoutMs} ms:\n${output.slice(-2000)}`)),
        timeoutMs,
      );
      listeners.add(check);
      check();
    });

  const kill = async (): Promise<void> => {
    if (ended()) return;
    child.kill('SIGKILL');
    await exited;
  };

  try {
    await waitForLog(LISTENING);
    const origin = LISTENING.exec(output)?.[1] as string;
    await waitFor(
      `IdP /healthz at ${origin}`,
      async () => (await fetch(`${origin}/healthz`)).status === 200,
      START_TIMEOUT_MS,
    );
    return {
      origin,
      pid: child.pid as number,
      exited,
      output: () => output,
      waitForLog,
      async stop() {
        if (!ended()) child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
        const exit = await exited;
        clearTimeout(timer);
        return exit;
      },
      kill,
    };
  } catch (error) {
    await kill();
    throw error;
  }
}

/** What every IdP process of one deployment shares, and how to start more of them. */
export interface IdpDeployment {
  /** The public URL every process is configured with (BASE_URL), as behind a load balancer. */
  readonly baseUrl: string;
  /** `${baseUrl}/saml/sso`: the Destination of AuthnRequests. */
  readonly ssoUrl: string;
  readonly sms: SmsSink;
  /** Starts one more process; `env` adds or overrides settings for it alone. */
  start(env?: Readonly<Record<string, string>>): Promise<IdpProcess>;
  /** SIGKILLs every process still running, closes the sink and removes the temp dir. */
  close(): Promise<void>;
}

/**
 * A deployment of IdP processes sharing one temp dir with the SP metadata (`sps`: file name → XML) and the
 * dev key pair (DEV_KEY_DIR), one IDP_SECRET, one SMS sink and one BASE_URL; `env` (e.g. REDIS_URL) goes
 * to every process. Start the first process alone: it writes the key pair the others read.
 */
export async function createIdpDeployment(opts: {
  sps: Readonly<Record<string, string>>;
  env: Readonly<Record<string, string>>;
  baseUrl?: string;
}): Promise<IdpDeployment> {
  const dir = mkdtempSync(join(tmpdir(), 'nsi-e2e-'));
  const spDir = join(dir, 'sp');
  mkdirSync(spDir);
  for (const [name, xml] of Object.entries(opts.sps)) writeFileSync(join(spDir, `${name}.xml`), xml);
  const baseUrl = opts.baseUrl ?? 'https://idp.balanced.test';
  let sms: SmsSink;
  try {
    sms = await startSmsSink();
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  const processes: IdpProcess[] = [];
  return {
    baseUrl,
    ssoUrl: `${baseUrl}/saml/sso`,
    sms,
    async start(env = {}) {
      const idp = await startIdpProcess({
        BASE_URL: baseUrl,
        SP_METADATA_DIR: spDir,
        DEV_KEY_DIR: join(dir, 'keys'),
        IDP_SECRET: 'e2e-secret-0123456789-0123456789-abcdef',
        DEMO_SP: 'false',
        SMS_PROVIDER: 'webhook',
        SMS_WEBHOOK_URL: sms.url,
        LOG_LEVEL: 'info',
        ...opts.env,
        ...env,
      });
      processes.push(idp);
      return idp;
    },
    async close() {
      await Promise.all(processes.map((p) => p.kill()));
      await sms.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * A transport that sends each request to whichever process `target()` names at that moment, as a load
 * balancer without sticky sessions may. It asks for English pages.
 */
export function balancedTransport(target: () => IdpProcess): Transport {
  // One browser behind one load balancer: its cookies (the flow cookie) go to whichever process answers.
  const jar = new PathCookieJar();
  const transport = (method: 'GET' | 'POST', url: string, form?: Readonly<Record<string, string>>) =>
    httpTransport(target().origin, { 'accept-language': 'en' }, jar)(method, url, form);
  return Object.assign(transport, { jar });
}
