// A real IdP process on a Kubernetes-like platform: it starts beside the platform's service-link variables, and on
// SIGTERM it leaves the load balancer's rotation at once (/readyz 503), finishes what is in flight, and exits.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { BrowserClient, httpTransport } from '../helpers/browser-client.ts';
import { createIdpDeployment, type IdpDeployment, type IdpProcess } from '../helpers/idp-server-process.ts';
import { authnRequestXml, createTestSp, newRequestId, redirectQuery } from '../helpers/saml-sp.ts';

const sp = createTestSp();

/** What Kubernetes injects into a pod of a namespace with Services called redis, sms and idp. */
const SERVICE_LINKS = {
  REDIS_SERVICE_HOST: '10.96.12.7',
  REDIS_SERVICE_PORT: '6379',
  REDIS_PORT: 'tcp://10.96.12.7:6379',
  REDIS_PORT_6379_TCP: 'tcp://10.96.12.7:6379',
  REDIS_PORT_6379_TCP_ADDR: '10.96.12.7',
  REDIS_PORT_6379_TCP_PORT: '6379',
  REDIS_PORT_6379_TCP_PROTO: 'tcp',
  SMS_SERVICE_HOST: '10.96.40.2',
  SMS_PORT: 'tcp://10.96.40.2:80',
  IDP_SERVICE_HOST: '10.96.3.3',
  IDP_SERVICE_PORT: '3000',
  IDP_PORT: 'tcp://10.96.3.3:3000',
};

describe('shutdown on SIGTERM', { timeout: 30_000 }, () => {
  let deployment: IdpDeployment;
  let idp: IdpProcess;

  before(async () => {
    deployment = await createIdpDeployment({ sps: { sp: sp.metadataXml }, env: SERVICE_LINKS });
    // Long enough that only the second signal below ends the drain.
    idp = await deployment.start({ SHUTDOWN_DELAY_SECONDS: '300' });
  });
  after(async () => {
    await deployment?.close();
  });

  test('the process started beside the service-link variables and is ready', async () => {
    const ready = await fetch(`${idp.origin}/readyz`);
    assert.equal(ready.status, 200);
    assert.deepEqual(await ready.json(), { status: 'ready', problems: [] });
    assert.doesNotMatch(idp.output(), /not a setting/);
  });

  test('readiness goes at once, liveness and requests in flight stay, the process exits 0', async () => {
    const client = new BrowserClient(httpTransport(idp.origin, { 'accept-language': 'en' }));
    const xml = authnRequestXml({ issuer: sp.entityId, id: newRequestId(), destination: deployment.ssoUrl });
    const page = await client.go('GET', `/saml/sso?${redirectQuery(xml, { relayState: 'rs' })}`);
    assert.match(page.html, /name="phone"/);
    const html = page.html;
    const action = /<form[^>]*\baction="([^"]+)"/.exec(html)?.[1] ?? '';
    const held = deployment.sms.holdNext();
    const posting = httpTransport(idp.origin, client.cookie(action))('POST', action, {
      csrf: /name="csrf" value="([^"]+)"/.exec(html)?.[1] ?? '',
      step: 'identify',
      given_name: 'Kari',
      family_name: 'Nordmann',
      phone: '+4791234567',
    });
    try {
      await Promise.race([held.arrived, posting.then((r) => assert.fail(`answered ${r.status} too early`))]);
      process.kill(idp.pid, 'SIGTERM');
      await idp.waitForLog(/shutting down: finishing requests in flight/);

      const ready = await fetch(`${idp.origin}/readyz`);
      assert.equal(ready.status, 503);
      assert.equal(ready.headers.get('connection'), 'close');
      assert.deepEqual(await ready.json(), { status: 'not ready', problems: ['shutting down'] });
      // Alive, and still serving what a load balancer sends before it has noticed.
      assert.equal((await fetch(`${idp.origin}/healthz`)).status, 200);
      const metadata = await fetch(`${idp.origin}/saml/metadata`);
      assert.equal(metadata.status, 200);
      assert.match(await metadata.text(), /EntityDescriptor/);

      process.kill(idp.pid, 'SIGTERM');
      await idp.waitForLog(/shutting down: delay cut short/);
      held.release();
      const answer = await posting;
      assert.equal(answer.status, 303, 'the request in flight got its answer');
      assert.match(String(answer.headers.location), /\?notice=sent$/);
      assert.deepEqual(await idp.exited, { code: 0, signal: null });
    } finally {
      held.release();
    }
  });
});
