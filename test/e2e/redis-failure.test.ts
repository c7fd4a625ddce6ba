// An IdP process whose Redis dies or hangs mid-login: 503 pages and readiness, then recovery without a restart.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { BrowserClient, httpTransport } from '../helpers/browser-client.ts';
import {
  balancedTransport,
  createIdpDeployment,
  type IdpDeployment,
  type IdpProcess,
} from '../helpers/idp-server-process.ts';
import { type RedisServer, startRedisServer } from '../helpers/redis-server.ts';
import { readResponse } from '../helpers/saml-response.ts';
import { authnRequestXml, createTestSp, newRequestId, redirectQuery } from '../helpers/saml-sp.ts';

const SUCCESS = 'urn:oasis:names:tc:SAML:2.0:status:Success';
const COMMAND_TIMEOUT_MS = 400;
const sp = createTestSp();

describe('Redis failures under a running IdP process', { timeout: 30_000 }, () => {
  let redis: RedisServer;
  let deployment: IdpDeployment;
  let idp: IdpProcess;

  before(async () => {
    redis = await startRedisServer();
    deployment = await createIdpDeployment({
      sps: { sp: sp.metadataXml },
      env: { REDIS_URL: redis.url, REDIS_COMMAND_TIMEOUT_MS: String(COMMAND_TIMEOUT_MS) },
    });
    idp = await deployment.start();
  });
  after(async () => {
    await deployment?.close();
    await redis?.stop();
  });

  const get = (path: string) => httpTransport(idp.origin, { 'accept-language': 'en' })('GET', path);

  /** A new login from the SP, up to the identify page. */
  const beginLogin = async () => {
    const id = newRequestId();
    const xml = authnRequestXml({ issuer: sp.entityId, id, destination: deployment.ssoUrl });
    const client = new BrowserClient(balancedTransport(() => idp));
    const page = await client.go('GET', `/saml/sso?${redirectQuery(xml)}`);
    assert.equal(page.status, 200, page.html.slice(0, 300));
    assert.match(page.html, /name="phone"/);
    return { client, id };
  };

  /** The answer to /readyz and how long it took. */
  const readiness = async () => {
    const started = Date.now();
    const response = await get('/readyz');
    return { status: response.status, ms: Date.now() - started };
  };

  const waitUntilReady = async (withinMs: number) => {
    const deadline = Date.now() + withinMs;
    let last = await readiness();
    while (last.status !== 200 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      last = await readiness();
    }
    assert.equal(last.status, 200, `/readyz not back to 200 within ${withinMs} ms`);
  };

  /** The error page of an unreachable store: 503, translated, a reference id, no internals. */
  const assertUnavailablePage = (page: { status: number; html: string }) => {
    assert.equal(page.status, 503);
    assert.match(page.html, /Service temporarily unavailable/);
    assert.match(page.html, /class="reference"/);
    assert.doesNotMatch(page.html, /SAMLResponse|Redis|ECONNREFUSED|Error:|at \S+\.ts/);
  };

  const finishLogin = async (client: BrowserClient, id: string, phone: string) => {
    const sent = await client.submit({ given_name: 'Kari', family_name: 'Nordmann', phone });
    assert.equal(sent.status, 200, sent.html.slice(0, 300));
    const done = await client.submit({ code: deployment.sms.lastCode(phone) });
    assert.equal(done.status, 200, done.html.slice(0, 300));
    const r = readResponse(client.samlPost().xml);
    assert.equal(r.statusCode, SUCCESS);
    assert.equal(r.inResponseTo, id);
    assert.equal(r.attributes.PHONE_NUMBER, phone);
  };

  test('Redis killed mid-login: 503 page and /readyz 503 at once; back by itself after Redis returns', async () => {
    const { client } = await beginLogin();
    const flowUrl = client.page?.url ?? '';
    const smsBefore = deployment.sms.messages.length;
    await redis.kill();

    const next = await client.submit({ given_name: 'Kari', family_name: 'Nordmann', phone: '+4791234567' });
    assertUnavailablePage(next);
    assert.equal(deployment.sms.messages.length, smsBefore, 'no SMS for a flow that cannot be read');
    const ready = await readiness();
    assert.equal(ready.status, 503);
    assert.ok(ready.ms < 1200, `/readyz took ${ready.ms} ms`);
    assert.equal((await get('/healthz')).status, 200, 'the process itself is up');

    await redis.restart();
    await waitUntilReady(5000);
    // Redis kept nothing: the old flow is gone, and the SP's new AuthnRequest goes through.
    assert.equal((await get(flowUrl)).status, 410);
    const again = await beginLogin();
    await finishLogin(again.client, again.id, '+4791234567');
  });

  test('Redis hanging (SIGSTOP): pages and /readyz answer 503 within the command timeout', async () => {
    const { client } = await beginLogin();
    redis.pause();
    try {
      const started = Date.now();
      const next = await client.submit({
        given_name: 'Kari',
        family_name: 'Nordmann',
        phone: '+46701234567',
      });
      assertUnavailablePage(next);
      assert.ok(Date.now() - started < COMMAND_TIMEOUT_MS + 800, `the page took ${Date.now() - started} ms`);
      const ready = await readiness();
      assert.equal(ready.status, 503);
      assert.ok(ready.ms < 1200, `/readyz took ${ready.ms} ms`);
    } finally {
      redis.resume();
    }
    await waitUntilReady(5000);
    // The data survived the pause: the same flow carries on.
    const resumed = await client.go('GET', client.page?.url ?? '');
    assert.equal(resumed.status, 200);
    assert.match(resumed.html, /name="phone"/);
  });
});
