// Prometheus metrics on their own listener after a full login, a wrong code, a failed and a refused send and a
// remote metadata refresh: each counter and histogram moves as expected, labels stay bounded, /metrics is not public.

import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { buildTestIdp, type TestIdp } from '../helpers/app.ts';
import { BrowserClient } from '../helpers/browser-client.ts';
import {
  federationKeys,
  MetadataServer,
  signMetadata,
  withRootAttributes,
} from '../helpers/metadata-server.ts';
import { CookieJar, jarTransport } from '../helpers/sso-browser.ts';
import { parsePrometheus, type Sample, sampleValue } from '../helpers/prometheus.ts';
import { authnRequestXml, createTestSp, entitiesMetadataXml, redirectQuery } from '../helpers/saml-sp.ts';

const SSO = 'https://idp.example.test/saml/sso';
const sp = createTestSp();
const FED_SP = 'https://member.federation.example/sp';

describe('metrics', { timeout: 30_000 }, () => {
  let idp: TestIdp;
  let server: MetadataServer;
  let samples: Sample[];
  let text: string;

  const browser = () =>
    new BrowserClient(jarTransport(idp.app, new CookieJar(), { 'accept-language': 'en' }));

  const identify = async (phone: string) => {
    const client = browser();
    await client.go(
      'GET',
      `/saml/sso?${redirectQuery(authnRequestXml({ issuer: sp.entityId, destination: SSO }))}`,
    );
    assert.equal(client.page?.status, 200, client.page?.html.slice(0, 200));
    await client.submit({ given_name: 'Kari', family_name: 'Nordmann', phone });
    return client;
  };

  const scrape = async () => {
    const response = await fetch(`${idp.app.metricsUrl}/metrics`);
    assert.equal(response.status, 200);
    assert.match(String(response.headers.get('content-type')), /^text\/plain; version=0\.0\.4/);
    text = await response.text();
    samples = parsePrometheus(text);
  };

  before(async () => {
    server = await MetadataServer.start();
    idp = await buildTestIdp({
      sps: { sp: sp.metadataXml },
      env: {
        METRICS_PORT: '0',
        METRICS_HOST: '127.0.0.1',
        OTP_MAX_SENDS_PER_FLOW: '1',
        OTP_RESEND_COOLDOWN_SECONDS: '0',
        // The local metadata server: named, as an admin names an internal host and a plain http source.
        OUTBOUND_PRIVATE_HOSTS: '127.0.0.1',
        REMOTE_METADATA_HTTP_URLS: `${server.url('/fed.xml')},${server.url('/gone.xml')}`,
      },
    });

    // A full login.
    const done = await identify('+4791234567');
    await done.submit({ code: idp.sms.lastCode('+4791234567') });
    assert.equal(done.samlPost().acsUrl, sp.acsUrl);
    // A wrong code, then a resend the flow's send limit refuses.
    const wrong = await identify('+4791234568');
    const right = idp.sms.lastCode('+4791234568');
    await wrong.submit({ code: right === '111111' ? '222222' : '111111' });
    assert.match(wrong.page?.html ?? '', /name="code"/);
    await wrong.submit({ action: 'resend' });
    // A send the provider fails.
    idp.sms.failWith = 'temporary';
    await identify('+46701234567');
    idp.sms.failWith = undefined;
    // An AuthnRequest from an SP nobody trusts.
    const stranger = authnRequestXml({ issuer: 'https://stranger.example/sp', destination: SSO });
    assert.equal((await idp.app.inject({ url: `/saml/sso?${redirectQuery(stranger)}` })).statusCode, 400);

    // Remote metadata: one source that loads, one whose URL answers 404.
    const spDir = idp.config.saml.spMetadataDir;
    const xml = entitiesMetadataXml([{ entityId: FED_SP }]);
    server.routes.set('/fed.xml', {
      body: signMetadata(withRootAttributes(xml, { validUntil: new Date(Date.now() + 86_400_000) })),
    });
    await writeFile(join(spDir, 'fed.signer.pem'), federationKeys().certPem);
    await writeFile(
      join(spDir, 'gone.remote.json'),
      JSON.stringify({ url: server.url('/gone.xml'), certFile: 'fed.signer.pem' }),
    );
    await writeFile(
      join(spDir, 'fed.remote.json'),
      JSON.stringify({ url: server.url('/fed.xml'), certFile: 'fed.signer.pem' }),
    );
    for (let waited = 0; waited < 10_000; waited += 50) {
      await scrape();
      const ok = sampleValue(samples, 'nsi_sp_metadata_refresh_total', { source: 'fed', result: 'ok' });
      const failed = sampleValue(samples, 'nsi_sp_metadata_refresh_total', {
        source: 'gone',
        result: 'error',
      });
      if (ok !== undefined && failed !== undefined) break;
      await sleep(50);
    }
  });
  after(async () => {
    await idp?.close();
    await server?.close();
  });

  const count = (name: string, labels: Record<string, string>) => sampleValue(samples, name, labels) ?? 0;

  test('the login funnel per SP counts each step', () => {
    const step = (s: string) => count('nsi_login_funnel_total', { sp: sp.entityId, step: s });
    assert.deepEqual(
      ['started', 'identify_submitted', 'code_sent', 'code_verified', 'assertion_issued', 'code_resent'].map(
        step,
      ),
      [3, 3, 2, 1, 1, 0],
    );
  });

  test('wrong codes, refusals per limit and SAML responses per SP and status', () => {
    assert.equal(count('nsi_otp_wrong_codes_total', { sp: sp.entityId }), 1);
    assert.equal(count('nsi_limit_refusals_total', { limit: 'flow-sends' }), 1);
    assert.equal(count('nsi_saml_responses_total', { sp: sp.entityId, status: 'Success' }), 1);
  });

  test('SMS per provider, country and outcome, with the send latency', () => {
    const sent = (country: string, outcome: string) =>
      count('nsi_sms_sent_total', { provider: 'recording', country, outcome });
    assert.equal(sent('NO', 'accepted'), 2);
    assert.equal(sent('SE', 'temporary'), 1);
    assert.equal(
      count('nsi_sms_send_duration_seconds_count', { provider: 'recording', outcome: 'accepted' }),
      2,
    );
    assert.equal(
      count('nsi_sms_send_duration_seconds_count', { provider: 'recording', outcome: 'temporary' }),
      1,
    );
  });

  test('HTTP latency per route pattern, never the URL; store operations per store', () => {
    const routes = new Set(
      samples.filter((s) => s.name === 'nsi_http_request_duration_seconds_count').map((s) => s.labels.route),
    );
    assert.ok(routes.has('/saml/sso'), [...routes].join(' '));
    assert.ok(routes.has('/login/:flowId'), [...routes].join(' '));
    for (const route of routes) assert.doesNotMatch(String(route), /\?|SAMLRequest|\/login\/[\w-]{24}/);
    const posts = count('nsi_http_request_duration_seconds_count', {
      method: 'POST',
      route: '/login/:flowId',
      status_code: '303',
    });
    assert.equal(posts, 2, 'the two identify POSTs whose code went out redirected');
    assert.ok(count('nsi_store_operations_total', { store: 'memory', operation: 'get' }) > 0);
    assert.equal(count('nsi_store_errors_total', { store: 'memory', operation: 'get' }), 0);
  });

  test('remote metadata refresh results and the age of each document', () => {
    assert.ok(count('nsi_sp_metadata_refresh_total', { source: 'fed', result: 'ok' }) >= 1);
    assert.ok(count('nsi_sp_metadata_refresh_total', { source: 'gone', result: 'error' }) >= 1);
    const age = sampleValue(samples, 'nsi_sp_metadata_age_seconds', { source: 'fed' });
    assert.ok(age !== undefined && age >= 0 && age < 3600, String(age));
    assert.equal(sampleValue(samples, 'nsi_sp_metadata_age_seconds', { source: 'gone' }), undefined);
  });

  test('certificate expiry of our key and of each SP', async () => {
    const metadata = (await idp.app.inject({ url: '/saml/metadata' })).body;
    const der = /<(?:ds:)?X509Certificate>([^<]+)</.exec(metadata)?.[1]?.replace(/\s/g, '') ?? '';
    const ours = new X509Certificate(Buffer.from(der, 'base64'));
    const expiry = (owner: string, use: string) =>
      sampleValue(samples, 'nsi_certificate_expiry_timestamp_seconds', { owner, use });
    assert.equal(expiry('idp', 'signing'), Math.floor(new Date(ours.validTo).getTime() / 1000));
    const spCert = new X509Certificate(sp.keys.certPem);
    assert.equal(expiry(sp.entityId, 'signing'), Math.floor(new Date(spCert.validTo).getTime() / 1000));
  });

  test('labels are bounded: an SP nobody trusts never becomes a label; process metrics are there', () => {
    assert.ok(!text.includes('stranger.example'));
    assert.ok(sampleValue(samples, 'process_cpu_user_seconds_total') !== undefined);
    assert.ok(samples.some((s) => s.name === 'nodejs_heap_size_used_bytes'));
  });

  test('the public port has no /metrics; the metrics port serves nothing else', async () => {
    assert.equal((await idp.app.inject({ url: '/metrics' })).statusCode, 404);
    assert.equal((await fetch(`${idp.app.metricsUrl}/saml/metadata`)).status, 404);
    assert.equal((await fetch(`${idp.app.metricsUrl}/metrics`, { method: 'POST' })).status, 405);
  });
});
