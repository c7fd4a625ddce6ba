// The machine's floor, measured in the same run on the same pinned core: what one RSA-2048 signature and one
// bare Fastify request cost. A login needs two signatures and five requests; nothing can be cheaper than that.

import { once } from 'node:events';
import { Pool } from 'undici';
import type { ProbeAnswer } from './idp-probe.ts';
import { quantile } from './load.ts';
import { ask, freePort, spawnPinnedNode, stopChild, waitUntilServing } from './pinned.ts';

export interface Floor {
  readonly signaturesPerSecond: number;
  readonly cpuMsPerSignature: number;
  readonly requestsPerSecond: number;
  readonly cpuMsPerRequest: number;
  readonly requestP50Ms: number;
  readonly requestP99Ms: number;
}

const PROBE = new URL('./idp-probe.ts', import.meta.url).pathname;

async function signing(keyFile: string): Promise<{ signatures: number; cpuMsPerSignature: number }> {
  const child = spawnPinnedNode([new URL('./floor-sign.ts', import.meta.url).pathname, keyFile], {}, 'pipe');
  let out = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    out += chunk.toString('utf8');
  });
  const [code] = (await once(child, 'exit')) as [number | null];
  if (code !== 0) throw new Error(`floor-sign exited with ${code}`);
  return JSON.parse(out) as { signatures: number; cpuMsPerSignature: number };
}

async function bareRoute(
  users: number,
  requests: number,
): Promise<Omit<Floor, 'signaturesPerSecond' | 'cpuMsPerSignature'>> {
  const port = await freePort();
  const child = spawnPinnedNode(['--import', PROBE, new URL('./bare-fastify.ts', import.meta.url).pathname], {
    PORT: String(port),
  });
  const pool = new Pool(`http://127.0.0.1:${port}`, { connections: users, pipelining: 1 });
  try {
    await waitUntilServing(child, `http://127.0.0.1:${port}/healthz`);
    const hit = async () => {
      const t = performance.now();
      const r = await pool.request({
        method: 'GET',
        path: '/page',
        headers: { 'sec-fetch-mode': 'navigate' },
      });
      await r.body.text();
      if (r.statusCode !== 200) throw new Error(`bare route answered ${r.statusCode}`);
      return performance.now() - t;
    };
    const run = async (count: number) => {
      const times: number[] = [];
      let left = count;
      await Promise.all(
        Array.from({ length: users }, async () => {
          while (left-- > 0) times.push(await hit());
        }),
      );
      return times;
    };
    await run(Math.min(2000, requests));
    const before = await ask<ProbeAnswer>(child, { ask: 'usage' });
    const t0 = performance.now();
    const times = await run(requests);
    const wall = (performance.now() - t0) / 1000;
    const after = await ask<ProbeAnswer>(child, { ask: 'usage' });
    times.sort((a, b) => a - b);
    return {
      requestsPerSecond: requests / wall,
      cpuMsPerRequest: (after.cpuMicros - before.cpuMicros) / 1000 / requests,
      requestP50Ms: quantile(times, 0.5),
      requestP99Ms: quantile(times, 0.99),
    };
  } finally {
    await pool.close();
    await stopChild(child);
  }
}

/** Measures both parts of the floor; `keyFile` is the IdP's signing key. */
export async function measureFloor(keyFile: string, users: number, requests: number): Promise<Floor> {
  const sign = await signing(keyFile);
  const bare = await bareRoute(users, requests);
  return {
    signaturesPerSecond: 1000 / sign.cpuMsPerSignature,
    cpuMsPerSignature: sign.cpuMsPerSignature,
    ...bare,
  };
}

/** CPU ms of the least a login can cost: two signatures and five page requests. */
export function floorMsPerLogin(floor: Floor, requestsPerLogin: number): number {
  return 2 * floor.cpuMsPerSignature + requestsPerLogin * floor.cpuMsPerRequest;
}
