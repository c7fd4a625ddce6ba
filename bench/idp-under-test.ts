// The IdP as a user runs it (`node src/server.ts`, its own process on the measured core), with a trusted test SP
// in a temp SP_METADATA_DIR, the `webhook` SMS provider pointed at the benchmark's gateway, and limits set high
// enough that the benchmark measures logins, not the rate limiter.

import type { ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestSp, type TestSp } from '../test/helpers/saml-sp.ts';
import type { ProbeAnswer } from './idp-probe.ts';
import { ask, freePort, spawnPinnedNode, stopChild, waitUntilServing } from './pinned.ts';

export const BASE_URL = 'https://idp.bench.test';
const SERVER_TS = new URL('../src/server.ts', import.meta.url).pathname;
const PROBE = new URL('./idp-probe.ts', import.meta.url).pathname;

/** The files IdPs of one run share: the SP folder and the key folder (another process on the same Redis). */
export interface IdpFiles {
  readonly dir: string;
  readonly sp: TestSp;
}

export interface IdpUnderTest {
  readonly origin: string;
  readonly files: IdpFiles;
  readonly pid: number;
  readonly sp: TestSp;
  readonly idp: { entityId: string; ssoUrl: string; certPem: string };
  /** The IdP's signing key file, for the floor. */
  readonly keyFile: string;
  usage(): Promise<ProbeAnswer>;
  /** Heap after a full garbage collection. */
  heap(): Promise<ProbeAnswer>;
  stop(): Promise<void>;
}

/**
 * Starts the IdP; `env` adds settings (REDIS_URL); `cpuProfileDir` makes it write a --cpu-prof profile on exit.
 * `sharing` the files of an IdP already started makes another process of the same deployment (same keys and SP),
 * pinned to `core`; the first one removes the files when it stops.
 */
export async function startIdp(opts: {
  smsUrl: string;
  env?: Readonly<Record<string, string>>;
  cpuProfileDir?: string;
  sharing?: IdpFiles;
  core?: number;
}): Promise<IdpUnderTest> {
  const owned = opts.sharing === undefined;
  const dir = opts.sharing?.dir ?? mkdtempSync(join(tmpdir(), 'nsi-bench-'));
  const sp = opts.sharing?.sp ?? createTestSp({ entityId: 'https://sp.bench.test/sp' });
  if (owned) {
    mkdirSync(join(dir, 'sp'));
    writeFileSync(join(dir, 'sp', 'sp.xml'), sp.metadataXml);
  }
  const removeFiles = () => {
    if (owned) rmSync(dir, { recursive: true, force: true });
  };
  const port = await freePort();
  const profile =
    opts.cpuProfileDir === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${opts.cpuProfileDir}`];
  let child: ChildProcess | undefined;
  try {
    child = spawnPinnedNode(
      ['--expose-gc', '--import', PROBE, ...profile, SERVER_TS],
      {
        NODE_ENV: 'production',
        HOST: '127.0.0.1',
        PORT: String(port),
        BASE_URL,
        SP_METADATA_DIR: join(dir, 'sp'),
        DEV_KEY_DIR: join(dir, 'keys'),
        IDP_SECRET: 'bench-secret-0123456789-0123456789-abcdef',
        DEMO_SP: 'false',
        SMS_PROVIDER: 'webhook',
        SMS_WEBHOOK_URL: opts.smsUrl,
        TRUST_PROXY: '127.0.0.1',
        SMS_MAX_PER_PHONE: '1000',
        SMS_MAX_PER_PREFIX: '1000000',
        SMS_MAX_PER_IP: '100000',
        SMS_MAX_GLOBAL: '10000000',
        FLOW_MAX_PER_IP: '1000000',
        ...opts.env,
      },
      'ignore',
      opts.core,
    );
    const origin = `http://127.0.0.1:${port}`;
    await waitUntilServing(child, `${origin}/readyz`);
    const running = child;
    return {
      origin,
      files: { dir, sp },
      pid: running.pid as number,
      sp,
      idp: {
        entityId: `${BASE_URL}/saml/metadata`,
        ssoUrl: `${BASE_URL}/saml/sso`,
        certPem: readFileSync(join(dir, 'keys', 'idp-signing.cert.pem'), 'utf8'),
      },
      keyFile: join(dir, 'keys', 'idp-signing.key.pem'),
      usage: () => ask<ProbeAnswer>(running, { ask: 'usage' }),
      heap: () => ask<ProbeAnswer>(running, { ask: 'heap' }),
      async stop() {
        await stopChild(running);
        removeFiles();
      },
    };
  } catch (error) {
    if (child !== undefined) await stopChild(child);
    removeFiles();
    throw error;
  }
}
