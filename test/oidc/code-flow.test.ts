// A real relying party (openid-client) over real HTTP: discovery, the SMS login, tokens, claims, userinfo.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
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
  before(async () => {
    idp = await startOidcIdp({
      clients: {
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
});
