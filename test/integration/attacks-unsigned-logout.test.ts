// Unauthenticated logout must not get a signed answer: an unsigned LogoutRequest naming a SessionIndex we never gave
// that SP would otherwise earn an IdP-signed LogoutResponse (Requester/UnknownPrincipal) carrying the sender's
// InResponseTo and, on the Redirect binding, our signature over the sender's RelayState.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { deflateRawSync } from 'node:zlib';
import type { LightMyRequestResponse } from 'fastify';
import { Binding } from '../../src/saml/urn.ts';
import { buildTestIdp, type TestIdp } from '../helpers/app.ts';
import { fillAttack } from '../helpers/attack-fixtures.ts';
import { createTestSp } from '../helpers/saml-sp.ts';

const BASE = 'https://idp.example.test';
const sp = createTestSp({
  entityId: 'https://open.example.org/sp',
  keyName: 'open-sp',
  acs: [{ url: 'https://open.example.org/acs', index: 0 }],
  slo: [
    { binding: Binding.redirect, url: 'https://open.example.org/slo' },
    { binding: Binding.post, url: 'https://open.example.org/slo-post' },
  ],
});
const values = { SLO: `${BASE}/saml/slo`, ISSUER: sp.entityId };
const RELAY_STATE = 'https://evil.example/phish';

let idp: TestIdp;
before(async () => {
  idp = await buildTestIdp({ sps: { open: sp.metadataXml } });
});
after(() => idp.close());

function assertNothingSent(response: LightMyRequestResponse): void {
  assert.equal(response.statusCode, 400, response.body.slice(0, 300));
  assert.equal(response.headers.location, undefined, 'no redirect to the SP');
  assert.doesNotMatch(response.body, /SAMLResponse|evil\.example/);
  assert.match(response.body, /class="reference"/, 'our error page with a reference id');
}

describe('unsigned LogoutRequest for a SessionIndex we did not issue', () => {
  test('HTTP-Redirect with the sender’s RelayState: our error page, nothing signed, nothing sent', async () => {
    const xml = fillAttack('unsigned-logout-unknown-session.xml', values);
    const query = new URLSearchParams({
      SAMLRequest: deflateRawSync(Buffer.from(xml)).toString('base64'),
      RelayState: RELAY_STATE,
    });
    assertNothingSent(await idp.app.inject({ method: 'GET', url: `/saml/slo?${query}` }));
  });

  test('HTTP-POST: our error page, nothing signed, nothing sent', async () => {
    const xml = fillAttack('unsigned-logout-unknown-session.xml', values);
    const response = await idp.app.inject({
      method: 'POST',
      url: '/saml/slo',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({
        SAMLRequest: Buffer.from(xml).toString('base64'),
        RelayState: RELAY_STATE,
      }).toString(),
    });
    assertNothingSent(response);
  });
});
