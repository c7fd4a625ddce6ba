// Flow binding for every client: someone else's flow link (and the code they received) submitted from a browser
// that sends no Fetch Metadata headers (older Safari, in-app browsers) must meet the same 403 page as any other
// browser without the flow cookie; nothing is sent and no assertion is made.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { buildTestIdp, type TestIdp } from '../helpers/app.ts';
import { BrowserClient, injectTransport, inputValue } from '../helpers/browser-client.ts';
import { authnRequestXml, createTestSp, redirectQuery } from '../helpers/saml-sp.ts';

const SSO = 'https://idp.example.test/saml/sso';
const sp = createTestSp();

let idp: TestIdp;
before(async () => {
  idp = await buildTestIdp({ sps: { sp: sp.metadataXml } });
});
after(() => idp.close());

/** The attacker's own flow, started in their browser: its page URL and form token. */
async function attackersFlow() {
  const attacker = new BrowserClient(injectTransport(idp.app, { 'accept-language': 'en' }));
  const page = await attacker.go(
    'GET',
    `/saml/sso?${redirectQuery(authnRequestXml({ issuer: sp.entityId, destination: SSO }))}`,
  );
  assert.equal(page.status, 200, page.html.slice(0, 300));
  return { attacker, url: page.url.split('?')[0] as string, csrf: inputValue(page.html, 'csrf') as string };
}

/** A request from the victim's browser: no flow cookie, and no Sec-Fetch-* headers at all. */
const fromOldBrowser = (method: 'GET' | 'POST', url: string, form?: Record<string, string>) =>
  idp.app.inject({
    method,
    url,
    headers: {
      'accept-language': 'en',
      'user-agent':
        'Mozilla/5.0 (iPhone; CPU iPhone OS 15_8 like Mac OS X) AppleWebKit/605.1.15 Version/15.6',
      ...(form === undefined ? {} : { 'content-type': 'application/x-www-form-urlencoded' }),
    },
    payload: form === undefined ? undefined : new URLSearchParams(form).toString(),
  });

describe('someone else’s flow link in a browser without Fetch Metadata', () => {
  test('opening the link: the 403 page, the flow is not shown', async () => {
    const { url } = await attackersFlow();
    const page = await fromOldBrowser('GET', url);
    assert.equal(page.statusCode, 403);
    assert.match(page.body, /This login was started in another browser or window/);
    assert.doesNotMatch(page.body, /name="csrf"/);
  });

  test('posting the identify form with the flow’s token: 403, no SMS', async () => {
    const { url, csrf } = await attackersFlow();
    const before = idp.sms.sent.length;
    const post = await fromOldBrowser('POST', url, {
      csrf,
      step: 'identify',
      given_name: 'Kari',
      family_name: 'Nordmann',
      phone: '+4791234567',
    });
    assert.equal(post.statusCode, 403);
    assert.equal(idp.sms.sent.length, before);
  });

  test('submitting the code from another browser: 403, no assertion', async () => {
    const { attacker, url, csrf } = await attackersFlow();
    await attacker.submit({ given_name: 'Kari', family_name: 'Nordmann', phone: '+4791234568' });
    const post = await fromOldBrowser('POST', url, {
      csrf,
      step: 'verify-code',
      code: idp.sms.lastCode('+4791234568'),
    });
    assert.equal(post.statusCode, 403);
    assert.doesNotMatch(post.body, /SAMLResponse/);
  });
});
