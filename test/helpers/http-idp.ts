// Runs the IdP in this process over real HTTP on 127.0.0.1, with BASE_URL known before it starts (for e2e tests).

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app.ts';
import { type Config, loadConfig } from '../../src/config/config.ts';

/** An IdP listening on `baseUrl`; `close` stops it and removes its temp folder. */
export interface HttpIdp {
  readonly app: FastifyInstance;
  readonly config: Config;
  /** `http://127.0.0.1:<port>`, also the IdP's BASE_URL. */
  readonly baseUrl: string;
  /** `${baseUrl}/saml/sso`. */
  readonly ssoUrl: string;
  /** `${baseUrl}/saml/metadata`, also the IdP's entityID. */
  readonly entityId: string;
  close(): Promise<void>;
}

/** A port of 127.0.0.1 that was free a moment ago (BASE_URL must be known before the app is built). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/**
 * Starts the IdP with `sps` (file name without .xml → SP metadata XML) written into its SP_METADATA_DIR first;
 * `env` adds or overrides settings. Dev keys, SP folder and secret live in a temp folder removed on close.
 */
export async function startHttpIdp(options: {
  sps: Readonly<Record<string, string>>;
  env?: Readonly<Record<string, string>>;
  /** Receives the IdP's JSON log lines (at info); else no logs. */
  logStream?: { write(line: string): void };
}): Promise<HttpIdp> {
  const dir = mkdtempSync(join(tmpdir(), 'nsi-http-'));
  try {
    const spDir = join(dir, 'sp');
    mkdirSync(spDir);
    for (const [name, xml] of Object.entries(options.sps)) writeFileSync(join(spDir, `${name}.xml`), xml);
    for (let attempt = 1; ; attempt++) {
      const port = await freePort();
      const baseUrl = `http://127.0.0.1:${port}`;
      const config = loadConfig({
        HOST: '127.0.0.1',
        PORT: String(port),
        BASE_URL: baseUrl,
        SP_METADATA_DIR: spDir,
        DEV_KEY_DIR: join(dir, 'keys'),
        DEMO_SP: 'false',
        IDP_SECRET: 'http-test-secret-0123456789-0123456789',
        LOG_LEVEL: options.logStream === undefined ? 'silent' : 'info',
        ...options.env,
      });
      const app = await buildApp(
        config,
        options.logStream === undefined ? { logger: false } : { logStream: options.logStream },
      );
      try {
        await app.listen({ port, host: '127.0.0.1' });
      } catch (error) {
        await app.close();
        // Another process took the port between freePort() and listen(): pick again.
        if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE' && attempt < 5) continue;
        throw error;
      }
      return {
        app,
        config,
        baseUrl,
        ssoUrl: `${baseUrl}/saml/sso`,
        entityId: `${baseUrl}/saml/metadata`,
        async close() {
          try {
            await app.close();
          } finally {
            rmSync(dir, { recursive: true, force: true });
          }
        },
      };
    }
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}
