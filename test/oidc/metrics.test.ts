// Metrics of OpenID Connect logins: the funnel under the client_id, token grants per client and result, and a
// client nobody registered never becoming a label.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import * as oc from 'openid-client';
import { parsePrometheus, type Sample, sampleValue } from '../helpers/prometheus.ts';
import { CookieBrowser, logIn, type OidcIdp, SECRET, startOidcIdp } from '../helpers/oidc.ts';

const REDIRECT = 'https://shop.example.org/cb';

describe('OpenID Connect metrics', () => {
  let idp: OidcIdp;
  let samples: Sample[];

  before(async () => {
    idp = await startOidcIdp({
      clients: { shop: { client_id: 'shop', client_secret: SECRET, redirect_uris: [REDIRECT] } },
      env: { METRICS_PORT: '0', METRICS_HOST: '127.0.0.1' },
    });
    const config = await oc.discovery(new URL(idp.issuer), 'shop', SECRET, undefined, {
      execute: [oc.allowInsecureRequests],
    });
    const verifier = oc.randomPKCECodeVerifier();
    const state = oc.randomState();
    const url = oc.buildAuthorizationUrl(config, {
      redirect_uri: REDIRECT,
      scope: 'openid',
      state,
      code_challenge: await oc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      amr_values: 'nets_sms',
    });
    const callback = await logIn(new CookieBrowser(idp.baseUrl), idp, url.href);
    await oc.authorizationCodeGrant(config, callback, { pkceCodeVerifier: verifier, expectedState: state });
    // The same code again: refused by the token endpoint.
    await assert.rejects(
      oc.authorizationCodeGrant(config, callback, { pkceCodeVerifier: verifier, expectedState: state }),
    );
    samples = parsePrometheus(await (await fetch(`${idp.app.metricsUrl}/metrics`)).text());
  });
  after(() => idp?.close());

  const count = (name: string, labels: Record<string, string>) => sampleValue(samples, name, labels) ?? 0;

  test('the login funnel counts the client like an SP', () => {
    const step = (s: string) => count('nsi_login_funnel_total', { sp: 'shop', step: s });
    assert.deepEqual(['started', 'code_sent', 'code_verified', 'assertion_issued'].map(step), [1, 1, 1, 1]);
    assert.equal(count('nsi_login_funnel_total', { sp: 'unknown', step: 'started' }), 0);
  });

  test('token grants per client and result', () => {
    assert.equal(count('nsi_oidc_grants_total', { client: 'shop', result: 'success' }), 1);
    assert.equal(count('nsi_oidc_grants_total', { client: 'shop', result: 'invalid_grant' }), 1);
  });
});
