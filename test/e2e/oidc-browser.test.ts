// A full OpenID Connect login in Chromium: a relying party on another origin (openid-client behind a small HTTP
// server) sends the browser to the IdP, the person types name, phone and the SMS code, and the RP reads the claims.
// Only a real browser applies CSP form-action to the redirects after the code form; this is the test for that trap.

import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import * as oc from 'openid-client';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../helpers/browser.ts';
import { FAMILY, GIVEN, type OidcIdp, PHONE, SECRET, startOidcIdp } from '../helpers/oidc.ts';

/** The RP: /login starts the code flow (PKCE, state, nonce), /cb redeems the code and prints the ID token claims. */
async function startRp(issuer: () => string, port: number, responseMode?: string) {
  const pending = new Map<string, { verifier: string; nonce: string }>();
  const redirect = `http://localhost:${port}/cb`;
  let config: oc.Configuration | undefined;
  const server: Server = createServer((request, response) => {
    void (async () => {
      config ??= await oc.discovery(new URL(issuer()), 'rp', SECRET, undefined, {
        execute: [oc.allowInsecureRequests],
      });
      const url = new URL(request.url ?? '/', redirect);
      if (url.pathname === '/login') {
        const verifier = oc.randomPKCECodeVerifier();
        const state = oc.randomState();
        const nonce = oc.randomNonce();
        pending.set(state, { verifier, nonce });
        const target = oc.buildAuthorizationUrl(config, {
          redirect_uri: redirect,
          scope: 'openid profile',
          state,
          nonce,
          code_challenge: await oc.calculatePKCECodeChallenge(verifier),
          code_challenge_method: 'S256',
          amr_values: 'nets_sms',
          ui_locales: 'en',
          ...(responseMode === undefined ? {} : { response_mode: responseMode }),
        });
        response.writeHead(302, { location: target.href }).end();
        return;
      }
      if (request.method === 'POST') {
        // form_post: the parameters arrive as a form; openid-client reads them from a Request.
        let body = '';
        for await (const chunk of request) body += chunk;
        const state = new URLSearchParams(body).get('state') ?? '';
        const entry = pending.get(state);
        const tokens = await oc.authorizationCodeGrant(
          config,
          new Request(redirect, {
            method: 'POST',
            body,
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
          }),
          { pkceCodeVerifier: entry?.verifier, expectedState: state, expectedNonce: entry?.nonce },
        );
        response.writeHead(200, { 'content-type': 'text/plain' }).end(JSON.stringify(tokens.claims()));
        return;
      }
      const state = url.searchParams.get('state') ?? '';
      const entry = pending.get(state);
      const tokens = await oc.authorizationCodeGrant(config, url, {
        pkceCodeVerifier: entry?.verifier,
        expectedState: state,
        expectedNonce: entry?.nonce,
      });
      response.writeHead(200, { 'content-type': 'text/plain' }).end(JSON.stringify(tokens.claims()));
    })().catch((error: Error) => response.writeHead(500).end(`RP error: ${error.message}`));
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return { redirect, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

describe('OpenID Connect login in Chromium', () => {
  let browser: Browser;
  before(async () => {
    browser = await launchChromium();
  });
  after(() => browser.close());

  for (const mode of [undefined, 'form_post']) {
    test(`the RP on another origin gets the seed's claims (response_mode ${mode ?? 'query'})`, async () => {
      const probe = createServer();
      await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
      const rpPort = (probe.address() as AddressInfo).port;
      await new Promise<void>((resolve) => probe.close(() => resolve()));
      let idp: OidcIdp | undefined;
      const rp = await startRp(() => (idp as OidcIdp).issuer, rpPort, mode);
      idp = await startOidcIdp({
        clients: {
          rp: {
            client_id: 'rp',
            client_secret: SECRET,
            redirect_uris: [rp.redirect],
            subject_type: 'public',
          },
        },
      });
      const context = await browser.newContext({ locale: 'en-GB' });
      try {
        const page = await context.newPage();
        await page.goto(`http://localhost:${rpPort}/login`);
        await page.fill('input[name="given_name"]', GIVEN);
        await page.fill('input[name="family_name"]', FAMILY);
        await page.fill('input[name="phone"]', PHONE);
        await page.click('button.primary');
        await page.waitForSelector('input[name="code"]');
        await page.fill('input[name="code"]', idp.sms.lastCode(PHONE));
        await page.click('button.primary');
        await page.waitForURL(`http://localhost:${rpPort}/cb**`);
        const claims = JSON.parse((await page.textContent('body')) ?? '{}') as Record<string, unknown>;
        assert.equal(claims.pid, PHONE);
        assert.equal(claims.sub, `nets_sms:${PHONE}`);
        assert.equal(claims.name, `${GIVEN} ${FAMILY}`);
        assert.deepEqual(claims.amr, ['nets_sms']);
      } finally {
        await context.close();
        await idp.close();
        await rp.close();
      }
    });
  }
});
