// Several IdP processes on one Redis: a login may hop between them, survive a restart and a graceful shutdown.

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
const sp = createTestSp();

describe('IdP processes sharing one Redis', { timeout: 30_000 }, () => {
  let redis: RedisServer;
  let deployment: IdpDeployment;
  let a: IdpProcess;
  let b: IdpProcess;
  /** Where the "load balancer" sends the next request. */
  let target: IdpProcess;

  before(async () => {
    redis = await startRedisServer();
    deployment = await createIdpDeployment({ sps: { sp: sp.metadataXml }, env: { REDIS_URL: redis.url } });
    // One after the other: the first start writes the shared dev key pair, the second reads it.
    a = await deployment.start();
    b = await deployment.start();
  });
  after(async () => {
    await deployment?.close();
    await redis?.stop();
  });

  const ssoPath = (id = newRequestId()) =>
    `/saml/sso?${redirectQuery(authnRequestXml({ issuer: sp.entityId, id, destination: deployment.ssoUrl }), { relayState: 'rs-scale' })}`;

  /** A browser whose requests go to `target`; the login starts there and stops on the identify page. */
  const beginLogin = async (on: IdpProcess) => {
    const client = new BrowserClient(balancedTransport(() => target));
    const id = newRequestId();
    target = on;
    const page = await client.go('GET', ssoPath(id));
    assert.equal(page.status, 200, page.html.slice(0, 300));
    assert.match(page.html, /name="phone"/);
    return { client, id };
  };

  const identify = async (client: BrowserClient, on: IdpProcess, phone: string) => {
    target = on;
    const page = await client.submit({ given_name: 'Kari', family_name: 'Nordmann', phone });
    assert.equal(page.status, 200, page.html.slice(0, 300));
    assert.match(page.html, /name="code"/);
  };

  const assertSuccess = (client: BrowserClient, requestId: string, phone: string) => {
    const post = client.samlPost();
    assert.equal(post.acsUrl, sp.acsUrl);
    assert.equal(post.relayState, 'rs-scale');
    const r = readResponse(post.xml);
    assert.equal(r.statusCode, SUCCESS);
    assert.equal(r.inResponseTo, requestId);
    assert.equal(r.issuer, `${deployment.baseUrl}/saml/metadata`);
    assert.equal(r.attributes.PHONE_NUMBER, phone);
  };

  test('a login started on A, identified on B and finished on A succeeds; its code is then refused on B', async () => {
    const phone = '+4791234567';
    const { client, id } = await beginLogin(a);
    await identify(client, b, phone);
    const codePage = client.page;
    const code = deployment.sms.lastCode(phone);
    target = a;
    const done = await client.submit({ code });
    assert.equal(done.status, 200);
    assertSuccess(client, id, phone);

    // The same code page posted again, now through B.
    client.page = codePage;
    target = b;
    const again = await client.submit({ code });
    assert.equal(again.status, 410);
    assert.doesNotMatch(again.html, /SAMLResponse/);
    assert.match(again.html, /class="reference"/);
  });

  test('the right code submitted to A and B at the same moment gives exactly one assertion', async () => {
    const phone = '+46701234567';
    const { client } = await beginLogin(a);
    await identify(client, a, phone);
    const html = client.page?.html ?? '';
    const action = /<form[^>]*\baction="([^"]+)"/.exec(html)?.[1] ?? '';
    const form = {
      csrf: /name="csrf" value="([^"]+)"/.exec(html)?.[1] ?? '',
      step: 'verify-code',
      code: deployment.sms.lastCode(phone),
    };
    const answers = await Promise.all(
      [a, b, a, b].map((idp) => httpTransport(idp.origin, client.cookie(action))('POST', action, form)),
    );
    const assertions = answers.filter((r) => r.body.includes('name="SAMLResponse"'));
    assert.equal(assertions.length, 1, answers.map((r) => r.status).join(','));
    assert.deepEqual(
      answers.filter((r) => !r.body.includes('name="SAMLResponse"')).map((r) => r.status),
      [410, 410, 410],
    );
  });

  test('the replay cache is shared: an AuthnRequest taken by A is refused by B', async () => {
    const path = ssoPath();
    const first = await httpTransport(a.origin)('GET', path);
    assert.equal(first.status, 303);
    const second = await httpTransport(b.origin)('GET', path);
    assert.equal(second.status, 400);
    assert.doesNotMatch(second.body, /SAMLResponse/);
  });

  test('SIGTERM during a slow SMS send: the request in flight still answers, then the process exits 0', async () => {
    const phone = '+358401234567';
    const doomed = await deployment.start();
    const { client, id } = await beginLogin(doomed);
    const html = client.page?.html ?? '';
    const action = /<form[^>]*\baction="([^"]+)"/.exec(html)?.[1] ?? '';
    const held = deployment.sms.holdNext();
    const posting = httpTransport(doomed.origin, client.cookie(action))('POST', action, {
      csrf: /name="csrf" value="([^"]+)"/.exec(html)?.[1] ?? '',
      step: 'identify',
      given_name: 'Kari',
      family_name: 'Nordmann',
      phone,
    });
    try {
      await Promise.race([
        held.arrived,
        posting.then((r) => assert.fail(`answered ${r.status} before calling the SMS webhook`)),
      ]);
      const exit = doomed.stop();
      await doomed.waitForLog(/shutting down: finishing requests in flight/, 2000);
      // Still slow on purpose: the shutdown must wait for this answer rather than cut it off.
      await new Promise((resolve) => setTimeout(resolve, 300));
      held.release();
      const answer = await posting;
      assert.equal(answer.status, 303);
      assert.match(String(answer.headers.location), /^\/login\/[\w-]{24}\?notice=sent$/);
      assert.deepEqual(
        await exit,
        { code: 0, signal: null },
        'once the last answer is out the process exits by itself: an idle keep-alive connection must not hold it',
      );
    } finally {
      held.release();
    }

    // The flow the closed process saved is whole: another process finishes it.
    target = b;
    await client.go('GET', String((await posting).headers.location));
    assert.match(client.page?.html ?? '', /name="code"/);
    await client.submit({ code: deployment.sms.lastCode(phone) });
    assertSuccess(client, id, phone);
  });

  test('restart: a login begun on A is finished on A′ started after A shut down', async () => {
    const phone = '+4798765432';
    const { client, id } = await beginLogin(a);
    await identify(client, a, phone);
    const metadataBefore = await (await fetch(`${a.origin}/saml/metadata`)).text();
    assert.deepEqual(await a.stop(), { code: 0, signal: null });

    const restarted = await deployment.start();
    a = restarted;
    target = restarted;
    const metadataAfter = await (await fetch(`${restarted.origin}/saml/metadata`)).text();
    // Signed metadata gets a fresh ID and validUntil on each render; the key and entityID must stay the same.
    const certs = (xml: string) => [...xml.matchAll(/<ds:X509Certificate>([^<]+)</g)].map((m) => m[1]);
    const entityId = (xml: string) => /entityID="([^"]+)"/.exec(xml)?.[1];
    assert.deepEqual(certs(metadataAfter), certs(metadataBefore), 'the same signing key after the restart');
    assert.equal(entityId(metadataAfter), entityId(metadataBefore));
    const done = await client.submit({ code: deployment.sms.lastCode(phone) });
    assert.equal(done.status, 200);
    assertSuccess(client, id, phone);
  });
});
