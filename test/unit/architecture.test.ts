// The import rules of docs/design.md §1–2: the domain (idp/, saml/, login/) is plain TypeScript; vendors live only in
// adapters.
// Imports are read with the TypeScript compiler (static, side-effect, re-export, dynamic import(), require and
// createRequire(...)(...) calls) and relative paths are resolved to the folder they land in, so no spelling escapes.

import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { test } from 'node:test';
import ts from 'typescript';

const SRC = join(import.meta.dirname, '../../src');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? sources(path) : /\.(ts|js)$/.test(entry.name) ? [path] : [];
  });
}

/** Every module specifier a file loads, however it is written. Only string literals count: a computed
 *  specifier cannot be checked, so it is reported as such and the rules below refuse it. */
function specifiersOf(fileName: string, text: string): string[] {
  const file = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const requireNames = new Set(['require']);
  const createRequireNames = new Set(['createRequire']);
  // import { createRequire as load } from 'node:module' makes `load` a createRequire too.
  const noteCreateRequire = (node: ts.ImportDeclaration): void => {
    const bindings = node.importClause?.namedBindings;
    if (!/^(node:)?module$/.test(literal(node.moduleSpecifier)) || bindings === undefined) return;
    if (!ts.isNamedImports(bindings)) return;
    for (const element of bindings.elements) {
      if ((element.propertyName ?? element.name).text === 'createRequire')
        createRequireNames.add(element.name.text);
    }
  };
  const isCreateRequire = (node: ts.Expression): boolean =>
    (ts.isIdentifier(node) && createRequireNames.has(node.text)) ||
    (ts.isPropertyAccessExpression(node) && node.name.text === 'createRequire');
  const literal = (node: ts.Node | undefined): string =>
    node !== undefined && ts.isStringLiteralLike(node) ? node.text : '<computed>';
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) {
      if (node.moduleSpecifier !== undefined) found.push(literal(node.moduleSpecifier));
      if (ts.isImportDeclaration(node)) noteCreateRequire(node);
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
      found.push(literal(node.moduleReference.expression));
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) {
      found.push(literal(node.argument.literal));
    } else if (ts.isCallExpression(node)) {
      const callee = node.expression;
      if (callee.kind === ts.SyntaxKind.ImportKeyword) {
        found.push(literal(node.arguments[0]));
      } else if (ts.isIdentifier(callee) && requireNames.has(callee.text)) {
        found.push(literal(node.arguments[0]));
      } else if (ts.isCallExpression(callee) && isCreateRequire(callee.expression)) {
        // createRequire(import.meta.url)('x')
        found.push(literal(node.arguments[0]));
      } else if (isCreateRequire(callee)) {
        // const load = createRequire(import.meta.url): calls to `load` are requires too.
        if (ts.isVariableDeclaration(node.parent) && ts.isIdentifier(node.parent.name)) {
          requireNames.add(node.parent.name.text);
        }
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}

/** A relative specifier becomes the path it lands on inside src/ ('login/otp.ts'), or '<outside src>/…';
 *  a package name stays as written. */
function resolveSpecifier(fromFile: string, specifier: string): string {
  if (!specifier.startsWith('.') && !specifier.startsWith('/')) return specifier;
  const target = relative(SRC, resolve(dirname(fromFile), specifier))
    .split(sep)
    .join('/');
  return target.startsWith('..') ? `<outside src>/${target}` : target;
}

interface SourceFile {
  name: string;
  imports: string[];
}

function readSources(root: string = SRC): SourceFile[] {
  return sources(root).map((file) => ({
    name: relative(root, file).split(sep).join('/'),
    imports: specifiersOf(file, readFileSync(file, 'utf8')).map((s) => resolveSpecifier(file, s)),
  }));
}

const FRAMEWORKS = /^(@fastify\/|(fastify|ioredis|undici|handlebars)(\/|$))/;
const ADAPTERS = /^(store\/(memory|redis)|sms\/(console|webhook))(\.ts)?$/;

const noComputed = (files: SourceFile[]): string[] =>
  files.flatMap((f) => f.imports.filter((i) => i === '<computed>').map((i) => `${f.name} → ${i}`));

const domainFrameworks = (files: SourceFile[]): string[] =>
  files
    .filter((f) => /^(saml|login|i18n)\//.test(f.name))
    .flatMap((f) => f.imports.filter((i) => FRAMEWORKS.test(i)).map((i) => `${f.name} → ${i}`));

const domainCrossing = (files: SourceFile[]): string[] =>
  files.flatMap((f) => {
    const bad = f.name.startsWith('saml/')
      ? /^(login|http)\//
      : f.name.startsWith('login/')
        ? /^(saml|http)\//
        : undefined;
    return bad === undefined ? [] : f.imports.filter((i) => bad.test(i)).map((i) => `${f.name} → ${i}`);
  });

/** The IdP core (docs/design.md §2): the SSO decision, the answer and logout, shared by every protocol. */
const CORE_FORBIDDEN =
  /^(@fastify\/|(fastify|ioredis|undici|handlebars|oidc-provider)(\/|$)|(saml|oidc|http)\/)/;

const coreImports = (files: SourceFile[]): string[] =>
  files
    .filter((f) => f.name.startsWith('idp/'))
    .flatMap((f) => f.imports.filter((i) => CORE_FORBIDDEN.test(i)).map((i) => `${f.name} → ${i}`));

const vendorsOutsideAdapters = (files: SourceFile[]): string[] =>
  files.flatMap((f) =>
    f.imports
      .filter(
        (i) =>
          (/^ioredis(\/|$)/.test(i) && f.name !== 'store/redis.ts') ||
          (/^undici(\/|$)/.test(i) && !/^(sms|http)\//.test(f.name)),
      )
      .map((i) => `${f.name} → ${i}`),
  );

const adaptersOutsideApp = (files: SourceFile[]): string[] =>
  files
    .filter((f) => f.name !== 'app.ts')
    .flatMap((f) => f.imports.filter((i) => ADAPTERS.test(i)).map((i) => `${f.name} → ${i}`));

const files = readSources();

test('the source tree was found and imports were read and resolved', () => {
  assert.ok(files.length > 50, `${files.length} files`);
  const app = files.find((f) => f.name === 'app.ts');
  assert.ok(app?.imports.includes('fastify'));
  assert.ok(app?.imports.includes('store/redis.ts'), 'relative imports resolve to their path inside src/');
  const bin = files.find((f) => f.name === 'cli/bin.js');
  assert.deepEqual(bin?.imports, ['cli/main.ts'], 'dynamic import() is read');
});

test('every import names its module literally (a computed one could not be checked)', () => {
  assert.deepEqual(noComputed(files), []);
});

test('saml/, login/ and i18n/ import no web framework, Redis client, HTTP client or template engine', () => {
  assert.deepEqual(domainFrameworks(files), []);
});

test('saml/ and login/ do not know each other, nor http/ (only http/ joins them)', () => {
  assert.deepEqual(domainCrossing(files), []);
});

test('idp/ imports no web framework, Redis or HTTP client, template engine or OpenID library, nor saml/, oidc/ or http/', () => {
  assert.ok(
    files.some((f) => f.name.startsWith('idp/')),
    'the core was found',
  );
  assert.deepEqual(coreImports(files), []);
});

test('the core rule refuses each forbidden import and lets the shared modules through', () => {
  const file = join(SRC, 'idp/example.ts');
  const text = [
    "import type { FastifyReply } from 'fastify';",
    "import '@fastify/cookie';",
    "import Provider from 'oidc-provider';",
    "import { request } from 'undici';",
    "import type { Redis } from 'ioredis';",
    "import Handlebars from 'handlebars';",
    "import { makeNameId } from '../saml/outbound/name-id.ts';",
    "import { ACR } from '../oidc/claims.ts';",
    "import { renderPage } from '../http/views.ts';",
    "import type { Store } from '../store/store.ts';",
    "import { parsePhone } from '../login/phone.ts';",
    "import type { Identity } from '../types.ts';",
    "import { randomBytes } from 'node:crypto';",
  ].join('\n');
  const probe = [
    { name: 'idp/example.ts', imports: specifiersOf(file, text).map((s) => resolveSpecifier(file, s)) },
  ];
  assert.deepEqual(coreImports(probe), [
    'idp/example.ts → fastify',
    'idp/example.ts → @fastify/cookie',
    'idp/example.ts → oidc-provider',
    'idp/example.ts → undici',
    'idp/example.ts → ioredis',
    'idp/example.ts → handlebars',
    'idp/example.ts → saml/outbound/name-id.ts',
    'idp/example.ts → oidc/claims.ts',
    'idp/example.ts → http/views.ts',
  ]);
});

test('vendors live only in adapters: only store/redis.ts imports ioredis, only sms/ and http/ import undici', () => {
  assert.deepEqual(vendorsOutsideAdapters(files), []);
});

test('login/ sees the store and SMS only through their interfaces; only app.ts builds adapters', () => {
  assert.deepEqual(adaptersOutsideApp(files), []);
});

test('the reader sees every way of loading a module, and the rules catch each one', () => {
  const file = join(SRC, 'login/example.ts');
  const text = [
    "import 'fastify';",
    "import type { Redis } from 'ioredis';",
    "export * from '../saml/../http/views.ts';",
    "const lazy = await import('undici');",
    "import { createRequire, createRequire as cr } from 'node:module';",
    'const load = createRequire(import.meta.url);',
    "cr(import.meta.url)('@fastify/view');",
    "load('handlebars');",
    "createRequire(import.meta.url)('../store/memory.ts');",
    "const old = require('@fastify/cookie');",
    "import fs = require('../saml/xml/dom.ts');",
    "type T = import('../sms/webhook.ts').Webhook;",
    'await import(lazy.name);',
  ].join('\n');
  const probe = [
    { name: 'login/example.ts', imports: specifiersOf(file, text).map((s) => resolveSpecifier(file, s)) },
  ];
  assert.deepEqual(probe[0]?.imports, [
    'fastify',
    'ioredis',
    'http/views.ts',
    'undici',
    'node:module',
    '@fastify/view',
    'handlebars',
    'store/memory.ts',
    '@fastify/cookie',
    'saml/xml/dom.ts',
    'sms/webhook.ts',
    '<computed>',
  ]);
  assert.deepEqual(domainFrameworks(probe), [
    'login/example.ts → fastify',
    'login/example.ts → ioredis',
    'login/example.ts → undici',
    'login/example.ts → @fastify/view',
    'login/example.ts → handlebars',
    'login/example.ts → @fastify/cookie',
  ]);
  assert.deepEqual(domainCrossing(probe), [
    'login/example.ts → http/views.ts',
    'login/example.ts → saml/xml/dom.ts',
  ]);
  assert.deepEqual(vendorsOutsideAdapters(probe), [
    'login/example.ts → ioredis',
    'login/example.ts → undici',
  ]);
  assert.deepEqual(adaptersOutsideApp(probe), [
    'login/example.ts → store/memory.ts',
    'login/example.ts → sms/webhook.ts',
  ]);
  assert.deepEqual(noComputed(probe), ['login/example.ts → <computed>']);
});
