// What the user and the operator see when gateways refuse: a translated message on the form, one log line per
// attempt naming the gateway and its answer, no secret and no stack trace anywhere.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { buildTestIdp, type TestIdp } from '../helpers/app.ts';
import { BrowserClient, injectTransport } from '../helpers/browser-client.ts';
import { authnRequestXml, createTestSp, redirectQuery } from '../helpers/saml-sp.ts';
import { Fake46elks, FakeTwilio, gatewayEnv } from '../helpers/sms-fakes/index.ts';

const SSO = 'https://idp.example.test/saml/sso';
const sp = createTestSp();

describe('gateways refusing', () => {
  let idp: TestIdp;
  let elks: Fake46elks;
  let twilio: FakeTwilio;
  const chunks: string[] = [];
  const attempts = () =>
    chunks
      .join('')
      .split('\n')
      .filter((l) => l.includes('"sms.attempt"'))
      .map((l) => JSON.parse(l) as Record<string, unknown>);

  before(async () => {
    elks = await Fake46elks.start();
    twilio = await FakeTwilio.start();
    idp = await buildTestIdp({
      sps: { sp: sp.metadataXml },
      realSms: true,
      env: {
        SMS_PROVIDER: '46elks,twilio',
        SMS_SENDER: 'ExampleID',
        ...gatewayEnv('46elks', elks),
        ...gatewayEnv('twilio', twilio),
        SMS_46ELKS_PASSWORD: 'not-the-password',
        SMS_TWILIO_AUTH_TOKEN: 'not-the-token',
      },
      logStream: { write: (chunk: string) => void chunks.push(chunk) },
    });
  });
  after(async () => {
    await idp.close();
    await elks.close();
    await twilio.close();
  });

  async function identify(locale: string, phone: string) {
    const query = redirectQuery(authnRequestXml({ issuer: sp.entityId, destination: SSO }), {});
    const client = new BrowserClient(injectTransport(idp.app, { 'accept-language': locale }));
    await client.go('GET', `/saml/sso?${query}`);
    return client.submit({ given_name: 'Kari', family_name: 'Nordmann', phone });
  }

  test('both refuse the credentials: "try again" in the user language, one warning per gateway', async () => {
    chunks.length = 0;
    const page = await identify('nb', '+4791234567');
    assert.equal(page.status, 400);
    assert.match(page.html, /name="phone"/, 'still on the identify step');
    assert.doesNotMatch(page.html, /at .*\.ts:\d+|HTTP 401|46elks|twilio/i, 'no gateway detail for the user');
    assert.match(page.html, /<html lang="nb">/);
    const logged = attempts();
    assert.deepEqual(
      logged.map((l) => [l.provider, l.outcome, l.detail, l.level]),
      [
        ['46elks', 'permanent', '46elks answered HTTP 401', 40],
        ['twilio', 'permanent', 'twilio answered HTTP 401 20003', 40],
      ],
    );
    assert.match(String(logged[0]?.reqId), /^[0-9A-F]{10}$/, 'the line carries the request reference id');
    const all = chunks.join('');
    assert.doesNotMatch(all, /not-the-password|not-the-token/, 'no secret in the logs');
    assert.doesNotMatch(all, /\+4791234567/, 'the number is masked');
    assert.equal(elks.refusedCredentials + twilio.refusedCredentials, 2);
  });

  test('the receipts route: content types, size limit, unknown gateway, stack-free answers', async () => {
    const post = (url: string, contentType: string, payload: string) =>
      idp.app.inject({ method: 'POST', url, headers: { 'content-type': contentType }, payload });
    const url = '/sms/receipts/46elks?ref=abcdefgh12&t=wrong-token';
    assert.equal(
      (await post(url, 'application/x-www-form-urlencoded; charset=UTF-8', 'status=failed')).statusCode,
      403,
    );
    assert.equal((await post(url, 'text/plain', 'status=failed')).statusCode, 415);
    const big = await post(url, 'application/json', 'x'.repeat(20_000));
    assert.equal(big.statusCode, 413);
    assert.doesNotMatch(big.body, /at .*\.ts:\d+/);
    assert.equal(
      (await post('/sms/receipts/sinch', 'application/json', '{}')).statusCode,
      404,
      'sinch is not configured',
    );
  });
});
