// Two IdP processes on a three-master Redis Cluster (REDIS_CLUSTER_NODES): a whole login, a flow's keys in one slot.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { BrowserClient } from '../helpers/browser-client.ts';
import {
  balancedTransport,
  createIdpDeployment,
  type IdpDeployment,
  type IdpProcess,
} from '../helpers/idp-server-process.ts';
import { type RedisCluster, startRedisCluster } from '../helpers/redis-server.ts';
import { readResponse } from '../helpers/saml-response.ts';
import { authnRequestXml, createTestSp, newRequestId, redirectQuery } from '../helpers/saml-sp.ts';

const SUCCESS = 'urn:oasis:names:tc:SAML:2.0:status:Success';
const PREFIX = 'e2e:';
const sp = createTestSp();
const run = promisify(execFile);

describe('IdP processes on a Redis Cluster', { timeout: 30_000 }, () => {
  let cluster: RedisCluster;
  let deployment: IdpDeployment;
  let a: IdpProcess;
  let b: IdpProcess;

  before(async () => {
    cluster = await startRedisCluster();
    deployment = await createIdpDeployment({
      sps: { sp: sp.metadataXml },
      env: {
        REDIS_CLUSTER_NODES: cluster.nodes.map((n) => `${n.host}:${n.port}`).join(','),
        REDIS_KEY_PREFIX: PREFIX,
      },
    });
    a = await deployment.start();
    b = await deployment.start();
  });
  after(async () => {
    await deployment?.close();
    await cluster?.stop();
  });

  /** The keys each master holds. */
  const keysByNode = async (): Promise<string[][]> =>
    Promise.all(
      cluster.nodes.map(async (n) => {
        const { stdout } = await run('redis-cli', ['-h', n.host, '-p', String(n.port), '--scan']);
        return stdout.split('\n').filter((k) => k !== '');
      }),
    );

  test('a full login hopping between the processes, a wrong code first, ends in Success', async () => {
    const phone = '+4791234567';
    let target = a;
    const client = new BrowserClient(balancedTransport(() => target));
    const id = newRequestId();
    const xml = authnRequestXml({ issuer: sp.entityId, id, destination: deployment.ssoUrl });
    const first = await client.go('GET', `/saml/sso?${redirectQuery(xml, { relayState: 'rs-cluster' })}`);
    assert.equal(first.status, 200, first.html.slice(0, 300));
    const flowId = /\/login\/([\w-]{24})/.exec(first.url)?.[1] as string;
    assert.ok(flowId, first.url);

    target = b;
    const codePage = await client.submit({ given_name: 'Kari', family_name: 'Nordmann', phone });
    assert.equal(codePage.status, 200, codePage.html.slice(0, 300));
    assert.match(codePage.html, /name="code"/);
    const code = deployment.sms.lastCode(phone);

    target = a;
    const wrong = await client.submit({ code: code === '000000' ? '111111' : '000000' });
    assert.equal(wrong.status, 400);
    assert.match(wrong.html, /4 attempts left/);

    target = b;
    const done = await client.submit({ code });
    assert.equal(done.status, 200, done.html.slice(0, 300));
    const post = client.samlPost();
    assert.equal(post.relayState, 'rs-cluster');
    const r = readResponse(post.xml);
    assert.equal(r.statusCode, SUCCESS);
    assert.equal(r.inResponseTo, id);
    assert.equal(r.attributes.PHONE_NUMBER, phone);

    // The flow's keys carry its {flowId} hash tag, so one master holds them all (multi-key work stays legal).
    const nodes = await keysByNode();
    const holding = nodes.map((keys) => keys.filter((k) => k.startsWith(`${PREFIX}{${flowId}}:`)));
    const withFlowKeys = holding.filter((keys) => keys.length > 0);
    assert.equal(withFlowKeys.length, 1, JSON.stringify(holding));
    assert.ok(withFlowKeys[0]?.includes(`${PREFIX}{${flowId}}:flow`), JSON.stringify(withFlowKeys));
    assert.ok(
      nodes.flat().every((k) => k.startsWith(PREFIX)),
      'every key the IdP wrote carries REDIS_KEY_PREFIX',
    );
  });
});
