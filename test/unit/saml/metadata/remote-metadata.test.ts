// Remote source files (`<name>.remote.json`) and the xs:duration reader behind cacheDuration.

import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  type RemoteSourceConfig,
  readRemoteSourceConfig,
  readVerifiedMetadata,
  xsDurationMs,
} from '../../../../src/saml/metadata/remote-metadata.ts';
import { DEFAULT_SP_SETTINGS } from '../../../../src/saml/metadata/sp-metadata.ts';
import { federationKeys, signMetadata, withRootAttributes } from '../../../helpers/metadata-server.ts';
import { entitiesMetadataXml } from '../../../helpers/saml-sp.ts';

let dir: string;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'nsi-remote-config-'));
  await writeFile(join(dir, 'fed.pem'), federationKeys().certPem);
  await writeFile(join(dir, 'ca.pem'), federationKeys().certPem);
});
after(() => rm(dir, { recursive: true, force: true }));

async function config(content: unknown) {
  const file = join(dir, 'src.remote.json');
  await writeFile(file, typeof content === 'string' ? content : JSON.stringify(content));
  return readRemoteSourceConfig(file);
}

describe('readRemoteSourceConfig', () => {
  test('defaults, paths relative to the folder, settings for the SPs', async () => {
    const c = await config({
      url: 'https://md.example.org/fed.xml',
      certFile: 'fed.pem',
      caFile: 'ca.pem',
      settings: { eids: ['nets_sms'], idpInitiated: true },
    });
    assert.equal(c.name, 'src');
    assert.deepEqual(c.signerCerts, [federationKeys().certBase64]);
    assert.equal(c.refreshSeconds, 3600);
    assert.equal(c.timeoutSeconds, 10);
    assert.equal(c.maxBytes, 32 * 1024 * 1024);
    assert.equal(c.caPem, federationKeys().certPem);
    assert.equal(c.settings.idpInitiated, true);
  });

  const bad: [string, unknown, RegExp][] = [
    ['not JSON', '{', /not valid JSON/],
    ['no url', { certFile: 'fed.pem' }, /"url" must be an http\(s\) URL/],
    ['an ftp url', { url: 'ftp://x/y', certFile: 'fed.pem' }, /"url"/],
    ['no certFile', { url: 'https://x/y' }, /"certFile" must name the PEM certificate/],
    [
      'a missing certFile',
      { url: 'https://x/y', certFile: 'nope.pem' },
      /certFile .*nope\.pem cannot be read \(ENOENT\)/,
    ],
    ['a typo', { url: 'https://x/y', certFile: 'fed.pem', refresh: 60 }, /unknown key "refresh"/],
    [
      'a bad refresh',
      { url: 'https://x/y', certFile: 'fed.pem', refreshSeconds: 0 },
      /"refreshSeconds" must be a whole number/,
    ],
    [
      'bad settings',
      { url: 'https://x/y', certFile: 'fed.pem', settings: { eids: [] } },
      /"settings": "eids" must be/,
    ],
  ];
  for (const [what, content, message] of bad) {
    test(`refused, naming the file: ${what}`, async () => {
      await assert.rejects(
        config(content),
        (err: Error) => err.message.includes('src.remote.json: ') && message.test(err.message),
      );
    });
  }
});

describe('xsDurationMs', () => {
  test('reads the forms metadata uses', () => {
    assert.equal(xsDurationMs('PT1H'), 3600_000);
    assert.equal(xsDurationMs('P1D'), 86_400_000);
    assert.equal(xsDurationMs('P1DT30M'), 86_400_000 + 1800_000);
    assert.equal(xsDurationMs('PT0.5S'), 500);
    assert.equal(xsDurationMs(' P1Y2M '), (365 + 60) * 86_400_000);
  });

  test('refuses what is not a duration', () => {
    for (const v of ['', 'P', 'PT', '1H', 'P1H', '-PT1H', 'PT1H30'])
      assert.equal(xsDurationMs(v), undefined, v);
  });
});

describe('a federation aggregate', () => {
  test('one member that cannot be used is left out and reported; the others are trusted', () => {
    const xml = signMetadata(
      withRootAttributes(
        entitiesMetadataXml([
          { entityId: 'https://good-a.example/sp' },
          { entityId: 'https://broken.example/sp', acs: [] },
          { entityId: 'https://good-b.example/sp' },
        ]),
        {},
      ),
    );
    const source: RemoteSourceConfig = {
      name: 'fed',
      file: join(dir, 'fed.remote.json'),
      url: 'https://federation.example/metadata.xml',
      certFile: 'fed.pem',
      signerCerts: [federationKeys().certBase64],
      refreshSeconds: 3600,
      timeoutSeconds: 10,
      maxBytes: 1_000_000,
      caFile: undefined,
      caPem: undefined,
      settings: DEFAULT_SP_SETTINGS,
    };
    const verified = readVerifiedMetadata(xml, source, new Date());
    assert.deepEqual(
      verified.entries.map((e) => e.entityId),
      ['https://good-a.example/sp', 'https://good-b.example/sp'],
    );
    assert.equal(verified.skipped.length, 1);
    assert.match(verified.skipped[0] ?? '', /broken\.example.*AssertionConsumerService/);
  });
});
