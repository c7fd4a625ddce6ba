// The import rules of DESIGN.md §1–2: the domain (saml/, login/) is plain TypeScript; vendors live only in adapters.

import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';

const SRC = join(import.meta.dirname, '../../src');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? sources(path) : entry.name.endsWith('.ts') ? [path] : [];
  });
}

function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/^\s*(?:import|export)\s[^;]*?from\s+'([^']+)'/gms)].map((m) => m[1] as string);
}

const FRAMEWORKS = /^(fastify|@fastify\/|ioredis|undici|handlebars)/;

const files = sources(SRC).map((file) => ({ name: relative(SRC, file), imports: importsOf(file) }));

test('the source tree was found and imports were read', () => {
  assert.ok(files.length > 50, `${files.length} files`);
  assert.ok(files.some((f) => f.imports.includes('fastify')));
});

test('saml/, login/ and i18n/ import no web framework, Redis client, HTTP client or template engine', () => {
  const offenders = files
    .filter((f) => /^(saml|login|i18n)\//.test(f.name))
    .flatMap((f) => f.imports.filter((i) => FRAMEWORKS.test(i)).map((i) => `${f.name} → ${i}`));
  assert.deepEqual(offenders, []);
});

test('saml/ and login/ do not know each other, nor http/ (only http/ joins them)', () => {
  const offenders = files.flatMap((f) => {
    const bad = f.name.startsWith('saml/')
      ? /^\.\.\/(login|http)\//
      : f.name.startsWith('login/')
        ? /^\.\.\/(saml|http)\//
        : undefined;
    return bad === undefined ? [] : f.imports.filter((i) => bad.test(i)).map((i) => `${f.name} → ${i}`);
  });
  assert.deepEqual(offenders, []);
});

test('vendors live only in adapters: only store/redis.ts imports ioredis, only sms/ and http/ import undici', () => {
  const offenders = files.flatMap((f) =>
    f.imports
      .filter(
        (i) =>
          (i === 'ioredis' && f.name !== 'store/redis.ts') ||
          (i === 'undici' && !/^(sms|http)\//.test(f.name)),
      )
      .map((i) => `${f.name} → ${i}`),
  );
  assert.deepEqual(offenders, []);
});

test('login/ sees the store and SMS only through their interfaces; only app.ts builds adapters', () => {
  const adapters = /(store\/(memory|redis)|sms\/(console|webhook))\.ts$/;
  const offenders = files
    .filter((f) => f.name !== 'app.ts')
    .flatMap((f) => f.imports.filter((i) => adapters.test(i)).map((i) => `${f.name} → ${i}`));
  assert.deepEqual(offenders, []);
});
