// Failed client authentications at the token, PAR and revocation endpoints are limited per client_id and per
// client address (OIDC_CLIENT_AUTH_MAX_FAILURES): past the limit even the right secret gets 429 + Retry-After.

import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { type OidcIdp, SECRET, startOidcIdp } from '../helpers/oidc.ts';
import { parsePrometheus, sampleValue } from '../helpers/prometheus.ts';

const REDIRECT = 'https://shop.example.org/cb';
const MAX = 3;

describe('OpenID Connect client authentication limit', () => {
  let idp: OidcIdp;
  const auditDir = mkdtempSync(join(tmpdir(), 'nsi-oidc-audit-'));
  const auditFile = join(auditDir, 'audit.jsonl');
  before(async () => {
    idp = await startOidcIdp({
      clients: {
        shop: { client_id: 'shop', client_secret: SECRET, redirect_uris: [REDIRECT] },
        poster: {
          client_id: 'poster',
          client_secret: SECRET,
          token_endpoint_auth_method: 'client_secret_post',
          redirect_uris: [REDIRECT],
        },
      },
      env: {
        OIDC_CLIENT_AUTH_MAX_FAILURES: String(MAX),
        TRUST_PROXY: 'true',
        METRICS_PORT: '0',
        METRICS_HOST: '127.0.0.1',
        AUDIT_LOG_FILE: auditFile,
      },
    });
  });
  after(async () => {
    await idp.close();
    rmSync(auditDir, { recursive: true, force: true });
  });

  /** A client-authenticated POST from `address`; `basic` puts the credentials in the header, else in the body. */
  const post = (
    path: string,
    address: string,
    client: { id: string; secret: string; basic: boolean },
    params: Record<string, string>,
  ) => {
    const headers: Record<string, string> = {
      'content-type': 'application/x-www-form-urlencoded',
      'x-forwarded-for': address,
    };
    const body = new URLSearchParams(params);
    if (client.basic) {
      headers.authorization = `Basic ${Buffer.from(`${client.id}:${client.secret}`).toString('base64')}`;
    } else {
      body.set('client_id', client.id);
      body.set('client_secret', client.secret);
    }
    return fetch(`${idp.issuer}${path}`, { method: 'POST', headers, body });
  };
  const badCode = { grant_type: 'authorization_code', code: 'nope', redirect_uri: REDIRECT };
  const revoke = { token: 'not-a-token' };
  const par = {
    client_id: 'shop',
    response_type: 'code',
    scope: 'openid',
    redirect_uri: REDIRECT,
    code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
    code_challenge_method: 'S256',
  };

  /** The refusals of this limit so far, as Prometheus sees them. */
  const refusals = async () => {
    const samples = parsePrometheus(await (await fetch(`${idp.app.metricsUrl}/metrics`)).text());
    return sampleValue(samples, 'nsi_limit_refusals_total', { limit: 'oidc-client-auth' }) ?? 0;
  };

  const assertLimited = async (response: Response, what: string) => {
    assert.equal(response.status, 429, what);
    const retryAfter = Number(response.headers.get('retry-after'));
    assert.ok(
      Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 3600,
      `${what}: ${retryAfter}`,
    );
    const body = (await response.json()) as { error: string; error_description: string };
    assert.equal(body.error, 'invalid_client', what);
    assert.match(body.error_description, /too many failed client authentications/);
  };

  test('per client_id: after MAX wrong secrets the right one is refused from any address; other clients are not', async () => {
    const wrong = { id: 'poster', secret: 'x'.repeat(40), basic: false };
    for (let i = 0; i < MAX; i++) {
      const response = await post('/token', `198.51.100.${i + 1}`, wrong, badCode);
      assert.equal(response.status, 401, `failure ${i + 1}`);
      assert.equal(((await response.json()) as { error: string }).error, 'invalid_client');
    }
    const right = { id: 'poster', secret: SECRET, basic: false };
    await assertLimited(await post('/revoke', '198.51.100.50', right, revoke), 'poster at /revoke');
    await assertLimited(await post('/token', '198.51.100.51', right, badCode), 'poster at /token');
    const shop = { id: 'shop', secret: SECRET, basic: true };
    assert.equal((await post('/revoke', '198.51.100.52', shop, revoke)).status, 200);
  });

  test('per address: failures for unknown clients refuse every client from that address, not from others', async () => {
    const from = '203.0.113.7';
    for (let i = 0; i < MAX; i++) {
      const nobody = { id: `nobody-${i}`, secret: 'x'.repeat(40), basic: true };
      assert.equal((await post('/token', from, nobody, badCode)).status, 401, `failure ${i + 1}`);
    }
    const shop = { id: 'shop', secret: SECRET, basic: true };
    const refusedBefore = await refusals();
    await assertLimited(await post('/revoke', from, shop, revoke), 'shop at /revoke');
    await assertLimited(await post('/par', from, shop, par), 'shop at /par');
    assert.equal(await refusals(), refusedBefore + 2, 'each refusal is counted');
    const hits = readFileSync(auditFile, 'utf8')
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .filter((line) => line.event === 'limit.hit' && line.reason === 'oidc-client-auth');
    assert.ok(hits.length >= 2, 'the refusals are in the audit trail');
    assert.ok(hits.every((hit) => typeof hit.retryAfter === 'number' && hit.retryAfter >= 1));
    assert.doesNotMatch(readFileSync(auditFile, 'utf8'), new RegExp(SECRET));
    assert.equal((await post('/revoke', '203.0.113.8', shop, revoke)).status, 200);
    const pushed = await post('/par', '203.0.113.8', shop, par);
    assert.equal(pushed.status, 201, await pushed.text());
  });
});
