// The web side of a login: the flow cookie and CSRF token, security headers and CSPs, double submits in two tabs,
// and hostile names, each tested the way a browser (Fetch Metadata, cookies) or an attacker would send it.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type { Browser } from 'playwright-core';
import { buildTestIdp, type TestIdp } from '../helpers/app.ts';
import { type DemoIdp, demoLoginUrl, LOGIN_URL, launchChromium, startDemoIdp } from '../helpers/browser.ts';
import { BrowserClient, htmlUnescape, inputValue, type Transport } from '../helpers/browser-client.ts';
import { readResponse } from '../helpers/saml-response.ts';
import { authnRequestXml, createTestSp, postForm, redirectQuery } from '../helpers/saml-sp.ts';
import { STORES } from '../helpers/stores.ts';

const SSO = 'https://idp.example.test/saml/sso';
const sp = createTestSp();
const shady = createTestSp({
  entityId: 'https://shady.example.org/sp',
  keyName: 'shady-sp',
  displayNames: { en: '<img src=x onerror=alert(1)>Shady & Co' },
});

/** Cookies as a browser keeps them: by name and Path, sent to URLs under that Path. */
class CookieJar {
  readonly cookies = new Map<string, { name: string; value: string; path: string }>();

  take(setCookie: string | string[] | undefined): void {
    for (const line of [setCookie ?? []].flat()) {
      const [pair = '', ...attributes] = line.split(';').map((s) => s.trim());
      const eq = pair.indexOf('=');
      const path = attributes.find((a) => /^path=/i.test(a))?.slice(5) ?? '/';
      const cookie = { name: pair.slice(0, eq), value: pair.slice(eq + 1), path };
      this.cookies.set(`${cookie.name} ${path}`, cookie);
    }
  }

  header(url: string): string | undefined {
    const path = url.split('?')[0] ?? url;
    const sent = [...this.cookies.values()].filter((c) => path === c.path || path.startsWith(`${c.path}/`));
    return sent.length === 0 ? undefined : sent.map((c) => `${c.name}=${c.value}`).join('; ');
  }
}

/**
 * Requests as a current browser sends them: Fetch Metadata on every request (cross-site for the SP's request to
 * /saml/sso, same-origin after), and the cookies of `jar`.
 */
function browserTransport(app: FastifyInstance, jar: CookieJar): Transport {
  return async (method, url, form) => {
    const cookie = jar.header(url);
    const response = await app.inject({
      method,
      url,
      headers: {
        'accept-language': 'en',
        'sec-fetch-site': url.startsWith('/saml/sso') ? 'cross-site' : 'same-origin',
        'sec-fetch-mode': 'navigate',
        'sec-fetch-dest': 'document',
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
}

const ssoUrl = (issuer = sp.entityId) =>
  `/saml/sso?${redirectQuery(authnRequestXml({ issuer, destination: SSO }), { relayState: 'rs' })}`;

/** A browser on the first flow page, and the flow's path. */
async function startInBrowser(idp: TestIdp, issuer?: string) {
  const jar = new CookieJar();
  const browser = new BrowserClient(browserTransport(idp.app, jar));
  const page = await browser.go('GET', ssoUrl(issuer));
  assert.equal(page.status, 200, page.html.slice(0, 300));
  return {
    browser,
    jar,
    flowPath: page.url.split('?')[0] as string,
    csrf: inputValue(page.html, 'csrf') as string,
  };
}

const fromBrowser = { 'sec-fetch-site': 'none', 'sec-fetch-mode': 'navigate', 'sec-fetch-dest': 'document' };

describe('the flow cookie and CSRF token', () => {
  let idp: TestIdp;
  before(async () => {
    idp = await buildTestIdp({ sps: { sp: sp.metadataXml } });
  });
  after(() => idp.close());

  test('the first cross-site POST from the SP works without a cookie and sets the flow cookie', async () => {
    const response = await idp.app.inject({
      method: 'POST',
      url: '/saml/sso',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'sec-fetch-site': 'cross-site',
        'sec-fetch-mode': 'navigate',
        origin: 'https://sp.example.org',
      },
      payload: new URLSearchParams(
        postForm(authnRequestXml({ issuer: sp.entityId, destination: SSO })),
      ).toString(),
    });
    assert.equal(response.statusCode, 303);
    const flowPath = String(response.headers.location);
    const cookie = String(response.headers['set-cookie']);
    assert.match(cookie, /^nsi_flow=[\w-]{43};/);
    assert.match(cookie, new RegExp(`; Path=${flowPath}(;|$)`));
    assert.match(cookie, /; HttpOnly(;|$)/);
    assert.match(cookie, /; Secure(;|$)/, 'BASE_URL is https');
    assert.match(cookie, /; SameSite=Lax(;|$)/);
    assert.match(cookie, /; Max-Age=1800(;|$)/);
  });

  test('a login in a browser that keeps the cookie goes through to the assertion', async () => {
    const { browser } = await startInBrowser(idp);
    await browser.submit({ given_name: 'Kari', family_name: 'Nordmann', phone: '+4791234567' });
    await browser.submit({ code: idp.sms.lastCode('+4791234567') });
    assert.equal(
      readResponse(browser.samlPost().xml).statusCode,
      'urn:oasis:names:tc:SAML:2.0:status:Success',
    );
  });

  test('login CSRF: a flow link opened in another browser (no cookie) gets a clear page, and no SMS', async () => {
    const { flowPath, csrf } = await startInBrowser(idp);
    const page = await idp.app.inject({
      method: 'GET',
      url: flowPath,
      headers: { ...fromBrowser, 'accept-language': 'en' },
    });
    assert.equal(page.statusCode, 403);
    assert.match(page.body, /This login was started in another browser or window/);
    assert.match(page.body, /class="reference"/);
    assert.doesNotMatch(page.body, /name="csrf"/, 'the flow is not shown');
    const before = idp.sms.sent.length;
    const post = await idp.app.inject({
      method: 'POST',
      url: flowPath,
      headers: { ...fromBrowser, 'sec-fetch-site': 'cross-site' },
      payload: { csrf, step: 'identify', given_name: 'A', family_name: 'B', phone: '+4791234568' },
    });
    assert.equal(post.statusCode, 403);
    assert.equal(idp.sms.sent.length, before);
  });

  test('a forged flow cookie is refused, from any client', async () => {
    const { flowPath } = await startInBrowser(idp);
    const response = await idp.app.inject({
      method: 'GET',
      url: flowPath,
      headers: { cookie: `nsi_flow=${'A'.repeat(43)}` },
    });
    assert.equal(response.statusCode, 403);
  });

  test('the cookie of one flow does not open another', async () => {
    const first = await startInBrowser(idp);
    const second = await startInBrowser(idp);
    const cookie = first.jar.header(first.flowPath) as string;
    const response = await idp.app.inject({
      method: 'GET',
      url: second.flowPath,
      headers: { ...fromBrowser, cookie },
    });
    assert.equal(response.statusCode, 403);
  });

  test('each flow has its own cookie, so logins in two tabs do not disturb each other', async () => {
    const jar = new CookieJar();
    const tabA = new BrowserClient(browserTransport(idp.app, jar));
    const tabB = new BrowserClient(browserTransport(idp.app, jar));
    await tabA.go('GET', ssoUrl());
    await tabB.go('GET', ssoUrl());
    assert.equal(jar.cookies.size, 2);
    assert.equal(
      (await tabA.submit({ given_name: 'A', family_name: 'B', phone: '+4791234569' })).status,
      200,
    );
    assert.equal(
      (await tabB.submit({ given_name: 'C', family_name: 'D', phone: '+4791234570' })).status,
      200,
    );
  });

  test('CSRF: a POST without the token, or with another flow’s token, is refused', async () => {
    const a = await startInBrowser(idp);
    const b = await startInBrowser(idp);
    const cookie = a.jar.header(a.flowPath) as string;
    const form = { step: 'identify', given_name: 'A', family_name: 'B', phone: '+4791234571' };
    for (const csrf of [undefined, b.csrf, '']) {
      const response = await idp.app.inject({
        method: 'POST',
        url: a.flowPath,
        headers: { ...fromBrowser, 'sec-fetch-site': 'same-origin', cookie },
        payload: csrf === undefined ? form : { ...form, csrf },
      });
      assert.equal(response.statusCode, 403, String(csrf));
    }
    assert.equal(idp.sms.sent.filter((m) => m.to === '+4791234571').length, 0);
  });

  test('the cookie is not Secure when BASE_URL is plain http (local development)', async () => {
    const local = await buildTestIdp({
      sps: { sp: sp.metadataXml },
      env: { BASE_URL: 'http://localhost:3000' },
    });
    try {
      const xml = authnRequestXml({ issuer: sp.entityId, destination: 'http://localhost:3000/saml/sso' });
      const response = await local.app.inject({ method: 'GET', url: `/saml/sso?${redirectQuery(xml)}` });
      assert.equal(response.statusCode, 303);
      assert.doesNotMatch(String(response.headers['set-cookie']), /Secure/);
      assert.match(String(response.headers['set-cookie']), /HttpOnly; SameSite=Lax/);
    } finally {
      await local.close();
    }
  });
});

describe('the flow cookie in a real browser (Chromium)', () => {
  let demo: DemoIdp;
  let chromium: Browser;
  before(async () => {
    demo = await startDemoIdp();
    chromium = await launchChromium();
  });
  after(async () => {
    try {
      await chromium?.close();
    } finally {
      await demo?.close();
    }
  });

  test('the browser keeps the cookie the SSO redirect sets; another browser opening the link is refused', async () => {
    const mine = await chromium.newContext({ locale: 'en-GB' });
    const theirs = await chromium.newContext({ locale: 'en-GB' });
    try {
      const page = await mine.newPage();
      await page.goto(demoLoginUrl(demo.origin, { binding: 'post' }));
      await page.waitForURL(LOGIN_URL, { waitUntil: 'load', timeout: 10_000 });
      const flowPath = new URL(page.url()).pathname;
      assert.equal(await page.locator('input[name="given_name"]').count(), 1);
      const [cookie] = await mine.cookies(`${demo.origin}${flowPath}`);
      assert.equal(cookie?.name, 'nsi_flow');
      assert.equal(cookie?.path, flowPath);
      assert.equal(cookie?.httpOnly, true);
      assert.equal(cookie?.sameSite, 'Lax');
      const stranger = await theirs.newPage();
      const response = await stranger.goto(`${demo.origin}${flowPath}`);
      assert.equal(response?.status(), 403);
      assert.match(await stranger.content(), /This login was started in another browser or window/);
      assert.equal(await stranger.locator('input[name="given_name"]').count(), 0);
    } finally {
      await mine.close();
      await theirs.close();
    }
  });
});

describe('security headers', () => {
  let idp: TestIdp;
  before(async () => {
    idp = await buildTestIdp({ sps: { sp: sp.metadataXml } });
  });
  after(() => idp.close());

  const assertCommon = (headers: Record<string, unknown>) => {
    assert.equal(headers['x-content-type-options'], 'nosniff');
    assert.equal(headers['x-frame-options'], 'DENY');
    assert.equal(headers['referrer-policy'], 'no-referrer');
    assert.match(String(headers['content-security-policy']), /frame-ancestors 'none'/);
    assert.match(String(headers['content-security-policy']), /default-src 'none'/);
  };

  test('clickjacking: flow pages cannot be framed, are never cached and run no script', async () => {
    const { browser } = await startInBrowser(idp);
    const headers = browser.page?.headers ?? {};
    assertCommon(headers);
    assert.equal(headers['cache-control'], 'no-store');
    assert.match(String(headers['content-security-policy']), /form-action 'self'/);
    assert.doesNotMatch(String(headers['content-security-policy']), /script-src/);
    const codePage = await browser.submit({ given_name: 'A', family_name: 'B', phone: '+4791234580' });
    assertCommon(codePage.headers);
    assert.equal(codePage.headers['cache-control'], 'no-store');
  });

  test('error pages carry the same headers', async () => {
    const response = await idp.app.inject({ method: 'GET', url: '/saml/sso?SAMLRequest=%%%' });
    assert.equal(response.statusCode, 400);
    assertCommon(response.headers);
    assert.equal(response.headers['cache-control'], 'no-store');
  });

  test('the auto-post page has its own CSP: one nonce’d script, no form-action (the ACS may redirect anywhere)', async () => {
    const { browser } = await startInBrowser(idp);
    await browser.submit({ action: 'cancel' });
    const page = browser.page;
    assert.ok(page !== undefined);
    assertCommon(page.headers);
    assert.equal(page.headers['cache-control'], 'no-store');
    const csp = String(page.headers['content-security-policy']);
    assert.doesNotMatch(csp, /form-action/, 'form-action would also block the redirect the ACS answers with');
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, /frame-ancestors 'none'/);
    const nonce = /script-src 'nonce-([^']+)'/.exec(csp)?.[1];
    assert.ok(nonce !== undefined, csp);
    const scriptNonce = /<script nonce="([^"]+)">/.exec(page.html)?.[1];
    assert.equal(htmlUnescape(scriptNonce ?? ''), nonce, 'the script carries the header’s nonce');
    assert.equal((page.html.match(/<script/g) ?? []).length, 1);
    const again = await startInBrowser(idp);
    await again.browser.submit({ action: 'cancel' });
    assert.notEqual(
      /'nonce-([^']+)'/.exec(String(again.browser.page?.headers['content-security-policy']))?.[1],
      nonce,
    );
  });
});

describe('two tabs and double submits on a real Redis', () => {
  let stopStore: () => Promise<void>;
  let idp: TestIdp;
  before(async () => {
    const made = await STORES.redis();
    stopStore = made.stop;
    idp = await buildTestIdp({ sps: { sp: sp.metadataXml }, store: made.store });
  });
  after(async () => {
    await idp?.close();
    await stopStore?.();
  });

  const post = (flowPath: string, cookie: string, payload: Record<string, string>) =>
    idp.app.inject({
      method: 'POST',
      url: flowPath,
      headers: { ...fromBrowser, 'sec-fetch-site': 'same-origin', cookie },
      payload,
    });

  test('a double submit of name and phone sends one SMS', async () => {
    const { jar, flowPath, csrf } = await startInBrowser(idp);
    const cookie = jar.header(flowPath) as string;
    const form = { csrf, step: 'identify', given_name: 'A', family_name: 'B', phone: '+4791234590' };
    const results = await Promise.all([0, 1, 2, 3].map(() => post(flowPath, cookie, form)));
    assert.ok(results.some((r) => r.statusCode === 303));
    assert.equal(idp.sms.sent.filter((m) => m.to === '+4791234590').length, 1);
  });

  test('the right code submitted in two tabs at once gives exactly one assertion', async () => {
    const { browser, jar, flowPath, csrf } = await startInBrowser(idp);
    await browser.submit({ given_name: 'A', family_name: 'B', phone: '+4791234591' });
    const cookie = jar.header(flowPath) as string;
    const code = idp.sms.lastCode('+4791234591');
    const results = await Promise.all(
      [0, 1, 2, 3, 4, 5].map(() => post(flowPath, cookie, { csrf, step: 'verify-code', code })),
    );
    assert.equal(results.filter((r) => r.body.includes('name="SAMLResponse"')).length, 1);
    const later = await post(flowPath, cookie, { csrf, step: 'verify-code', code });
    assert.equal(later.statusCode, 410, 'the flow is finished');
  });
});

describe('hostile names', () => {
  let idp: TestIdp;
  before(async () => {
    idp = await buildTestIdp({ sps: { sp: sp.metadataXml, shady: shady.metadataXml } });
  });
  after(() => idp.close());

  const identify = async (names: { given_name: string; family_name: string }, phone: string) => {
    const { browser } = await startInBrowser(idp);
    return { browser, page: await browser.submit({ ...names, phone }) };
  };

  test('names are normalised to NFC, whitespace collapsed, and reach the SP as typed text', async () => {
    const { browser } = await identify(
      { given_name: '  A\u030Ase \t Marie ', family_name: 'O\u0308degård' },
      '+4791234600',
    );
    await browser.submit({ code: idp.sms.lastCode('+4791234600') });
    const r = readResponse(browser.samlPost().xml);
    assert.equal(r.attributes.GIVENNAME, '\u00C5se Marie');
    assert.equal(r.attributes.SURNAME, '\u00D6degård');
    assert.equal(r.attributes.FULLNAME, '\u00C5se Marie \u00D6degård');
  });

  const refusedNames: [string, string, RegExp][] = [
    [
      'a right-to-left override (spoofed file names, reversed text)',
      'Evil\u202Egnp.exe',
      /contains characters we cannot accept/,
    ],
    ['a bidi isolate', 'Name\u2066x\u2069', /contains characters we cannot accept/],
    ['a NUL control character', 'Nul\u0000l', /contains characters we cannot accept/],
    ['a zero-width joiner', 'Zero\u200Dwidth', /contains characters we cannot accept/],
    ['101 characters', 'x'.repeat(101), /must be 100 characters or fewer/],
    ['no letter at all', '<>"\'&;', /contains characters we cannot accept/],
  ];
  for (const [name, familyName, message] of refusedNames) {
    test(`a name with ${name} is refused on the form`, async () => {
      const { page } = await identify({ given_name: 'Kari', family_name: familyName }, '+4791234601');
      assert.equal(page.status, 400);
      assert.match(page.html, /id="family_name-error"/);
      assert.match(page.html, message);
      assert.equal(idp.sms.sent.filter((m) => m.to === '+4791234601').length, 0);
    });
  }

  test('markup in a name is escaped on the page and in the assertion', async () => {
    const given = '<script>alert(1)</script>';
    const family = '"><img src=x onerror=alert(2)>O\'Brien & Sons';
    const { page } = await identify({ given_name: given, family_name: family }, '+4712');
    assert.equal(page.status, 400, 'the bad number re-renders the form with the names');
    assert.ok(
      !page.html.includes('<script>alert') && !page.html.includes('<img src=x'),
      'escaped on the page',
    );
    assert.equal(inputValue(page.html, 'given_name'), given);
    assert.equal(inputValue(page.html, 'family_name'), family);
    const { browser } = await identify({ given_name: given, family_name: family }, '+4791234602');
    await browser.submit({ code: idp.sms.lastCode('+4791234602') });
    const { xml } = browser.samlPost();
    assert.ok(!xml.includes('<script>') && !xml.includes('<img'), 'escaped in the XML');
    assert.equal(readResponse(xml).attributes.GIVENNAME, given);
    assert.equal(readResponse(xml).attributes.SURNAME, family);
  });

  test('markup in an SP’s display name (from its metadata) is escaped on every page', async () => {
    const { browser } = await startInBrowser(idp, shady.entityId);
    const html = browser.page?.html ?? '';
    assert.ok(!html.includes('<img src=x'), 'escaped');
    assert.match(htmlUnescape(html), /<img src=x onerror=alert\(1\)>Shady & Co needs to know who you are/);
    assert.match(html, /class="sp-name">&lt;img src&#x3D;x onerror&#x3D;alert\(1\)&gt;Shady &amp; Co</);
  });
});
