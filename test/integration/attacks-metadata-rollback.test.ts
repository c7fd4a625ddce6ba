// Remote (federation) metadata rollback: whoever can answer the metadata URL (a network attacker on http://, a
// compromised mirror) replays an older document that still carries a valid signature, to bring back an SP the
// federation removed or an SP key it replaced. Refused: a document older than the copy in use (creationInstant,
// validUntil, ID), one without validUntil or valid too far ahead, and plain http:// unless the admin named the URL.

import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, before, beforeEach, describe, test } from 'node:test';
import { fetchMetadata } from '../../src/http/fetch-metadata.ts';
import type { RemoteMetadataPolicy } from '../../src/saml/metadata/metadata-freshness.ts';
import { RemoteMetadata } from '../../src/saml/metadata/remote-metadata.ts';
import { SpRegistry } from '../../src/saml/metadata/sp-registry.ts';
import { samlTime } from '../../src/saml/values.ts';
import {
  federationKeys,
  MetadataServer,
  signMetadata,
  withRootAttributes,
} from '../helpers/metadata-server.ts';
import { entitiesMetadataXml } from '../helpers/saml-sp.ts';

const DAY = 86_400_000;
const KEPT = 'https://kept.federation.example/sp';
const REMOVED = 'https://removed.federation.example/sp';

/** A signed aggregate as a federation publishes it: ID, validUntil, mdrpi:PublicationInfo. */
function publication(opts: {
  id: string;
  published: Date;
  validUntil: Date | null;
  members: readonly string[];
}): string {
  const xml = withRootAttributes(entitiesMetadataXml(opts.members.map((entityId) => ({ entityId }))), {
    id: opts.id,
    validUntil: opts.validUntil,
  });
  const info =
    '<md:Extensions><mdrpi:PublicationInfo xmlns:mdrpi="urn:oasis:names:tc:SAML:metadata:rpi" ' +
    `creationInstant="${samlTime(opts.published)}" publisher="https://federation.example"/></md:Extensions>`;
  return signMetadata(xml.replace(/(<md:EntitiesDescriptor[^>]*>)/, `$1${info}`));
}

const now = Date.now();
/** Last month's aggregate: it still lists the SP the federation has since removed, and is still within validUntil. */
const OLD = publication({
  id: '_old',
  published: new Date(now - 20 * DAY),
  validUntil: new Date(now + 5 * DAY),
  members: [KEPT, REMOVED],
});
const CURRENT = publication({
  id: '_current',
  published: new Date(now - DAY),
  validUntil: new Date(now + 14 * DAY),
  members: [KEPT],
});

let tls: MetadataServer;
let plain: MetadataServer;
let dir: string;
let registry: SpRegistry;
let managers: RemoteMetadata[];
let problems: string[];

before(async () => {
  tls = await MetadataServer.start({ tls: true });
  plain = await MetadataServer.start();
});
after(async () => {
  await tls.close();
  await plain.close();
});
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'nsi-rollback-'));
  await writeFile(join(dir, 'fed.signer.pem'), federationKeys().certPem);
  await writeFile(join(dir, 'tls.ca.pem'), tls.tlsCertPem ?? '');
  registry = await SpRegistry.load(dir);
  managers = [];
  problems = [];
  tls.routes.clear();
  plain.routes.clear();
});
afterEach(async () => {
  for (const m of managers) m.close();
  await rm(dir, { recursive: true, force: true });
});

/** The federation over https from a server on loopback (named by the admin), with a private CA. */
async function register(url = tls.url('/fed.xml')): Promise<void> {
  await writeFile(
    join(dir, 'fed.remote.json'),
    JSON.stringify({ url, certFile: 'fed.signer.pem', caFile: 'tls.ca.pem' }),
  );
}

async function start(policy: Partial<RemoteMetadataPolicy> = {}): Promise<RemoteMetadata> {
  const manager = await RemoteMetadata.start({
    dir,
    registry,
    fetcher: fetchMetadata,
    policy: { maxValidityDays: 30, httpUrls: [], allowedHosts: ['localhost', '127.0.0.1'], ...policy },
    onProblem: (_file, message) => problems.push(message),
  });
  managers.push(manager);
  return manager;
}

describe('replaying an older signed aggregate', () => {
  test('on a refresh: refused and logged, the removed SP stays out', async () => {
    tls.routes.set('/fed.xml', { body: CURRENT });
    await register();
    const manager = await start();
    assert.ok(registry.get(KEPT));
    assert.equal(registry.get(REMOVED), undefined);

    tls.routes.set('/fed.xml', { body: OLD });
    await manager.refresh('fed');
    assert.equal(registry.get(REMOVED), undefined, 'the removed SP does not come back');
    assert.ok(registry.get(KEPT), 'the copy in use stays');
    assert.match(problems.join('\n'), /rollback refused/);
  });

  test('after a restart: the kept copy is the baseline, the replay is refused', async () => {
    tls.routes.set('/fed.xml', { body: CURRENT });
    await register();
    (await start()).close();
    tls.routes.set('/fed.xml', { body: OLD });
    registry = await SpRegistry.load(dir);
    await start();
    assert.equal(registry.get(REMOVED), undefined);
    assert.match(problems.join('\n'), /rollback refused/);
  });

  test('another document claiming the same publication instant: refused', async () => {
    tls.routes.set('/fed.xml', { body: CURRENT });
    await register();
    const manager = await start();
    const twin = publication({
      id: '_twin',
      published: new Date(now - DAY),
      validUntil: new Date(now + 14 * DAY),
      members: [KEPT, REMOVED],
    });
    tls.routes.set('/fed.xml', { body: twin });
    await manager.refresh('fed');
    assert.equal(registry.get(REMOVED), undefined);
    assert.match(problems.join('\n'), /same creationInstant/);
  });

  test('a newer document is installed (the baseline moves forward)', async () => {
    tls.routes.set('/fed.xml', { body: CURRENT });
    await register();
    const manager = await start();
    const next = publication({
      id: '_next',
      published: new Date(now),
      validUntil: new Date(now + 15 * DAY),
      members: [KEPT, REMOVED],
    });
    tls.routes.set('/fed.xml', { body: next });
    await manager.refresh('fed');
    assert.ok(registry.get(REMOVED), 'the federation added it back itself');
    assert.deepEqual(problems, []);
  });
});

describe('documents that would never expire', () => {
  test('no validUntil: refused', async () => {
    tls.routes.set('/fed.xml', {
      body: publication({ id: '_forever', published: new Date(now), validUntil: null, members: [KEPT] }),
    });
    await register();
    await start();
    assert.equal(registry.get(KEPT), undefined);
    assert.match(problems.join('\n'), /no validUntil/);
  });

  test('validUntil beyond REMOTE_METADATA_MAX_VALIDITY_DAYS: refused', async () => {
    tls.routes.set('/fed.xml', {
      body: publication({
        id: '_long',
        published: new Date(now),
        validUntil: new Date(now + 400 * DAY),
        members: [KEPT],
      }),
    });
    await register();
    await start();
    assert.equal(registry.get(KEPT), undefined);
    assert.match(problems.join('\n'), /more than 30 days ahead/);
  });
});

describe('plain http://', () => {
  test('refused unless the admin named the URL; nothing is requested', async () => {
    plain.routes.set('/fed.xml', { body: CURRENT });
    await register(plain.url('/fed.xml'));
    await start();
    assert.equal(registry.get(KEPT), undefined);
    assert.equal(plain.count('/fed.xml'), 0);
    assert.match(problems.join('\n'), /plain http:\/\/ is refused/);
  });

  test('a URL named in REMOTE_METADATA_HTTP_URLS is fetched', async () => {
    plain.routes.set('/fed.xml', { body: CURRENT });
    await register(plain.url('/fed.xml'));
    await start({ httpUrls: [plain.url('/fed.xml')] });
    assert.ok(registry.get(KEPT));
  });
});
