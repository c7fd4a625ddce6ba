// The one CSP builder (http/csp.ts): the policies the pages send, directive by directive.

import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { cspHeader, pageCsp } from '../../../src/http/csp.ts';
import { DEFAULT_CSP, postToSpCsp, SELF_SCRIPT_CSP } from '../../../src/http/security.ts';

test('a page: nothing external, forms only to us, never framed, no <base>', () => {
  assert.equal(
    DEFAULT_CSP,
    "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  );
});

test('a page with our script files allows script-src self and nothing inline', () => {
  assert.equal(
    SELF_SCRIPT_CSP,
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  );
});

test('the auto-post page: its one nonce’d script, and no form-action (the ACS may redirect anywhere)', () => {
  const csp = postToSpCsp('abc123');
  assert.equal(
    csp,
    "default-src 'none'; script-src 'nonce-abc123'; style-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'",
  );
  assert.doesNotMatch(csp, /form-action/);
});

test('the logout pages: framable by us, polling us, framing the SPs, posting to one SP', () => {
  assert.equal(
    pageCsp({
      script: { nonce: 'n' },
      connectSelf: true,
      frameSrc: ["'self'", 'https://a.example.org'],
      formAction: ['https://b.example.org', "'self'"],
      frameAncestors: 'self',
    }),
    "default-src 'none'; script-src 'nonce-n'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-src 'self' https://a.example.org; form-action https://b.example.org 'self'; frame-ancestors 'self'; base-uri 'none'",
  );
});

test('a sandboxed image: only its inline styles', () => {
  assert.equal(
    cspHeader({ styleSrc: ["'unsafe-inline'"], sandbox: true }),
    "default-src 'none'; style-src 'unsafe-inline'; sandbox",
  );
});

test('no module but http/csp.ts spells a Content-Security-Policy', () => {
  const src = join(import.meta.dirname, '../../../src');
  const offenders = readdirSync(src, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts') && file !== join('http', 'csp.ts'))
    .filter((file) =>
      /default-src|frame-ancestors '|script-src '/.test(readFileSync(join(src, file), 'utf8')),
    );
  assert.deepEqual(offenders, []);
});
