// Running OpenID Connect: two IdP instances on one Redis serve one login, the signing key rollover reaches the JWKS
// and ID tokens, and client files are reloaded while running.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, describe, test } from 'node:test';
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import * as oc from 'openid-client';
import { generateKeyPair } from '../../src/saml/keys/keys.ts';
import { RedisStore } from '../../src/store/redis.ts';
import { freePort } from '../helpers/http-idp.ts';
import { CookieBrowser, logIn, type OidcIdp, PHONE, SECRET, startOidcIdp } from '../helpers/oidc.ts';
import { startRedisServer } from '../helpers/redis-server.ts';

const REDIRECT = 'https://shop.example.org/cb';
const shop = { client_id: 'shop', client_secret: SECRET, redirect_uris: [REDIRECT], subject_type: 'public' };

async function codeFrom(idp: OidcIdp, clientId = 'shop', redirect = REDIRECT) {
  const config = await oc.discovery(new URL(idp.issuer), clientId, SECRET, undefined, {
    execute: [oc.allowInsecureRequests],
  });
  const verifier = oc.randomPKCECodeVerifier();
  const url = oc.buildAuthorizationUrl(config, {
    redirect_uri: redirect,
    scope: 'openid',
    state: 'st',
    code_challenge: await oc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
  });
  const callback = await logIn(new CookieBrowser(idp.baseUrl), idp, url.href);
  return { config, callback, verifier };
}

describe('OpenID Connect in operation', () => {
  const dirs: string[] = [];
  after(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  test('two IdP instances on one Redis: authorized at one, the code redeemed and userinfo served at the other', async () => {
    const redis = await startRedisServer();
    const dir = mkdtempSync(join(tmpdir(), 'nsi-oidc-scale-'));
    dirs.push(dir);
    const port = await freePort();
    const storeA = new RedisStore({ url: redis.url });
    const storeB = new RedisStore({ url: redis.url });
    const a = await startOidcIdp({ clients: { shop }, store: storeA, dir, port });
    const b = await startOidcIdp({
      clients: { shop },
      store: storeB,
      dir,
      env: { BASE_URL: a.baseUrl },
    });
    try {
      const { callback } = await codeFrom(a);
      const code = callback.searchParams.get('code') as string;
      const basic = `Basic ${Buffer.from(`shop:${SECRET}`).toString('base64')}`;
      // B listens elsewhere but is the same issuer (same BASE_URL, keys, secret and store).
      const bUrl = `http://127.0.0.1:${(b.app.server.address() as { port: number }).port}`;
      const verifierless = await fetch(`${bUrl}/oidc/token`, {
        method: 'POST',
        headers: { authorization: basic, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT }),
      });
      // The code was bound to a PKCE challenge: without its verifier B refuses it, which proves B found it.
      assert.equal(verifierless.status, 400);
      assert.equal(((await verifierless.json()) as { error: string }).error, 'invalid_grant');
      const second = await codeFrom(a);
      const tokens = await fetch(`${bUrl}/oidc/token`, {
        method: 'POST',
        headers: { authorization: basic, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'authorization_code',
          code: second.callback.searchParams.get('code') as string,
          redirect_uri: REDIRECT,
          code_verifier: second.verifier,
        }),
      });
      assert.equal(tokens.status, 200);
      const { access_token } = (await tokens.json()) as { access_token: string };
      const info = await fetch(`${bUrl}/oidc/userinfo`, {
        headers: { authorization: `Bearer ${access_token}` },
      });
      assert.equal(info.status, 200);
      assert.equal(((await info.json()) as { pid: string }).pid, PHONE);
    } finally {
      await b.close();
      await a.close();
      await storeA.close();
      await storeB.close();
      await redis.stop();
    }
  });

  test('key rollover: the next key is published first, then signs ID tokens once IDP_SIGN_WITH=next', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nsi-oidc-keys-'));
    dirs.push(dir);
    for (const name of ['current', 'next']) {
      const pair = generateKeyPair('idp.example.test');
      writeFileSync(join(dir, `${name}.key`), pair.privateKeyPem);
      writeFileSync(join(dir, `${name}.crt`), pair.certPem);
    }
    const env = {
      IDP_KEY_FILE: join(dir, 'current.key'),
      IDP_CERT_FILE: join(dir, 'current.crt'),
      IDP_NEXT_KEY_FILE: join(dir, 'next.key'),
      IDP_NEXT_CERT_FILE: join(dir, 'next.crt'),
    };
    const kidsAndSigner = async (signWith: 'current' | 'next') => {
      const idp = await startOidcIdp({ clients: { shop }, env: { ...env, IDP_SIGN_WITH: signWith } });
      try {
        const jwks = (await (await fetch(`${idp.issuer}/jwks`)).json()) as {
          keys: { kid: string; d?: string }[];
        };
        assert.ok(
          jwks.keys.every((k) => k.d === undefined),
          'only public keys are published',
        );
        const { config, callback, verifier } = await codeFrom(idp);
        const tokens = await oc.authorizationCodeGrant(config, callback, {
          pkceCodeVerifier: verifier,
          expectedState: 'st',
        });
        const idToken = tokens.id_token as string;
        await jwtVerify(idToken, createRemoteJWKSet(new URL(`${idp.issuer}/jwks`)), { issuer: idp.issuer });
        return { kids: jwks.keys.map((k) => k.kid), signer: decodeProtectedHeader(idToken).kid };
      } finally {
        await idp.close();
      }
    };
    const published = await kidsAndSigner('current');
    const switched = await kidsAndSigner('next');
    assert.equal(published.kids.length, 2);
    assert.deepEqual([...switched.kids].sort(), [...published.kids].sort(), 'the same two keys');
    assert.equal(published.signer, published.kids[0]);
    assert.equal(switched.signer, published.kids[1], 'the next key signs after the switch');
  });

  test('client files are reloaded: a new redirect_uri works without a restart; a broken file keeps the last good one', async () => {
    const idp = await startOidcIdp({ clients: { shop } });
    try {
      const moved = 'https://shop.example.org/new-cb';
      idp.writeClient('shop', { ...shop, redirect_uris: [moved] });
      let answer: Response | undefined;
      const url = (redirect: string) =>
        `${idp.issuer}/authorize?client_id=shop&response_type=code&scope=openid&state=s&redirect_uri=${encodeURIComponent(redirect)}`;
      // Wait for the watcher (debounced) to pick the change up.
      for (let i = 0; i < 50; i++) {
        answer = await fetch(url(moved), { redirect: 'manual' });
        if (answer.status !== 400) break;
        await sleep(100);
      }
      assert.equal(answer?.status, 303, 'the new redirect_uri is accepted');
      assert.equal((await fetch(url(REDIRECT), { redirect: 'manual' })).status, 400, 'the old one is gone');
      writeFileSync(join(idp.dir, 'oidc', 'shop.json'), '{ broken');
      // A second client added after the breakage: once it works, the reload that saw the broken file has run.
      idp.writeClient('later', { ...shop, client_id: 'later' });
      const later = `${idp.issuer}/authorize?client_id=later&response_type=code&scope=openid&redirect_uri=${encodeURIComponent(REDIRECT)}`;
      for (let i = 0; i < 50 && (await fetch(later, { redirect: 'manual' })).status === 400; i++)
        await sleep(100);
      assert.equal((await fetch(later, { redirect: 'manual' })).status, 303);
      assert.equal((await fetch(url(moved), { redirect: 'manual' })).status, 303, 'last good version kept');
    } finally {
      await idp.close();
    }
  });
});
