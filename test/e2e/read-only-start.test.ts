// What the Dockerfile assumes, checked on this machine: the IdP starts from a working tree it cannot write to, as a
// user that is not root, with keys, SP metadata and the secret from mounted paths, serves a login and exits cleanly.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import {
  chmodSync,
  cpSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { authnRequestXml, createTestSp, redirectQuery, testKeys } from '../helpers/saml-sp.ts';

const ROOT = new URL('../../', import.meta.url).pathname;
const BASE_URL = 'https://idp.readonly.test';
const LISTENING = /"msg":"Server listening at (http:\/\/127\.0\.0\.1:\d+)"/;
const sp = createTestSp();

/** Every path under `dir`, symbolic links listed but never followed (node_modules is the project's own). */
function tree(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? [path, ...tree(path)] : [path];
  });
}

/** Sets the mode of every file and folder under `dir` (not through symbolic links), and of `dir` itself. */
function setModes(dir: string, dirMode: number, fileMode: number): void {
  for (const path of tree(dir)) {
    const stat = lstatSync(path);
    if (!stat.isSymbolicLink()) chmodSync(path, stat.isDirectory() ? dirMode : fileMode);
  }
  chmodSync(dir, dirMode);
}

describe('a start as in the image: read-only tree, non-root user, mounted keys and metadata', {
  timeout: 30_000,
}, () => {
  const base = mkdtempSync(join(tmpdir(), 'nsi-readonly-'));
  const app = join(base, 'app');
  const mounts = join(base, 'etc');
  let before_: string[];
  let output = '';
  let origin = '';
  let child: ReturnType<typeof spawn> | undefined;
  let exited: Promise<number | null>;
  // As root, run as `nobody`, for whom nothing here is writable; otherwise the modes alone refuse writes.
  const asNobody = process.getuid?.() === 0;

  before(async () => {
    chmodSync(base, 0o755);
    // The image's /app: package files, src/ and templates/ (what the Dockerfile copies) and its node_modules.
    mkdirSync(app);
    for (const part of ['package.json', 'src', 'templates'])
      cpSync(join(ROOT, part), join(app, part), { recursive: true });
    symlinkSync(join(ROOT, 'node_modules'), join(app, 'node_modules'));
    // What an operator mounts: SP metadata, the key pair, the secret.
    mkdirSync(join(mounts, 'sp'), { recursive: true });
    mkdirSync(join(mounts, 'keys'));
    writeFileSync(join(mounts, 'sp', 'sp.xml'), sp.metadataXml);
    const keys = testKeys('readonly-idp');
    writeFileSync(join(mounts, 'keys', 'idp.key'), keys.privateKeyPem);
    writeFileSync(join(mounts, 'keys', 'idp.crt'), keys.certPem);
    writeFileSync(join(mounts, 'idp_secret'), 'readonly-secret-0123456789-0123456789-abcdef\n');
    setModes(app, 0o555, 0o444);
    setModes(mounts, 0o555, 0o444);
    before_ = tree(base);

    child = spawn(process.execPath, ['src/server.ts'], {
      cwd: app,
      env: {
        PATH: process.env.PATH ?? '',
        // The Dockerfile's defaults, with the paths of this test's mounts.
        NODE_ENV: 'production',
        HOST: '127.0.0.1',
        PORT: '0',
        BASE_URL,
        SP_METADATA_DIR: join(mounts, 'sp'),
        IDP_KEY_FILE: join(mounts, 'keys', 'idp.key'),
        IDP_CERT_FILE: join(mounts, 'keys', 'idp.crt'),
        IDP_SECRET_FILE: join(mounts, 'idp_secret'),
        DEV_KEY_DIR: join(app, '.dev-keys'),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
      ...(asNobody ? { uid: 65534, gid: 65534 } : {}),
    });
    exited = new Promise((resolve) => {
      child?.once('exit', (code) => resolve(code));
      child?.once('error', (error) => {
        output += String(error);
        resolve(null);
      });
    });
    const collect = (chunk: Buffer) => {
      output += chunk.toString('utf8');
    };
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
    let ended = false;
    void exited.then(() => {
      ended = true;
    });
    for (const deadline = Date.now() + 10_000; origin === '' && !ended && Date.now() < deadline; ) {
      await new Promise((resolve) => setTimeout(resolve, 25));
      origin = LISTENING.exec(output)?.[1] ?? '';
    }
    assert.notEqual(origin, '', `not listening:\n${output.slice(-2000)}`);
  });
  after(() => {
    if (child?.exitCode === null) child.kill('SIGKILL');
    setModes(base, 0o755, 0o644);
    rmSync(base, { recursive: true, force: true });
  });

  test('it is ready, publishes the mounted certificate and starts a login for the mounted SP', async () => {
    assert.equal((await fetch(`${origin}/readyz`)).status, 200);
    const metadata = await (await fetch(`${origin}/saml/metadata`)).text();
    const certBody = testKeys('readonly-idp').certBase64;
    assert.ok(metadata.includes(certBody), 'the certificate from IDP_CERT_FILE is published');
    const xml = authnRequestXml({ issuer: sp.entityId, destination: `${BASE_URL}/saml/sso` });
    const sso = await fetch(`${origin}/saml/sso?${redirectQuery(xml)}`, { redirect: 'manual' });
    assert.equal(sso.status, 303);
    const login = await fetch(`${origin}${sso.headers.get('location')}`, {
      headers: { cookie: String(sso.headers.get('set-cookie')).split(';')[0] as string },
    });
    assert.equal(login.status, 200);
    assert.equal((await fetch(`${origin}/demo`)).status, 404, 'NODE_ENV=production: no demo SP');
  });

  test('it wrote nothing, complained of nothing, and SIGTERM ends it with 0', async () => {
    child?.kill('SIGTERM');
    assert.equal(await exited, 0);
    assert.deepEqual(tree(base), before_);
    assert.doesNotMatch(output, /EACCES|EROFS|EPERM|"level":50/);
    assert.ok(asNobody || process.getuid?.() !== 0, 'not run as root');
  });
});
