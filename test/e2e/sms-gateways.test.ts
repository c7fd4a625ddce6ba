// Real SAML logins (node-saml SP, real HTTP) through each gateway's local fake, on the memory store and on Redis:
// routes per country, failover on an outage, no second SMS after an uncertain one, and delivery receipts.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { SAML } from '@node-saml/node-saml';
import { BrowserClient, httpTransport } from '../helpers/browser-client.ts';
import { type HttpIdp, startHttpIdp } from '../helpers/http-idp.ts';
import {
  createNodeSamlSp,
  idpCertFromMetadata,
  type NodeSamlSpDefinition,
  nodeSamlSpMetadata,
} from '../helpers/node-saml-sp.ts';
import { type RedisServer, startRedisServer } from '../helpers/redis-server.ts';
import type { FakeGateway } from '../helpers/sms-fakes/fake-gateway.ts';
import { GATEWAYS, type GatewayName, gatewayEnv, startFake } from '../helpers/sms-fakes/index.ts';
import {
  GATEWAYAPI_WEBHOOK_SECRET,
  postReceipt,
  receiptFor,
  SINCH_WEBHOOK_SECRET,
} from '../helpers/sms-fakes/receipts.ts';

const SP: NodeSamlSpDefinition = {
  entityId: 'https://shop.node-saml.example/sp',
  acsUrl: 'https://shop.node-saml.example/login/callback',
};

/** Each gateway comes first for one country; the next one in the list takes over on failover. */
const FIRST: Record<GatewayName, { country: string; phone: string; second: GatewayName }> = {
  '46elks': { country: 'SE', phone: '+46701234567', second: 'twilio' },
  gatewayapi: { country: 'DK', phone: '+4520123456', second: 'sinch' },
  twilio: { country: 'NO', phone: '+4791234567', second: '46elks' },
  sinch: { country: 'FI', phone: '+358401234567', second: 'gatewayapi' },
};

let counter = 0;
/** A fresh number of the gateway's country for each login, so per-number limits never interfere. */
function numberFor(name: GatewayName): string {
  counter += 1;
  const base = FIRST[name].phone;
  return base.slice(0, -3) + String(100 + counter).slice(-3);
}

for (const storeName of ['memory', 'redis'] as const) {
  describe(`SMS gateways end to end (${storeName} store)`, () => {
    const fakes = new Map<GatewayName, FakeGateway>();
    let redis: RedisServer | undefined;
    let idp: HttpIdp;
    let idpCert = '';

    before(async () => {
      for (const name of GATEWAYS) fakes.set(name, await startFake(name));
      if (storeName === 'redis') redis = await startRedisServer();
      const env: Record<string, string> = {
        SMS_PROVIDER: '46elks,twilio',
        SMS_ROUTES: GATEWAYS.map((g) => `${FIRST[g].country}:${g},${FIRST[g].second}`).join(';'),
        SMS_SENDER: 'ExampleID',
        SMS_RECEIPTS: 'true',
        SMS_GATEWAY_TIMEOUT_MS: '1000',
        SMS_GATEWAYAPI_WEBHOOK_SECRET: GATEWAYAPI_WEBHOOK_SECRET,
        SMS_SINCH_WEBHOOK_SECRET: SINCH_WEBHOOK_SECRET,
        OTP_RESEND_COOLDOWN_SECONDS: '0',
        SMS_MAX_PER_IP: '1000',
        ...(redis === undefined ? {} : { REDIS_URL: redis.url }),
      };
      for (const [name, fake] of fakes) Object.assign(env, gatewayEnv(name, fake));
      idp = await startHttpIdp({ sps: { sp: nodeSamlSpMetadata(SP) }, env });
      idpCert = idpCertFromMetadata(await (await fetch(`${idp.baseUrl}/saml/metadata`)).text());
    });

    after(async () => {
      await idp?.close();
      for (const fake of fakes.values()) await fake.close();
      await redis?.stop();
    });

    const fake = (name: GatewayName): FakeGateway => fakes.get(name) as FakeGateway;

    const sp = (): SAML =>
      createNodeSamlSp(
        SP,
        { entryPoint: idp.ssoUrl, certPem: idpCert, entityId: idp.entityId },
        { binding: 'HTTP-Redirect' },
      );

    /** Starts a login and submits name and number: the client is on the page that follows. */
    async function startLogin(saml: SAML, phone: string): Promise<BrowserClient> {
      const client = new BrowserClient(httpTransport(idp.baseUrl, { 'accept-language': 'en' }));
      await client.go('GET', await saml.getAuthorizeUrlAsync('relay', undefined, {}));
      await client.submit({ given_name: 'Kari', family_name: 'Nordmann', phone });
      return client;
    }

    async function finish(client: BrowserClient, saml: SAML, code: string, phone: string): Promise<void> {
      const page = await client.submit({ code });
      assert.equal(page.status, 200, page.html.slice(0, 300));
      const post = client.samlPost();
      const { profile } = await saml.validatePostResponseAsync({
        SAMLResponse: post.samlResponse,
        RelayState: 'relay',
      });
      assert.equal(profile?.PHONE_NUMBER, phone);
    }

    for (const name of GATEWAYS) {
      test(`${name}: a full login with the code from its SMS`, async () => {
        const phone = numberFor(name);
        const saml = sp();
        const client = await startLogin(saml, phone);
        assert.match(client.page?.html ?? '', /name="code"/);
        const sent = fake(name).acceptedFor(phone);
        assert.equal(sent.length, 1);
        assert.equal(fake(FIRST[name].second).acceptedFor(phone).length, 0);
        assert.match(sent[0]?.text ?? '', /\n\n@127\.0\.0\.1 #\d{6}$/);
        await finish(client, saml, fake(name).codeFor(phone), phone);
        assert.deepEqual(fake(name).violations, []);
      });

      test(`${name}: a signed "failed" receipt shows on the code page; the resend goes through the next gateway with the same code`, async () => {
        const phone = numberFor(name);
        const second = FIRST[name].second;
        const saml = sp();
        const client = await startLogin(saml, phone);
        const message = fake(name).acceptedFor(phone)[0];
        assert.ok(message !== undefined);
        for (const sign of ['none', 'wrong'] as const) {
          const status = await postReceipt(receiptFor(name, message, 'failed', idp.baseUrl, sign));
          assert.equal(status, sign === 'none' ? 401 : 403, `${sign} signature`);
        }
        // Signed, but about another message than the one this attempt sent: ignored.
        const other = { ...message, messageId: `${message.messageId.slice(0, -4)}0000` };
        assert.equal(await postReceipt(receiptFor(name, other, 'failed', idp.baseUrl)), 200);
        let page = await client.go('GET', client.page?.url ?? '');
        assert.doesNotMatch(
          page.html,
          /id="delivery-failed"/,
          'refused and mismatched receipts record nothing',
        );
        assert.equal(await postReceipt(receiptFor(name, message, 'failed', idp.baseUrl)), 200);
        page = await client.go('GET', client.page?.url ?? '');
        assert.match(
          page.html,
          /id="delivery-failed"[^>]*>We could not deliver the code to \+\d+\**\d+\. Check the number or ask for a new code\./,
        );
        await client.submit({ action: 'resend' });
        const resent = fake(second).acceptedFor(phone);
        assert.equal(resent.length, 1, 'the resend went to the next gateway');
        assert.equal(fake(name).acceptedFor(phone).length, 1);
        const code = fake(name).codeFor(phone);
        assert.equal(fake(second).codeFor(phone), code, 'the same code');
        await finish(client, saml, code, phone);
        // A receipt for a finished flow is accepted (so the gateway stops retrying) and changes nothing.
        assert.equal(await postReceipt(receiptFor(second, resent[0] as never, 'failed', idp.baseUrl)), 200);
      });
    }

    test('an uncertain failure (no answer in time) sends nothing more; the retry goes through the next gateway with the same code', async () => {
      const phone = numberFor('46elks');
      fake('46elks').mode = 'hang';
      const saml = sp();
      let client: BrowserClient;
      try {
        client = await startLogin(saml, phone);
        assert.equal(client.page?.status, 400);
        assert.match(client.page?.html ?? '', /We could not send the code\. Please try again/);
        assert.equal(fake('twilio').acceptedFor(phone).length, 0, 'no automatic second SMS');
      } finally {
        fake('46elks').mode = 'ok';
      }
      await client.submit({ given_name: 'Kari', family_name: 'Nordmann', phone });
      assert.equal(fake('twilio').acceptedFor(phone).length, 1);
      assert.equal(fake('46elks').acceptedFor(phone).length, 0);
      // The code the hanging gateway got is the one Twilio sent: whichever arrives, it is valid.
      const first = fake('46elks').received.findLast((r) => new URLSearchParams(r.body).get('to') === phone);
      const lost = /#(\d{6})$/.exec(new URLSearchParams(first?.body).get('message') ?? '')?.[1];
      assert.equal(fake('twilio').codeFor(phone), lost);
      await finish(client, saml, fake('twilio').codeFor(phone), phone);
    });

    test('a receipt for an unknown reference or gateway is ignored or refused', async () => {
      const message = { ...fake('gatewayapi').accepted[0], reference: 'unknown-reference-123' };
      assert.equal(await postReceipt(receiptFor('gatewayapi', message as never, 'failed', idp.baseUrl)), 200);
      const unknown = await fetch(`${idp.baseUrl}/sms/receipts/nexmo`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{}',
      });
      assert.equal(unknown.status, 404);
    });

    // Last, as each refusal opens that gateway's circuit breaker for the rest of the suite.
    for (const name of GATEWAYS) {
      // Twilio documents every 5xx as possibly sent, so its "not processed" outage is the 429 (20429).
      const outage = name === 'twilio' ? 'rate-limited' : 'unavailable';
      test(`${name} refusing (${outage}): the next gateway sends at once and the login completes`, async () => {
        const phone = numberFor(name);
        const second = FIRST[name].second;
        fake(name).mode = outage;
        try {
          const saml = sp();
          const client = await startLogin(saml, phone);
          assert.match(client.page?.html ?? '', /name="code"/);
          assert.equal(fake(name).acceptedFor(phone).length, 0);
          assert.equal(fake(second).acceptedFor(phone).length, 1);
          await finish(client, saml, fake(second).codeFor(phone), phone);
        } finally {
          fake(name).mode = 'ok';
        }
      });
    }
  });
}
