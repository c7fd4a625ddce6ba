// A minimal form-walking client for the IdP's pages, over app.inject or real HTTP: follows 303s, posts forms back.

import type { FastifyInstance } from 'fastify';

export interface Page {
  readonly status: number;
  readonly url: string;
  readonly html: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
}

/** Sends one request; `form` is sent as application/x-www-form-urlencoded. */
export type Transport = ((
  method: 'GET' | 'POST',
  url: string,
  form?: Readonly<Record<string, string>>,
) => Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }>) & {
  /** The cookies the transport keeps, when it keeps them. */
  readonly jar?: PathCookieJar;
};

/** Cookies as a browser keeps them for one site: by name and Path, sent to URLs under that Path (flow cookies). */
export class PathCookieJar {
  readonly cookies = new Map<string, { name: string; value: string; path: string }>();

  take(setCookie: string | readonly string[] | undefined): void {
    const lines = setCookie === undefined ? [] : typeof setCookie === 'string' ? [setCookie] : setCookie;
    for (const line of lines) {
      const [pair = '', ...attributes] = line.split(';').map((s) => s.trim());
      const eq = pair.indexOf('=');
      const path = attributes.find((a) => /^path=/i.test(a))?.slice(5) ?? '/';
      const cookie = { name: pair.slice(0, eq), value: pair.slice(eq + 1), path };
      const expired = attributes.some((a) => /^max-age=0$/i.test(a)) || cookie.value === '';
      if (expired) this.cookies.delete(`${cookie.name} ${path}`);
      else this.cookies.set(`${cookie.name} ${path}`, cookie);
    }
  }

  /** The Cookie header for `url` (a path, or an absolute URL), merged with one given by the test. */
  header(url: string, given?: string): string | undefined {
    const path = (url.startsWith('http') ? new URL(url).pathname : url.split('?')[0]) ?? url;
    const sent = [...this.cookies.values()].filter((c) => path === c.path || path.startsWith(`${c.path}/`));
    const own = sent.map((c) => `${c.name}=${c.value}`);
    const all = given === undefined ? own : [given, ...own];
    return all.length === 0 ? undefined : all.join('; ');
  }
}

/** Over app.inject, keeping the cookies the IdP sets (the flow cookie) as a browser would. */
export function injectTransport(
  app: FastifyInstance,
  headers: Record<string, string> = {},
  jar = new PathCookieJar(),
): Transport {
  const transport = async (method: 'GET' | 'POST', url: string, form?: Readonly<Record<string, string>>) => {
    const cookie = jar.header(url, headers.cookie);
    const response = await app.inject({
      method,
      url,
      headers: {
        ...headers,
        ...(cookie === undefined ? {} : { cookie }),
        ...(form === undefined ? {} : { 'content-type': 'application/x-www-form-urlencoded' }),
      },
      payload:
        form === undefined ? undefined : new URLSearchParams(form as Record<string, string>).toString(),
    });
    jar.take(response.headers['set-cookie']);
    return {
      status: response.statusCode,
      headers: response.headers as Record<string, string | string[] | undefined>,
      body: response.body,
    };
  };
  return Object.assign(transport, { jar });
}

/** Real HTTP against `origin` (e.g. http://127.0.0.1:1234), keeping its cookies; redirects are not followed by
 * fetch itself. */
export function httpTransport(
  origin: string,
  headers: Record<string, string> = {},
  jar = new PathCookieJar(),
): Transport {
  const transport = async (method: 'GET' | 'POST', url: string, form?: Readonly<Record<string, string>>) => {
    const target = url.startsWith('http') ? url : `${origin}${url}`;
    const sameSite = target.startsWith(origin);
    const cookie = sameSite ? jar.header(target, headers.cookie) : headers.cookie;
    const response = await fetch(target, {
      method,
      redirect: 'manual',
      headers: {
        ...headers,
        ...(cookie === undefined ? {} : { cookie }),
        ...(form === undefined ? {} : { 'content-type': 'application/x-www-form-urlencoded' }),
      },
      body: form === undefined ? undefined : new URLSearchParams(form as Record<string, string>).toString(),
    });
    const out: Record<string, string> = {};
    response.headers.forEach((value, key) => {
      out[key] = value;
    });
    if (sameSite) jar.take(response.headers.getSetCookie());
    return { status: response.status, headers: out, body: await response.text() };
  };
  return Object.assign(transport, { jar });
}

/** Decodes the few entities Handlebars writes into attribute values. */
export function htmlUnescape(s: string): string {
  return s
    .replace(/&quot;/g, '"')
    .replace(/&#x27;/g, "'")
    .replace(/&#x60;/g, '`')
    .replace(/&#x3D;/g, '=')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/** The value of a hidden/text input by name in an HTML page, unescaped; undefined when absent. */
export function inputValue(html: string, name: string): string | undefined {
  const tag = new RegExp(`<input[^>]*\\bname="${name}"[^>]*>`).exec(html)?.[0];
  if (tag === undefined) return undefined;
  const value = /\bvalue="([^"]*)"/.exec(tag)?.[1];
  return value === undefined ? '' : htmlUnescape(value);
}

/** The first form's action attribute. */
export function formAction(html: string): string | undefined {
  const action = /<form[^>]*\baction="([^"]*)"/.exec(html)?.[1];
  return action === undefined ? undefined : htmlUnescape(action);
}

export class BrowserClient {
  readonly #transport: Transport;
  page: Page | undefined;

  constructor(transport: Transport) {
    this.#transport = transport;
  }

  /** Requests a URL and follows redirects (303/302) with GET, as a browser does. */
  async go(method: 'GET' | 'POST', url: string, form?: Readonly<Record<string, string>>): Promise<Page> {
    let response = await this.#transport(method, url, form);
    let current = url;
    for (let hops = 0; hops < 5 && response.status >= 301 && response.status <= 303; hops++) {
      current = String(response.headers.location);
      response = await this.#transport('GET', current);
    }
    this.page = { status: response.status, url: current, html: response.body, headers: response.headers };
    return this.page;
  }

  /** The Cookie header this client would send to `url` (for a test that sends its own request as this browser). */
  cookie(url: string): Record<string, string> {
    const header = this.#transport.jar?.header(url);
    return header === undefined ? {} : { cookie: header };
  }

  /** Posts the current flow page's form with its hidden fields plus `fields`. */
  async submit(fields: Readonly<Record<string, string>> = {}): Promise<Page> {
    const page = this.#require();
    const csrf = inputValue(page.html, 'csrf');
    const step = inputValue(page.html, 'step');
    if (csrf === undefined || step === undefined)
      throw new Error(`no flow form on ${page.url}: ${page.html.slice(0, 300)}`);
    const action = formAction(page.html) ?? page.url.split('?')[0] ?? page.url;
    return this.go('POST', action, { csrf, step, ...fields });
  }

  /** The SAMLResponse/RelayState the auto-post page would send, and where. */
  samlPost(): { acsUrl: string; samlResponse: string; xml: string; relayState: string | undefined } {
    const page = this.#require();
    const samlResponse = inputValue(page.html, 'SAMLResponse');
    const acsUrl = formAction(page.html);
    if (samlResponse === undefined || acsUrl === undefined) {
      throw new Error(`not an auto-post page (${page.status}): ${page.html.slice(0, 400)}`);
    }
    return {
      acsUrl,
      samlResponse,
      xml: Buffer.from(samlResponse, 'base64').toString('utf8'),
      relayState: inputValue(page.html, 'RelayState'),
    };
  }

  #require(): Page {
    if (this.page === undefined) throw new Error('no page yet');
    return this.page;
  }
}
