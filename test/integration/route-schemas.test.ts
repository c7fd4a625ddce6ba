// Malformed forms and queries against the route schemas (http/route-schemas.ts): each gets the answer the route gave
// before it had a schema, the flow's own page or our plain page with a reference id, never Fastify's JSON 400.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { MemoryStore } from '../../src/store/memory.ts';
import { buildTestIdp, type TestIdp } from '../helpers/app.ts';
import { BrowserClient, injectTransport, inputValue } from '../helpers/browser-client.ts';
import { authnRequestXml, createTestSp, redirectQuery } from '../helpers/saml-sp.ts';

const SSO = 'https://idp.example.test/saml/sso';
const sp = createTestSp({ entityId: 'https://schemas.example.org/sp', keyName: 'schemas-sp' });
const store = new MemoryStore();
const logged: { level: number; msg: string; reason?: string }[] = [];

let idp: TestIdp;
before(async () => {
  idp = await buildTestIdp({
    sps: { sp: sp.metadataXml },
    store,
    env: { DEMO_SP: 'true' },
    logStream: { write: (line: string) => void logged.push(JSON.parse(line)) },
  });
});
after(async () => {
  await idp.close();
  await store.close();
});

/** A browser at the identify step of a new flow: its page URL, form token and cookie. */
async function atIdentify() {
  const browser = new BrowserClient(injectTransport(idp.app, { 'accept-language': 'en' }));
  const page = await browser.go(
    'GET',
    `/saml/sso?${redirectQuery(authnRequestXml({ issuer: sp.entityId, destination: SSO }))}`,
  );
  assert.equal(page.status, 200, page.html.slice(0, 300));
  const url = page.url.split('?')[0] ?? '';
  return { browser, url, csrf: inputValue(page.html, 'csrf') ?? '', cookie: browser.cookie(url) };
}

function assertPlainPage(response: { statusCode: number; body: string; headers: Record<string, unknown> }) {
  assert.match(String(response.headers['content-type']), /^text\/html/);
  assert.match(response.body, /class="reference"/);
}

describe('the login form', () => {
  test('fields that are not text (a JSON body) are read as absent: the form again with its messages, no SMS', async () => {
    const { url, csrf, cookie } = await atIdentify();
    const sent = idp.sms.sent.length;
    const response = await idp.app.inject({
      method: 'POST',
      url,
      headers: { ...cookie, 'accept-language': 'en' },
      payload: { csrf, step: 'identify', given_name: 5, family_name: { a: 1 }, phone: ['+4791234567'] },
    });
    assert.equal(response.statusCode, 400);
    assert.match(response.body, /Enter your first and middle names/);
    assert.match(response.body, /Enter your family name/);
    assert.match(response.body, /Enter your mobile number/);
    assert.match(response.body, /name="csrf"/);
    assert.equal(idp.sms.sent.length, sent);
  });

  test('a repeated CSRF field is no token: the 403 page with a reference id', async () => {
    const { url, csrf, cookie } = await atIdentify();
    const response = await idp.app.inject({
      method: 'POST',
      url,
      headers: { ...cookie, 'content-type': 'application/x-www-form-urlencoded', 'accept-language': 'en' },
      payload: `csrf=${encodeURIComponent(csrf)}&csrf=${encodeURIComponent(csrf)}&step=identify`,
    });
    assert.equal(response.statusCode, 403);
    assertPlainPage(response);
  });

  test('a JSON body that is not an object: the 403 page with a reference id', async () => {
    const { url, cookie } = await atIdentify();
    const response = await idp.app.inject({
      method: 'POST',
      url,
      headers: { ...cookie, 'content-type': 'application/json', 'accept-language': 'en' },
      payload: '[1, 2, 3]',
    });
    assert.equal(response.statusCode, 403);
    assertPlainPage(response);
  });

  test('a malformed body to a flow that is gone: the expired page, not a schema error', async () => {
    const response = await idp.app.inject({
      method: 'POST',
      url: '/login/AAAAAAAAAAAAAAAAAAAAAAAA',
      headers: { 'content-type': 'application/json', 'accept-language': 'en' },
      payload: '{"csrf": 7}',
    });
    assert.equal(response.statusCode, 410);
    assertPlainPage(response);
  });

  test('a repeated language on the page is ignored: the page in its own language', async () => {
    const { url, cookie } = await atIdentify();
    const response = await idp.app.inject({ method: 'GET', url: `${url}?lang=sv&lang=fi`, headers: cookie });
    assert.equal(response.statusCode, 200);
    assert.match(response.body, /<html lang="en"/);
  });
});

describe('the expired page’s return button', () => {
  test('a token that is not text is refused with the 403 page, and the SP is not answered', async () => {
    const { url, csrf, cookie } = await atIdentify();
    const flowId = url.split('/').pop() ?? '';
    await store.delete(`{${flowId}}:flow`);
    const response = await idp.app.inject({
      method: 'POST',
      url: `${url}/return`,
      headers: { ...cookie, 'accept-language': 'en' },
      payload: { csrf: [csrf] },
    });
    assert.equal(response.statusCode, 403);
    assertPlainPage(response);
    assert.doesNotMatch(response.body, /SAMLResponse/);
  });
});

describe('SAML and demo queries', () => {
  test('GET /saml/sso with a parameter given twice: the bad-request page, logged as malformed', async () => {
    const query = redirectQuery(authnRequestXml({ issuer: sp.entityId, destination: SSO }));
    const before = logged.length;
    const response = await idp.app.inject({ method: 'GET', url: `/saml/sso?${query}&locale=en&locale=sv` });
    assert.equal(response.statusCode, 400);
    assertPlainPage(response);
    const refusals = logged.slice(before).filter((line) => line.msg === 'request refused');
    assert.deepEqual(
      refusals.map((line) => line.reason),
      ['malformed'],
    );
  });

  test('POST /saml/sso with a JSON body that is not an object: the bad-request page', async () => {
    const response = await idp.app.inject({
      method: 'POST',
      url: '/saml/sso',
      headers: { 'content-type': 'application/json' },
      payload: '"PHg+PC94Pg=="',
    });
    assert.equal(response.statusCode, 400);
    assertPlainPage(response);
  });

  test('GET /saml/idp-initiated with a repeated parameter: first value wins, as before', async () => {
    const response = await idp.app.inject({
      method: 'GET',
      url: `/saml/idp-initiated?sp=${encodeURIComponent('https://unknown.example.org')}&sp=x`,
    });
    assert.notEqual(response.statusCode, 500);
    assertPlainPage(response);
  });

  test('POST /saml/slo with SAMLRequest given twice: the bad-request page, logged as malformed', async () => {
    const before = logged.length;
    const response = await idp.app.inject({
      method: 'POST',
      url: '/saml/slo',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'SAMLRequest=PHg%2BPC94Pg%3D%3D&SAMLRequest=PHg%2BPC94Pg%3D%3D',
    });
    assert.equal(response.statusCode, 400);
    assertPlainPage(response);
    const refusals = logged.slice(before).filter((line) => line.msg === 'request refused');
    assert.deepEqual(
      refusals.map((line) => line.reason),
      ['malformed'],
    );
  });

  test('the demo form with a field given twice: the bad-request page, not a server error', async () => {
    const response = await idp.app.inject({ method: 'GET', url: '/demo/login?phone=1&phone=2' });
    assert.equal(response.statusCode, 400);
    assertPlainPage(response);
  });
});
