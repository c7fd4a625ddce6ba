// Builds a real IdP app for tests: temp SP metadata folder and dev keys, memory store unless given, recording SMS.

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app.ts';
import { type Config, loadConfig } from '../../src/config/config.ts';
import type { Store } from '../../src/store/store.ts';
import { RecordingSmsProvider } from './recording-sms.ts';

export interface TestIdp {
  readonly app: FastifyInstance;
  readonly config: Config;
  readonly sms: RecordingSmsProvider;
  readonly dir: string;
  close(): Promise<void>;
}

/** `sps` maps a file name (without .xml) to SP metadata XML; `env` overrides settings. */
export async function buildTestIdp(
  options: {
    sps?: Record<string, string>;
    /** Sidecar settings per SP file name (written as <name>.json). */
    spSettings?: Record<string, unknown>;
    env?: Record<string, string>;
    store?: Store;
    dir?: string;
    /** Send through the providers the settings configure (gateway fakes) instead of the recording provider. */
    realSms?: boolean;
    /** Receives the IdP's own JSON log lines (its real logger, at LOG_LEVEL, default info); else no logs. */
    logStream?: { write(line: string): void };
  } = {},
): Promise<TestIdp> {
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'nsi-test-'));
  const spDir = join(dir, 'sp');
  rmSync(spDir, { recursive: true, force: true });
  mkdirSync(spDir, { recursive: true });
  for (const [name, xml] of Object.entries(options.sps ?? {})) writeFileSync(join(spDir, `${name}.xml`), xml);
  for (const [name, settings] of Object.entries(options.spSettings ?? {})) {
    writeFileSync(join(spDir, `${name}.json`), JSON.stringify(settings));
  }
  const config = loadConfig({
    BASE_URL: 'https://idp.example.test',
    SP_METADATA_DIR: spDir,
    DEV_KEY_DIR: join(dir, 'keys'),
    DEMO_SP: 'false',
    IDP_SECRET: 'test-secret-0123456789-0123456789-abcdef',
    LOG_LEVEL: options.logStream === undefined ? 'silent' : 'info',
    ...options.env,
  });
  const sms = new RecordingSmsProvider();
  let app: FastifyInstance;
  try {
    app = await buildApp(config, {
      ...(options.realSms === true ? {} : { sms }),
      store: options.store,
      ...(options.logStream === undefined ? { logger: false } : { logStream: options.logStream }),
    });
    await app.ready();
  } catch (error) {
    if (options.dir === undefined) rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    app,
    config,
    sms,
    dir,
    async close() {
      await app.close();
      if (options.dir === undefined) rmSync(dir, { recursive: true, force: true });
    },
  };
}
