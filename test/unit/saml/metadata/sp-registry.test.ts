// SP metadata parsing with the real-SP quirks of docs/design.md §4a, and the registry's loading and reloading.

import assert from 'node:assert/strict';
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { parseSpMetadata, SpRegistry } from '../../../../src/saml/metadata/sp-registry.ts';
import { Binding } from '../../../../src/saml/urn.ts';
import { createTestSp, entitiesMetadataXml, spMetadataXml, testKeys } from '../../../helpers/saml-sp.ts';

const FIXTURES = join(import.meta.dirname, '../../../fixtures/saml/metadata');
const fixture = (name: string) => readFile(join(FIXTURES, name), 'utf8');

describe('parseSpMetadata', () => {
  test('Shibboleth SP: leading comment, AuthnRequestsSigned="1", ACS without isDefault, KeyDescriptor without use', async () => {
    const [sp, ...rest] = parseSpMetadata(await fixture('shibboleth-sp.xml'), 'shibboleth-sp.xml');
    assert.equal(rest.length, 0);
    assert.ok(sp);
    assert.equal(sp.entityId, 'https://shib.example.no/shibboleth');
    assert.equal(sp.authnRequestsSigned, true);
    assert.equal(sp.wantAssertionsSigned, false);
    // Only the KeyDescriptor without use counts for signing; the encryption one does not.
    assert.equal(sp.signingCerts.length, 1);
    assert.match(sp.signingCerts[0]!, /^MII[A-Za-z0-9+/=]+$/);
    assert.equal(sp.acs.length, 6);
    assert.deepEqual(sp.acs[2], {
      url: 'https://shib.example.no/Shibboleth.sso/SAML2/POST',
      index: 1,
      isDefault: false,
      binding: Binding.post,
    });
    assert.ok(sp.acs.every((a) => !a.isDefault));
    assert.equal(sp.displayName, 'Municipal services');
    assert.equal(sp.logoUrl, 'https://shib.example.no/logo.png');
    assert.deepEqual(sp.nameIdFormats, ['urn:oasis:names:tc:SAML:2.0:nameid-format:transient']);
    assert.deepEqual(sp.sloEndpoints, [
      { binding: Binding.redirect, url: 'https://shib.example.no/Shibboleth.sso/SLO/Redirect' },
      { binding: Binding.post, url: 'https://shib.example.no/Shibboleth.sso/SLO/POST' },
    ]);
    assert.deepEqual(sp.settings, { eids: ['nets_sms'] });
    assert.equal(sp.sourceFile, 'shibboleth-sp.xml');
  });

  test('SimpleSAMLphp SP: signing and encryption KeyDescriptors, Organization display name, ResponseLocation', async () => {
    const [sp] = parseSpMetadata(await fixture('simplesamlphp-sp.xml'), 'ssp.xml');
    assert.ok(sp);
    assert.equal(sp.authnRequestsSigned, false);
    assert.equal(sp.wantAssertionsSigned, true);
    assert.equal(sp.signingCerts.length, 1);
    assert.equal(sp.displayName, 'Example Ltd');
    assert.equal(sp.logoUrl, undefined);
    assert.equal(
      sp.sloEndpoints[0]?.responseUrl,
      'https://ssp.example.se/module.php/saml/sp/saml2-logout.php/default-sp/response',
    );
  });

  test('EntitiesDescriptor: every SP, nested groups included, IdPs skipped, xs:boolean "1" and "true"', async () => {
    const sps = parseSpMetadata(await fixture('pysaml2-federation.xml'), 'fed.xml');
    assert.deepEqual(
      sps.map((s) => s.entityId),
      ['https://py.example.fi/sp.xml', 'urn:example:sp:nested'],
    );
    const [py, nested] = sps as [(typeof sps)[0], (typeof sps)[0]];
    assert.equal(py.authnRequestsSigned, true);
    assert.equal(py.wantAssertionsSigned, true);
    assert.equal(py.signingCerts.length, 2);
    assert.deepEqual(
      py.acs.map((a) => a.isDefault),
      [false, true],
    );
    assert.equal(nested.displayName, 'urn:example:sp:nested');
    assert.equal(nested.signingCerts.length, 0);
  });

  test('the display name falls back to the entityID host', () => {
    const [sp] = parseSpMetadata(spMetadataXml({ entityId: 'https://host.example.dk/saml/sp' }), 'x.xml');
    assert.equal(sp?.displayName, 'host.example.dk');
  });

  test('mdui:DisplayName without English takes the first', () => {
    const xml = spMetadataXml({
      entityId: 'https://a.example/sp',
      displayNames: { nb: 'Tjeneste', sv: 'Tjänst' },
    });
    assert.equal(parseSpMetadata(xml, 'x.xml')[0]?.displayName, 'Tjeneste');
  });

  test('refuses metadata without an SP role', async () => {
    await assert.rejects(
      async () => parseSpMetadata(await fixture('idp-only.xml'), 'x'),
      /no SAML 2.0 SPSSODescriptor/,
    );
  });

  test('refuses XML that is not well-formed', async () => {
    await assert.rejects(
      async () => parseSpMetadata(await fixture('not-well-formed.xml'), 'x'),
      /not well-formed/,
    );
  });

  test('refuses an ACS that is not an http(s) URL', async () => {
    await assert.rejects(
      async () => parseSpMetadata(await fixture('javascript-acs.xml'), 'x'),
      /must be http\(s\)/,
    );
  });

  test('refuses a DOCTYPE', () => {
    const xml = spMetadataXml({ entityId: 'https://a.example/sp' }).replace(
      '?>',
      '?><!DOCTYPE x [<!ENTITY e "x">]>',
    );
    assert.throws(() => parseSpMetadata(xml, 'x'), /DOCTYPE/);
  });

  test('refuses a boolean that is not xs:boolean', () => {
    const xml = spMetadataXml({ entityId: 'https://a.example/sp', authnRequestsSigned: 'yes' });
    assert.throws(() => parseSpMetadata(xml, 'x'), /AuthnRequestsSigned is not an xs:boolean/);
  });

  test('refuses AuthnRequestsSigned without a signing certificate', () => {
    const xml = spMetadataXml({ entityId: 'https://a.example/sp', authnRequestsSigned: true });
    assert.throws(() => parseSpMetadata(xml, 'x'), /no signing certificate/);
  });

  test('refuses an X509Certificate that is not a certificate', () => {
    const xml = spMetadataXml({ entityId: 'https://a.example/sp', signingCerts: ['AAAA'] });
    assert.throws(() => parseSpMetadata(xml, 'x'), /cannot be read/);
  });

  test('refuses an SP without AssertionConsumerService', () => {
    const xml = spMetadataXml({ entityId: 'https://a.example/sp', acs: [] });
    assert.throws(() => parseSpMetadata(xml, 'x'), /no AssertionConsumerService/);
  });
});

describe('SpRegistry', () => {
  let dir: string;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sp-registry-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function freshDir(): Promise<string> {
    return mkdtemp(join(dir, 'case-'));
  }

  test('loads every *.xml, reports a broken file and keeps the rest', async () => {
    const d = await freshDir();
    for (const f of [
      'shibboleth-sp.xml',
      'simplesamlphp-sp.xml',
      'pysaml2-federation.xml',
      'not-well-formed.xml',
    ]) {
      await copyFile(join(FIXTURES, f), join(d, f));
    }
    await writeFile(join(d, 'notes.txt'), 'not metadata');
    const problems: string[] = [];
    const registry = await SpRegistry.load(d, { onProblem: (file) => problems.push(file) });
    assert.equal(registry.size, 4);
    assert.deepEqual(problems, [join(d, 'not-well-formed.xml')]);
    assert.equal(
      registry.get('https://ssp.example.se/module.php/saml/sp/metadata.php/default-sp')?.displayName,
      'Example Ltd',
    );
    assert.equal(registry.get('urn:example:sp:nested')?.sourceFile, join(d, 'pysaml2-federation.xml'));
    assert.equal(registry.get('https://unknown.example/sp'), undefined);
    assert.equal(registry.list().length, 4);
  });

  test('a sidecar .json sets the SP settings; a bad one makes the file broken', async () => {
    const d = await freshDir();
    await writeFile(join(d, 'a.xml'), spMetadataXml({ entityId: 'https://a.example/sp' }));
    await writeFile(join(d, 'a.json'), JSON.stringify({ eids: ['nets_sms', 'bankid'], defaultLocale: 'sv' }));
    await writeFile(join(d, 'b.xml'), spMetadataXml({ entityId: 'https://b.example/sp' }));
    await writeFile(join(d, 'b.json'), JSON.stringify({ eid: ['nets_sms'] }));
    const problems: string[] = [];
    const registry = await SpRegistry.load(d, { onProblem: (_f, m) => problems.push(m) });
    assert.deepEqual(registry.get('https://a.example/sp')?.settings, {
      eids: ['nets_sms', 'bankid'],
      defaultLocale: 'sv',
    });
    assert.equal(registry.get('https://b.example/sp'), undefined);
    assert.match(problems[0] ?? '', /unknown setting "eid"/);
  });

  test('the same entityID in two files: the first file (by name) wins, the second is reported', async () => {
    const d = await freshDir();
    const sp = createTestSp({ entityId: 'https://dup.example/sp' });
    await writeFile(join(d, '1.xml'), sp.metadataXml);
    await writeFile(
      join(d, '2.xml'),
      entitiesMetadataXml([sp.metadata, { entityId: 'https://other.example/sp' }]),
    );
    const problems: string[] = [];
    const registry = await SpRegistry.load(d, { onProblem: (_f, m) => problems.push(m) });
    assert.equal(registry.get('https://dup.example/sp')?.sourceFile, join(d, '1.xml'));
    assert.ok(registry.get('https://other.example/sp'));
    assert.match(problems[0] ?? '', /already described/);
  });

  test('a folder that cannot be read stops the load with its name', async () => {
    await assert.rejects(SpRegistry.load(join(dir, 'missing')), /SP metadata folder .*missing.*ENOENT/);
  });

  test('watch: reloads on change, keeps the previous version of a file that broke, drops a deleted file', async () => {
    const d = await freshDir();
    const keys = testKeys();
    await writeFile(
      join(d, 'a.xml'),
      spMetadataXml({ entityId: 'https://a.example/sp', signingCerts: [keys.certBase64] }),
    );
    const registry = await SpRegistry.load(d);
    const problems: string[] = [];
    let reloads = 0;
    let wake: () => void = () => {};
    registry.watch({
      onReload: () => {
        reloads += 1;
        wake();
      },
      onProblem: (_f, m) => problems.push(m),
    });
    const nextReload = () =>
      new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('no reload within 5 s')), 5000);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    try {
      let reloaded = nextReload();
      await writeFile(join(d, 'b.xml'), spMetadataXml({ entityId: 'https://b.example/sp' }));
      await reloaded;
      assert.equal(registry.size, 2);

      reloaded = nextReload();
      await writeFile(join(d, 'a.xml'), '<md:EntityDescriptor');
      await reloaded;
      assert.equal(registry.get('https://a.example/sp')?.signingCerts[0], keys.certBase64);
      assert.match(problems.at(-1) ?? '', /keeping the version loaded before/);

      reloaded = nextReload();
      await rm(join(d, 'b.xml'));
      await reloaded;
      assert.equal(registry.get('https://b.example/sp'), undefined);
      assert.equal(registry.size, 1);
      assert.ok(reloads >= 3);
    } finally {
      registry.close();
    }
  });
});

describe('validUntil', () => {
  const withValidUntil = (xml: string, element: string, until: Date) =>
    xml.replace(new RegExp(`<md:${element}\\b`), `$& validUntil="${until.toISOString()}"`);

  test('an SP whose metadata (or the group around it) is past validUntil is not trusted, and is reported', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'nsi-valid-until-'));
    try {
      const past = new Date(Date.now() - 60_000);
      const future = new Date(Date.now() + 86_400_000);
      await writeFile(
        join(dir, 'expired.xml'),
        withValidUntil(spMetadataXml({ entityId: 'https://expired.example/sp' }), 'EntityDescriptor', past),
      );
      await writeFile(
        join(dir, 'fresh.xml'),
        withValidUntil(spMetadataXml({ entityId: 'https://fresh.example/sp' }), 'EntityDescriptor', future),
      );
      await writeFile(
        join(dir, 'group.xml'),
        withValidUntil(
          entitiesMetadataXml([{ entityId: 'https://grouped.example/sp' }]),
          'EntitiesDescriptor',
          past,
        ),
      );
      const problems: string[] = [];
      const registry = await SpRegistry.load(dir, { onProblem: (_file, message) => problems.push(message) });
      assert.equal(registry.get('https://expired.example/sp'), undefined);
      assert.equal(registry.get('https://grouped.example/sp'), undefined);
      assert.equal(registry.get('https://fresh.example/sp')?.validUntil?.toISOString(), future.toISOString());
      assert.equal(registry.get('https://fresh.example/sp', new Date(future.getTime() + 1)), undefined);
      assert.equal(problems.filter((p) => /expired at .*\(validUntil\)/.test(p)).length, 2);
      registry.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
