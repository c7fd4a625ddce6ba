// `sp add`, `sp list`, `sp remove` and `sp check` on a real SP folder, real files and URLs served locally (HTTP and
// HTTPS), validated with xmllint and the OASIS schema: what is accepted, what is refused and why, exit codes, --json.

import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, describe, test } from 'node:test';
import {
  federationKeys,
  MetadataServer,
  signMetadata,
  withRootAttributes,
} from '../../helpers/metadata-server.ts';
import { createTestSp, entitiesMetadataXml, spMetadataXml, testKeys } from '../../helpers/saml-sp.ts';
import { certValid, cli } from './cli-helpers.ts';

interface Finding {
  level: string;
  message: string;
  entityId?: string;
}
interface ListedSp {
  entityId: string;
  acs: unknown[];
  singleLogout: unknown[];
  certificates: { use: string; daysLeft: number }[];
  policy: { encryption?: string; idpInitiated: boolean; attributes?: string[] };
}
interface AddReport {
  ok: boolean;
  name: string;
  kind: string;
  entities: string[];
  schema: { status: string };
  signature: string;
  written: string[];
  findings: Finding[];
}

let root: string;
let dir: string;
let server: MetadataServer;
let tlsServer: MetadataServer;

const shop = createTestSp({ entityId: 'https://shop.example.org/sp', keyName: 'cli-shop' });
const fed = () =>
  signMetadata(
    withRootAttributes(
      entitiesMetadataXml([
        { entityId: 'https://a.fed.example/sp' },
        { entityId: 'https://b.fed.example/sp' },
      ]),
      { validUntil: new Date(Date.now() + 10 * 86_400_000) },
    ),
  );

before(async () => {
  root = await mkdtemp(join(tmpdir(), 'nsi-cli-sp-'));
  server = await MetadataServer.start();
  tlsServer = await MetadataServer.start({ tls: true });
  await writeFile(join(root, 'fed.pem'), federationKeys().certPem);
  await writeFile(join(root, 'other.pem'), testKeys('cli-other-signer').certPem);
  await writeFile(join(root, 'tls-ca.pem'), tlsServer.tlsCertPem ?? '');
});
after(async () => {
  await server.close();
  await tlsServer.close();
  await rm(root, { recursive: true, force: true });
});
beforeEach(async () => {
  dir = join(root, `sp-${Math.random().toString(36).slice(2)}`);
  await mkdir(dir);
});

async function file(name: string, content: string): Promise<string> {
  const path = join(root, name);
  await writeFile(path, content);
  return path;
}

const add = async (...args: string[]) => cli(['sp', 'add', ...args, '--dir', dir, '--json']);

describe('sp add', () => {
  test('a valid file: schema and rules pass, registered under a name from its entityID', async () => {
    const r = await add(await file('shop.xml', shop.metadataXml));
    assert.equal(r.code, 0, r.out);
    const report = r.json<AddReport>();
    assert.equal(report.schema.status, 'valid');
    assert.deepEqual(report.entities, [shop.entityId]);
    assert.deepEqual(report.written, [join(dir, 'shop.example.org-sp.xml')]);
    assert.equal(await readFile(join(dir, 'shop.example.org-sp.xml'), 'utf8'), shop.metadataXml);
    assert.equal(report.signature, 'none');
  });

  test("not schema-valid (elements out of order): refused with xmllint's words, nothing written", async () => {
    const misordered = shop.metadataXml.replace(
      '</md:SPSSODescriptor>',
      '<md:NameIDFormat>urn:oasis:names:tc:SAML:2.0:nameid-format:transient</md:NameIDFormat></md:SPSSODescriptor>',
    );
    const r = await add(await file('misordered.xml', misordered));
    assert.equal(r.code, 1);
    const report = r.json<AddReport>();
    assert.equal(report.schema.status, 'invalid');
    assert.match(
      report.findings[0]?.message ?? '',
      /not valid against the SAML metadata schema:\n.*NameIDFormat/,
    );
    assert.deepEqual(await readdir(dir), []);
  });

  test('against our rules (no AssertionConsumerService): refused with our reason', async () => {
    const noAcs =
      '<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="https://x.example/sp">' +
      '<md:SPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol"/></md:EntityDescriptor>';
    const r = await add(await file('noacs.xml', noAcs));
    assert.equal(r.code, 1);
    assert.ok(r.json<AddReport>().findings.some((f) => /lists no AssertionConsumerService/.test(f.message)));
  });

  test('the same entityID twice is refused; --replace overwrites its own file; --dry-run writes nothing', async () => {
    const path = await file('shop2.xml', shop.metadataXml);
    assert.equal((await add(path)).code, 0);
    const again = await add(path, '--name', 'another');
    assert.equal(again.code, 1);
    assert.match(
      JSON.stringify(again.json<AddReport>().findings),
      /is already registered in .*shop\.example\.org-sp\.xml/,
    );
    assert.equal((await add(path)).code, 1, 'the file exists');
    assert.equal((await add(path, '--replace')).code, 0);
    const dry = await add(
      await file('dry.xml', spMetadataXml({ entityId: 'https://dry.example/sp' })),
      '--dry-run',
    );
    assert.equal(dry.code, 0);
    assert.deepEqual(dry.json<AddReport>().written, []);
    assert.deepEqual((await readdir(dir)).sort(), ['shop.example.org-sp.xml']);
  });

  test('certificates: expired and soon-expiring ones are reported as warnings, not refused', async () => {
    const xml = spMetadataXml({
      entityId: 'https://old.example.org/sp',
      signingCerts: [certValid(-400, -1), certValid(-1, 10)],
    });
    const r = await add(await file('old.xml', xml), '--days', '30');
    assert.equal(r.code, 0);
    const messages = r.json<AddReport>().findings.map((f) => `${f.level} ${f.message}`);
    assert.ok(
      messages.some((m) => /^warning signing certificate CN=dated-sp .* expired on/.test(m)),
      messages.join('\n'),
    );
    assert.ok(
      messages.some((m) =>
        /^warning signing certificate CN=dated-sp .* expires on .*, in (9|10) days/.test(m),
      ),
    );
  });

  test('the schema check is skipped, and said to be, when the schemas cannot be found', async () => {
    const r = await add(await file('shop3.xml', shop.metadataXml), '--schemas', join(root, 'nowhere'));
    assert.equal(r.code, 0);
    const report = r.json<AddReport>();
    assert.equal(report.schema.status, 'skipped');
    assert.match(report.findings.map((f) => f.message).join('\n'), /schema check skipped: .*not found/);
  });

  test('an https URL without --cert is downloaded once into a file (a private CA given with --ca-file)', async () => {
    tlsServer.routes.set('/shop.xml', { body: shop.metadataXml });
    const untrusted = await add(tlsServer.url('/shop.xml'));
    assert.equal(untrusted.code, 1, 'the private CA is not trusted without --ca-file');
    assert.match(untrusted.json<AddReport>().findings[0]?.message ?? '', /UNABLE_TO_VERIFY_LEAF_SIGNATURE/);
    const r = await add(tlsServer.url('/shop.xml'), '--ca-file', join(root, 'tls-ca.pem'));
    assert.equal(r.code, 0, r.out);
    assert.equal(r.json<AddReport>().kind, 'file');
    assert.equal(await readFile(join(dir, 'shop.example.org-sp.xml'), 'utf8'), shop.metadataXml);
    assert.equal(
      (await add(await file('x.xml', shop.metadataXml), '--refresh', '600', '--name', 'y')).code,
      2,
    );
  });

  test('a URL with --cert becomes a remote source: signature verified, config, signer and kept copy written', async () => {
    server.routes.set('/fed.xml', { body: fed() });
    const r = await add(
      server.url('/fed.xml'),
      '--cert',
      join(root, 'fed.pem'),
      '--name',
      'fed',
      '--refresh',
      '600',
    );
    assert.equal(r.code, 0, r.out);
    const report = r.json<AddReport>();
    assert.equal(report.kind, 'remote');
    assert.equal(report.signature, 'verified');
    assert.deepEqual(report.entities, ['https://a.fed.example/sp', 'https://b.fed.example/sp']);
    assert.deepEqual(JSON.parse(await readFile(join(dir, 'fed.remote.json'), 'utf8')), {
      url: server.url('/fed.xml'),
      certFile: 'fed.signer.pem',
      refreshSeconds: 600,
    });
    assert.equal(await readFile(join(dir, 'fed.signer.pem'), 'utf8'), federationKeys().certPem);
    assert.equal(await readFile(join(dir, '.fed.remote-cache'), 'utf8'), server.routes.get('/fed.xml')?.body);

    const listed = await cli(['sp', 'list', '--dir', dir, '--json']);
    const sps = listed.json<{
      sps: { entityId: string; source: string }[];
      remoteSources: { entities: string[] }[];
    }>();
    assert.deepEqual(
      sps.sps.map((s) => s.entityId),
      ['https://a.fed.example/sp', 'https://b.fed.example/sp'],
    );
    assert.equal(sps.remoteSources[0]?.entities.length, 2);
  });

  test('refused: a URL signed by another key, an unsigned one, and http:// without --cert (usage)', async () => {
    server.routes.set('/fed.xml', { body: fed() });
    server.routes.set('/plain.xml', { body: shop.metadataXml });
    const foreign = await add(server.url('/fed.xml'), '--cert', join(root, 'other.pem'));
    assert.equal(foreign.code, 1);
    assert.match(
      foreign.json<AddReport>().findings[0]?.message ?? '',
      /signature bad-signature: .*does not verify/,
    );
    const unsigned = await add(server.url('/plain.xml'), '--cert', join(root, 'fed.pem'));
    assert.match(unsigned.json<AddReport>().findings[0]?.message ?? '', /signature unsigned/);
    const http = await cli(['sp', 'add', server.url('/plain.xml'), '--dir', dir]);
    assert.equal(http.code, 2);
    assert.match(http.err, /http:\/\/ URL is only accepted with --cert/);
    assert.deepEqual(await readdir(dir), []);
  });
});

describe('sp list', () => {
  test('endpoints, certificates with expiry, and the policy each SP gets (encryption, attributes, sidecar)', async () => {
    const encKey = testKeys('cli-enc');
    const xml = spMetadataXml({
      entityId: 'https://enc.example.org/sp',
      signingCerts: [encKey.certBase64],
      keyUse: 'encryption',
      slo: [
        { binding: 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect', url: 'https://enc.example.org/slo' },
      ],
    });
    await writeFile(join(dir, 'enc.xml'), xml);
    await writeFile(join(dir, 'enc.json'), JSON.stringify({ idpInitiated: true, attributes: ['PID'] }));
    const r = await cli(['sp', 'list', '--dir', dir, '--json']);
    assert.equal(r.code, 0);
    const [sp] = r.json<{ sps: ListedSp[] }>().sps;
    assert.equal(sp?.entityId, 'https://enc.example.org/sp');
    assert.deepEqual(sp?.acs, [
      { binding: 'HTTP-POST', url: 'https://enc.example.org/sp/acs', index: 0, isDefault: false },
    ]);
    assert.deepEqual(sp?.singleLogout, [{ binding: 'HTTP-Redirect', url: 'https://enc.example.org/slo' }]);
    assert.equal(sp?.certificates[0]?.use, 'encryption');
    assert.ok((sp?.certificates[0]?.daysLeft ?? 0) > 3000);
    assert.equal(sp?.policy.encryption, 'aes256-gcm + rsa-oaep-mgf1p');
    assert.equal(sp?.policy.idpInitiated, true);
    assert.deepEqual(sp?.policy.attributes, ['PID']);

    const text = await cli(['sp', 'list', '--dir', dir]);
    assert.match(text.out, /cert {5}encryption {2}CN=cli-enc {2}until \d{4}-\d\d-\d\d \(\d+ days\)/);
    assert.match(text.out, /encryption aes256-gcm \+ rsa-oaep-mgf1p · attributes PID · IdP-initiated on/);
  });

  test('a broken file is listed as a problem (exit 1), the others still shown', async () => {
    await writeFile(join(dir, 'shop.xml'), shop.metadataXml);
    await writeFile(join(dir, 'broken.xml'), '<md:EntityDescriptor');
    const r = await cli(['sp', 'list', '--dir', dir]);
    assert.equal(r.code, 1);
    assert.match(r.out, /https:\/\/shop\.example\.org\/sp/);
    assert.match(r.out, /problems\nerror {2}.*broken\.xml: XML is not well-formed/);
  });
});

describe('sp remove', () => {
  test('by entityID: its file and sidecar go; an SP of a multi-SP file cannot be removed alone', async () => {
    await writeFile(join(dir, 'shop.xml'), shop.metadataXml);
    await writeFile(join(dir, 'shop.json'), '{"defaultLocale": "sv"}');
    await writeFile(
      join(dir, 'group.xml'),
      entitiesMetadataXml([{ entityId: 'https://g1.example/sp' }, { entityId: 'https://g2.example/sp' }]),
    );
    const r = await cli(['sp', 'remove', shop.entityId, '--dir', dir, '--json']);
    assert.equal(r.code, 0);
    assert.deepEqual(r.json<{ removed: string[] }>().removed, [
      join(dir, 'shop.xml'),
      join(dir, 'shop.json'),
    ]);
    const grouped = await cli(['sp', 'remove', 'https://g1.example/sp', '--dir', dir]);
    assert.equal(grouped.code, 1);
    assert.match(
      grouped.err,
      /describes 2 SPs; edit it, or remove the whole file with `sp remove group\.xml`/,
    );
    assert.equal((await cli(['sp', 'remove', 'group.xml', '--dir', dir])).code, 0);
    assert.deepEqual(await readdir(dir), []);
    assert.equal((await cli(['sp', 'remove', 'https://nobody.example/sp', '--dir', dir])).code, 1);
  });

  test('a remote source by file name: its config, kept copy and signer certificate go', async () => {
    server.routes.set('/fed.xml', { body: fed() });
    assert.equal(
      (await add(server.url('/fed.xml'), '--cert', join(root, 'fed.pem'), '--name', 'fed')).code,
      0,
    );
    const r = await cli(['sp', 'remove', 'fed.remote.json', '--dir', dir]);
    assert.equal(r.code, 0, r.err);
    assert.deepEqual(await readdir(dir), []);
  });
});

describe('sp check', () => {
  test('all good: exit 0; a certificate expiring within --days, an expired one, a dead URL: exit 1, each said', async () => {
    await writeFile(join(dir, 'shop.xml'), shop.metadataXml);
    const clean = await cli(['sp', 'check', '--dir', dir]);
    assert.equal(clean.code, 0, clean.out);
    assert.match(clean.out, /1 SP\(s\) and 0 remote source\(s\) checked: nothing to do/);

    await writeFile(
      join(dir, 'soon.xml'),
      spMetadataXml({ entityId: 'https://soon.example/sp', signingCerts: [certValid(-1, 20)] }),
    );
    await writeFile(
      join(dir, 'gone.xml'),
      spMetadataXml({ entityId: 'https://gone.example/sp', signingCerts: [certValid(-90, -2)] }),
    );
    server.routes.set('/fed.xml', { body: fed() });
    assert.equal(
      (await add(server.url('/fed.xml'), '--cert', join(root, 'fed.pem'), '--name', 'fed')).code,
      0,
    );
    server.routes.set('/fed.xml', { status: 503 });

    const r = await cli(['sp', 'check', '--dir', dir, '--json', '--days', '30']);
    assert.equal(r.code, 1);
    const findings = r.json<{ findings: Finding[] }>().findings;
    const about = (entityOrText: string) =>
      findings.filter((f) => f.entityId === entityOrText || f.message.includes(entityOrText));
    assert.equal(about('https://soon.example/sp')[0]?.level, 'warning');
    assert.match(about('https://soon.example/sp')[0]?.message ?? '', /expires on .*, in (19|20) days/);
    assert.equal(about('https://gone.example/sp')[0]?.level, 'error');
    assert.match(about('https://gone.example/sp')[0]?.message ?? '', /expired on/);
    const dead = findings.find((f) => /HTTP 503/.test(f.message));
    assert.equal(dead?.level, 'error');
    assert.match(dead?.message ?? '', /the IdP keeps the copy of /);

    const offline = await cli(['sp', 'check', '--dir', dir, '--json', '--offline']);
    assert.ok(!offline.json<{ findings: Finding[] }>().findings.some((f) => /HTTP 503/.test(f.message)));
    // The federation document expires in 10 days: a 30-day horizon warns about it.
    server.routes.set('/fed.xml', { body: fed() });
    const online = await cli(['sp', 'check', '--dir', dir, '--json']);
    assert.ok(
      online.json<{ findings: Finding[] }>().findings.some((f) => /the metadata expires at/.test(f.message)),
    );
  });
});
