// A browser stand-in for SSO and logout tests: keeps cookies, follows redirects across origins, auto-submits the
// SAML forms pages post by script, and loads the logout page's frames the way a browser would.

import type { FastifyInstance } from 'fastify';
import { htmlUnescape, type Transport } from './browser-client.ts';

/** Cookies per host, as a browser keeps them (the port is not part of a cookie's scope). Path is ignored. */
export class CookieJar {
  readonly #byHost = new Map<string, Map<string, { value: string; attributes: string }>>();

  /** Takes the Set-Cookie lines of a response to `host`. */
  store(host: string, setCookie: string | readonly string[] | undefined): void {
    const lines = setCookie === undefined ? [] : typeof setCookie === 'string' ? [setCookie] : setCookie;
    let cookies = this.#byHost.get(host);
    if (cookies === undefined) {
      cookies = new Map();
      this.#byHost.set(host, cookies);
    }
    for (const line of lines) {
      const [pair = '', ...attributes] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expired = attributes.some((a) => /^\s*max-age\s*=\s*0\s*$/i.test(a));
      if (expired || value === '') cookies.delete(name);
      else cookies.set(name, { value, attributes: attributes.join(';').trim() });
    }
  }

  /** The Cookie header for `host`, or undefined when there is none. */
  header(host: string): string | undefined {
    const cookies = this.#byHost.get(host);
    if (cookies === undefined || cookies.size === 0) return undefined;
    return [...cookies].map(([name, c]) => `${name}=${c.value}`).join('; ');
  }

  /** One cookie: its value and the attributes it was set with. */
  get(host: string, name: string): { value: string; attributes: string } | undefined {
    return this.#byHost.get(host)?.get(name);
  }
}

/** A Transport over app.inject that keeps cookies in `jar` (host `idp`), for BrowserClient. */
export function jarTransport(
  app: FastifyInstance,
  jar: CookieJar,
  headers: Record<string, string> = {},
): Transport {
  return async (method, url, form) => {
    const cookie = jar.header('idp');
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
    jar.store('idp', response.headers['set-cookie']);
    return {
      status: response.statusCode,
      headers: response.headers as Record<string, string | string[] | undefined>,
      body: response.body,
    };
  };
}

/** A page as fetched over HTTP. */
export interface WebPage {
  readonly url: string;
  readonly status: number;
  readonly html: string;
}

/** A form a page submits by script: where to and with which hidden fields. */
export interface AutoForm {
  readonly action: string;
  readonly fields: Record<string, string>;
}

/** The form of a page that submits itself by script (ours: `id="saml-post"`; node-saml: `body onload`). */
export function autoSubmitForm(page: WebPage): AutoForm | undefined {
  if (!/id="saml-post"|onload="document\.forms\[0\]\.submit\(\)"/.test(page.html)) return undefined;
  const action = /<form[^>]*\baction="([^"]*)"/.exec(page.html)?.[1];
  if (action === undefined) return undefined;
  const fields: Record<string, string> = {};
  for (const m of page.html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"/g)) {
    fields[m[1] as string] = htmlUnescape((m[2] as string).replace(/&apos;/g, "'").replace(/&#13;/g, '\r'));
  }
  return { action: new URL(htmlUnescape(action), page.url).href, fields };
}

/** Over real HTTP: cookies per host, redirects across origins, script-submitted forms followed like a browser. */
export class WebBrowser {
  readonly jar = new CookieJar();
  /** Every URL requested, in order (redirect hops and frames included). */
  readonly visited: string[] = [];

  /** One request; throws when the host cannot be reached (as a browser shows its own error page). */
  async fetch(method: 'GET' | 'POST', url: string, form?: Record<string, string>): Promise<Response> {
    const target = new URL(url);
    this.visited.push(`${method} ${target.href}`);
    const cookie = this.jar.header(target.hostname);
    const response = await fetch(target, {
      method,
      redirect: 'manual',
      headers: {
        'accept-language': 'en',
        ...(cookie === undefined ? {} : { cookie }),
        ...(form === undefined ? {} : { 'content-type': 'application/x-www-form-urlencoded' }),
      },
      body: form === undefined ? undefined : new URLSearchParams(form).toString(),
      signal: AbortSignal.timeout(5000),
    });
    this.jar.store(target.hostname, response.headers.getSetCookie());
    return response;
  }

  /** Navigates, following redirects and self-submitting forms, until a page that stays. */
  async go(method: 'GET' | 'POST', url: string, form?: Record<string, string>): Promise<WebPage> {
    let page = await this.#follow(method, url, form);
    for (let hops = 0; hops < 10; hops++) {
      const next = autoSubmitForm(page);
      if (next === undefined) return page;
      page = await this.#follow('POST', next.action, next.fields);
    }
    throw new Error(`too many self-submitting forms from ${url}`);
  }

  /** Stops at the first page that would submit itself, so a test can look at what it carries. */
  async goUntilForm(method: 'GET' | 'POST', url: string, form?: Record<string, string>): Promise<WebPage> {
    return this.#follow(method, url, form);
  }

  /**
   * The logout page's frames, loaded one after another (a browser loads them at once): each follows its redirects
   * and forms to the SP and back. Returns, per frame, the last page or the error that stopped it.
   */
  async loadFrames(page: WebPage): Promise<(WebPage | Error)[]> {
    const sources = [...page.html.matchAll(/<iframe[^>]*\bsrc="([^"]+)"/g)].map(
      (m) => new URL(htmlUnescape(m[1] as string), page.url).href,
    );
    const results: (WebPage | Error)[] = [];
    for (const src of sources) {
      try {
        results.push(await this.go('GET', src));
      } catch (error) {
        results.push(error as Error);
      }
    }
    return results;
  }

  /** What the logout page's script does once the frames are done: go to the finish URL it names. */
  async finishLogout(page: WebPage): Promise<WebPage> {
    const finish = /data-finish="([^"]+)"/.exec(page.html)?.[1];
    if (finish === undefined) throw new Error(`not a logout page: ${page.html.slice(0, 300)}`);
    return this.go('GET', new URL(htmlUnescape(finish), page.url).href);
  }

  async #follow(method: 'GET' | 'POST', url: string, form?: Record<string, string>): Promise<WebPage> {
    let response = await this.fetch(method, url, form);
    let current = url;
    for (let hops = 0; hops < 10 && response.status >= 301 && response.status <= 303; hops++) {
      current = new URL(response.headers.get('location') ?? '', current).href;
      await response.body?.cancel();
      response = await this.fetch('GET', current);
    }
    return { url: current, status: response.status, html: await response.text() };
  }
}
