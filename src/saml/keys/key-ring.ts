// The IdP's signing keys through a rollover: the current pair, an optional next pair, and which of them signs.

import { readFile } from 'node:fs/promises';
import { type IdpKeys, idpKeysFromPem, loadIdpKeys } from './keys.ts';

/** Which configured pair signs: `current` (IDP_KEY_FILE) or `next` (IDP_NEXT_KEY_FILE). */
export type KeyChoice = 'current' | 'next';

/**
 * Rollover in three steps (docs/idp-admins.md "Rotate the signing key"): publish `next` beside `current`;
 * switch signing to it (`IDP_SIGN_WITH=next`) while `current` stays published for the overlap; make it the
 * only pair.
 */
export interface KeyRing {
  readonly current: IdpKeys;
  readonly next: IdpKeys | undefined;
  /** The pair that signs unless an SP's sidecar says otherwise. */
  readonly signWith: KeyChoice;
}

/** The keys that sign for `choice` (default: the ring's); `next` without a next pair means current, which is what
 * it became once the rollover finished. */
export function signingKeys(ring: KeyRing, choice: KeyChoice = ring.signWith): IdpKeys {
  return choice === 'next' && ring.next !== undefined ? ring.next : ring.current;
}

/** Every certificate our metadata lists as a signing key: current and next, without duplicates. */
export function publishedCerts(ring: KeyRing): string[] {
  const certs = [ring.current.certBase64];
  if (ring.next !== undefined && ring.next.certBase64 !== ring.current.certBase64)
    certs.push(ring.next.certBase64);
  return certs;
}

async function readNamed(file: string, envName: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    throw new Error(`${envName} ${file}: cannot be read (${e.code ?? e.message})`);
  }
}

/** What loadKeyRing reads; the names are those of src/config/. */
export interface KeyRingOptions {
  readonly idpKeyFile: string | undefined;
  readonly idpCertFile: string | undefined;
  readonly idpNextKeyFile: string | undefined;
  readonly idpNextCertFile: string | undefined;
  readonly idpSignWith: KeyChoice;
  readonly devKeyDir: string;
  readonly commonName: string;
}

/** Loads the current pair (files or dev pair, see keys.ts) and the next pair when configured. */
export async function loadKeyRing(opts: KeyRingOptions): Promise<KeyRing> {
  const current = await loadIdpKeys({
    keyFile: opts.idpKeyFile,
    certFile: opts.idpCertFile,
    devKeyDir: opts.devKeyDir,
    commonName: opts.commonName,
  });
  let next: IdpKeys | undefined;
  if (opts.idpNextKeyFile !== undefined && opts.idpNextCertFile !== undefined) {
    const [keyPem, certPem] = await Promise.all([
      readNamed(opts.idpNextKeyFile, 'IDP_NEXT_KEY_FILE'),
      readNamed(opts.idpNextCertFile, 'IDP_NEXT_CERT_FILE'),
    ]);
    next = idpKeysFromPem(
      keyPem,
      certPem,
      `IDP_NEXT_KEY_FILE ${opts.idpNextKeyFile}`,
      `IDP_NEXT_CERT_FILE ${opts.idpNextCertFile}`,
    );
  }
  if (opts.idpSignWith === 'next' && next === undefined) {
    throw new Error('IDP_SIGN_WITH=next needs IDP_NEXT_KEY_FILE and IDP_NEXT_CERT_FILE');
  }
  return Object.freeze({ current, next, signWith: opts.idpSignWith });
}
