// Client files: RFC 7591 metadata plus ours, every problem listed, secrets from files, hot reload keeps the last good.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { ClientRegistry, readClientFile } from '../../../src/oidc/client-registry.ts';

const dir = mkdtempSync(join(tmpdir(), 'nsi-clients-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const write = (name: string, json: unknown) => writeFileSync(join(dir, name), JSON.stringify(json));
const SECRET = 'a-secret-of-at-least-32-characters-000';

test('a good client: our fields are kept apart from the metadata the provider sees', () => {
  write('shop.json', {
    client_id: 'shop',
    client_name: 'Shop',
    client_secret: SECRET,
    redirect_uris: ['https://shop.example.org/cb', 'http://127.0.0.1:8080/cb'],
    eids: ['nets_sms', 'bankid'],
    claims: ['pid', 'name'],
  });
  const { client, problems } = readClientFile(dir, 'shop.json');
  assert.deepEqual(problems, []);
  assert.equal(client?.displayName, 'Shop');
  assert.deepEqual(client?.eids, ['nets_sms', 'bankid']);
  assert.deepEqual(client?.claims, ['pid', 'name']);
  assert.equal(client?.metadata.eids, undefined);
  assert.equal(client?.metadata.client_secret, SECRET);
});

test('every problem of a bad file is listed at once', () => {
  write('bad.json', {
    client_id: 'bad id!',
    token_endpoint_auth_method: 'client_secret_jwt',
    redirect_uris: ['http://shop.example.org/cb', 'https://x.example/cb#frag'],
    scope: 'openid email',
    claims: ['pid', 'ssn'],
  });
  const { client, problems } = readClientFile(dir, 'bad.json');
  assert.equal(client, undefined);
  for (const part of [
    'client_id',
    'token_endpoint_auth_method',
    'must be https',
    'fragment',
    'scope',
    'claims',
  ])
    assert.ok(
      problems.some((p) => p.includes(part)),
      `${part}: ${problems.join(' | ')}`,
    );
  assert.match(readClientFile(dir, 'shop.json').problems.join(), /^$/);
  write('short.json', {
    client_id: 'short',
    client_secret: 'short',
    redirect_uris: ['https://a.example/cb'],
  });
  assert.match(readClientFile(dir, 'short.json').problems.join(), /at least 32 characters/);
  write('pub.json', {
    client_id: 'pub',
    token_endpoint_auth_method: 'none',
    client_secret: SECRET,
    redirect_uris: ['https://a.example/cb'],
  });
  assert.match(readClientFile(dir, 'pub.json').problems.join(), /takes no client_secret/);
  writeFileSync(join(dir, 'nojson.json'), '{');
  assert.match(readClientFile(dir, 'nojson.json').problems.join(), /not JSON/);
});

test('client_secret_file: the secret is read from beside the file; a missing one is a problem', () => {
  writeFileSync(join(dir, 'vault.secret'), `${SECRET}\n`, { mode: 0o600 });
  write('vault.json', {
    client_id: 'vault',
    client_secret_file: 'vault.secret',
    redirect_uris: ['https://v.example/cb'],
  });
  const { client } = readClientFile(dir, 'vault.json');
  assert.equal(client?.metadata.client_secret, SECRET);
  assert.equal(client?.metadata.client_secret_file, undefined);
  write('lost.json', {
    client_id: 'lost',
    client_secret_file: 'nowhere.secret',
    redirect_uris: ['https://v.example/cb'],
  });
  assert.match(readClientFile(dir, 'lost.json').problems.join(), /nowhere\.secret: ENOENT/);
});

test('the registry loads the good files, refuses a duplicate client_id, and a missing folder holds none', () => {
  write('shop-copy.json', {
    client_id: 'shop',
    client_secret: SECRET,
    redirect_uris: ['https://c.example/cb'],
  });
  const problems: string[] = [];
  const registry = ClientRegistry.load(dir, {
    onProblem: (file, problem) => problems.push(`${file}: ${problem}`),
  });
  assert.deepEqual(
    registry
      .list()
      .map((c) => c.clientId)
      .sort(),
    ['shop', 'vault'],
  );
  // Files load in name order: shop-copy.json took the id first.
  assert.ok(
    problems.includes('shop.json: client_id shop is already used by shop-copy.json'),
    problems.join(' | '),
  );
  assert.deepEqual(registry.get('shop')?.metadata.redirect_uris, ['https://c.example/cb']);
  assert.equal(ClientRegistry.load(join(dir, 'absent')).size, 0);
});
