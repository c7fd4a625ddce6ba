// `nets-sms-idp client add|list|remove|check` against real files.

import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { ClientRegistry } from '../../../src/oidc/client-registry.ts';
import { cli } from './cli-helpers.ts';

const work = mkdtempSync(join(tmpdir(), 'nsi-cli-client-'));
const dir = join(work, 'oidc');
after(() => rmSync(work, { recursive: true, force: true }));
const env = { OIDC_CLIENTS_DIR: dir };

test('client add --generate-secret: validated, stored as <client_id>.json (0600), the secret shown once', async () => {
  writeFileSync(
    join(work, 'shop.json'),
    JSON.stringify({ client_id: 'shop', redirect_uris: ['https://shop.example.org/cb'] }),
  );
  const result = await cli(['client', 'add', 'shop.json', '--generate-secret', '--json'], env, work);
  assert.equal(result.code, 0, result.err);
  const out = result.json<{ added: boolean; secret: string; client: { clientId: string } }>();
  assert.equal(out.added, true);
  assert.match(out.secret, /^[A-Za-z0-9_-]{43}$/);
  const stored = JSON.parse(readFileSync(join(dir, 'shop.json'), 'utf8')) as { client_secret: string };
  assert.equal(stored.client_secret, out.secret);
  assert.equal(statSync(join(dir, 'shop.json')).mode & 0o777, 0o600);
  assert.equal(ClientRegistry.load(dir).get('shop')?.metadata.client_secret, out.secret, 'the IdP reads it');
  const again = await cli(['client', 'add', 'shop.json', '--generate-secret'], env, work);
  assert.equal(again.code, 1);
  assert.match(again.err, /already registered/);
});

test('client add refuses a bad file with every problem and leaves nothing behind', async () => {
  writeFileSync(
    join(work, 'bad.json'),
    JSON.stringify({ client_id: 'bad', client_secret: 'short', redirect_uris: ['http://bad.example/cb'] }),
  );
  const result = await cli(['client', 'add', 'bad.json'], env, work);
  assert.equal(result.code, 1);
  assert.match(result.err, /at least 32 characters/);
  assert.match(result.err, /must be https/);
  assert.equal(existsSync(join(dir, 'bad.json')), false);
  assert.equal(existsSync(join(dir, 'bad.json.new')), false);
});

test('client list, check (errors exit 1, advice as warnings) and remove', async () => {
  const list = await cli(['client', 'list', '--json'], env, work);
  assert.equal(list.code, 0);
  assert.deepEqual(
    list.json<{ clientId: string }[]>().map((c) => c.clientId),
    ['shop'],
  );
  const clean = await cli(['client', 'check', '--json'], env, work);
  assert.equal(clean.code, 0);
  const findings = clean.json<{ findings: { level: string; message: string }[] }>().findings;
  assert.ok(findings.some((f) => f.level === 'warning' && /client_secret_file/.test(f.message)));
  writeFileSync(join(dir, 'broken.json'), JSON.stringify({ client_id: 'broken', redirect_uris: [] }));
  const broken = await cli(['client', 'check'], env, work);
  assert.equal(broken.code, 1);
  assert.match(broken.out, /^error +broken\.json: redirect_uris/m);
  const removed = await cli(['client', 'remove', 'shop'], env, work);
  assert.equal(removed.code, 0);
  assert.equal(existsSync(join(dir, 'shop.json')), false);
  assert.equal((await cli(['client', 'remove', 'shop'], env, work)).code, 1);
});
