// Runs the admin CLI in this process against real files, capturing its output and exit code.

import { generateKeyPairSync, type KeyObject, X509Certificate } from 'node:crypto';
import { fetchMetadata } from '../../../src/http/fetch-metadata.ts';
import { run } from '../../../src/cli/main.ts';
import { selfSignedCertPem } from '../../../src/saml/keys/self-signed.ts';

/** What one command line did. */
export interface CliResult {
  readonly code: number;
  readonly out: string;
  readonly err: string;
  /** stdout parsed as JSON (for --json runs) */
  json<T = Record<string, unknown>>(): T;
}

/** Runs `argv` with `env` (no other environment), in `cwd`. */
export async function cli(
  argv: readonly string[],
  env: Record<string, string> = {},
  cwd = process.cwd(),
): Promise<CliResult> {
  let out = '';
  let err = '';
  const code = await run(argv, {
    out: (t) => {
      out += t;
    },
    err: (t) => {
      err += t;
    },
    env,
    cwd,
    // The test servers are on loopback, a host the admin names (OUTBOUND_PRIVATE_HOSTS).
    fetcher: (url, opts) => fetchMetadata(url, { allowedHosts: ['127.0.0.1', 'localhost'], ...opts }),
    now: () => new Date(),
  });
  return {
    code,
    out,
    err,
    json: <T>() => JSON.parse(out) as T,
  };
}

let key: KeyObject | undefined;

/** A certificate valid from `fromDays` to `toDays` days from now (negative: in the past), as base64 DER. */
export function certValid(fromDays: number, toDays: number, cn = 'dated-sp'): string {
  key ??= generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
  const day = 86_400_000;
  for (;;) {
    const pem = selfSignedCertPem(
      key,
      cn,
      new Date(Date.now() + fromDays * day),
      new Date(Date.now() + toDays * day),
    );
    try {
      return new X509Certificate(pem).raw.toString('base64');
    } catch {
      // an unlucky random serial (see cmd-keys.ts): draw again
    }
  }
}
