// Errors per RFC 6749 and OIDC Core: what goes back to the client, and what never leaves our error page.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import * as oc from 'openid-client';
import { CookieBrowser, logIn, type OidcIdp, PHONE, SECRET, startOidcIdp } from '../helpers/oidc.ts';

const REDIRECT = 'https://shop.example.org/cb';

describe('OpenID Connect errors', () => {
  let idp: OidcIdp;
  let config: oc.Configuration;
  before(async () => {
    idp = await startOidcIdp({
      clients: {
        shop: { client_id: 'shop', client_secret: SECRET, redirect_uris: [REDIRECT] },
        spa: { client_id: 'spa', token_endpoint_auth_method: 'none', redirect_uris: [REDIRECT] },
      },
    });
    config = await oc.discovery(new URL(idp.issuer), 'shop', SECRET, undefined, {
      execute: [oc.allowInsecureRequests],
    });
  });
  after(() => idp.close());

  const authorize = (params: Record<string, string>) => {
    const url = new URL(`${idp.issuer}/authorize`);
    const all = {
      client_id: 'shop',
      redirect_uri: REDIRECT,
      response_type: 'code',
      scope: 'openid',
      state: 'st-1',
      ...params,
    };
    for (const [k, v] of Object.entries(all)) if (v !== '') url.searchParams.set(k, v);
    return url.href;
  };

  /** The first answer of the authorize endpoint, not followed. */
  const firstAnswer = (url: string) => fetch(url, { redirect: 'manual' });

  test('unknown client or unregistered redirect_uri: our error page with a reference, no redirect', async () => {
    const cases: Record<string, string>[] = [
      { client_id: 'nobody' },
      { redirect_uri: 'https://evil.example/cb' },
    ];
    for (const params of cases) {
      const response = await firstAnswer(authorize(params));
      assert.equal(response.status, 400, JSON.stringify(params));
      assert.equal(response.headers.get('location'), null);
      const html = await response.text();
      assert.match(html, /class="reference"/);
      assert.doesNotMatch(html, /evil\.example/);
      assert.match(response.headers.get('content-security-policy') ?? '', /frame-ancestors 'none'/);
    }
  });

  test('missing response_type, unoffered amr_values and a bad presetid go back to the client with state', async () => {
    const cases: [Record<string, string>, string][] = [
      [{ response_type: '' }, 'invalid_request'],
      [{ response_type: 'token' }, 'unsupported_response_type'],
      [{ amr_values: 'bankid' }, 'invalid_request'],
      [{ presetid: 'not a preset at all !!' }, 'invalid_request'],
      [{ presetid: '+46701234567', login_hint: '+4791234567' }, 'invalid_request'],
    ];
    for (const [params, error] of cases) {
      const response = await firstAnswer(authorize(params));
      assert.equal(response.status, 303, JSON.stringify(params));
      const location = new URL(response.headers.get('location') as string);
      assert.equal(location.origin + location.pathname, REDIRECT);
      // A response_type that would use the fragment gets its error there (OAuth 2.0 Multiple Response Types §5).
      const answer =
        location.search === '' ? new URLSearchParams(location.hash.slice(1)) : location.searchParams;
      assert.equal(answer.get('error'), error, JSON.stringify(params));
      assert.equal(answer.get('state'), 'st-1');
      assert.equal(answer.get('iss'), idp.issuer);
    }
  });

  test('a public client without code_challenge, or with plain, is refused', async () => {
    const cases: Record<string, string>[] = [
      { client_id: 'spa' },
      { client_id: 'spa', code_challenge: 'a'.repeat(43), code_challenge_method: 'plain' },
    ];
    for (const params of cases) {
      const location = new URL((await firstAnswer(authorize(params))).headers.get('location') as string);
      assert.equal(location.searchParams.get('error'), 'invalid_request', JSON.stringify(params));
    }
  });

  test('prompt=none without a session: login_required', async () => {
    const location = new URL(
      (await firstAnswer(authorize({ prompt: 'none' }))).headers.get('location') as string,
    );
    assert.equal(location.searchParams.get('error'), 'login_required');
    assert.equal(location.searchParams.get('state'), 'st-1');
  });

  test('cancel on our pages: access_denied to the client', async () => {
    const browser = new CookieBrowser(idp.baseUrl);
    const page = await browser.go(authorize({}));
    assert.equal(page.status, 200);
    const back = await browser.submit({ action: 'cancel' });
    const location = new URL(back.url);
    assert.equal(location.origin + location.pathname, REDIRECT);
    assert.equal(location.searchParams.get('error'), 'access_denied');
    assert.equal(location.searchParams.get('error_description'), 'cancel');
    assert.equal(location.searchParams.get('state'), 'st-1');
  });

  test('token endpoint: wrong secret 401 invalid_client; a reused code is invalid_grant and revokes the first tokens', async () => {
    const callback = await logIn(new CookieBrowser(idp.baseUrl), idp, authorize({}));
    const code = callback.searchParams.get('code') as string;
    const redeem = (secret: string) =>
      fetch(`${idp.issuer}/token`, {
        method: 'POST',
        headers: {
          authorization: `Basic ${Buffer.from(`shop:${secret}`).toString('base64')}`,
          'content-type': 'application/x-www-form-urlencoded',
        },
        body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT }),
      });
    const wrong = await redeem('x'.repeat(40));
    assert.equal(wrong.status, 401);
    assert.equal(((await wrong.json()) as { error: string }).error, 'invalid_client');
    assert.match(wrong.headers.get('www-authenticate') ?? '', /^Basic/);
    const first = await redeem(SECRET);
    assert.equal(first.status, 200);
    const tokens = (await first.json()) as { access_token: string; id_token: string };
    const info = (token: string | undefined) =>
      fetch(
        `${idp.issuer}/userinfo`,
        token === undefined ? {} : { headers: { authorization: `Bearer ${token}` } },
      );
    assert.equal((await info(tokens.access_token)).status, 200);
    const again = await redeem(SECRET);
    assert.equal(again.status, 400);
    assert.equal(((await again.json()) as { error: string }).error, 'invalid_grant');
    const revoked = await info(tokens.access_token);
    assert.equal(revoked.status, 401);
    assert.match(revoked.headers.get('www-authenticate') ?? '', /^Bearer .*invalid_token/);
    const missing = await info(undefined);
    assert.equal(missing.status, 401);
    assert.match(missing.headers.get('www-authenticate') ?? '', /^Bearer/);
    const password = await fetch(`${idp.issuer}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'password',
        client_id: 'shop',
        client_secret: SECRET,
        username: PHONE,
        password: 'x',
      }),
    });
    assert.equal(((await password.json()) as { error: string }).error, 'unsupported_grant_type');
  });

  test('openid-client sees the same error answer (RFC 6749 §5.2) for a reused code', async () => {
    const verifier = oc.randomPKCECodeVerifier();
    const url = oc.buildAuthorizationUrl(config, {
      redirect_uri: REDIRECT,
      scope: 'openid',
      state: 'st-2',
      code_challenge: await oc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
    });
    const callback = await logIn(new CookieBrowser(idp.baseUrl), idp, url.href);
    await oc.authorizationCodeGrant(config, callback, { pkceCodeVerifier: verifier, expectedState: 'st-2' });
    await assert.rejects(
      oc.authorizationCodeGrant(config, callback, { pkceCodeVerifier: verifier, expectedState: 'st-2' }),
      (error: { error?: string }) => error.error === 'invalid_grant',
    );
  });
});
