// Loads the IdP's signing key and certificate, or creates and keeps a self-signed development pair.

import { createPrivateKey, generateKeyPairSync, type KeyObject, X509Certificate } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { selfSignedCertPem } from './self-signed.ts';

/** The key pair every Response and Assertion is signed with (docs/contract.md §4). */
export interface IdpKeys {
  readonly privateKey: KeyObject;
  readonly privateKeyPem: string;
  readonly certPem: string;
  /** base64 DER of the cert, no PEM armour */
  readonly certBase64: string;
}

const DEV_KEY_FILE = 'idp-signing.key.pem';
const DEV_CERT_FILE = 'idp-signing.cert.pem';

/** Same generation for other purposes (the demo SP's own keys, tests): an RSA-2048 key and a self-signed
 * SHA-256 certificate valid for 10 years. */
export function generateKeyPair(commonName: string): { privateKeyPem: string; certPem: string } {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const notBefore = new Date();
  const notAfter = new Date(notBefore);
  notAfter.setUTCFullYear(notAfter.getUTCFullYear() + 10);
  return {
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    certPem: selfSignedCertPem(privateKey, commonName, notBefore, notAfter),
  };
}

function errorText(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  return e.code ?? e.message ?? String(err);
}

/** Builds IdpKeys from PEM text; `keyName`/`certName` name the sources in error messages. */
export function idpKeysFromPem(keyPem: string, certPem: string, keyName: string, certName: string): IdpKeys {
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(keyPem);
  } catch (err) {
    throw new Error(`${keyName}: not a PEM private key (${errorText(err)})`);
  }
  if (privateKey.asymmetricKeyType !== 'rsa') {
    throw new Error(
      `${keyName}: the signing key must be RSA (RSA-SHA256 signatures), got ${privateKey.asymmetricKeyType}`,
    );
  }
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(certPem);
  } catch (err) {
    throw new Error(`${certName}: not a PEM certificate (${errorText(err)})`);
  }
  if (!cert.checkPrivateKey(privateKey)) {
    throw new Error(`${certName}: the certificate does not belong to the key in ${keyName}`);
  }
  return Object.freeze({
    privateKey,
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    certPem: cert.toString(),
    certBase64: cert.raw.toString('base64'),
  });
}

async function readNamed(file: string, envName: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    throw new Error(`${envName} ${file}: cannot be read (${errorText(err)})`);
  }
}

async function readIfPresent(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new Error(`${file}: cannot be read (${errorText(err)})`);
  }
}

async function writeAtomically(file: string, content: string, mode: number): Promise<void> {
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, content, { mode });
  await rename(tmp, file);
}

/**
 * IDP_KEY_FILE/IDP_CERT_FILE when set (errors name the file), else a dev pair generated ONCE into `devKeyDir`
 * (mode 0600 key, RSA-2048, self-signed, 10 years) and reused on later starts.
 */
export async function loadIdpKeys(opts: {
  keyFile?: string;
  certFile?: string;
  devKeyDir: string;
  commonName: string;
}): Promise<IdpKeys> {
  if (opts.keyFile !== undefined || opts.certFile !== undefined) {
    if (opts.keyFile === undefined || opts.certFile === undefined) {
      throw new Error('IDP_KEY_FILE and IDP_CERT_FILE must be set together');
    }
    const [keyPem, certPem] = await Promise.all([
      readNamed(opts.keyFile, 'IDP_KEY_FILE'),
      readNamed(opts.certFile, 'IDP_CERT_FILE'),
    ]);
    return idpKeysFromPem(keyPem, certPem, `IDP_KEY_FILE ${opts.keyFile}`, `IDP_CERT_FILE ${opts.certFile}`);
  }

  const keyFile = join(opts.devKeyDir, DEV_KEY_FILE);
  const certFile = join(opts.devKeyDir, DEV_CERT_FILE);
  const [keyPem, certPem] = await Promise.all([readIfPresent(keyFile), readIfPresent(certFile)]);
  if (keyPem !== undefined && certPem !== undefined) {
    return idpKeysFromPem(keyPem, certPem, keyFile, certFile);
  }
  // Processes starting together on one DEV_KEY_DIR: the one that creates the lock generates, the others wait.
  const lockFile = join(opts.devKeyDir, 'idp.lock');
  try {
    await mkdir(opts.devKeyDir, { recursive: true, mode: 0o700 });
    await writeFile(lockFile, String(process.pid), { flag: 'wx' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') {
      throw new Error(`${opts.devKeyDir}: cannot store the development key pair (${errorText(err)})`);
    }
    return waitForDevKeys(keyFile, certFile, lockFile);
  }
  const pair = generateKeyPair(opts.commonName);
  try {
    await writeAtomically(keyFile, pair.privateKeyPem, 0o600);
    await writeAtomically(certFile, pair.certPem, 0o644);
    await rm(lockFile, { force: true });
  } catch (err) {
    throw new Error(`${opts.devKeyDir}: cannot store the development key pair (${errorText(err)})`);
  }
  return idpKeysFromPem(pair.privateKeyPem, pair.certPem, keyFile, certFile);
}

async function waitForDevKeys(keyFile: string, certFile: string, lockFile: string): Promise<IdpKeys> {
  for (let waited = 0; waited < 10_000; waited += 50) {
    const [keyPem, certPem] = await Promise.all([readIfPresent(keyFile), readIfPresent(certFile)]);
    if (keyPem !== undefined && certPem !== undefined)
      return idpKeysFromPem(keyPem, certPem, keyFile, certFile);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(
    `${lockFile}: another process is generating the development key pair; if none is, delete this file`,
  );
}
