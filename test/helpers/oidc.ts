// OpenID Connect test parts: an IdP over real HTTP with client files and a recording SMS provider, and a browser
// stand-in that keeps cookies (by path), follows redirects and our continue page, and stops at the client.

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app.ts';
import { type Config, loadConfig } from '../../src/config/config.ts';
import type { Store } from '../../src/store/store.ts';
import { inputValue } from './browser-client.ts';
import { freePort } from './http-idp.ts';
import { RecordingSmsProvider } from './recording-sms.ts';

export const PHONE = '+46701234567';
export const GIVEN = 'Kari';
export const FAMILY = 'Nordmann';
/** A client secret long enough for the registry (≥ 32 characters, URL-safe). */
export const SECRET = 'shop-secret-0123456789-abcdefghijklmnop';

export interface OidcIdp {
  readonly app: FastifyInstance;
  readonly config: Config;
  readonly baseUrl: string;
  readonly issuer: string;
  readonly sms: RecordingSmsProvider;
  readonly dir: string;
  /** Writes (or replaces) a client file in OIDC_CLIENTS_DIR. */
  writeClient(name: string, client: Record<string, unknown>): void;
  close(): Promise<void>;
}

export async function startOidcIdp(options: {
  clients: Record<string, Record<string, unknown>>;
  sps?: Record<string, string>;
  env?: Record<string, string>;
  store?: Store;
  dir?: string;
  port?: number;
}): Promise<OidcIdp> {
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'nsi-oidc-'));
  const clientsDir = join(dir, 'oidc');
  const spDir = join(dir, 'sp');
  mkdirSync(clientsDir, { recursive: true });
  mkdirSync(spDir, { recursive: true });
  const writeClient = (name: string, client: Record<string, unknown>) =>
    writeFileSync(join(clientsDir, `${name}.json`), JSON.stringify(client, null, 2));
  for (const [name, client] of Object.entries(options.clients)) writeClient(name, client);
  for (const [name, xml] of Object.entries(options.sps ?? {})) writeFileSync(join(spDir, `${name}.xml`), xml);
  const port = options.port ?? (await freePort());
  const baseUrl = `http://127.0.0.1:${port}`;
  const config = loadConfig({
    HOST: '127.0.0.1',
    PORT: String(port),
    BASE_URL: baseUrl,
    SP_METADATA_DIR: spDir,
    OIDC_CLIENTS_DIR: clientsDir,
    OIDC_ALLOW_PRIVATE_OUTBOUND: 'true',
    DEV_KEY_DIR: join(dir, 'keys'),
    DEMO_SP: 'false',
    IDP_SECRET: 'oidc-test-secret-0123456789-0123456789',
    LOG_LEVEL: 'silent',
    ...options.env,
  });
  const sms = new RecordingSmsProvider();
  const app = await buildApp(config, { sms, store: options.store, logger: false });
  await app.listen({ port, host: '127.0.0.1' });
  return {
    app,
    config,
    baseUrl,
    issuer: `${baseUrl}/oidc`,
    sms,
    dir,
    writeClient,
    async close() {
      await app.close();
      if (options.dir === undefined) rmSync(dir, { recursive: true, force: true });
    },
  };
}

interface Cookie {
  readonly value: string;
  readonly path: string;
}

export interface Visit {
  readonly status: number;
  readonly url: string;
  readonly html: string;
  readonly headers: Headers;
}

/** A cookie-keeping HTTP browser for one origin: enough of a browser for the IdP's pages. */
export class CookieBrowser {
  readonly #origin: string;
  readonly #cookies = new Map<string, Cookie>();
  page: Visit | undefined;

  constructor(origin: string) {
    this.#origin = origin;
  }

  #cookieHeader(url: URL): string {
    return [...this.#cookies.entries()]
      .filter(
        ([, c]) =>
          url.pathname === c.path || url.pathname.startsWith(c.path.endsWith('/') ? c.path : `${c.path}/`),
      )
      .map(([name, c]) => `${name}=${c.value}`)
      .join('; ');
  }

  #keep(headers: Headers): void {
    for (const line of headers.getSetCookie()) {
      const [pair = '', ...attrs] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const path =
        attrs
          .map((a) => a.trim())
          .find((a) => /^path=/i.test(a))
          ?.slice(5) ?? '/';
      const gone = attrs.some((a) => /^max-age=0$/i.test(a.trim()) || /expires=Thu, 01 Jan 1970/i.test(a));
      if (gone || value === '') this.#cookies.delete(name);
      else this.#cookies.set(name, { value, path });
    }
  }

  /** Whether the browser holds a cookie of this name. */
  has(name: string): boolean {
    return this.#cookies.has(name);
  }

  /**
   * Requests `url` and follows 30x redirects and the continue page's Refresh header while they stay on the IdP;
   * returns the page it ends on, or the first URL off the IdP (the client's redirect_uri) as `url` with status 0.
   */
  async go(url: string, form?: Record<string, string>): Promise<Visit> {
    let target = new URL(url, this.#origin);
    let method = form === undefined ? 'GET' : 'POST';
    let body = form === undefined ? undefined : new URLSearchParams(form).toString();
    for (let hops = 0; hops < 12; hops++) {
      if (target.origin !== this.#origin) {
        this.page = { status: 0, url: target.href, html: '', headers: new Headers() };
        return this.page;
      }
      const headers: Record<string, string> = {
        'sec-fetch-site': 'same-origin',
        'sec-fetch-mode': 'navigate',
      };
      const cookie = this.#cookieHeader(target);
      if (cookie !== '') headers.cookie = cookie;
      if (body !== undefined) headers['content-type'] = 'application/x-www-form-urlencoded';
      const response = await fetch(target, { method, headers, body, redirect: 'manual' });
      this.#keep(response.headers);
      const location = response.headers.get('location');
      const refresh = /^0;url=(.+)$/.exec(response.headers.get('refresh') ?? '')?.[1];
      if (response.status >= 300 && response.status < 400 && location !== null) {
        await response.body?.cancel();
        target = new URL(location, target);
      } else if (response.status === 200 && refresh !== undefined) {
        await response.body?.cancel();
        target = new URL(refresh, target);
      } else {
        this.page = {
          status: response.status,
          url: target.href,
          html: await response.text(),
          headers: response.headers,
        };
        return this.page;
      }
      method = 'GET';
      body = undefined;
    }
    throw new Error(`too many redirects at ${target.href}`);
  }

  /** Posts the current login page's form with its hidden fields plus `fields`. */
  submit(fields: Record<string, string>): Promise<Visit> {
    const page = this.page;
    const csrf = page === undefined ? undefined : inputValue(page.html, 'csrf');
    const step = page === undefined ? undefined : inputValue(page.html, 'step');
    if (page === undefined || csrf === undefined || step === undefined)
      throw new Error(`no login form at ${page?.url}: ${page?.html.slice(0, 300)}`);
    return this.go(page.url.split('?')[0] as string, { csrf, step, ...fields });
  }
}

/**
 * Walks the login from an authorization URL: steps 2 and 3 with the SMS code, whatever the preset locks. Returns
 * the URL the browser was sent to at the client.
 */
export async function logIn(
  browser: CookieBrowser,
  idp: OidcIdp,
  authorizationUrl: string,
  person: { phone?: string; given?: string; family?: string } = {},
): Promise<URL> {
  const phone = person.phone ?? PHONE;
  let page = await browser.go(authorizationUrl);
  if (page.status === 0) return new URL(page.url);
  const fields: Record<string, string> = {};
  if (page.html.includes('name="given_name"')) fields.given_name = person.given ?? GIVEN;
  if (page.html.includes('name="family_name"')) fields.family_name = person.family ?? FAMILY;
  if (page.html.includes('name="phone"')) fields.phone = phone;
  page = await browser.submit(fields);
  if (!page.html.includes('name="code"'))
    throw new Error(`no code page: ${page.status} ${page.html.slice(0, 500)}`);
  page = await browser.submit({ code: idp.sms.lastCode(phone) });
  if (page.status !== 0) throw new Error(`did not reach the client: ${page.status} ${page.url}`);
  return new URL(page.url);
}
