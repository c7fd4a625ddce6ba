// The demo SP's memory of the requests it sent: anyone can ask /demo/login for more, so it must stay bounded.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { MAX_PENDING_REQUESTS } from '../../src/demo/demo-sp.ts';
import { buildTestIdp, type TestIdp } from '../helpers/app.ts';
import { BrowserClient, injectTransport } from '../helpers/browser-client.ts';

let idp: TestIdp;
let phones = 0;

before(async () => {
  idp = await buildTestIdp({ env: { DEMO_SP: 'true', SMS_MAX_PER_PHONE: '100' } });
});
after(() => idp.close());

/** The redirect /demo/login answers with: the demo's AuthnRequest to the IdP. */
async function demoLogin(): Promise<string> {
  const response = await idp.app.inject({ method: 'GET', url: '/demo/login?binding=redirect&force=yes' });
  assert.equal(response.statusCode, 303);
  const location = new URL(String(response.headers.location));
  return `${location.pathname}${location.search}`;
}

/** Logs in through the IdP from `start` and posts the Response to the demo's ACS; returns the result page. */
async function finish(start: string): Promise<string> {
  const client = new BrowserClient(injectTransport(idp.app, { 'accept-language': 'en' }));
  const phone = `+4741400${String(100 + phones++)}`;
  await client.go('GET', start);
  await client.submit({ given_name: 'Kari', family_name: 'Nordmann', phone });
  await client.submit({ code: idp.sms.lastCode(phone) });
  const post = client.samlPost();
  assert.equal(new URL(post.acsUrl).pathname, '/demo/acs');
  const result = await idp.app.inject({
    method: 'POST',
    url: '/demo/acs',
    payload: { SAMLResponse: post.samlResponse, RelayState: post.relayState ?? '' },
  });
  assert.match(result.body, /<h1>Logged in<\/h1>/);
  return result.body;
}

describe('the demo SP under a flood of /demo/login', () => {
  test('a request the demo sent is recognised in the Response that answers it', async () => {
    assert.match(await finish(await demoLogin()), /matches a request we sent/);
  });

  test(`it remembers at most ${MAX_PENDING_REQUESTS} requests: the oldest is forgotten first`, async () => {
    const oldest = await demoLogin();
    for (let i = 0; i < MAX_PENDING_REQUESTS; i++) await demoLogin();
    const newest = await demoLogin();
    assert.match(await finish(oldest), /\(unknown\)/);
    assert.match(await finish(newest), /matches a request we sent/);
  });
});
