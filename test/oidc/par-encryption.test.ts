// Pushed authorization requests (presetid kept out of the browser's URL) and encrypted ID tokens.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { exportJWK, generateKeyPair } from 'jose';
import * as oc from 'openid-client';
import { CookieBrowser, logIn, type OidcIdp, PHONE, SECRET, startOidcIdp } from '../helpers/oidc.ts';

const REDIRECT = 'https://shop.example.org/cb';

describe('PAR and ID token encryption', () => {
  let idp: OidcIdp;
  let decryptionKey: CryptoKey;
  before(async () => {
    const pair = await generateKeyPair('RSA-OAEP-256', { extractable: true });
    decryptionKey = pair.privateKey;
    const encJwk = { ...(await exportJWK(pair.publicKey)), kid: 'enc-1', use: 'enc', alg: 'RSA-OAEP-256' };
    idp = await startOidcIdp({
      clients: {
        shop: { client_id: 'shop', client_secret: SECRET, redirect_uris: [REDIRECT], subject_type: 'public' },
        sealed: {
          client_id: 'sealed',
          client_secret: SECRET,
          redirect_uris: [REDIRECT],
          jwks: { keys: [encJwk] },
          id_token_signed_response_alg: 'RS256',
          id_token_encrypted_response_alg: 'RSA-OAEP-256',
          id_token_encrypted_response_enc: 'A128GCM',
        },
      },
    });
  });
  after(() => idp.close());

  const discover = (id: string) =>
    oc.discovery(new URL(idp.issuer), id, SECRET, undefined, { execute: [oc.allowInsecureRequests] });

  test('PAR: the presetid travels in the pushed request; the browser URL carries only request_uri', async () => {
    const config = await discover('shop');
    const verifier = oc.randomPKCECodeVerifier();
    const url = await oc.buildAuthorizationUrlWithPAR(config, {
      redirect_uri: REDIRECT,
      scope: 'openid profile',
      state: 'par-1',
      code_challenge: await oc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      amr_values: 'nets_sms',
      presetid: `${PHONE} Svenson, Anton Erik`,
      ui_locales: 'en',
    });
    assert.deepEqual([...url.searchParams.keys()].sort(), ['client_id', 'request_uri']);
    const browser = new CookieBrowser(idp.baseUrl);
    const page = await browser.go(url.href);
    assert.match(page.html, /Anton Erik Svenson/);
    await browser.submit({});
    const done = await browser.submit({ code: idp.sms.lastCode(PHONE) });
    assert.equal(done.status, 0, `stayed at ${done.url}`);
    const callback = new URL(done.url);
    const tokens = await oc.authorizationCodeGrant(config, callback, {
      pkceCodeVerifier: verifier,
      expectedState: 'par-1',
    });
    assert.equal(tokens.claims()?.family_name, 'Svenson');
    assert.equal(tokens.claims()?.given_name, 'Anton Erik');
  });

  test('a client that registers an encryption key gets its ID token as a JWE it alone can open', async () => {
    const config = await discover('sealed');
    oc.enableDecryptingResponses(config, ['A128GCM'], { key: decryptionKey, kid: 'enc-1' });
    const verifier = oc.randomPKCECodeVerifier();
    const url = oc.buildAuthorizationUrl(config, {
      redirect_uri: REDIRECT,
      scope: 'openid profile',
      state: 'enc-1',
      code_challenge: await oc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
    });
    const callback = await logIn(new CookieBrowser(idp.baseUrl), idp, url.href);
    const tokens = await oc.authorizationCodeGrant(config, callback, {
      pkceCodeVerifier: verifier,
      expectedState: 'enc-1',
    });
    assert.equal(tokens.id_token?.split('.').length, 5, 'a JWE in compact form');
    assert.equal(tokens.claims()?.pid, PHONE);
  });
});
