// The IdP signing keys: configured PEM files, and the development pair generated once and reused.

import assert from 'node:assert/strict';
import { createPrivateKey, createPublicKey, X509Certificate } from 'node:crypto';
import { mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { generateKeyPair, loadIdpKeys } from '../../../../src/saml/keys/keys.ts';

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'idp-keys-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('generateKeyPair', () => {
  test('makes an RSA-2048 key and a matching self-signed SHA-256 certificate valid for 10 years', () => {
    const pair = generateKeyPair('idp.example.org');
    const cert = new X509Certificate(pair.certPem);
    const key = createPublicKey(pair.privateKeyPem);
    assert.equal(key.asymmetricKeyType, 'rsa');
    assert.equal(key.asymmetricKeyDetails?.modulusLength, 2048);
    assert.equal(cert.subject, 'CN=idp.example.org');
    assert.equal(cert.issuer, 'CN=idp.example.org');
    assert.ok(cert.verify(cert.publicKey), 'self-signed');
    assert.ok(cert.checkPrivateKey(createPrivateKey(pair.privateKeyPem)));
    const years = (Date.parse(cert.validTo) - Date.parse(cert.validFrom)) / (365.25 * 24 * 3600 * 1000);
    assert.ok(years > 9.9 && years < 10.1, `validity ${years} years`);
    assert.ok(Date.parse(cert.validFrom) <= Date.now());
  });

  test('gives a different key each time', () => {
    assert.notEqual(generateKeyPair('a').privateKeyPem, generateKeyPair('a').privateKeyPem);
  });
});

describe('loadIdpKeys', () => {
  test('generates a dev pair once into devKeyDir (key mode 0600) and reuses it on later starts', async () => {
    const devKeyDir = join(dir, 'dev');
    const first = await loadIdpKeys({ devKeyDir, commonName: 'localhost' });
    const files = (await readdir(devKeyDir)).sort();
    assert.equal(files.length, 2);
    const keyFile = files.find((f) => f.includes('key'))!;
    assert.equal((await stat(join(devKeyDir, keyFile))).mode & 0o777, 0o600);
    const second = await loadIdpKeys({ devKeyDir, commonName: 'localhost' });
    assert.equal(second.certBase64, first.certBase64);
    assert.equal(second.privateKeyPem, first.privateKeyPem);
    const cert = new X509Certificate(first.certPem);
    assert.equal(cert.raw.toString('base64'), first.certBase64);
    assert.equal(cert.subject, 'CN=localhost');
    assert.ok(cert.checkPrivateKey(first.privateKey));
  });

  test('reads IDP_KEY_FILE and IDP_CERT_FILE when set', async () => {
    const pair = generateKeyPair('configured.example');
    const keyFile = join(dir, 'configured.key');
    const certFile = join(dir, 'configured.crt');
    await writeFile(keyFile, pair.privateKeyPem);
    await writeFile(certFile, pair.certPem);
    const keys = await loadIdpKeys({ keyFile, certFile, devKeyDir: join(dir, 'unused'), commonName: 'x' });
    assert.equal(new X509Certificate(keys.certPem).subject, 'CN=configured.example');
    await assert.rejects(stat(join(dir, 'unused')), /ENOENT/);
  });

  test('a missing key file is named in the error', async () => {
    const certFile = join(dir, 'c.crt');
    await writeFile(certFile, generateKeyPair('c').certPem);
    const keyFile = join(dir, 'nope.key');
    await assert.rejects(
      loadIdpKeys({ keyFile, certFile, devKeyDir: dir, commonName: 'x' }),
      (err: Error) =>
        err.message.includes('IDP_KEY_FILE') && err.message.includes(keyFile) && /ENOENT/.test(err.message),
    );
  });

  test('a file that is not a PEM key is named in the error', async () => {
    const keyFile = join(dir, 'garbage.key');
    const certFile = join(dir, 'g.crt');
    await writeFile(keyFile, 'not a key');
    await writeFile(certFile, generateKeyPair('g').certPem);
    await assert.rejects(loadIdpKeys({ keyFile, certFile, devKeyDir: dir, commonName: 'x' }), (err: Error) =>
      err.message.startsWith(`IDP_KEY_FILE ${keyFile}: not a PEM private key`),
    );
  });

  test('a file that is not a certificate is named in the error', async () => {
    const keyFile = join(dir, 'k2.key');
    const certFile = join(dir, 'garbage.crt');
    await writeFile(keyFile, generateKeyPair('k2').privateKeyPem);
    await writeFile(certFile, '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n');
    await assert.rejects(loadIdpKeys({ keyFile, certFile, devKeyDir: dir, commonName: 'x' }), (err: Error) =>
      err.message.startsWith(`IDP_CERT_FILE ${certFile}: not a PEM certificate`),
    );
  });

  test('a certificate of another key is refused', async () => {
    const keyFile = join(dir, 'k3.key');
    const certFile = join(dir, 'other.crt');
    await writeFile(keyFile, generateKeyPair('k3').privateKeyPem);
    await writeFile(certFile, generateKeyPair('other').certPem);
    await assert.rejects(
      loadIdpKeys({ keyFile, certFile, devKeyDir: dir, commonName: 'x' }),
      /does not belong to the key/,
    );
  });

  test('only one of the two files set is refused', async () => {
    await assert.rejects(
      loadIdpKeys({ keyFile: 'k', devKeyDir: dir, commonName: 'x' }),
      /must be set together/,
    );
  });
});
