// Admin JSON files against their field tables: every problem listed at once, messages as before, absent keys out.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import {
  field,
  isBoolean,
  optional,
  readFields,
  required,
  textMatching,
} from '../../../src/config/file-fields.ts';
import { readRemoteSourceConfig } from '../../../src/saml/metadata/remote-metadata.ts';
import { parseSpSettings } from '../../../src/saml/metadata/sp-settings.ts';

describe('readFields', () => {
  const table = {
    name: required(
      textMatching((n) => n !== '', '"name" must be given'),
      '',
    ),
    on: optional(isBoolean),
    count: field((v, key) => (v === 1 ? { value: 1 } : { problem: `"${key}" must be 1` }), 0),
  };
  const unknown = (key: string, known: string) => `unknown "${key}" (known: ${known})`;

  test('values and defaults; an absent optional key stays out', () => {
    const { values, problems } = readFields({ name: 'x' }, table, unknown);
    assert.deepEqual(problems, []);
    assert.deepEqual({ ...values }, { name: 'x', count: 0 });
    assert.ok(!('on' in values));
  });

  test('every problem at once: unknown keys, a missing required key, refused values', () => {
    const { problems } = readFields({ on: 'yes', count: 2, extra: 1 }, table, unknown);
    assert.deepEqual(problems, [
      'unknown "extra" (known: name, on, count)',
      '"name" must be given',
      '"on" must be true or false',
      '"count" must be 1',
    ]);
  });
});

describe('sidecar and remote source files', () => {
  test('a sidecar with several problems names each of them', () => {
    assert.throws(
      () => parseSpSettings('{"eid": ["x"], "idpInitiated": "yes", "signingKey": "old"}'),
      (err: Error) =>
        err.message ===
        'unknown setting "eid" (known: eids, defaultLocale, encryptAssertions, encryptionAlgorithm, idpInitiated, ' +
          'signingKey, attributes); "idpInitiated" must be true or false; "signingKey" must be "current" or "next"',
    );
    assert.deepEqual(
      { ...parseSpSettings('{"defaultLocale": "sv"}') },
      { eids: ['nets_sms'], defaultLocale: 'sv' },
    );
  });

  const dir = mkdtempSync(join(tmpdir(), 'nsi-fields-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('a .remote.json with several problems names each of them, with the file', async () => {
    const file = join(dir, 'fed.remote.json');
    await writeFile(file, JSON.stringify({ url: 'ftp://x', timeoutSeconds: 0, settings: { eids: [] } }));
    await assert.rejects(readRemoteSourceConfig(file), (err: Error) => {
      assert.equal(
        err.message,
        `${file}: "url" must be an http(s) URL; ` +
          '"certFile" must name the PEM certificate the metadata is signed with; ' +
          '"timeoutSeconds" must be a whole number from 1 to 300; ' +
          '"settings": "eids" must be a non-empty list of eID names such as "nets_sms"',
      );
      return true;
    });
  });
});
