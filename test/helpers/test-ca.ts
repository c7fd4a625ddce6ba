// A throwaway certificate authority for TLS tests, made with the openssl CLI (node:crypto cannot issue certificates):
// a CA and a server certificate it signs for the given subjectAltNames, e.g. `IP:127.0.0.1`.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestCa {
  /** The CA certificate: what a client is told to trust. */
  readonly caCertPem: string;
  /** The server's key and its certificate, signed by the CA. */
  readonly keyPem: string;
  readonly certPem: string;
}

const cache = new Map<string, TestCa>();

/** A CA and a server certificate for `subjectAltNames` (openssl syntax), made once per process and list. */
export function testCa(subjectAltNames: readonly string[]): TestCa {
  const key = subjectAltNames.join(',');
  const cached = cache.get(key);
  if (cached !== undefined) return cached;
  const dir = mkdtempSync(join(tmpdir(), 'nsi-test-ca-'));
  const at = (name: string) => join(dir, name);
  const openssl = (...args: string[]) =>
    execFileSync('openssl', args, { stdio: ['ignore', 'ignore', 'pipe'] });
  try {
    openssl(
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '2',
      '-subj',
      '/CN=nets-sms-idp test CA',
      '-keyout',
      at('ca.key'),
      '-out',
      at('ca.pem'),
    );
    openssl(
      'req',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-subj',
      '/CN=test server',
      '-keyout',
      at('server.key'),
      '-out',
      at('server.csr'),
    );
    writeFileSync(at('server.ext'), `subjectAltName=${key}\nextendedKeyUsage=serverAuth\n`);
    openssl(
      'x509',
      '-req',
      '-in',
      at('server.csr'),
      '-CA',
      at('ca.pem'),
      '-CAkey',
      at('ca.key'),
      '-CAcreateserial',
      '-days',
      '2',
      '-extfile',
      at('server.ext'),
      '-out',
      at('server.pem'),
    );
    const made = {
      caCertPem: readFileSync(at('ca.pem'), 'utf8'),
      keyPem: readFileSync(at('server.key'), 'utf8'),
      certPem: readFileSync(at('server.pem'), 'utf8'),
    };
    cache.set(key, made);
    return made;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
