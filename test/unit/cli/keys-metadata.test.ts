// `keys generate`, `keys status` and `metadata` on real files: key modes, certificate contents, schema-valid signed
// metadata, exit codes and --json; and the bin shim in a real process.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { DOMParser } from '@xmldom/xmldom';
import { SignedXml } from 'xml-crypto';
import { validateWithXsd } from '../../helpers/saml-sp.ts';
import { cli } from './cli-helpers.ts';

let dir: string;
let env: Record<string, string>;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'nsi-cli-keys-'));
  env = {
    BASE_URL: 'https://idp.example.org',
    DEV_KEY_DIR: join(dir, 'dev'),
    SP_METADATA_DIR: join(dir, 'sp'),
    IDP_SECRET: 'cli-test-secret-0123456789-0123456789',
  };
});
after(() => rm(dir, { recursive: true, force: true }));

describe('keys generate', () => {
  test('writes a 0600 PKCS#8 key and a matching self-signed certificate with the asked name and lifetime', async () => {
    const r = await cli([
      'keys',
      'generate',
      '--out',
      join(dir, 'k'),
      '--cn',
      'idp.example.org',
      '--days',
      '30',
      '--bits',
      '2048',
      '--json',
    ]);
    assert.equal(r.code, 0, r.err);
    const report = r.json<{
      keyFile: string;
      certFile: string;
      certificate: { sha256: string; daysLeft: number };
    }>();
    assert.equal(report.keyFile, join(dir, 'k', 'idp.key.pem'));
    assert.equal((await stat(report.keyFile)).mode & 0o777, 0o600);
    const keyPem = await readFile(report.keyFile, 'utf8');
    assert.match(keyPem, /^-----BEGIN PRIVATE KEY-----/);
    const cert = new X509Certificate(await readFile(report.certFile, 'utf8'));
    assert.ok(cert.checkPrivateKey(createPrivateKey(keyPem)));
    assert.equal(cert.subject, 'CN=idp.example.org');
    assert.equal(createPrivateKey(keyPem).asymmetricKeyDetails?.modulusLength, 2048);
    assert.ok(Math.abs(Date.parse(cert.validTo) - Date.now() - 30 * 86_400_000) < 120_000);
    assert.equal(report.certificate.sha256, cert.fingerprint256);
  });

  test('refuses to overwrite without --force (exit 1, files untouched), replaces with it', async () => {
    const keyFile = join(dir, 'k', 'idp.key.pem');
    const before = await readFile(keyFile, 'utf8');
    const again = await cli(['keys', 'generate', '--out', join(dir, 'k'), '--bits', '2048']);
    assert.equal(again.code, 1);
    assert.match(again.err, /exists; --force replaces it/);
    assert.equal(await readFile(keyFile, 'utf8'), before);
    const forced = await cli([
      'keys',
      'generate',
      '--out',
      join(dir, 'k'),
      '--bits',
      '2048',
      '--days',
      '30',
      '--force',
    ]);
    assert.equal(forced.code, 0, forced.err);
    assert.notEqual(await readFile(keyFile, 'utf8'), before);
    assert.match(forced.out, /IDP_KEY_FILE=.*idp\.key\.pem IDP_CERT_FILE=.*idp\.cert\.pem/);
    assert.match(forced.out, /IDP_NEXT_KEY_FILE=/);
  });

  test('usage errors exit 2: missing --out, a bad --bits, an unknown option', async () => {
    assert.equal((await cli(['keys', 'generate'])).code, 2);
    assert.equal((await cli(['keys', 'generate', '--out', dir, '--bits', '1024'])).code, 2);
    const unknown = await cli(['keys', 'generate', '--out', dir, '--colour']);
    assert.equal(unknown.code, 2);
    assert.match(unknown.err, /usage: nets-sms-idp keys generate/);
  });
});

describe('metadata and keys status', () => {
  before(async () => {
    assert.equal(
      (await cli(['keys', 'generate', '--out', join(dir, 'ring'), '--name', 'next', '--bits', '2048'])).code,
      0,
    );
    env.IDP_KEY_FILE = join(dir, 'k', 'idp.key.pem');
    env.IDP_CERT_FILE = join(dir, 'k', 'idp.cert.pem');
  });

  test('metadata: what GET /saml/metadata serves: schema-valid, signed with IDP_KEY_FILE, validUntil ahead', async () => {
    const r = await cli(['metadata'], env);
    assert.equal(r.code, 0, r.err);
    await validateWithXsd(r.out, 'saml-schema-metadata-2.0.xsd');
    const doc = new DOMParser().parseFromString(r.out, 'text/xml');
    assert.equal(doc.documentElement?.getAttribute('entityID'), 'https://idp.example.org/saml/metadata');
    const verifier = new SignedXml({
      publicCert: await readFile(env.IDP_CERT_FILE!, 'utf8'),
      getCertFromKeyInfo: () => null,
    });
    verifier.loadSignature(doc.getElementsByTagNameNS('http://www.w3.org/2000/09/xmldsig#', 'Signature')[0]!);
    assert.ok(verifier.checkSignature(r.out));
    assert.ok(
      Date.parse(doc.documentElement?.getAttribute('validUntil') ?? '') > Date.now() + 6 * 86_400_000,
    );
  });

  test('metadata --unsigned --out FILE --json', async () => {
    const out = join(dir, 'idp-metadata.xml');
    const r = await cli(['metadata', '--unsigned', '--out', out, '--json'], env);
    assert.equal(r.code, 0, r.err);
    assert.equal(r.json().file, out);
    const xml = await readFile(out, 'utf8');
    assert.doesNotMatch(xml, /Signature|validUntil/);
    await validateWithXsd(xml, 'saml-schema-metadata-2.0.xsd');
  });

  test('with a next pair, both certificates are listed; keys status shows which signs and warns before expiry', async () => {
    const ringEnv = {
      ...env,
      IDP_NEXT_KEY_FILE: join(dir, 'ring', 'next.key.pem'),
      IDP_NEXT_CERT_FILE: join(dir, 'ring', 'next.cert.pem'),
    };
    const md = await cli(['metadata', '--json'], ringEnv);
    assert.equal(md.json<{ certificates: unknown[] }>().certificates.length, 2);
    assert.equal(md.json().signedWith, 'current');

    const status = await cli(['keys', 'status', '--json', '--days', '10'], {
      ...ringEnv,
      IDP_SIGN_WITH: 'next',
    });
    assert.equal(status.code, 0, status.out);
    const report = status.json<{ keys: { role: string; signs: boolean }[] }>();
    assert.deepEqual(
      report.keys.map((k) => [k.role, k.signs]),
      [
        ['current', false],
        ['next', true],
      ],
    );

    // The current certificate has 30 days left: a 60-day horizon is a problem for scripts (exit 1).
    const warned = await cli(['keys', 'status', '--days', '60'], ringEnv);
    assert.equal(warned.code, 1);
    assert.match(warned.out, /warning +IDP_CERT_FILE: expires on \d{4}-\d\d-\d\d, in (29|30) days/);
  });

  test('a configuration problem is a usage error (exit 2) naming the setting', async () => {
    const r = await cli(['metadata'], { ...env, IDP_SIGN_WITH: 'sometime' });
    assert.equal(r.code, 2);
    assert.match(r.err, /IDP_SIGN_WITH must be current or next/);
  });
});

describe('the nets-sms-idp bin', () => {
  test('runs as a real process: --json output and exit codes', async () => {
    const bin = join(import.meta.dirname, '../../../src/cli/bin.js');
    const runBin = (args: string[]) =>
      new Promise<{ code: number; stdout: string }>((resolve) => {
        execFile(process.execPath, [bin, ...args], { env: { ...process.env, ...env } }, (error, stdout) =>
          resolve({ code: error === null ? 0 : Number(error.code), stdout }),
        );
      });
    const list = await runBin(['sp', 'list', '--json', '--dir', join(dir, 'k')]);
    assert.equal(list.code, 0);
    assert.deepEqual(JSON.parse(list.stdout).sps, []);
    assert.equal((await runBin(['sp', 'nonsense'])).code, 2);
  });
});
