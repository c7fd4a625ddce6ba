// OpenID Connect clients from files: one `*.json` per client in OIDC_CLIENTS_DIR, validated, reloaded on change.

import { type FSWatcher, readdirSync, readFileSync, watch as watchDir } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { NETS_SMS } from '../login/login-service.ts';
import { CLAIM_NAMES, SCOPES } from './claims.ts';

/** A client as the IdP uses it: the metadata oidc-provider validates, and our own settings beside it. */
export interface OidcClient {
  readonly clientId: string;
  /** RFC 7591 metadata without our own fields; `client_secret` read from `client_secret_file` when given. */
  readonly metadata: Readonly<Record<string, unknown>>;
  /** The eIDs offered to this client (docs/contract.md §6; default nets_sms). */
  readonly eids: readonly string[];
  /** Claim names the client may receive; undefined: all. */
  readonly claims: readonly string[] | undefined;
  /** The client's name for the pages: client_name, else its id. */
  readonly displayName: string;
  /** Language of the pages when neither the request nor the browser names one. */
  readonly defaultLocale: string | undefined;
  readonly file: string;
}

/** Our fields, removed before the metadata goes to oidc-provider. */
const OWN_FIELDS = ['eids', 'claims', 'defaultLocale', 'client_secret_file'];
const AUTH_METHODS = ['client_secret_basic', 'client_secret_post', 'private_key_jwt', 'none'];
const CLIENT_ID = /^[A-Za-z0-9._~-]{1,100}$/;
const MIN_SECRET_LENGTH = 32;
const DEBOUNCE_MS = 100;

type ProblemHandler = (file: string, problem: string) => void;

const isStringArray = (v: unknown): v is string[] =>
  Array.isArray(v) && v.every((x) => typeof x === 'string');

/** A redirect URI we accept: https, http only to a loopback host (RFC 8252), or a native app's private scheme. */
function redirectProblem(uri: string, native: boolean): string | undefined {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return `redirect URI ${uri} is not a URL`;
  }
  if (url.hash !== '') return `redirect URI ${uri} has a fragment`;
  if (url.protocol === 'https:') return undefined;
  if (url.protocol === 'http:')
    return ['127.0.0.1', '[::1]', 'localhost'].includes(url.hostname)
      ? undefined
      : `redirect URI ${uri} must be https (http only to a loopback address)`;
  return native && url.protocol.includes('.') ? undefined : `redirect URI ${uri} has an unusable scheme`;
}

/** Reads and checks one client file; every problem is listed. */
export function readClientFile(dir: string, file: string): { client?: OidcClient; problems: string[] } {
  const problems: string[] = [];
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(join(dir, file), 'utf8'));
  } catch (error) {
    return { problems: [`not JSON: ${(error as Error).message}`] };
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw))
    return { problems: ['not a JSON object'] };
  const json = raw as Record<string, unknown>;
  const clientId = json.client_id;
  if (typeof clientId !== 'string' || !CLIENT_ID.test(clientId))
    problems.push('client_id must be 1–100 characters of A–Z a–z 0–9 . _ ~ -');
  const method = json.token_endpoint_auth_method ?? 'client_secret_basic';
  if (typeof method !== 'string' || !AUTH_METHODS.includes(method))
    problems.push(`token_endpoint_auth_method must be one of ${AUTH_METHODS.join(', ')}`);
  const native = json.application_type === 'native';
  if (!isStringArray(json.redirect_uris) || json.redirect_uris.length === 0)
    problems.push('redirect_uris must be a non-empty list of URLs');
  else for (const uri of json.redirect_uris) problems.push(...[redirectProblem(uri, native) ?? []].flat());
  if (json.post_logout_redirect_uris !== undefined) {
    if (!isStringArray(json.post_logout_redirect_uris))
      problems.push('post_logout_redirect_uris must be a list of URLs');
    else
      for (const uri of json.post_logout_redirect_uris)
        problems.push(...[redirectProblem(uri, native) ?? []].flat());
  }

  let secret = json.client_secret;
  if (json.client_secret_file !== undefined) {
    if (secret !== undefined) problems.push('give client_secret or client_secret_file, not both');
    if (typeof json.client_secret_file !== 'string') problems.push('client_secret_file must be a file name');
    else {
      const path = isAbsolute(json.client_secret_file)
        ? json.client_secret_file
        : resolve(dir, json.client_secret_file);
      try {
        secret = readFileSync(path, 'utf8').trim();
      } catch (error) {
        problems.push(`client_secret_file ${relative(dir, path)}: ${(error as NodeJS.ErrnoException).code}`);
      }
    }
  }
  if (method === 'client_secret_basic' || method === 'client_secret_post') {
    if (typeof secret !== 'string' || secret.length < MIN_SECRET_LENGTH)
      problems.push(`${method} needs a client_secret of at least ${MIN_SECRET_LENGTH} characters`);
  } else if (secret !== undefined) problems.push(`${method} takes no client_secret`);
  if (method === 'private_key_jwt' && json.jwks === undefined && json.jwks_uri === undefined)
    problems.push('private_key_jwt needs the client\'s public keys in "jwks"');

  if (json.scope !== undefined) {
    const scopes = typeof json.scope === 'string' ? json.scope.split(' ') : [];
    const unknown = scopes.filter((s) => !SCOPES.includes(s));
    if (typeof json.scope !== 'string' || unknown.length > 0)
      problems.push(`scope must be a space-separated list of ${SCOPES.join(', ')}`);
  }
  const eids = json.eids ?? [NETS_SMS];
  if (!isStringArray(eids) || eids.length === 0) problems.push('eids must be a non-empty list of eID names');
  const claims = json.claims;
  if (claims !== undefined) {
    const unknown = isStringArray(claims) ? claims.filter((c) => !CLAIM_NAMES.includes(c)) : [];
    if (!isStringArray(claims) || unknown.length > 0)
      problems.push(`claims must be a list of ${CLAIM_NAMES.join(', ')}`);
  }
  if (json.defaultLocale !== undefined && typeof json.defaultLocale !== 'string')
    problems.push('defaultLocale must be a language tag');
  if (problems.length > 0) return { problems };

  const metadata: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(json)) if (!OWN_FIELDS.includes(key)) metadata[key] = value;
  if (secret !== undefined) metadata.client_secret = secret;
  const name = typeof json.client_name === 'string' && json.client_name !== '' ? json.client_name : undefined;
  return {
    problems,
    client: {
      clientId: clientId as string,
      metadata,
      eids: eids as string[],
      claims: claims as string[] | undefined,
      displayName: name ?? (clientId as string),
      defaultLocale: json.defaultLocale as string | undefined,
      file,
    },
  };
}

/** The clients of OIDC_CLIENTS_DIR. A folder that does not exist holds no clients. */
export class ClientRegistry {
  readonly #dir: string;
  #clients = new Map<string, OidcClient>();
  #watcher: FSWatcher | undefined;
  #timer: NodeJS.Timeout | undefined;

  private constructor(dir: string) {
    this.#dir = dir;
  }

  static load(dir: string, opts: { onProblem?: ProblemHandler } = {}): ClientRegistry {
    const registry = new ClientRegistry(dir);
    registry.#reload(opts.onProblem);
    return registry;
  }

  get(clientId: string): OidcClient | undefined {
    return this.#clients.get(clientId);
  }

  list(): OidcClient[] {
    return [...this.#clients.values()];
  }

  get size(): number {
    return this.#clients.size;
  }

  /** Watches the folder (debounced) and reloads on change; a file that broke keeps its previous version. */
  watch(opts: { onReload?: () => void; onProblem?: ProblemHandler } = {}): void {
    if (this.#watcher !== undefined) return;
    try {
      this.#watcher = watchDir(this.#dir, () => {
        clearTimeout(this.#timer);
        this.#timer = setTimeout(() => {
          this.#reload(opts.onProblem);
          opts.onReload?.();
        }, DEBOUNCE_MS);
      });
    } catch (error) {
      // No folder: no clients and nothing to watch (OIDC_CLIENTS_DIR is created by `client add`).
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      return;
    }
    this.#watcher.on('error', (error) => opts.onProblem?.(this.#dir, `watching stopped: ${error.message}`));
  }

  close(): void {
    clearTimeout(this.#timer);
    this.#watcher?.close();
  }

  #reload(onProblem: ProblemHandler | undefined): void {
    let files: string[];
    try {
      files = readdirSync(this.#dir).filter((f) => f.endsWith('.json'));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      files = [];
    }
    const previousByFile = new Map(this.list().map((c) => [c.file, c]));
    const next = new Map<string, OidcClient>();
    for (const file of files.sort()) {
      const { client, problems } = readClientFile(this.#dir, file);
      const chosen = client ?? previousByFile.get(file);
      for (const problem of problems)
        onProblem?.(file, chosen === undefined ? problem : `${problem}; previous version kept`);
      if (chosen === undefined) continue;
      if (next.has(chosen.clientId)) {
        onProblem?.(
          file,
          `client_id ${chosen.clientId} is already used by ${next.get(chosen.clientId)?.file}`,
        );
        continue;
      }
      next.set(chosen.clientId, chosen);
    }
    this.#clients = next;
  }
}
