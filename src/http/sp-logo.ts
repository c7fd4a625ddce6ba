// SP logos (mdui:Logo) served from our own origin: `data:` images decoded at once, http(s) images fetched once.

import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { type Dispatcher, request } from 'undici';
import type { Locale } from '../i18n/index.ts';
import type { ServiceProviderEntry } from '../saml/metadata/sp-registry.ts';
import type { PendingRequest } from '../types.ts';
import { sniffImage } from './branding.ts';
import { cspHeader } from './csp.ts';
import { outboundAgent } from './outbound.ts';

/** Image types shown; anything else (HTML, scripts, unknown bytes) is never served. */
export type SpLogoType = 'image/png' | 'image/jpeg' | 'image/gif' | 'image/webp' | 'image/svg+xml';

interface Image {
  readonly type: SpLogoType;
  readonly body: Buffer;
}

export interface SpLogoOptions {
  /** Fetch http(s) logos (SP_LOGO_FETCH); off: only `data:` logos show. */
  readonly fetchRemote: boolean;
  /** Largest logo accepted, bytes. */
  readonly maxBytes?: number;
  /** Whole fetch, headers and body, in ms. */
  readonly timeoutMs?: number;
  /** Hosts the admin allows on non-public addresses (OUTBOUND_PRIVATE_HOSTS); every other one is refused. */
  readonly allowedHosts?: readonly string[];
  /** A logo that cannot be shown, and why; the page then shows the name alone. */
  readonly onProblem?: (url: string, message: string) => void;
}

const DEFAULT_MAX_BYTES = 64 * 1024;
const DEFAULT_TIMEOUT_MS = 5000;
/** A failed fetch is tried again after this long. */
const RETRY_AFTER_MS = 3600_000;
/** The path logos are served under; the last segment is a hash of the image bytes. */
export const SP_LOGO_PATH = '/assets/sp-logo/';

/** A logo is an image, shown sandboxed: an SVG's own styles apply, nothing in it runs or loads. */
const LOGO_CSP = cspHeader({ styleSrc: ["'unsafe-inline'"], sandbox: true });

/** The content of a `data:` URI (RFC 2397) whose declared type is an image we serve and matches its bytes. */
export function decodeDataUri(uri: string, maxBytes = DEFAULT_MAX_BYTES): Image {
  const m = /^data:([^;,]*)((?:;[^;,]*)*),(.*)$/is.exec(uri.trim());
  if (m === null) throw new Error('not a data: URI');
  const declared = (m[1] ?? '').trim().toLowerCase();
  const base64 = (m[2] ?? '').toLowerCase().split(';').includes('base64');
  const data = m[3] ?? '';
  if (data.length > maxBytes * 3) throw new Error(`larger than ${maxBytes} bytes`);
  const body = base64
    ? Buffer.from(data.replace(/\s+/g, ''), 'base64')
    : Buffer.from(decodeURIComponent(data));
  return checkImage(body, declared, maxBytes);
}

function checkImage(body: Buffer, declared: string, maxBytes: number): Image {
  if (body.length === 0) throw new Error('empty image');
  if (body.length > maxBytes) throw new Error(`larger than ${maxBytes} bytes`);
  const type = sniffImage(body);
  if (type === undefined) throw new Error('not a PNG, JPEG, GIF, WebP or SVG image');
  const base = declared.split(';')[0]?.trim();
  if (base !== type && !(base === 'image/jpg' && type === 'image/jpeg')) {
    throw new Error(`declared ${base || 'no type'} but holds ${type}`);
  }
  return { type, body };
}

/** One GET through the guarded agent; redirects are not followed (a 3xx is no image). */
async function fetchImage(
  url: string,
  maxBytes: number,
  signal: AbortSignal,
  dispatcher: Dispatcher,
): Promise<Image> {
  const response = await request(url, { method: 'GET', signal, dispatcher, headers: { accept: 'image/*' } });
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    if (response.statusCode !== 200) throw new Error(`HTTP ${response.statusCode}`);
    const length = Number(response.headers['content-length'] ?? 0);
    if (length > maxBytes) throw new Error(`larger than ${maxBytes} bytes`);
    for await (const chunk of response.body) {
      size += (chunk as Buffer).length;
      if (size > maxBytes) throw new Error(`larger than ${maxBytes} bytes`);
      chunks.push(chunk as Buffer);
    }
  } finally {
    if (size <= maxBytes && chunks.length === 0) response.body.resume();
    else response.body.destroy();
  }
  const declared = String(response.headers['content-type'] ?? '').toLowerCase();
  return checkImage(Buffer.concat(chunks), declared, maxBytes);
}

/**
 * The SPs' logos, kept in memory and served at SP_LOGO_PATH + a hash of their bytes, so pages load no asset from
 * another site (no tracking of our users by the SP's server, and the pages' CSP stays `img-src 'self'`).
 */
export class SpLogos {
  readonly #fetchRemote: boolean;
  readonly #maxBytes: number;
  readonly #timeoutMs: number;
  readonly #onProblem: NonNullable<SpLogoOptions['onProblem']>;
  readonly #images = new Map<string, Image>();
  readonly #byUrl = new Map<string, { hash?: string; failedAt?: number; pending?: Promise<void> }>();
  readonly #closing = new AbortController();
  readonly #agent: Dispatcher;

  constructor(options: SpLogoOptions) {
    this.#fetchRemote = options.fetchRemote;
    this.#maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
    this.#timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.#agent = outboundAgent({ allowedHosts: options.allowedHosts ?? [], timeoutMs: this.#timeoutMs });
    this.#onProblem = options.onProblem ?? (() => {});
  }

  /**
   * The path of this logo on our origin, or undefined when there is none to show: no logo, a broken one, or an
   * http(s) logo not fetched (yet, or at all with fetching off). A first sight starts its fetch.
   */
  pathFor(logoUrl: string | undefined): string | undefined {
    if (logoUrl === undefined) return undefined;
    const known = this.#byUrl.get(logoUrl);
    if (known?.hash !== undefined) return SP_LOGO_PATH + known.hash;
    if (/^data:/i.test(logoUrl)) {
      if (known !== undefined) return undefined;
      try {
        return SP_LOGO_PATH + this.#keep(logoUrl, decodeDataUri(logoUrl, this.#maxBytes));
      } catch (error) {
        this.#byUrl.set(logoUrl, { failedAt: Date.now() });
        this.#onProblem(logoUrl.slice(0, 40), (error as Error).message);
        return undefined;
      }
    }
    void this.fetch(logoUrl);
    return undefined;
  }

  /** Fetches an http(s) logo unless fetching is off, it is kept already, or it failed within the hour. */
  fetch(logoUrl: string): Promise<void> {
    if (!this.#fetchRemote || !/^https?:\/\//i.test(logoUrl)) return Promise.resolve();
    const known = this.#byUrl.get(logoUrl);
    if (known?.hash !== undefined) return Promise.resolve();
    if (known?.pending !== undefined) return known.pending;
    if (known?.failedAt !== undefined && Date.now() - known.failedAt < RETRY_AFTER_MS)
      return Promise.resolve();
    const signal = AbortSignal.any([this.#closing.signal, AbortSignal.timeout(this.#timeoutMs)]);
    const pending = fetchImage(logoUrl, this.#maxBytes, signal, this.#agent).then(
      (image) => {
        this.#keep(logoUrl, image);
      },
      (error: Error) => {
        this.#byUrl.set(logoUrl, { failedAt: Date.now() });
        if (!this.#closing.signal.aborted) this.#onProblem(logoUrl, error.message);
      },
    );
    this.#byUrl.set(logoUrl, { pending });
    return pending;
  }

  /** Starts fetching these logos so the first pages already show them. */
  prefetch(logoUrls: readonly (string | undefined)[]): Promise<void> {
    return Promise.all(logoUrls.map((u) => (u === undefined ? undefined : this.fetch(u)))).then(() => {});
  }

  /** The image served at SP_LOGO_PATH + hash. */
  image(hash: string): Image | undefined {
    return this.#images.get(hash);
  }

  /** Stops fetches under way. */
  close(): void {
    this.#closing.abort();
    void this.#agent.close().catch(() => {});
  }

  /** Serves the kept logos; the bytes never change under a hash, so browsers may cache them for a day. */
  register(app: FastifyInstance): void {
    app.get(`${SP_LOGO_PATH}:hash`, (req, reply) => {
      const image = this.image((req.params as { hash: string }).hash);
      if (image === undefined) return reply.callNotFound();
      return reply
        .header('content-type', image.type)
        .header('cache-control', 'public, max-age=86400')
        .header('content-security-policy', LOGO_CSP)
        .send(image.body);
    });
  }

  #keep(logoUrl: string, image: Image): string {
    const hash = createHash('sha256').update(image.body).digest('base64url').slice(0, 32);
    this.#images.set(hash, image);
    this.#byUrl.set(logoUrl, { hash });
    return hash;
  }
}

/** How the pages name and show the SP a login is for. */
export interface ServiceView {
  readonly name: string;
  /** Path of its logo on our origin; undefined: the name alone. */
  readonly logo: string | undefined;
}

/** The SP of a request as the pages show it, in the page's language. */
export type ServiceLookup = (request: PendingRequest, locale: Locale) => ServiceView;

/** Without a registry: the name the request carries (mdui:DisplayName, else the entityID host), no logo. */
export const plainService: ServiceLookup = (request) => ({ name: request.spDisplayName, logo: undefined });

/**
 * The SP's mdui:DisplayName in the page's language when its metadata has one, else the name the request carries;
 * its mdui:Logo when one can be shown.
 */
export function serviceLookup(
  find: (entityId: string) => ServiceProviderEntry | undefined,
  logos: SpLogos,
): ServiceLookup {
  return (request, locale) => {
    const sp = find(request.spEntityId);
    const names = sp?.displayNames ?? {};
    // Norwegian metadata is tagged `nb`, `no` or `nn`; any of them reads better than English.
    const tags = locale === 'nb' ? ['nb', 'no', 'nn'] : [locale];
    const tag = tags.find((t) => Object.hasOwn(names, t));
    return {
      name: tag === undefined ? request.spDisplayName : (names[tag] as string),
      logo: logos.pathFor(sp?.logoUrl),
    };
  };
}
