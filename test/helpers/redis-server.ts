// Real redis-server processes for tests: one node, or a three-master Cluster, on free 127.0.0.1 ports.

import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { type AddressInfo, connect, createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A running single redis-server. */
export interface RedisServer {
  /** `redis://127.0.0.1:<port>`. */
  readonly url: string;
  readonly port: number;
  /** Shuts the server down and removes its temp dir; safe to call twice. */
  stop(): Promise<void>;
  /** SIGKILL, as a crash: connections drop without a goodbye. `restart()` brings it back. */
  kill(): Promise<void>;
  /** SIGSTOP: the port still accepts connections but nothing answers. */
  pause(): void;
  /** SIGCONT after `pause()`. */
  resume(): void;
  /** Starts the server again on the same port (empty: nothing is persisted). */
  restart(): Promise<void>;
}

/** A Sentinel that watches one master under a name. */
export interface RedisSentinel {
  readonly host: string;
  readonly port: number;
  readonly masterName: string;
  stop(): Promise<void>;
}

/** Three masters that own all 16384 slots. */
export interface RedisCluster {
  readonly nodes: { host: string; port: number }[];
  stop(): Promise<void>;
}

const HOST = '127.0.0.1';
const START_TIMEOUT_MS = 5000;
const live = new Set<ChildProcess>();

process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

/** Ports that were free a moment ago, all distinct (they are held open together while chosen). */
async function freePorts(count: number): Promise<number[]> {
  const servers: Server[] = [];
  try {
    for (let i = 0; i < count; i++) {
      const server = createServer();
      servers.push(server);
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(0, HOST, resolve);
      });
    }
    return servers.map((s) => (s.address() as AddressInfo).port);
  } finally {
    await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  }
}

/** Sends one inline command and resolves with the raw reply (simple, error or bulk string). */
function rawCommand(port: number, command: string, timeoutMs = 500): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: HOST, port });
    let buffer = '';
    const finish = (error: Error | undefined, reply?: string) => {
      socket.destroy();
      if (error) reject(error);
      else resolve(reply ?? '');
    };
    socket.setTimeout(timeoutMs, () => finish(new Error(`no reply from ${port}`)));
    socket.once('error', (error) => finish(error));
    socket.once('connect', () => socket.write(`${command}\r\n`));
    socket.on('data', (chunk) => {
      buffer += chunk.toString('utf8');
      const lineEnd = buffer.indexOf('\r\n');
      if (lineEnd < 0) return;
      if (buffer[0] !== '$') return finish(undefined, buffer.slice(0, lineEnd));
      const length = Number(buffer.slice(1, lineEnd));
      const body = buffer.slice(lineEnd + 2);
      if (length < 0) finish(undefined, '');
      else if (Buffer.byteLength(body) >= length + 2) finish(undefined, body.slice(0, -2));
    });
  });
}

async function waitUntil(what: string, check: () => Promise<boolean>, failed: () => string | undefined) {
  const deadline = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    const failure = failed();
    if (failure !== undefined) throw new Error(`${what}: ${failure}`);
    if (await check().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`${what}: not ready after ${START_TIMEOUT_MS} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** One redis-server process that can be stopped and started again with the same arguments. */
class Process {
  readonly port: number;
  readonly #args: string[];
  #child: ChildProcess | undefined;

  constructor(port: number, args: string[]) {
    this.port = port;
    this.#args = args;
  }

  async start(): Promise<void> {
    let output = '';
    let exited: string | undefined;
    const child = spawn('redis-server', [...this.#args, '--port', String(this.port)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.#child = child;
    live.add(child);
    const collect = (chunk: Buffer) => {
      output = (output + chunk.toString('utf8')).slice(-4000);
    };
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
    child.once('error', (error) => {
      exited = error.message;
    });
    child.once('exit', (code, signal) => {
      live.delete(child);
      exited ??= `exited (${signal ?? code})\n${output}`;
    });
    await waitUntil(
      `redis-server on port ${this.port}`,
      async () => (await rawCommand(this.port, 'PING')) === '+PONG',
      () => exited,
    );
  }

  /** Sends the signal and waits for the exit (SIGKILL if SIGTERM is not enough within 5 s). */
  async end(signal: 'SIGTERM' | 'SIGKILL'): Promise<void> {
    const child = this.#child;
    this.#child = undefined;
    if (child === undefined || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGCONT');
    child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  }

  signal(signal: 'SIGSTOP' | 'SIGCONT'): void {
    this.#child?.kill(signal);
  }
}

function baseArgs(dir: string): string[] {
  return ['--bind', HOST, '--save', '', '--appendonly', 'no', '--dir', dir, '--daemonize', 'no'];
}

/** Starts redis-server on a free port; resolves once it answers PING. */
export async function startRedisServer(): Promise<RedisServer> {
  const dir = await mkdtemp(join(tmpdir(), 'nsi-redis-'));
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    const [port] = await freePorts(1);
    const server = new Process(port!, baseArgs(dir));
    try {
      await server.start();
    } catch (error) {
      lastError = error;
      await server.end('SIGKILL');
      continue;
    }
    let stopped = false;
    return {
      url: `redis://${HOST}:${server.port}`,
      port: server.port,
      async stop() {
        if (stopped) return;
        stopped = true;
        await server.end('SIGTERM');
        await rm(dir, { recursive: true, force: true });
      },
      kill: () => server.end('SIGKILL'),
      pause: () => server.signal('SIGSTOP'),
      resume: () => server.signal('SIGCONT'),
      async restart() {
        await server.end('SIGTERM');
        await server.start();
      },
    };
  }
  await rm(dir, { recursive: true, force: true });
  throw lastError;
}

/** Starts three cluster-enabled masters and joins them with `redis-cli --cluster create`. */
export async function startRedisCluster(): Promise<RedisCluster> {
  const dir = await mkdtemp(join(tmpdir(), 'nsi-redis-cluster-'));
  const ports = await freePorts(6);
  const servers = [0, 1, 2].map(
    (i) =>
      new Process(ports[i]!, [
        ...baseArgs(dir),
        '--cluster-enabled',
        'yes',
        '--cluster-config-file',
        join(dir, `nodes-${i}.conf`),
        '--cluster-port',
        String(ports[i + 3]),
        '--cluster-node-timeout',
        '2000',
      ]),
  );
  const stop = async () => {
    await Promise.all(servers.map((s) => s.end('SIGTERM')));
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await Promise.all(servers.map((s) => s.start()));
    const addresses = servers.map((s) => `${HOST}:${s.port}`);
    await new Promise<void>((resolve, reject) => {
      execFile('redis-cli', ['--cluster', 'create', ...addresses, '--cluster-yes'], (error, stdout) => {
        if (error) reject(new Error(`redis-cli --cluster create failed: ${error.message}\n${stdout}`));
        else resolve();
      });
    });
    for (const server of servers) {
      await waitUntil(
        `cluster node ${server.port}`,
        async () => (await rawCommand(server.port, 'CLUSTER INFO')).includes('cluster_state:ok'),
        () => undefined,
      );
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return { nodes: servers.map((s) => ({ host: HOST, port: s.port })), stop };
}

/** Starts a Sentinel (`redis-server <conf> --sentinel`) watching `master` as `masterName`. */
export async function startRedisSentinel(
  master: RedisServer,
  masterName = 'nsi-master',
): Promise<RedisSentinel> {
  const dir = await mkdtemp(join(tmpdir(), 'nsi-redis-sentinel-'));
  const conf = join(dir, 'sentinel.conf');
  await writeFile(conf, `sentinel monitor ${masterName} ${HOST} ${master.port} 1\n`);
  const [port] = await freePorts(1);
  const sentinel = new Process(port!, [
    conf,
    '--sentinel',
    '--bind',
    HOST,
    '--dir',
    dir,
    '--daemonize',
    'no',
  ]);
  const stop = async () => {
    await sentinel.end('SIGTERM');
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await sentinel.start();
  } catch (error) {
    await stop();
    throw error;
  }
  return { host: HOST, port: sentinel.port, masterName, stop };
}
