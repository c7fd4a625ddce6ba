// The trusted SPs: every *.xml metadata file of a folder (plus its sidecar .json), reloaded when the folder changes.

import { type FSWatcher, watch as watchDir } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseSpMetadata, type ServiceProviderEntry } from './sp-metadata.ts';
import { parseSpSettings } from './sp-settings.ts';
import { checkSpPolicy } from './sp-policy.ts';

export type { AcsEndpoint, ServiceProviderEntry, SpSettings } from './sp-metadata.ts';
export { parseSpMetadata } from './sp-metadata.ts';

type ProblemHandler = (file: string, message: string) => void;

const DEBOUNCE_MS = 200;

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

async function readEntries(path: string): Promise<ServiceProviderEntry[]> {
  const entries = parseSpMetadata(await readFile(path, 'utf8'), path);
  const sidecar = path.replace(/\.xml$/i, '.json');
  let json: string;
  try {
    json = await readFile(sidecar, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return checked(entries);
    throw new Error(`${sidecar}: cannot be read (${message(err)})`);
  }
  let settings: ReturnType<typeof parseSpSettings>;
  try {
    settings = parseSpSettings(json);
  } catch (err) {
    throw new Error(`${sidecar}: ${message(err)}`);
  }
  return checked(entries.map((e) => Object.freeze({ ...e, settings })));
}

/** Entries whose metadata and settings the IdP can serve (sp-policy.ts); throws for the first that it cannot. */
function checked(entries: ServiceProviderEntry[]): ServiceProviderEntry[] {
  for (const entry of entries) checkSpPolicy(entry);
  return entries;
}

async function listXml(dir: string): Promise<string[]> {
  const names = await readdir(dir);
  return names.filter((n) => n.toLowerCase().endsWith('.xml') && !n.startsWith('.')).sort();
}

/** The trusted SPs, looked up by entityID. */
export class SpRegistry {
  readonly #dir: string;
  #files = new Map<string, readonly ServiceProviderEntry[]>();
  /** SPs from other sources than the folder's *.xml (remote metadata), by source name; files win over them. */
  #external = new Map<string, readonly ServiceProviderEntry[]>();
  #byEntity = new Map<string, ServiceProviderEntry>();
  #watcher: FSWatcher | undefined;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  #again = false;

  private constructor(dir: string) {
    this.#dir = dir;
  }

  /** Loads every *.xml in dir (an EntityDescriptor, or an EntitiesDescriptor with SPSSODescriptors). A broken
   * file is reported through onProblem and skipped; the rest still load. */
  static async load(dir: string, opts: { onProblem?: ProblemHandler } = {}): Promise<SpRegistry> {
    const registry = new SpRegistry(dir);
    let names: string[];
    try {
      names = await listXml(dir);
    } catch (err) {
      throw new Error(
        `SP metadata folder ${dir}: cannot be read (${(err as NodeJS.ErrnoException).code ?? message(err)})`,
      );
    }
    const files = new Map<string, readonly ServiceProviderEntry[]>();
    for (const name of names) {
      const path = join(dir, name);
      try {
        files.set(path, await readEntries(path));
      } catch (err) {
        opts.onProblem?.(path, message(err));
      }
    }
    registry.#install(files, opts.onProblem);
    return registry;
  }

  /** The SP with this entityID, or undefined when it is not trusted. */
  get(entityId: string, now: Date = new Date()): ServiceProviderEntry | undefined {
    const sp = this.#byEntity.get(entityId);
    // Metadata past its validUntil must not be used (metadata §2.3.1): the SP is unknown until it is renewed.
    return sp?.validUntil !== undefined && sp.validUntil <= now ? undefined : sp;
  }

  /** Every trusted SP. */
  list(): readonly ServiceProviderEntry[] {
    return [...this.#byEntity.values()];
  }

  /** How many SPs are trusted. */
  get size(): number {
    return this.#byEntity.size;
  }

  /** Watches dir (fs.watch, debounced) and reloads on change; keeps the previous version of a file that broke. */
  watch(opts: { onReload?: () => void; onProblem?: ProblemHandler } = {}): void {
    if (this.#watcher !== undefined) return;
    this.#watcher = watchDir(this.#dir, () => {
      clearTimeout(this.#timer);
      this.#timer = setTimeout(() => void this.#reload(opts), DEBOUNCE_MS);
    });
    this.#watcher.on('error', (err) => opts.onProblem?.(this.#dir, `watching stopped: ${message(err)}`));
  }

  /** Installs (or with undefined removes) the SPs of a source outside the folder's *.xml files, e.g. remote
   * metadata; an entityID that a file already describes is reported and ignored. Entries must be checkSpPolicy'd. */
  setExternal(
    source: string,
    entries: readonly ServiceProviderEntry[] | undefined,
    onProblem?: ProblemHandler,
  ): void {
    if (entries === undefined) this.#external.delete(source);
    else this.#external.set(source, entries);
    this.#install(this.#files, onProblem);
  }

  /** Stops watching. */
  close(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#watcher?.close();
    this.#watcher = undefined;
  }

  async #reload(opts: { onReload?: () => void; onProblem?: ProblemHandler }): Promise<void> {
    if (this.#running !== undefined) {
      this.#again = true;
      return;
    }
    this.#running = this.#reloadOnce(opts);
    try {
      await this.#running;
    } finally {
      this.#running = undefined;
    }
    if (this.#again && this.#watcher !== undefined) {
      this.#again = false;
      await this.#reload(opts);
    }
  }

  async #reloadOnce(opts: { onReload?: () => void; onProblem?: ProblemHandler }): Promise<void> {
    let names: string[];
    try {
      names = await listXml(this.#dir);
    } catch (err) {
      opts.onProblem?.(this.#dir, `cannot be read, keeping the SPs loaded before (${message(err)})`);
      return;
    }
    const files = new Map<string, readonly ServiceProviderEntry[]>();
    for (const name of names) {
      const path = join(this.#dir, name);
      try {
        files.set(path, await readEntries(path));
      } catch (err) {
        const previous = this.#files.get(path);
        opts.onProblem?.(path, `${message(err)}${previous ? ' (keeping the version loaded before)' : ''}`);
        if (previous !== undefined) files.set(path, previous);
      }
    }
    if (this.#watcher === undefined) return;
    this.#install(files, opts.onProblem);
    opts.onReload?.();
  }

  #install(files: Map<string, readonly ServiceProviderEntry[]>, onProblem: ProblemHandler | undefined): void {
    const byEntity = new Map<string, ServiceProviderEntry>();
    const sources = [...files.keys()].sort().map((path) => [path, files.get(path)] as const);
    for (const name of [...this.#external.keys()].sort()) sources.push([name, this.#external.get(name)]);
    for (const [path, entries] of sources) {
      for (const entry of entries ?? []) {
        const earlier = byEntity.get(entry.entityId);
        if (earlier !== undefined) {
          onProblem?.(path, `${entry.entityId} is already described in ${earlier.sourceFile}; ignored here`);
          continue;
        }
        if (entry.validUntil !== undefined && entry.validUntil <= new Date()) {
          onProblem?.(
            path,
            `${entry.entityId}: the metadata expired at ${entry.validUntil.toISOString()} (validUntil)`,
          );
        }
        byEntity.set(entry.entityId, entry);
      }
    }
    this.#files = files;
    this.#byEntity = byEntity;
  }
}
