// SP metadata registered by URL (`<name>.remote.json` in SP_METADATA_DIR): fetched, signature-checked, validUntil and
// cacheDuration honoured (metadata §2.3.1, §3), refreshed in the background; the last good copy is kept.

import { readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join } from 'node:path';
import {
  asObject,
  type Check,
  field,
  optional,
  readFields,
  required,
  textMatching,
  wholeNumber,
} from '../../config/file-fields.ts';
import { attr, elementChildren, isElement, xsDateTime } from '../xml/dom.ts';
import {
  checkHorizon,
  checkMetadataUrl,
  checkNotOlder,
  DEFAULT_REMOTE_METADATA_POLICY,
  type DocumentMarks,
  documentMarks,
  type RemoteMetadataPolicy,
} from './metadata-freshness.ts';
import { certsFromPem, verifyMetadataSignature } from './metadata-signature.ts';
import {
  DEFAULT_SP_SETTINGS,
  parseSpMetadata,
  type ServiceProviderEntry,
  type SpSettings,
} from './sp-metadata.ts';
import { readSpSettings } from './sp-settings.ts';
import { checkSpPolicy } from './sp-policy.ts';
import type { SpRegistry } from './sp-registry.ts';
import { Ns } from '../urn.ts';
import { parseXmlStrict } from '../xml/xml-guard.ts';

/** The file name ending that marks a remote source in SP_METADATA_DIR. */
export const REMOTE_SUFFIX = '.remote.json';

/** One remote source, read from `<name>.remote.json`. */
export interface RemoteSourceConfig {
  /** the file name without `.remote.json` */
  readonly name: string;
  readonly file: string;
  readonly url: string;
  /** PEM file (relative to the folder) with the certificate(s) that must have signed the document */
  readonly certFile: string;
  readonly signerCerts: readonly string[];
  readonly refreshSeconds: number;
  readonly timeoutSeconds: number;
  readonly maxBytes: number;
  /** PEM CA bundle (file, relative to the folder; and its text) for an https server a public CA did not certify */
  readonly caFile: string | undefined;
  readonly caPem: string | undefined;
  /** sidecar settings given to every SP of the document */
  readonly settings: SpSettings;
}

/** What a fetch answered: a document, or "not modified" for a conditional request. */
export type FetchedMetadata =
  | { readonly status: 'ok'; readonly body: string; readonly etag?: string; readonly lastModified?: string }
  | { readonly status: 'not-modified' };

/** Fetches a metadata URL (an adapter: http/fetch-metadata.ts). Rejects with a readable Error on any failure. */
export type MetadataFetcher = (
  url: string,
  opts: {
    readonly timeoutMs: number;
    readonly maxBytes: number;
    readonly caPem?: string;
    /** hosts the admin allows on non-public addresses (OUTBOUND_PRIVATE_HOSTS); others are refused */
    readonly allowedHosts?: readonly string[];
    readonly etag?: string;
    readonly lastModified?: string;
  },
) => Promise<FetchedMetadata>;

/** SPs read from a verified document, and how long the document may be used. */
export interface VerifiedMetadata {
  readonly entries: readonly ServiceProviderEntry[];
  /** the earliest validUntil in the document (root, groups, entities) still ahead */
  readonly validUntil: Date | undefined;
  /** the shortest cacheDuration in the document */
  readonly cacheDurationMs: number | undefined;
  /** entityIDs left out because their own validUntil has passed */
  readonly expired: readonly string[];
  /** members of the aggregate left out because they cannot be used, with why */
  readonly skipped: readonly string[];
  /** the root's ID, validUntil and publication instant: how old the document is */
  readonly marks: DocumentMarks;
}

/** How a source is doing, for logs, /readyz-style checks and the CLI. */
export interface RemoteSourceStatus {
  readonly name: string;
  readonly url: string;
  readonly entities: readonly string[];
  readonly lastSuccess: Date | undefined;
  readonly lastError: string | undefined;
  readonly validUntil: Date | undefined;
  readonly nextRefresh: Date | undefined;
}

/** The sidecar settings of a remote source, given to every SP of its document. */
const sidecarSettings: Check<SpSettings> = (value) => {
  if (typeof value !== 'object' || value === null)
    return { problem: '"settings" must be an object of sidecar settings' };
  const { settings, problems } = readSpSettings(value);
  return problems.length === 0
    ? { value: settings }
    : { problem: problems.map((p) => `"settings": ${p}`).join('; ') };
};

/** Each key of a `.remote.json`, its check and its default (docs/saml-sp-admins.md). */
const REMOTE_SOURCE_FIELDS = {
  url: required(
    textMatching((url) => /^https?:\/\/[^\s]+$/i.test(url), '"url" must be an http(s) URL'),
    '',
  ),
  certFile: required(
    textMatching(
      (path) => path !== '',
      '"certFile" must name the PEM certificate the metadata is signed with',
    ),
    '',
  ),
  refreshSeconds: field(wholeNumber(1, 7 * 86400), 3600),
  timeoutSeconds: field(wholeNumber(1, 300), 10),
  maxBytes: field(wholeNumber(1024, 512 * 1024 * 1024), 32 * 1024 * 1024),
  caFile: optional(textMatching(() => true, '"caFile" must be a path')),
  settings: field(sidecarSettings, DEFAULT_SP_SETTINGS),
};

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

async function readText(path: string, what: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    throw new Error(
      `${what} ${path} cannot be read (${(err as NodeJS.ErrnoException).code ?? message(err)})`,
    );
  }
}

/** Reads and checks one `<name>.remote.json`; throws an Error naming the file and the problem. */
export async function readRemoteSourceConfig(file: string): Promise<RemoteSourceConfig> {
  const dir = dirname(file);
  const base = basename(file);
  try {
    let raw: unknown;
    try {
      raw = JSON.parse(await readText(file, 'the file'));
    } catch (err) {
      throw err instanceof SyntaxError ? new Error('not valid JSON') : err;
    }
    const object = asObject(raw);
    if (object === undefined) throw new Error('must hold an object');
    const { values, problems } = readFields(
      object,
      REMOTE_SOURCE_FIELDS,
      (key, known) => `unknown key "${key}" (known: ${known})`,
    );
    if (problems.length > 0) throw new Error(problems.join('; '));
    const resolve = (p: string) => (isAbsolute(p) ? p : join(dir, p));
    const certPath = resolve(values.certFile);
    const signerCerts = certsFromPem(await readText(certPath, 'certFile'), `certFile ${certPath}`);
    const caPem = values.caFile === undefined ? undefined : await readText(resolve(values.caFile), 'caFile');
    return Object.freeze({
      ...values,
      name: base.slice(0, -REMOTE_SUFFIX.length),
      file,
      signerCerts: Object.freeze(signerCerts),
      caFile: values.caFile,
      caPem,
    });
  } catch (err) {
    throw new Error(`${file}: ${message(err)}`);
  }
}

/** Reads an xs:duration (PnYnMnDTnHnMnS, years as 365 days, months as 30) in milliseconds; undefined if invalid. */
export function xsDurationMs(value: string): number | undefined {
  const m = /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/.exec(
    value.trim(),
  );
  if (m === null || value.trim() === 'P' || value.trim().endsWith('T')) return undefined;
  const [, y, mo, d, h, mi, s] = m.map((part) => (part === undefined ? 0 : Number(part)));
  return ((((y! * 365 + mo! * 30 + d!) * 24 + h!) * 60 + mi!) * 60 + s!) * 1000;
}

/**
 * Verifies `xml` against the source's signer certificates, refuses it when its root validUntil has passed, leaves
 * out entities whose own (or a group's) validUntil has passed, and reads the SPs from the signed content only.
 */
export function readVerifiedMetadata(xml: string, source: RemoteSourceConfig, now: Date): VerifiedMetadata {
  const signed = verifyMetadataSignature(xml, source.signerCerts);
  const root = parseXmlStrict(signed).documentElement!;
  const marks = documentMarks(root);
  const expired: string[] = [];
  let validUntil: Date | undefined;
  let cacheDurationMs: number | undefined;
  const visit = (node: Element, expiredAbove: boolean, depth: number): void => {
    const until = attr(node, 'validUntil');
    const date = until === undefined ? undefined : xsDateTime(until);
    if (until !== undefined && date === undefined)
      throw new Error(`validUntil "${until}" is not an xs:dateTime`);
    const isExpired = expiredAbove || (date !== undefined && date.getTime() <= now.getTime());
    if (depth === 0 && isExpired) {
      throw new Error(`the metadata expired at ${until} (validUntil)`);
    }
    if (!isExpired && date !== undefined && (validUntil === undefined || date < validUntil))
      validUntil = date;
    const cache = attr(node, 'cacheDuration');
    if (cache !== undefined) {
      const ms = xsDurationMs(cache);
      if (ms === undefined) throw new Error(`cacheDuration "${cache}" is not an xs:duration`);
      if (cacheDurationMs === undefined || ms < cacheDurationMs) cacheDurationMs = ms;
    }
    if (isElement(node, Ns.metadata, 'EntityDescriptor')) {
      if (isExpired) expired.push(attr(node, 'entityID') ?? '');
      return;
    }
    for (const child of elementChildren(node)) {
      if (
        isElement(child, Ns.metadata, 'EntityDescriptor') ||
        isElement(child, Ns.metadata, 'EntitiesDescriptor')
      ) {
        visit(child, isExpired, depth + 1);
      }
    }
  };
  visit(root, false, 0);
  const sourceFile = `${source.name}${REMOTE_SUFFIX} (${source.url})`;
  const skipped: string[] = [];
  const entries = parseSpMetadata(signed, sourceFile, (text) => skipped.push(text))
    .filter((e) => !expired.includes(e.entityId))
    .map((e) => Object.freeze({ ...e, settings: source.settings }))
    .filter((entry) => {
      try {
        checkSpPolicy(entry);
        return true;
      } catch (err) {
        skipped.push(`left out: ${message(err)}`);
        return false;
      }
    });
  return { entries, validUntil, cacheDurationMs, expired, skipped, marks };
}

/** Where the last good copy of a source is kept between restarts (a dot file: the registry ignores it). */
export function remoteCacheFile(dir: string, name: string): string {
  return join(dir, `.${name}.remote-cache`);
}

interface SourceState {
  readonly config: RemoteSourceConfig;
  readonly configText: string;
  /** the last good document, as fetched */
  xml: string | undefined;
  verified: VerifiedMetadata | undefined;
  /** the newest document accepted from this URL, kept when it expires: nothing older is accepted after it */
  newest: DocumentMarks | undefined;
  etag: string | undefined;
  lastModified: string | undefined;
  lastSuccess: Date | undefined;
  lastError: string | undefined;
  nextRefresh: Date | undefined;
  timer: NodeJS.Timeout | undefined;
  expiryTimer: NodeJS.Timeout | undefined;
  closed: boolean;
}

/** What the manager needs from the app. */
export interface RemoteMetadataOptions {
  readonly dir: string;
  readonly registry: SpRegistry;
  readonly fetcher: MetadataFetcher;
  readonly onProblem?: (source: string, message: string) => void;
  readonly onLoaded?: (source: string, entities: number) => void;
  readonly now?: () => number;
  /** Shortest wait that cacheDuration or validUntil can impose between fetches (default 60 s); a smaller
   * `refreshSeconds` still applies. */
  readonly minRefreshSeconds?: number;
  /** https only, validUntil horizon, private hosts (default: DEFAULT_REMOTE_METADATA_POLICY) */
  readonly policy?: RemoteMetadataPolicy;
}

const RETRY_CAP_MS = 5 * 60_000;
const MAX_TIMER_MS = 2 ** 31 - 1;

/** Keeps the remote sources of a folder fetched and their SPs installed in the registry. */
export class RemoteMetadata {
  readonly #opts: RemoteMetadataOptions;
  readonly #sources = new Map<string, SourceState>();
  #syncing: Promise<void> = Promise.resolve();
  #closed = false;

  private constructor(opts: RemoteMetadataOptions) {
    this.#opts = opts;
  }

  /** Reads every `*.remote.json`, installs each source's cached copy, then fetches all of them (awaited, each
   * bounded by its timeout) and schedules the refreshes. A source that fails is reported, never fatal. */
  static async start(opts: RemoteMetadataOptions): Promise<RemoteMetadata> {
    const manager = new RemoteMetadata(opts);
    await manager.sync();
    return manager;
  }

  /** Re-reads the folder's `*.remote.json` files: starts new or changed sources, drops removed ones. */
  sync(): Promise<void> {
    this.#syncing = this.#syncing.then(() => this.#syncOnce()).catch(() => {});
    return this.#syncing;
  }

  /** Fetches one source (or all) now, whatever their schedule. */
  async refresh(name?: string): Promise<void> {
    const states = [...this.#sources.values()].filter((s) => name === undefined || s.config.name === name);
    await Promise.all(states.map((s) => this.#fetch(s)));
  }

  /** The state of every source. */
  status(): RemoteSourceStatus[] {
    return [...this.#sources.values()].map((s) => ({
      name: s.config.name,
      url: s.config.url,
      entities: s.verified?.entries.map((e) => e.entityId) ?? [],
      lastSuccess: s.lastSuccess,
      lastError: s.lastError,
      validUntil: s.verified?.validUntil,
      nextRefresh: s.nextRefresh,
    }));
  }

  /** Stops every timer; the installed SPs stay in the registry. */
  close(): void {
    this.#closed = true;
    for (const state of this.#sources.values()) this.#stop(state);
  }

  #now(): Date {
    return new Date((this.#opts.now ?? Date.now)());
  }

  #problem(state: SourceState | string, text: string): void {
    const name = typeof state === 'string' ? state : state.config.file;
    this.#opts.onProblem?.(name, text);
  }

  async #syncOnce(): Promise<void> {
    if (this.#closed) return;
    const { dir } = this.#opts;
    let names: string[];
    try {
      names = (await readdir(dir)).filter((n) => n.endsWith(REMOTE_SUFFIX) && !n.startsWith('.'));
    } catch (err) {
      this.#problem(dir, `cannot be read, keeping the remote sources loaded before (${message(err)})`);
      return;
    }
    const seen = new Set<string>();
    const starting: Promise<void>[] = [];
    for (const fileName of names.sort()) {
      const file = join(dir, fileName);
      seen.add(file);
      const text = await readFile(file, 'utf8').catch(() => undefined);
      const existing = this.#sources.get(file);
      if (text === undefined || (existing !== undefined && existing.configText === text)) continue;
      let config: RemoteSourceConfig;
      try {
        config = await readRemoteSourceConfig(file);
      } catch (err) {
        this.#problem(file, `${message(err)}${existing ? ' (keeping the source as configured before)' : ''}`);
        continue;
      }
      if (existing !== undefined) this.#stop(existing);
      const state: SourceState = {
        config,
        configText: text,
        xml: existing?.xml,
        verified: undefined,
        newest: existing?.config.url === config.url ? existing.newest : undefined,
        etag: undefined,
        lastModified: undefined,
        lastSuccess: undefined,
        lastError: undefined,
        nextRefresh: undefined,
        timer: undefined,
        expiryTimer: undefined,
        closed: false,
      };
      this.#sources.set(file, state);
      starting.push(this.#begin(state));
    }
    for (const [file, state] of this.#sources) {
      if (seen.has(file)) continue;
      this.#stop(state);
      this.#sources.delete(file);
      this.#opts.registry.setExternal(this.#key(state), undefined);
    }
    await Promise.all(starting);
  }

  #key(state: SourceState): string {
    return `${state.config.name}${REMOTE_SUFFIX}`;
  }

  async #begin(state: SourceState): Promise<void> {
    const cacheFile = remoteCacheFile(this.#opts.dir, state.config.name);
    const cached = state.xml ?? (await readFile(cacheFile, 'utf8').catch(() => undefined));
    if (cached !== undefined) {
      try {
        this.#install(state, cached, this.#readFetched(state, cached));
      } catch (err) {
        this.#problem(state, `the kept copy cannot be used (${message(err)})`);
      }
    }
    await this.#fetch(state);
  }

  #policy(): RemoteMetadataPolicy {
    return this.#opts.policy ?? DEFAULT_REMOTE_METADATA_POLICY;
  }

  /** The checks a fetched document passes before it may replace the copy in use (metadata-freshness.ts). */
  #readFetched(state: SourceState, xml: string): VerifiedMetadata {
    const verified = readVerifiedMetadata(xml, state.config, this.#now());
    checkHorizon(verified.marks, this.#now(), this.#policy());
    checkNotOlder(verified.marks, state.newest);
    return verified;
  }

  #install(state: SourceState, xml: string, verified: VerifiedMetadata): void {
    state.xml = xml;
    state.verified = verified;
    const newest = state.newest?.validUntil;
    if (newest === undefined || (verified.marks.validUntil ?? newest) >= newest)
      state.newest = verified.marks;
    for (const entityId of verified.expired)
      this.#problem(state, `${entityId} left out: its validUntil has passed`);
    for (const text of verified.skipped) this.#problem(state, text);
    this.#opts.registry.setExternal(this.#key(state), verified.entries, (_file, text) =>
      this.#problem(state, text),
    );
    clearTimeout(state.expiryTimer);
    state.expiryTimer = undefined;
    if (verified.validUntil !== undefined) {
      const wait = Math.min(Math.max(verified.validUntil.getTime() - this.#now().getTime(), 0), MAX_TIMER_MS);
      state.expiryTimer = setTimeout(() => this.#expire(state), wait);
      state.expiryTimer.unref();
    }
    this.#opts.onLoaded?.(state.config.file, verified.entries.length);
  }

  /** A validUntil in the kept copy has passed: drop what expired (all of it when the root did). */
  #expire(state: SourceState): void {
    if (state.closed || state.xml === undefined) return;
    try {
      this.#install(state, state.xml, readVerifiedMetadata(state.xml, state.config, this.#now()));
    } catch (err) {
      state.verified = undefined;
      this.#opts.registry.setExternal(this.#key(state), undefined);
      this.#problem(state, `${message(err)}; its SPs are removed until a fresh copy is fetched`);
    }
  }

  async #fetch(state: SourceState): Promise<void> {
    if (state.closed) return;
    clearTimeout(state.timer);
    const { config } = state;
    try {
      checkMetadataUrl(config.url, this.#policy());
      const fetched = await this.#opts.fetcher(config.url, {
        allowedHosts: this.#policy().allowedHosts,
        timeoutMs: config.timeoutSeconds * 1000,
        maxBytes: config.maxBytes,
        caPem: config.caPem,
        etag: state.verified === undefined ? undefined : state.etag,
        lastModified: state.verified === undefined ? undefined : state.lastModified,
      });
      if (state.closed) return;
      if (fetched.status === 'not-modified') {
        if (state.xml === undefined) throw new Error('the server answered 304 Not Modified to a first fetch');
        this.#install(state, state.xml, readVerifiedMetadata(state.xml, config, this.#now()));
      } else {
        const verified = this.#readFetched(state, fetched.body);
        this.#install(state, fetched.body, verified);
        state.etag = fetched.etag;
        state.lastModified = fetched.lastModified;
        await this.#keep(state, fetched.body);
      }
      state.lastSuccess = this.#now();
      state.lastError = undefined;
      this.#schedule(state, this.#nextDelay(state));
    } catch (err) {
      if (state.closed) return;
      state.lastError = message(err);
      const kept = state.verified === undefined ? 'no copy to keep' : 'keeping the last good copy';
      this.#problem(state, `${config.url}: ${state.lastError} (${kept})`);
      this.#schedule(state, Math.min(config.refreshSeconds * 1000, RETRY_CAP_MS));
    }
  }

  async #keep(state: SourceState, xml: string): Promise<void> {
    const file = remoteCacheFile(this.#opts.dir, state.config.name);
    const tmp = `${file}.${process.pid}.tmp`;
    try {
      await writeFile(tmp, xml);
      await rename(tmp, file);
    } catch (err) {
      await rm(tmp, { force: true }).catch(() => {});
      this.#problem(state, `the good copy cannot be kept on disk (${message(err)}); it is kept in memory`);
    }
  }

  /** refreshSeconds, shortened by cacheDuration and by an approaching validUntil (never below the floor). */
  #nextDelay(state: SourceState): number {
    const configured = state.config.refreshSeconds * 1000;
    const verified = state.verified;
    const limits: number[] = [];
    if (verified?.cacheDurationMs !== undefined) limits.push(verified.cacheDurationMs);
    if (verified?.validUntil !== undefined) {
      limits.push(((verified.validUntil.getTime() - this.#now().getTime()) * 3) / 4);
    }
    if (limits.length === 0) return configured;
    const floor = (this.#opts.minRefreshSeconds ?? 60) * 1000;
    return Math.min(configured, Math.max(floor, Math.min(...limits)));
  }

  #schedule(state: SourceState, delayMs: number): void {
    if (state.closed || this.#closed) return;
    clearTimeout(state.timer);
    const wait = Math.min(Math.max(delayMs, 0), MAX_TIMER_MS);
    state.nextRefresh = new Date(this.#now().getTime() + wait);
    state.timer = setTimeout(() => void this.#fetch(state), wait);
    state.timer.unref();
  }

  #stop(state: SourceState): void {
    state.closed = true;
    clearTimeout(state.timer);
    clearTimeout(state.expiryTimer);
  }
}
