// A real relying party (openid-client) over real HTTP: discovery, the SMS login, tokens, claims, userinfo.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { exportJWK, generateKeyPair } from 'jose';
import * as oc from 'openid-client';
import {
  CookieBrowser,
  FAMILY,
  GIVEN,
  logIn,
  type OidcIdp,
  PHONE,
  SECRET,
  startOidcIdp,
} from '../helpers/oidc.ts';

const REDIRECT = 'https://shop.example.org/cb';
const ACR = 'urn:oasis:names:tc:SAML:2.0:ac:classes:MobileOneFactorUnregistered';

describe('OpenID Connect code flow with openid-client', () => {
  let idp: OidcIdp;
  let rpKey: CryptoKey;
  before(async () => {
    const pair = await generateKeyPair('RS256', { extractable: true });
    rpKey = pair.privateKey;
    const rpJwk = { ...(await exportJWK(pair.publicKey)), kid: 'rp-1', alg: 'RS256', use: 'sig' };
    idp = await startOidcIdp({
      clients: {
        post: {
          client_id: 'post',
          client_secret: SECRET,
          token_endpoint_auth_method: 'client_secret_post',
          redirect_uris: [REDIRECT],
        },
        jwt: {
          client_id: 'jwt',
          token_endpoint_auth_method: 'private_key_jwt',
          token_endpoint_auth_signing_alg: 'RS256',
          jwks: { keys: [rpJwk] },
          redirect_uris: [REDIRECT],
        },
        spa: {
          client_id: 'spa',
          token_endpoint_auth_method: 'none',
          redirect_uris: ['http://127.0.0.1/spa-cb'],
          scope: 'openid profile',
        },
        shop: {
          client_id: 'shop',
          client_name: 'Shop',
          client_secret: SECRET,
          redirect_uris: [REDIRECT],
          subject_type: 'public',
        },
      },
    });
  });
  after(() => idp.close());

  const discover = (id: string, secret?: string, auth?: oc.ClientAuth) =>
    oc.discovery(new URL(idp.issuer), id, secret, auth, { execute: [oc.allowInsecureRequests] });

  test('discovery names the issuer, our endpoints, scopes, claims and the acr', async () => {
    const config = await discover('shop', SECRET);
    const meta = config.serverMetadata();
    assert.equal(meta.issuer, idp.issuer);
    assert.equal(meta.authorization_endpoint, `${idp.issuer}/authorize`);
    assert.equal(meta.token_endpoint, `${idp.issuer}/token`);
    assert.equal(meta.userinfo_endpoint, `${idp.issuer}/userinfo`);
    assert.equal(meta.jwks_uri, `${idp.issuer}/jwks`);
    assert.deepEqual(meta.response_types_supported, ['code']);
    assert.deepEqual(meta.scopes_supported, ['openid', 'profile', 'phone']);
    assert.deepEqual(meta.acr_values_supported, [ACR]);
    assert.deepEqual(meta.code_challenge_methods_supported, ['S256']);
    for (const claim of ['pid', 'given_name', 'family_name', 'name', 'phone_number'])
      assert.ok((meta.claims_supported as string[]).includes(claim), claim);
  });

  test('client_secret_basic: the SMS login gives the seed claims in the ID token and at userinfo', async () => {
    const config = await discover('shop', SECRET);
    const verifier = oc.randomPKCECodeVerifier();
    const state = oc.randomState();
    const nonce = oc.randomNonce();
    const url = oc.buildAuthorizationUrl(config, {
      redirect_uri: REDIRECT,
      scope: 'openid profile phone',
      state,
      nonce,
      code_challenge: await oc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      amr_values: 'nets_sms',
    });
    const browser = new CookieBrowser(idp.baseUrl);
    const callback = await logIn(browser, idp, url.href);
    assert.equal(callback.origin + callback.pathname, REDIRECT);
    assert.equal(callback.searchParams.get('iss'), idp.issuer);
    const tokens = await oc.authorizationCodeGrant(config, callback, {
      pkceCodeVerifier: verifier,
      expectedState: state,
      expectedNonce: nonce,
    });
    const claims = tokens.claims();
    assert.ok(claims !== undefined);
    assert.equal(claims.sub, `nets_sms:${PHONE}`);
    assert.equal(claims.pid, PHONE);
    assert.equal(claims.idp, 'nets_sms');
    assert.equal(claims.given_name, GIVEN);
    assert.equal(claims.family_name, FAMILY);
    assert.equal(claims.name, `${GIVEN} ${FAMILY}`);
    assert.equal(claims.phone_number, PHONE);
    assert.equal(claims.phone_number_verified, true);
    assert.deepEqual(claims.amr, ['nets_sms']);
    assert.equal(claims.acr, ACR);
    assert.equal(claims.aud, 'shop');
    assert.equal(typeof claims.auth_time, 'number');
    const info = await oc.fetchUserInfo(config, tokens.access_token, claims.sub);
    assert.equal(info.pid, PHONE);
    assert.equal(info.name, `${GIVEN} ${FAMILY}`);
    assert.equal(info.phone_number_verified, true);
  });

  /** The whole login for a client: returns the ID token claims and the userinfo answer. */
  async function fullLogin(config: oc.Configuration, redirect: string, scope: string) {
    const verifier = oc.randomPKCECodeVerifier();
    const state = oc.randomState();
    const url = oc.buildAuthorizationUrl(config, {
      redirect_uri: redirect,
      scope,
      state,
      code_challenge: await oc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
    });
    const callback = await logIn(new CookieBrowser(idp.baseUrl), idp, url.href);
    const tokens = await oc.authorizationCodeGrant(config, callback, {
      pkceCodeVerifier: verifier,
      expectedState: state,
    });
    const claims = tokens.claims();
    assert.ok(claims !== undefined);
    const info = await oc.fetchUserInfo(config, tokens.access_token, claims.sub);
    return { claims, info };
  }

  test('client_secret_post: the same login; a pairwise sub by default (not the phone), stable per client', async () => {
    const config = await discover('post', SECRET, oc.ClientSecretPost(SECRET));
    const first = await fullLogin(config, REDIRECT, 'openid profile');
    const second = await fullLogin(config, REDIRECT, 'openid profile');
    assert.notEqual(first.claims.sub, `nets_sms:${PHONE}`);
    assert.ok(!first.claims.sub.includes(PHONE.slice(1)));
    assert.equal(first.claims.sub, second.claims.sub);
    assert.equal(first.info.sub, first.claims.sub);
    assert.equal(first.claims.family_name, FAMILY);
  });

  test('private_key_jwt: the client signs its assertion with its own key from the client file', async () => {
    const config = await discover('jwt', undefined, oc.PrivateKeyJwt(rpKey));
    const { claims, info } = await fullLogin(config, REDIRECT, 'openid phone');
    assert.equal(claims.phone_number, PHONE);
    assert.equal(claims.phone_number_verified, true);
    assert.equal(claims.given_name, undefined, 'profile was not asked for');
    assert.equal(info.phone_number, PHONE);
  });

  test('public client with PKCE: openid gives pid; a scope outside the client file is invalid_scope', async () => {
    const config = await discover('spa', undefined, oc.None());
    const { claims, info } = await fullLogin(config, 'http://127.0.0.1/spa-cb', 'openid profile');
    assert.equal(claims.pid, PHONE);
    assert.equal(claims.name, `${GIVEN} ${FAMILY}`);
    assert.equal(info.name, `${GIVEN} ${FAMILY}`);
    const url = oc.buildAuthorizationUrl(config, {
      redirect_uri: 'http://127.0.0.1/spa-cb',
      scope: 'openid phone',
      state: 's1',
      code_challenge: await oc.calculatePKCECodeChallenge(oc.randomPKCECodeVerifier()),
      code_challenge_method: 'S256',
    });
    const callback = await logIn(new CookieBrowser(idp.baseUrl), idp, url.href);
    assert.equal(callback.searchParams.get('error'), 'invalid_scope');
    assert.equal(callback.searchParams.get('state'), 's1');
  });
});
