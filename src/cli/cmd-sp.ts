// `sp list`, `sp remove` and `sp check`: the registered SPs, taking one out, and what needs an admin's attention.

import { readFile, rm } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { REMOTE_SUFFIX, readVerifiedMetadata } from '../saml/metadata/remote-metadata.ts';
import { parseSpMetadata, type ServiceProviderEntry } from '../saml/metadata/sp-metadata.ts';
import { type Command, intOption, spDir, wantsJson } from './command.ts';
import { describeSp, type SpDescription, spFindings } from './describe.ts';
import { Exit, type Finding, formatFindings, printJson, UsageError } from './io.ts';
import { allSps, type Folder, type RemoteSource, readFolder } from './sp-folder.ts';
import { validUntilFindings } from './validate.ts';

function yesNo(v: boolean): string {
  return v ? 'yes' : 'no';
}

function formatSp(d: SpDescription): string {
  const lines = [`${d.entityId} — ${d.displayName}`, `  source   ${d.source}`];
  for (const a of d.acs) {
    const index = a.index === undefined ? '' : ` [index ${a.index}${a.isDefault ? ', default' : ''}]`;
    lines.push(`  ACS      ${a.binding} ${a.url}${index}`);
  }
  for (const s of d.singleLogout) lines.push(`  SLO      ${s.binding} ${s.url}`);
  for (const c of d.certificates) {
    const left = c.daysLeft < 0 ? 'EXPIRED' : `${c.daysLeft} days`;
    lines.push(
      `  cert     ${c.use}  ${c.subject}  until ${c.notAfter.slice(0, 10)} (${left})  SHA-256 ${c.sha256}`,
    );
  }
  const p = d.policy;
  lines.push(
    `  policy   signed requests ${yesNo(p.authnRequestsSigned)} · encryption ${p.encryption ?? 'off'} · ` +
      `attributes ${p.attributes === undefined ? 'all' : p.attributes.join(',') || 'none'} · ` +
      `IdP-initiated ${p.idpInitiated ? 'on' : 'off'}${p.signingKey ? ` · signing key ${p.signingKey}` : ''} · ` +
      `eIDs ${p.eids.join(',')}${p.defaultLocale ? ` · locale ${p.defaultLocale}` : ''}`,
  );
  return `${lines.join('\n')}\n`;
}

function remoteSummary(r: RemoteSource) {
  return {
    file: r.file,
    url: r.config.url,
    certFile: r.config.certFile,
    refreshSeconds: r.config.refreshSeconds,
    lastGoodCopy: r.fetchedAt?.toISOString(),
    entities: r.entries.map((e) => e.entityId),
  };
}

async function folderOrProblem(dir: string, now: Date): Promise<Folder> {
  try {
    return await readFolder(dir, now);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

export const spListCommand: Command = {
  name: 'sp list',
  usage: '',
  summary: 'list the trusted SPs: endpoints, certificates with expiry dates, and the policy applied to each',
  options: {},
  positionals: [0, 0],
  async run(args, io) {
    const now = io.now();
    const folder = await folderOrProblem(spDir(args, io), now);
    const sps = allSps(folder).map(({ entry, source }) => describeSp(entry, source, now));
    const errors = folder.findings.filter((f) => f.level === 'error');
    if (wantsJson(args)) {
      printJson(io, {
        ok: errors.length === 0,
        dir: folder.dir,
        sps,
        remoteSources: folder.remotes.map(remoteSummary),
        findings: folder.findings,
      });
    } else {
      io.out(sps.length === 0 ? `no SPs in ${folder.dir}\n` : sps.map(formatSp).join('\n'));
      if (folder.remotes.length > 0) {
        io.out('\nremote sources\n');
        for (const r of folder.remotes) {
          const copy =
            r.fetchedAt === undefined ? 'not fetched yet' : `last good copy ${r.fetchedAt.toISOString()}`;
          io.out(`  ${basename(r.file)}  ${r.config.url}  ${copy}, ${r.entries.length} SP(s)\n`);
        }
      }
      if (folder.findings.length > 0) io.out(`\nproblems\n${formatFindings(folder.findings)}`);
    }
    return errors.length === 0 ? Exit.ok : Exit.problems;
  },
};

/** Files that make up one source: the XML and its sidecar, or the remote config, its kept copy and its PEMs. */
async function sourceFiles(folder: Folder, file: string): Promise<string[]> {
  if (file.endsWith(REMOTE_SUFFIX)) {
    const remote = folder.remotes.find((r) => r.file === file);
    const files = [file];
    if (remote !== undefined) {
      files.push(remote.cacheFile);
      const name = remote.config.name;
      const others = folder.remotes.filter((r) => r !== remote);
      const refers = (r: RemoteSource, f: string) => r.config.certFile === f || r.config.caFile === f;
      for (const own of [`${name}.signer.pem`, `${name}.ca.pem`]) {
        if (refers(remote, own) && !others.some((r) => refers(r, own))) files.push(join(folder.dir, own));
      }
    } else {
      files.push(join(folder.dir, `.${basename(file, REMOTE_SUFFIX)}.remote-cache`));
    }
    return files;
  }
  return [file, file.replace(/\.xml$/i, '.json')];
}

async function entityCount(file: string): Promise<number> {
  try {
    return parseSpMetadata(await readFile(file, 'utf8'), file).length;
  } catch {
    return 1;
  }
}

export const spRemoveCommand: Command = {
  name: 'sp remove',
  usage: '<entityID | file name in the SP folder>',
  summary:
    'stop trusting an SP: removes its metadata file and sidecar (or its remote source); the IdP reloads',
  options: {},
  positionals: [1, 1],
  async run(args, io) {
    const target = args.positionals[0]!;
    const folder = await folderOrProblem(spDir(args, io), io.now());
    let file: string | undefined;
    let problem: string | undefined;
    const named = join(folder.dir, basename(target));
    if (target === basename(target) && (target.endsWith('.xml') || target.endsWith(REMOTE_SUFFIX))) {
      const known =
        folder.remotes.some((r) => r.file === named) ||
        (await readFile(named).then(
          () => true,
          () => false,
        ));
      if (known) file = named;
    }
    if (file === undefined) {
      const local = folder.local.find((e) => e.entityId === target);
      const remote = folder.remotes.find((r) => r.entries.some((e) => e.entityId === target));
      if (local !== undefined) {
        const count = await entityCount(local.sourceFile);
        if (count > 1) {
          problem = `${local.sourceFile} describes ${count} SPs; edit it, or remove the whole file with \`sp remove ${basename(local.sourceFile)}\``;
        } else file = local.sourceFile;
      } else if (remote !== undefined) {
        if (remote.entries.length > 1) {
          problem = `${remote.config.url} (${basename(remote.file)}) describes ${remote.entries.length} SPs; remove the whole source with \`sp remove ${basename(remote.file)}\``;
        } else file = remote.file;
      } else {
        problem = `no SP with entityID ${target} and no such file in ${folder.dir}`;
      }
    }
    if (file === undefined) {
      const finding: Finding = { level: 'error', source: folder.dir, message: problem ?? 'not found' };
      if (wantsJson(args)) printJson(io, { ok: false, removed: [], findings: [finding] });
      else io.err(formatFindings([finding]));
      return Exit.problems;
    }
    const removed: string[] = [];
    for (const f of await sourceFiles(folder, file)) {
      const existed = await readFile(f).then(
        () => true,
        () => false,
      );
      await rm(f, { force: true });
      if (existed) removed.push(f);
    }
    if (wantsJson(args)) printJson(io, { ok: true, removed, findings: [] });
    else io.out(`removed ${removed.join(', ')}\nA running IdP reloads the folder by itself.\n`);
    return Exit.ok;
  },
};

async function checkRemote(
  remote: RemoteSource,
  io: Parameters<Command['run']>[1],
  days: number,
  now: Date,
): Promise<{ entries: readonly ServiceProviderEntry[]; findings: Finding[] }> {
  const source = `${basename(remote.file)} (${remote.config.url})`;
  try {
    const fetched = await io.fetcher(remote.config.url, {
      timeoutMs: remote.config.timeoutSeconds * 1000,
      maxBytes: remote.config.maxBytes,
      caPem: remote.config.caPem,
    });
    if (fetched.status !== 'ok') throw new Error('answered 304 Not Modified to an unconditional request');
    const verified = readVerifiedMetadata(fetched.body, remote.config, now);
    const findings: Finding[] = verified.expired.map((entityId) => ({
      level: 'warning' as const,
      source,
      entityId,
      message: 'left out: its validUntil has passed',
    }));
    if (
      verified.validUntil !== undefined &&
      verified.validUntil.getTime() - now.getTime() < days * 86_400_000
    ) {
      findings.push({
        level: 'warning',
        source,
        message: `the metadata expires at ${verified.validUntil.toISOString()}`,
      });
    }
    return { entries: verified.entries, findings };
  } catch (err) {
    const kept =
      remote.fetchedAt === undefined
        ? 'no copy is kept'
        : `the IdP keeps the copy of ${remote.fetchedAt.toISOString()}`;
    return {
      entries: remote.entries,
      findings: [{ level: 'error', source, message: `${(err as Error).message} (${kept})` }],
    };
  }
}

export const spCheckCommand: Command = {
  name: 'sp check',
  usage: '[--days 30] [--offline]',
  summary:
    'check every SP: broken files, expired or soon-expiring certificates and validUntil, unreachable or badly signed metadata URLs',
  options: { days: { type: 'string' }, offline: { type: 'boolean' } },
  positionals: [0, 0],
  async run(args, io) {
    const days = intOption(args, 'days', 30, 0, 3650);
    const now = io.now();
    const folder = await folderOrProblem(spDir(args, io), now);
    const findings: Finding[] = [...folder.findings];
    const files = new Set(folder.local.map((e) => e.sourceFile));
    for (const file of files) {
      findings.push(...validUntilFindings(await readFile(file, 'utf8'), file, now, days));
    }
    let count = 0;
    for (const entry of folder.local) {
      findings.push(...spFindings(describeSp(entry, entry.sourceFile, now), entry, days));
      count += 1;
    }
    for (const remote of folder.remotes) {
      const checked =
        args.values.offline === true
          ? { entries: remote.entries, findings: [] }
          : await checkRemote(remote, io, days, now);
      findings.push(...checked.findings);
      for (const entry of checked.entries) {
        if (folder.local.some((e) => e.entityId === entry.entityId)) continue;
        findings.push(...spFindings(describeSp(entry, basename(remote.file), now), entry, days));
        count += 1;
      }
    }
    if (wantsJson(args)) {
      printJson(io, {
        ok: findings.length === 0,
        sps: count,
        remoteSources: folder.remotes.length,
        days,
        findings,
      });
    } else {
      io.out(
        findings.length === 0
          ? `${count} SP(s) and ${folder.remotes.length} remote source(s) checked: nothing to do\n`
          : formatFindings(findings),
      );
    }
    return findings.length === 0 ? Exit.ok : Exit.problems;
  },
};
