// `sp add`: validates SP metadata from a file or URL and registers it, as a file or as a signed remote source.

import { readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { certsFromPem } from '../saml/metadata/metadata-signature.ts';
import { REMOTE_SUFFIX, remoteCacheFile } from '../saml/metadata/remote-metadata.ts';
import { type Command, intOption, pathArg, spDir, stringOption, wantsJson } from './command.ts';
import {
  type CliIo,
  Exit,
  type ExitCode,
  type Finding,
  formatFindings,
  printJson,
  UsageError,
} from './io.ts';
import { allSps, readFolder } from './sp-folder.ts';
import { validateSpDocument } from './validate.ts';

const FETCH_TIMEOUT_MS = 30_000;
const FETCH_MAX_BYTES = 32 * 1024 * 1024;

/** A file name from an entityID or URL: `https://sp.example.org/shibboleth` → `sp.example.org-shibboleth`. */
export function slugOf(id: string): string {
  const slug = id
    .replace(/^[a-z][a-z0-9+.-]*:\/\//i, '')
    .replace(/[^A-Za-z0-9.-]+/g, '-')
    .replace(/^[-.]+|[-.]+$/g, '')
    .slice(0, 80);
  return slug === '' ? 'sp' : slug;
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

async function readArgFile(io: CliIo, path: string, what: string): Promise<string> {
  try {
    return await readFile(pathArg(io, path), 'utf8');
  } catch (err) {
    throw new UsageError(`${what} ${path} cannot be read (${(err as NodeJS.ErrnoException).code ?? err})`);
  }
}

/** Writes through a dot file (which the IdP's folder watcher ignores) and a rename, so no half file is ever read. */
async function writeAtomically(file: string, content: string): Promise<void> {
  const tmp = join(file, '..', `.${basename(file)}.${process.pid}.tmp`);
  await writeFile(tmp, content, { mode: 0o644 });
  await rename(tmp, file);
}

export const spAddCommand: Command = {
  name: 'sp add',
  usage:
    '<file | https-url> [--name NAME] [--cert SIGNER.pem [--ca-file CA.pem] [--refresh SECONDS]] [--replace] [--dry-run] [--days 30] [--schemas DIR]',
  summary:
    'validate SP metadata (schema, our rules, signature) and register it; a URL with --cert is kept fetched in the background',
  options: {
    name: { type: 'string' },
    cert: { type: 'string' },
    'ca-file': { type: 'string' },
    refresh: { type: 'string' },
    replace: { type: 'boolean' },
    'dry-run': { type: 'boolean' },
    days: { type: 'string' },
    schemas: { type: 'string' },
  },
  positionals: [1, 1],
  async run(args, io) {
    const source = args.positionals[0]!;
    const dir = spDir(args, io);
    const days = intOption(args, 'days', 30, 0, 3650);
    const refresh = intOption(args, 'refresh', 3600, 60, 7 * 86400);
    const isUrl = /^https?:\/\//i.test(source);
    const certArg = stringOption(args, 'cert');
    const caArg = stringOption(args, 'ca-file');
    if (/^http:\/\//i.test(source) && certArg === undefined) {
      throw new UsageError(
        'an http:// URL is only accepted with --cert: nothing else would protect the document',
      );
    }
    if (!isUrl && (caArg !== undefined || stringOption(args, 'refresh') !== undefined)) {
      throw new UsageError('--ca-file and --refresh apply to a URL');
    }
    const certPem = certArg === undefined ? undefined : await readArgFile(io, certArg, '--cert');
    let signerCerts: string[] | undefined;
    if (certPem !== undefined) {
      try {
        signerCerts = certsFromPem(certPem, `--cert ${certArg}`);
      } catch (err) {
        throw new UsageError((err as Error).message);
      }
    }
    const caPem = caArg === undefined ? undefined : await readArgFile(io, caArg, '--ca-file');
    const findings: Finding[] = [];
    const report = (extra: Record<string, unknown>, summary = ''): ExitCode => {
      const ok = !findings.some((f) => f.level === 'error');
      if (wantsJson(args)) printJson(io, { ok, source, ...extra, findings });
      else io.out(`${formatFindings(findings)}${summary}`);
      return ok ? Exit.ok : Exit.problems;
    };

    let xml: string;
    if (isUrl) {
      try {
        const fetched = await io.fetcher(source, {
          timeoutMs: FETCH_TIMEOUT_MS,
          maxBytes: FETCH_MAX_BYTES,
          caPem,
        });
        if (fetched.status !== 'ok') throw new Error('answered 304 Not Modified to an unconditional request');
        xml = fetched.body;
      } catch (err) {
        findings.push({ level: 'error', source, message: (err as Error).message });
        return report({ written: [] });
      }
    } else {
      xml = await readArgFile(io, source, 'the metadata file');
    }

    const validation = await validateSpDocument(xml, source, {
      now: io.now(),
      days,
      schemaDir: stringOption(args, 'schemas'),
      signerCerts,
    });
    findings.push(...validation.findings);
    const entities = validation.entries.map((e) => e.entityId);
    const remote = isUrl && signerCerts !== undefined;
    const fallbackName = isUrl ? slugOf(source) : basename(source).replace(/\.xml$/i, '');
    const name =
      stringOption(args, 'name') ?? (entities.length === 1 ? slugOf(entities[0]!) : slugOf(fallbackName));
    if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/.test(name) || name.endsWith('.remote')) {
      throw new UsageError('--name must be a simple file name (letters, digits, . _ -)');
    }
    const xmlFile = join(dir, `${name}.xml`);
    const remoteFile = join(dir, `${name}${REMOTE_SUFFIX}`);
    const target = remote ? remoteFile : xmlFile;

    let folderSps: { entry: { entityId: string }; source: string }[] = [];
    try {
      folderSps = allSps(await readFolder(dir, io.now()));
    } catch (err) {
      throw new UsageError(`the SP folder ${dir} cannot be read (${(err as Error).message})`);
    }
    const replacing = args.values.replace === true;
    for (const file of [xmlFile, remoteFile]) {
      if ((await exists(file)) && !replacing) {
        findings.push({ level: 'error', source: file, message: 'exists already; --replace overwrites it' });
      }
    }
    for (const sp of folderSps) {
      const ownFile = sp.source === xmlFile || sp.source.startsWith(`${remoteFile} `);
      if (entities.includes(sp.entry.entityId) && !(replacing && ownFile)) {
        findings.push({
          level: 'error',
          source,
          entityId: sp.entry.entityId,
          message: `is already registered in ${sp.source}`,
        });
      }
    }
    const details = {
      name,
      kind: remote ? 'remote' : 'file',
      entities,
      schema: validation.schema,
      signature: validation.signature,
    };
    if (findings.some((f) => f.level === 'error')) {
      return report({ ...details, written: [] }, 'nothing registered\n');
    }
    if (args.values['dry-run'] === true) {
      return report({ ...details, written: [] }, `valid; would be registered as ${target}\n`);
    }

    const written: string[] = [];
    if (remote) {
      const config: Record<string, unknown> = { url: source, certFile: `${name}.signer.pem` };
      if (refresh !== 3600) config.refreshSeconds = refresh;
      await writeAtomically(join(dir, `${name}.signer.pem`), certPem!);
      written.push(join(dir, `${name}.signer.pem`));
      if (caPem !== undefined) {
        config.caFile = `${name}.ca.pem`;
        await writeAtomically(join(dir, `${name}.ca.pem`), caPem);
        written.push(join(dir, `${name}.ca.pem`));
      }
      await writeAtomically(remoteCacheFile(dir, name), xml);
      await writeAtomically(remoteFile, `${JSON.stringify(config, null, 2)}\n`);
      written.push(remoteFile);
      await rm(xmlFile, { force: true });
    } else {
      await writeAtomically(xmlFile, xml);
      written.push(xmlFile);
      await rm(remoteFile, { force: true });
      await rm(remoteCacheFile(dir, name), { force: true });
    }
    const sidecar = join(dir, `${name}.json`);
    return report(
      { ...details, written },
      `registered ${entities.join(', ')} as ${target}\n` +
        `schema ${validation.schema.status}, signature ${validation.signature}\n` +
        `Settings SAML metadata cannot express go in ${remote ? `"settings" of ${remoteFile}` : sidecar}. ` +
        'A running IdP picks the change up by itself.\n',
    );
  },
};
