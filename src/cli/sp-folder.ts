// Reads SP_METADATA_DIR the way the IdP does: local *.xml files (with sidecars) and remote sources (their kept copy).

import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import {
  REMOTE_SUFFIX,
  type RemoteSourceConfig,
  readRemoteSourceConfig,
  readVerifiedMetadata,
  remoteCacheFile,
} from '../saml/metadata/remote-metadata.ts';
import type { ServiceProviderEntry } from '../saml/metadata/sp-metadata.ts';
import { SpRegistry } from '../saml/metadata/sp-registry.ts';
import type { Finding } from './io.ts';

/** A remote source and what its kept copy holds. */
export interface RemoteSource {
  readonly file: string;
  readonly config: RemoteSourceConfig;
  readonly cacheFile: string;
  /** when the kept copy was written (the last good fetch), if there is one */
  readonly fetchedAt: Date | undefined;
  readonly entries: readonly ServiceProviderEntry[];
}

/** Everything the folder says, and what is wrong with it. */
export interface Folder {
  readonly dir: string;
  /** SPs from local files, as the registry loads them (sidecars applied, duplicates dropped) */
  readonly local: readonly ServiceProviderEntry[];
  readonly remotes: readonly RemoteSource[];
  readonly findings: readonly Finding[];
}

/** Reads the folder; problems (broken files, bad sidecars, duplicates, unusable kept copies) become findings. */
export async function readFolder(dir: string, now: Date): Promise<Folder> {
  const findings: Finding[] = [];
  const registry = await SpRegistry.load(dir, {
    onProblem: (source, message) => findings.push({ level: 'error', source, message }),
  });
  const local = registry.list();
  const remotes: RemoteSource[] = [];
  const names = (await readdir(dir)).filter((n) => n.endsWith(REMOTE_SUFFIX) && !n.startsWith('.')).sort();
  for (const name of names) {
    const file = join(dir, name);
    let config: RemoteSourceConfig;
    try {
      config = await readRemoteSourceConfig(file);
    } catch (err) {
      findings.push({
        level: 'error',
        source: file,
        message: (err as Error).message.replace(`${file}: `, ''),
      });
      continue;
    }
    const cacheFile = remoteCacheFile(dir, config.name);
    const cached = await readFile(cacheFile, 'utf8').catch(() => undefined);
    let entries: readonly ServiceProviderEntry[] = [];
    let fetchedAt: Date | undefined;
    if (cached !== undefined) {
      fetchedAt = (await stat(cacheFile)).mtime;
      try {
        entries = readVerifiedMetadata(cached, config, now).entries;
      } catch (err) {
        findings.push({
          level: 'error',
          source: file,
          message: `the kept copy cannot be used: ${(err as Error).message}`,
        });
      }
    }
    remotes.push({ file, config, cacheFile, fetchedAt, entries });
  }
  const seen = new Map(local.map((e) => [e.entityId, e.sourceFile]));
  for (const remote of remotes) {
    for (const entry of remote.entries) {
      const earlier = seen.get(entry.entityId);
      if (earlier !== undefined) {
        findings.push({
          level: 'error',
          source: remote.file,
          entityId: entry.entityId,
          message: `already described in ${earlier}; ignored here`,
        });
      } else seen.set(entry.entityId, remote.file);
    }
  }
  return { dir, local, remotes, findings };
}

/** Every SP of the folder with the source it comes from, files first (as the IdP uses them). */
export function allSps(folder: Folder): { entry: ServiceProviderEntry; source: string }[] {
  const out = folder.local.map((entry) => ({ entry, source: entry.sourceFile }));
  const seen = new Set(out.map((s) => s.entry.entityId));
  for (const remote of folder.remotes) {
    for (const entry of remote.entries) {
      if (seen.has(entry.entityId)) continue;
      seen.add(entry.entityId);
      out.push({ entry, source: `${remote.file} (${remote.config.url})` });
    }
  }
  return out;
}
