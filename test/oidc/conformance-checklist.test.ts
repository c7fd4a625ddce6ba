// The OpenID Foundation's Basic OP plan (and its RP-initiated and back-channel logout plans), module by module,
// driven with real HTTP. Modules that cannot apply are asserted as the refusal we document
// (docs/oidc-client-admins.md "Conformance").

import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import * as oc from 'openid-client';
import { CookieBrowser, logIn, type OidcIdp, PHONE, SECRET, startOidcIdp } from '../helpers/oidc.ts';

const REDIRECT = 'https://rp.example.org/cb';
const POST_LOGOUT = 'https://rp.example.org/logged-out';

describe('OIDF Basic OP, RP-initiated and back-channel logout modules', () => {
  let idp: OidcIdp;
  let config: oc.Configuration;
  let browser: CookieBrowser;
  let idToken: string;
  before(async () => {
    idp = await startOidcIdp({
      clients: {
        rp: {
          client_id: 'rp',
          client_secret: SECRET,
          redirect_uris: [REDIRECT],
          post_logout_redirect_uris: [POST_LOGOUT],
        },
      },
    });
    config = await oc.discovery(new URL(idp.issuer), 'rp', SECRET, undefined, {
      execute: [oc.allowInsecureRequests],
    });
    browser = new CookieBrowser(idp.baseUrl);
    const first = await flow({}, true);
    idToken = first.tokens.id_token as string;
  });
  after(() => idp.close());

  /** One authorization in the shared browser (logging in when asked), optionally redeemed. */
  async function flow(params: Record<string, string>, redeemIt = false, withBrowser = browser) {
    const verifier = oc.randomPKCECodeVerifier();
    const state = oc.randomState();
    const url = oc.buildAuthorizationUrl(config, {
      redirect_uri: REDIRECT,
      scope: 'openid',
      state,
      code_challenge: await oc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      ...params,
    });
    const callback = await logIn(withBrowser, idp, url.href);
    const tokens = redeemIt
      ? await oc.authorizationCodeGrant(config, callback, {
          pkceCodeVerifier: verifier,
          expectedState: state,
          ...(params.nonce === undefined ? {} : { expectedNonce: params.nonce }),
        })
      : (undefined as unknown as oc.TokenEndpointResponse & oc.TokenEndpointResponseHelpers);
    return { callback, tokens, state };
  }

  /** The authorization endpoint's first answer for raw parameters. */
  const raw = (params: Record<string, string>, method: 'GET' | 'POST' = 'GET') => {
    const all = {
      client_id: 'rp',
      redirect_uri: REDIRECT,
      response_type: 'code',
      scope: 'openid',
      state: 's',
      ...params,
    };
    const query = new URLSearchParams(Object.entries(all).filter(([, v]) => v !== ''));
    return method === 'GET'
      ? fetch(`${idp.issuer}/authorize?${query}`, { redirect: 'manual' })
      : fetch(`${idp.issuer}/authorize`, { method: 'POST', body: query, redirect: 'manual' });
  };
  const errorOf = (response: Response) =>
    new URL(response.headers.get('location') ?? 'about:blank').searchParams.get('error');

  test('oidcc-server: code flow; ID token signature, iss, aud, nonce, exp, iat, sub; state echoed', async () => {
    const { tokens, callback, state } = await flow({ nonce: 'n-1' }, true);
    assert.equal(callback.searchParams.get('state'), state);
    const { payload } = await jwtVerify(
      tokens.id_token as string,
      createRemoteJWKSet(new URL(`${idp.issuer}/jwks`)),
      {
        issuer: idp.issuer,
        audience: 'rp',
      },
    );
    assert.equal(payload.nonce, 'n-1');
    assert.ok(
      typeof payload.exp === 'number' && typeof payload.iat === 'number' && payload.exp > payload.iat,
    );
    assert.equal(typeof payload.sub, 'string');
  });

  test('oidcc-response-type-missing: an error redirect, not an error page', async () => {
    assert.equal(errorOf(await raw({ response_type: '' })), 'invalid_request');
  });

  test('oidcc-idtoken-signature / oidcc-idtoken-unsigned: RS256 with a kid; unsigned (none) not offered', async () => {
    const header = decodeProtectedHeader(idToken);
    assert.equal(header.alg, 'RS256');
    assert.equal(typeof header.kid, 'string');
    const algs = config.serverMetadata().id_token_signing_alg_values_supported ?? [];
    assert.ok(!algs.includes('none'));
  });

  test('oidcc-userinfo-get / -post-header / -post-body', async () => {
    const { tokens } = await flow({}, true);
    const at = tokens.access_token;
    const get = await fetch(`${idp.issuer}/userinfo`, { headers: { authorization: `Bearer ${at}` } });
    const postHeader = await fetch(`${idp.issuer}/userinfo`, {
      method: 'POST',
      headers: { authorization: `Bearer ${at}` },
    });
    const postBody = await fetch(`${idp.issuer}/userinfo`, {
      method: 'POST',
      body: new URLSearchParams({ access_token: at }),
    });
    for (const response of [get, postHeader, postBody]) {
      assert.equal(response.status, 200);
      assert.equal(((await response.json()) as { pid: string }).pid, PHONE);
    }
  });

  test('oidcc-ensure-request-without-nonce-succeeds-for-code-flow', async () => {
    const { tokens } = await flow({}, true);
    assert.equal(tokens.claims()?.nonce, undefined);
  });

  test('oidcc-scope-profile / -phone / -all / -email / -address / other-scope-order', async () => {
    const all = await flow({ scope: 'phone profile openid email address' }, true);
    const claims = all.tokens.claims();
    assert.equal(claims?.given_name !== undefined && claims?.phone_number_verified, true);
    assert.equal(claims?.email, undefined, 'email is not available from this method');
    assert.equal(claims?.address, undefined);
  });

  test('oidcc-display-page / -popup: accepted, the same pages', async () => {
    for (const display of ['page', 'popup'])
      assert.equal((await flow({ display })).callback.searchParams.get('error'), null);
  });

  test('oidcc-prompt-login: a new login (code) is asked for', async () => {
    const fresh = new CookieBrowser(idp.baseUrl);
    await flow({}, false, fresh);
    const sent = idp.sms.sent.length;
    await flow({ prompt: 'login' }, false, fresh);
    assert.equal(idp.sms.sent.length, sent + 1);
  });

  test('oidcc-prompt-none-not-logged-in / -logged-in', async () => {
    assert.equal(errorOf(await raw({ prompt: 'none' })), 'login_required');
    const { callback } = await flow({ prompt: 'none' });
    assert.ok(callback.searchParams.get('code'));
  });

  test('oidcc-max-age-10000 answers from the session; oidcc-max-age-1 asks again once more than a second has passed', async () => {
    const sent = idp.sms.sent.length;
    await flow({ max_age: '10000' });
    assert.equal(idp.sms.sent.length, sent);
    await sleep(2100);
    await flow({ max_age: '1' });
    assert.equal(idp.sms.sent.length, sent + 1);
  });

  test('oidcc-ensure-request-with-unknown-parameter-succeeds / oidcc-claims-locales / oidcc-ui-locales', async () => {
    const { callback } = await flow({ extra_unknown: 'x', claims_locales: 'sv', ui_locales: 'sv' });
    assert.ok(callback.searchParams.get('code'));
  });

  test('oidcc-id-token-hint: the session answers when the hint names its person', async () => {
    const { callback } = await flow({ id_token_hint: idToken, prompt: 'none' });
    assert.ok(callback.searchParams.get('code'));
  });

  test('oidcc-login-hint: a hint that is not a phone is ignored, never an error', async () => {
    assert.ok((await flow({ login_hint: 'someone@example.org' })).callback.searchParams.get('code'));
  });

  test('oidcc-ensure-request-with-acr-values-succeeds: the acr is always ours', async () => {
    const { tokens } = await flow({ acr_values: 'urn:example:other' }, true);
    assert.equal(tokens.claims()?.acr, 'urn:oasis:names:tc:SAML:2.0:ac:classes:MobileOneFactorUnregistered');
  });

  test('oidcc-codereuse / -30seconds: invalid_grant (token endpoint tests in errors.test.ts)', async () => {
    const verifier = oc.randomPKCECodeVerifier();
    const url = oc.buildAuthorizationUrl(config, {
      redirect_uri: REDIRECT,
      scope: 'openid',
      state: 'r',
      code_challenge: await oc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
    });
    const callback = await logIn(browser, idp, url.href);
    await oc.authorizationCodeGrant(config, callback, { pkceCodeVerifier: verifier, expectedState: 'r' });
    await assert.rejects(
      oc.authorizationCodeGrant(config, callback, { pkceCodeVerifier: verifier, expectedState: 'r' }),
      (e: { error?: string }) => e.error === 'invalid_grant',
    );
  });

  test('oidcc-ensure-registered-redirect-uri: an error page, no redirect', async () => {
    const response = await raw({ redirect_uri: 'https://rp.example.org/other' });
    assert.equal(response.status, 400);
    assert.equal(response.headers.get('location'), null);
  });

  test('oidcc-ensure-post-request-succeeds: expected failure, authorization is GET only (documented)', async () => {
    const response = await raw({}, 'POST');
    assert.notEqual(response.status, 303);
  });

  test('oidcc-server-client-secret-post', async () => {
    const post = await oc.discovery(new URL(idp.issuer), 'rp', SECRET, oc.ClientSecretPost(SECRET), {
      execute: [oc.allowInsecureRequests],
    });
    const verifier = oc.randomPKCECodeVerifier();
    const url = oc.buildAuthorizationUrl(post, {
      redirect_uri: REDIRECT,
      scope: 'openid',
      state: 'p',
      code_challenge: await oc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
    });
    const callback = await logIn(browser, idp, url.href);
    const tokens = await oc.authorizationCodeGrant(post, callback, {
      pkceCodeVerifier: verifier,
      expectedState: 'p',
    });
    assert.ok(tokens.id_token);
  });

  test('oidcc-request-uri-unsigned / oidcc-unsigned-request-object: not supported, said so to the client', async () => {
    assert.equal(
      errorOf(await raw({ request_uri: 'https://rp.example.org/req.jwt' })),
      'request_uri_not_supported',
    );
    assert.equal(errorOf(await raw({ request: 'eyJhbGciOiJub25lIn0.eyJ9.' })), 'request_not_supported');
  });

  test('oidcc-claims-essential: the claims parameter is ignored, the request succeeds', async () => {
    const claims = JSON.stringify({ userinfo: { name: { essential: true } } });
    assert.ok((await flow({ claims })).callback.searchParams.get('code'));
  });

  test('oidcc-refresh-token: not applicable, no refresh tokens are issued', async () => {
    const { tokens } = await flow({ scope: 'openid offline_access' }, true);
    assert.equal(tokens.refresh_token, undefined);
  });

  test('oidcc-ensure-request-with-valid-pkce-succeeds / PKCE required with S256 only', async () => {
    assert.deepEqual(config.serverMetadata().code_challenge_methods_supported, ['S256']);
    assert.ok((await flow({}, true)).tokens.access_token);
  });

  test('oidcc-rp-initiated-logout-bad-post-logout-redirect-uri: an error page, no redirect', async () => {
    const end = oc.buildEndSessionUrl(config, {
      id_token_hint: idToken,
      post_logout_redirect_uri: 'https://evil.example/',
    });
    const response = await fetch(end, { redirect: 'manual' });
    assert.equal(response.status, 400);
    assert.equal(response.headers.get('location'), null);
  });

  test('oidcc-rp-initiated-logout-no-params: without a session the form submits itself; its script is allowed by hash', async () => {
    const response = await fetch(`${idp.issuer}/logout`, { redirect: 'manual' });
    assert.equal(response.status, 200);
    const html = await response.text();
    const script = /<script>([\s\S]*?)<\/script>/.exec(html)?.[1] as string;
    const digest = createHash('sha256').update(script).digest('base64');
    assert.ok((response.headers.get('content-security-policy') ?? '').includes(`'sha256-${digest}'`));
  });

  test('oidcc-rp-initiated-logout (+ query kept on post_logout_redirect_uri): back at the RP with state', async () => {
    const end = oc.buildEndSessionUrl(config, {
      id_token_hint: idToken,
      post_logout_redirect_uri: POST_LOGOUT,
      state: 'x1',
    });
    const page = await browser.go(end.href);
    const action = /<form id="op\.logoutForm" method="post" action="([^"]+)"/.exec(page.html)?.[1] as string;
    const xsrf = /name="xsrf" value="([^"]+)"/.exec(page.html)?.[1] as string;
    const done = new URL((await browser.go(action, { xsrf, logout: 'yes' })).url);
    assert.equal(done.origin + done.pathname, POST_LOGOUT);
    assert.equal(done.searchParams.get('state'), 'x1');
    assert.equal(errorOf(await raw({ prompt: 'none' })), 'login_required');
  });
});
