// samlify is a development dependency: an install without it (npm ci --omit=dev) must start with DEMO_SP=false,
// and with DEMO_SP=true end with a settings message rather than a stack trace. The child processes here run with a
// resolve hook that makes samlify missing, as in such an install.

import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';

const ROOT = new URL('../../', import.meta.url).pathname;
const LISTENING = /"msg":"Server listening at (http:\/\/127\.0\.0\.1:\d+)"/;
const dir = mkdtempSync(join(tmpdir(), 'nsi-no-samlify-'));
const HOOK = join(dir, 'no-samlify.mjs');
mkdirSync(join(dir, 'sp'));
writeFileSync(
  HOOK,
  `import { registerHooks } from 'node:module';
registerHooks({
  resolve(specifier, context, next) {
    if (specifier === 'samlify' || specifier.startsWith('samlify/')) {
      const error = new Error(\`Cannot find package '\${specifier}' imported from \${context.parentURL}\`);
      error.code = 'ERR_MODULE_NOT_FOUND';
      throw error;
    }
    return next(specifier, context);
  },
});
`,
);

function env(demoSp: boolean): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH ?? '',
    HOST: '127.0.0.1',
    PORT: '0',
    BASE_URL: 'http://localhost:3000',
    DEMO_SP: String(demoSp),
    DEV_KEY_DIR: join(dir, 'keys'),
    SP_METADATA_DIR: join(dir, 'sp'),
  };
}

after(() => rmSync(dir, { recursive: true, force: true }));

describe('the IdP without samlify installed', { timeout: 60_000 }, () => {
  test('the hook does hide samlify (so the tests below run without it)', () => {
    const probe = spawnSync(
      process.execPath,
      ['--import', HOOK, '--input-type=module', '-e', "await import('samlify')"],
      {
        cwd: ROOT,
        encoding: 'utf8',
      },
    );
    assert.notEqual(probe.status, 0);
    assert.match(probe.stderr, /ERR_MODULE_NOT_FOUND/);
  });

  test('DEMO_SP=false: it starts, publishes its metadata and has no demo page', async () => {
    const child = spawn(process.execPath, ['--import', HOOK, 'src/server.ts'], {
      cwd: ROOT,
      env: env(false),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      let origin = '';
      while (origin === '' && child.exitCode === null) {
        await new Promise((resolve) => setTimeout(resolve, 25));
        origin = LISTENING.exec(output)?.[1] ?? '';
      }
      assert.notEqual(origin, '', `not listening:\n${output.slice(-2000)}`);
      assert.equal((await fetch(`${origin}/saml/metadata`)).status, 200);
      assert.equal((await fetch(`${origin}/demo`)).status, 404);
      const home = await fetch(`${origin}/`, { redirect: 'manual' });
      assert.equal(home.headers.get('location'), '/saml/metadata');
      child.kill('SIGTERM');
      assert.equal(await exited, 0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });

  test('DEMO_SP=true: the start ends with exit code 2 and a message naming the setting, no stack trace', () => {
    const run = spawnSync(process.execPath, ['--import', HOOK, 'src/server.ts'], {
      cwd: ROOT,
      env: env(true),
      encoding: 'utf8',
    });
    assert.equal(run.status, 2, run.stderr);
    assert.match(run.stderr, /DEMO_SP is on but the demo SP needs the development dependencies \(samlify\)/);
    assert.doesNotMatch(run.stderr, /^\s+at /m);
  });
});
