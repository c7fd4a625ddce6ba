// Child processes of the benchmark, pinned to one core with `taskset` where it exists, with a free loopback port.

import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { availableParallelism } from 'node:os';
import type { AddressInfo } from 'node:net';

/** The core every measured process runs on (the load driver keeps the others). */
export const MEASURED_CORE = 1;

const hasTaskset = spawnSync('taskset', ['-V'], { stdio: 'ignore' }).status === 0;

/** The core of the i-th IdP process when several run (`--idps`): the measured core first, then the next ones. */
export function coreOf(i: number): number {
  return (MEASURED_CORE + i) % availableParallelism();
}

/** How the measured processes are pinned, for the report. */
export function pinning(): string {
  return hasTaskset ? `taskset -c ${MEASURED_CORE}` : 'not pinned (no taskset)';
}

/** Spawns `node <args>` (this Node) pinned to `core` (the measured one), with an IPC channel and the given env only. */
export function spawnPinnedNode(
  args: readonly string[],
  env: Readonly<Record<string, string>>,
  stdio: 'ignore' | 'pipe' = 'ignore',
  core = MEASURED_CORE,
): ChildProcess {
  const command = hasTaskset ? 'taskset' : process.execPath;
  const argv = hasTaskset ? ['-c', String(core), process.execPath, ...args] : [...args];
  return spawn(command, argv, {
    cwd: new URL('../', import.meta.url).pathname,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: [stdio, stdio, 'inherit', 'ipc'],
  });
}

/** A port of 127.0.0.1 that was free a moment ago. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * Resolves once `url` answers 200; rejects when the child exits first or after `timeoutMs` (generous: a first
 * start makes an RSA key pair, and the measured core may be busy).
 */
export async function waitUntilServing(child: ChildProcess, url: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`${url}: the process exited`);
    const ok = await fetch(url).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`${url}: not serving within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** SIGTERM, then waits for the exit (SIGKILL after `graceMs`). */
export async function stopChild(child: ChildProcess, graceMs = 10_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

/** Sends one IPC question and resolves with the next message. */
export function ask<T>(child: ChildProcess, question: unknown): Promise<T> {
  return new Promise((resolve, reject) => {
    child.once('message', (answer) => resolve(answer as T));
    child.send(question as object, (error) => {
      if (error) reject(error);
    });
  });
}
