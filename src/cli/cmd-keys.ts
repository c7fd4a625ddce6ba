// `keys generate` makes a production signing key pair and self-signed certificate; `keys status` shows the key ring.

import { generateKeyPairSync, type KeyObject, X509Certificate } from 'node:crypto';
import { mkdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { selfSignedCertPem } from '../saml/keys/self-signed.ts';
import { type Command, intOption, pathArg, stringOption, wantsJson } from './command.ts';
import { type CertDescription, describeCert } from './describe.ts';
import { cliConfig, cliKeyRing } from './idp-config.ts';
import { Exit, type Finding, formatFindings, printJson, UsageError } from './io.ts';

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

/** A self-signed certificate that OpenSSL accepts: self-signed.ts draws a random serial that is now and then not
 * minimal DER (a leading zero byte), which strict parsers refuse, so such a draw is simply repeated. */
function issueCertificate(key: KeyObject, cn: string, notBefore: Date, notAfter: Date): string {
  for (let attempt = 1; ; attempt++) {
    const pem = selfSignedCertPem(key, cn, notBefore, notAfter);
    try {
      new X509Certificate(pem);
      return pem;
    } catch (err) {
      if (attempt >= 10) throw err;
    }
  }
}

export const keysGenerateCommand: Command = {
  name: 'keys generate',
  usage: '--out DIR [--name idp] [--cn HOST] [--days 1095] [--bits 3072] [--force]',
  summary: 'generate an RSA signing key (PEM, mode 0600) and a self-signed SHA-256 certificate',
  options: {
    out: { type: 'string' },
    name: { type: 'string' },
    cn: { type: 'string' },
    days: { type: 'string' },
    bits: { type: 'string' },
    force: { type: 'boolean' },
  },
  positionals: [0, 0],
  async run(args, io) {
    const outDir = stringOption(args, 'out');
    if (outDir === undefined) throw new UsageError('--out DIR is required');
    const name = stringOption(args, 'name') ?? 'idp';
    if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(name))
      throw new UsageError('--name must be a simple file name');
    const days = intOption(args, 'days', 1095, 1, 7300);
    const bits = intOption(args, 'bits', 3072, 2048, 4096);
    if (![2048, 3072, 4096].includes(bits)) throw new UsageError('--bits must be 2048, 3072 or 4096');
    let cn = stringOption(args, 'cn');
    if (cn === undefined) {
      try {
        cn = new URL(io.env.BASE_URL ?? '').hostname || 'nets-sms-idp';
      } catch {
        cn = 'nets-sms-idp';
      }
    }
    const dir = pathArg(io, outDir);
    const keyFile = join(dir, `${name}.key.pem`);
    const certFile = join(dir, `${name}.cert.pem`);
    if (args.values.force !== true) {
      for (const file of [keyFile, certFile]) {
        if (await exists(file)) {
          const problem: Finding = { level: 'error', source: file, message: 'exists; --force replaces it' };
          if (wantsJson(args)) printJson(io, { ok: false, findings: [problem] });
          else io.err(formatFindings([problem]));
          return Exit.problems;
        }
      }
    }
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: bits });
    const now = io.now();
    const certPem = issueCertificate(privateKey, cn, now, new Date(now.getTime() + days * 86_400_000));
    await writeFile(keyFile, privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), { mode: 0o600 });
    await writeFile(certFile, certPem, { mode: 0o644 });
    const cert = describeCert(certPem.replace(/-----[A-Z ]+-----|\s+/g, ''), 'signing', now);
    if (wantsJson(args)) {
      printJson(io, { ok: true, keyFile, certFile, bits, certificate: cert });
    } else {
      io.out(
        `wrote ${keyFile} (RSA-${bits}, mode 0600)\n` +
          `wrote ${certFile} (${cert.subject}, valid until ${cert.notAfter.slice(0, 10)})\n` +
          `SHA-256 ${cert.sha256}\n\n` +
          `As the IdP's key pair:           IDP_KEY_FILE=${keyFile} IDP_CERT_FILE=${certFile}\n` +
          `As the next key of a rollover:   IDP_NEXT_KEY_FILE=${keyFile} IDP_NEXT_CERT_FILE=${certFile}\n`,
      );
    }
    return Exit.ok;
  },
};

interface KeyStatus {
  readonly role: 'current' | 'next';
  readonly signs: boolean;
  readonly certificate: CertDescription;
}

export const keysStatusCommand: Command = {
  name: 'keys status',
  usage: '[--days 30]',
  summary: 'show the current and next signing certificates, which one signs, and how long each is valid',
  options: { days: { type: 'string' } },
  positionals: [0, 0],
  async run(args, io) {
    const days = intOption(args, 'days', 30, 0, 3650);
    const config = cliConfig(io);
    const ring = await cliKeyRing(config);
    const now = io.now();
    const keys: KeyStatus[] = [
      {
        role: 'current',
        signs: ring.signWith === 'current',
        certificate: describeCert(ring.current.certBase64, 'signing', now),
      },
    ];
    if (ring.next !== undefined) {
      keys.push({
        role: 'next',
        signs: ring.signWith === 'next',
        certificate: describeCert(ring.next.certBase64, 'signing', now),
      });
    }
    const findings: Finding[] = [];
    for (const k of keys) {
      const c = k.certificate;
      const source = k.role === 'current' ? 'IDP_CERT_FILE' : 'IDP_NEXT_CERT_FILE';
      if (c.daysLeft < 0)
        findings.push({ level: 'error', source, message: `expired on ${c.notAfter.slice(0, 10)}` });
      else if (c.daysLeft < days && (k.signs || k.role === 'current')) {
        findings.push({
          level: 'warning',
          source,
          message: `expires on ${c.notAfter.slice(0, 10)}, in ${c.daysLeft} days`,
        });
      }
    }
    if (wantsJson(args)) {
      printJson(io, {
        ok: findings.length === 0,
        signWith: ring.signWith,
        metadataValidDays: config.saml.metadataValidDays,
        keys,
        findings,
      });
    } else {
      for (const k of keys) {
        const c = k.certificate;
        io.out(
          `${k.role}${k.signs ? ' (signs)' : ''}: ${c.subject}, valid until ${c.notAfter.slice(0, 10)} (${c.daysLeft} days)\n` +
            `  SHA-256 ${c.sha256}\n`,
        );
      }
      const listed = keys.length === 2 ? 'both certificates' : 'the current certificate';
      io.out(`metadata lists ${listed}; validUntil ${config.saml.metadataValidDays} days ahead\n`);
      if (findings.length > 0) io.out(formatFindings(findings));
    }
    return findings.length === 0 ? Exit.ok : Exit.problems;
  },
};
