// The login screens over app.inject: markup for every step, page weight, branding, SP name and logo, expired flows.

import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ConfigError, loadConfig } from '../../src/config/config.ts';
import { contrastRatio } from '../../src/config/colour.ts';
import { MemoryStore } from '../../src/store/memory.ts';
import { buildTestIdp, type TestIdp } from '../helpers/app.ts';
import {
  BrowserClient,
  htmlUnescape,
  inputValue,
  injectTransport,
  type Page,
} from '../helpers/browser-client.ts';
import { readResponse } from '../helpers/saml-response.ts';
import { authnRequestXml, createTestSp, newRequestId, redirectQuery } from '../helpers/saml-sp.ts';

const SSO = 'https://idp.example.test/saml/sso';
const STATUS = (s: string) => `urn:oasis:names:tc:SAML:2.0:status:${s}`;
const PNG_1PX = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);
const SVG_LOGO =
  "<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 4 4'><rect width='4' height='4'/></svg>";

const plain = createTestSp();
const named = createTestSp({
  entityId: 'https://named.example.org/sp',
  keyName: 'named-sp',
  displayNames: { en: 'Named Service', no: 'Navngitt tjeneste', fi: 'Nimetty palvelu' },
  logoUrl: `data:image/png;base64,${PNG_1PX.toString('base64')}`,
});
const htmlLogo = createTestSp({
  entityId: 'https://html-logo.example.org/sp',
  keyName: 'html-logo-sp',
  displayNames: { en: 'HTML Logo Service' },
  logoUrl: `data:image/png;base64,${Buffer.from('<html><script>alert(1)</script></html>').toString('base64')}`,
});

/** Starts a login for `entityId` on the Redirect binding; the client is on the first flow page. */
async function start(
  idp: TestIdp,
  opts: { entityId?: string; extra?: string; relayState?: string; language?: string } = {},
): Promise<{ client: BrowserClient; id: string }> {
  const id = newRequestId();
  const xml = authnRequestXml({ issuer: opts.entityId ?? plain.entityId, id, destination: SSO });
  const client = new BrowserClient(injectTransport(idp.app, { 'accept-language': opts.language ?? 'en' }));
  await client.go(
    'GET',
    `/saml/sso?${redirectQuery(xml, { relayState: opts.relayState })}${opts.extra ?? ''}`,
  );
  return { client, id };
}

const flowIdOf = (page: Page): string => {
  const id = /\/login\/([A-Za-z0-9_-]{24})/.exec(page.url)?.[1];
  assert.ok(id !== undefined, `not a flow page: ${page.url}`);
  return id;
};

/** The page's bytes plus those of every asset it loads from /assets/ (CSS, logos, script). */
async function pageWeight(idp: TestIdp, page: Page): Promise<number> {
  const assets = new Set(
    [...page.html.matchAll(/(?:href|src)="(\/assets\/[^"]+)"/g)].map((m) => m[1] as string),
  );
  let bytes = Buffer.byteLength(page.html);
  for (const url of assets) {
    const response = await idp.app.inject({ method: 'GET', url: htmlUnescape(url) });
    assert.equal(response.statusCode, 200, url);
    bytes += response.rawPayload.length;
  }
  return bytes;
}

/** Every input is labelled and every label names an input (WCAG 1.3.1, 3.3.2). */
function assertLabelled(html: string, screen: string): void {
  for (const m of html.matchAll(/<input\b[^>]*>/g)) {
    const tag = m[0];
    if (/type="hidden"/.test(tag)) continue;
    const id = /\bid="([^"]+)"/.exec(tag)?.[1];
    assert.ok(id !== undefined && html.includes(`<label for="${id}">`), `${screen}: ${tag} has a label`);
  }
  for (const m of html.matchAll(/<label for="([^"]+)">/g)) {
    assert.match(html, new RegExp(`<input[^>]*\\bid="${m[1]}"`), `${screen}: label for ${m[1]}`);
  }
}

describe('the screens', () => {
  let idp: TestIdp;
  let store: MemoryStore;

  before(async () => {
    store = new MemoryStore();
    idp = await buildTestIdp({
      store,
      sps: { plain: plain.metadataXml, named: named.metadataXml, htmllogo: htmlLogo.metadataXml },
      spSettings: { named: { eids: ['nets_sms', 'other_eid'] } },
      env: { OTP_RESEND_COOLDOWN_SECONDS: '30' },
    });
  });
  after(async () => {
    await idp.close();
    await store.close();
  });

  test('every screen is under 20 KB with its CSS, logos and script, and every input is labelled', async () => {
    const pages: [string, Page][] = [];
    const s1 = await start(idp, { entityId: named.entityId });
    pages.push(['step 1', s1.client.page as Page]);
    pages.push(['2a', (await start(idp)).client.page as Page]);
    pages.push(['2b', (await start(idp, { extra: '&presetid=%2B4791234567' })).client.page as Page]);
    pages.push(['2d', (await start(idp, { extra: '&presetid=Svenson%2C%20Anton' })).client.page as Page]);
    const both = await start(idp, { extra: '&presetid=%2B4791234567%20Svenson%2C%20Anton' });
    pages.push(['2c', both.client.page as Page]);
    const errors = await start(idp);
    pages.push([
      '2a with errors',
      await errors.client.submit({ given_name: '', family_name: '', phone: 'x' }),
    ]);
    const code = await both.client.submit();
    pages.push(['verify-code (countdown)', code]);
    pages.push(['verify-code with an error', await both.client.submit({ code: '12' })]);
    pages.push(['post-to-sp', await both.client.submit({ action: 'cancel' })]);
    pages.push(['finished', await both.client.go('GET', code.url.split('?')[0] as string)]);
    const expiring = await start(idp, { entityId: named.entityId, extra: '&forcepkivendor=nets_sms' });
    await store.delete(`{${flowIdOf(expiring.client.page as Page)}}:flow`);
    pages.push(['expired', await expiring.client.go('GET', (expiring.client.page as Page).url)]);
    pages.push(['not found', await errors.client.go('GET', '/no-such-page')]);

    for (const [screen, page] of pages) {
      const bytes = await pageWeight(idp, page);
      assert.ok(bytes < 20 * 1024, `${screen}: ${bytes} bytes`);
      assertLabelled(page.html, screen);
      assert.match(page.html, /^<!doctype html>\n<html lang="en">/, `${screen}: lang`);
      assert.doesNotMatch(page.html, /https?:\/\/(?!idp\.example\.test|sp\.example\.org)[^"]*"/, screen);
    }
  });

  test('step 2 inputs: autocomplete, inputmode and the phone hint in the page language', async () => {
    const { client } = await start(idp, { extra: '&locale=sv_SE' });
    const html = client.page?.html ?? '';
    assert.match(html, /<input id="given_name" name="given_name" type="text" autocomplete="given-name"/);
    assert.match(html, /<input id="family_name" name="family_name" type="text" autocomplete="family-name"/);
    assert.match(html, /<input id="phone" name="phone" type="tel" autocomplete="tel" inputmode="tel"/);
    assert.match(html, /id="phone-hint">Till exempel 070-123 45 67\. /);
    const en = await start(idp);
    assert.match(en.client.page?.html ?? '', /id="phone-hint">Include the country code, for example/);
  });

  test('the error summary links each problem to its field, whose error is announced with it', async () => {
    const { client } = await start(idp);
    const page = await client.submit({ given_name: ' ', family_name: 'Nordmann', phone: '0701234567' });
    assert.equal(page.status, 400);
    assert.match(page.html, /<title>Error: Identify yourself – Identification<\/title>/);
    assert.match(page.html, /<a href="#given_name">Enter your first and middle names<\/a>/);
    assert.match(page.html, /<a href="#phone">Enter a valid mobile number/);
    assert.match(page.html, /id="given_name-error"><span class="visually-hidden">Error:<\/span> Enter your/);
    assert.match(page.html, /aria-describedby="phone-hint phone-error" aria-invalid="true"/);
    assert.equal(inputValue(page.html, 'family_name'), 'Nordmann');
  });

  test('step 3: masked number, code lifetime, plural attempts, and the countdown script under its own CSP', async () => {
    const { client } = await start(idp, { extra: '&presetid=%2B4791234567%20Svenson%2C%20Anton&locale=fi' });
    const page = await client.submit();
    assert.match(page.html, /\+4791\*+67/);
    assert.match(page.html, /id="code-hint">Koodi on voimassa 15 minuuttia\. 5 yritystä jäljellä\.<\/p>/);
    assert.match(
      page.html,
      /<input id="code" name="code" type="text" autocomplete="one-time-code" inputmode="numeric"/,
    );
    assert.match(page.html, /data-seconds="30" data-one="[^"]*\{count\}[^"]*" data-other="[^"]*\{count\}/);
    assert.match(
      page.html,
      /id="resend-status" aria-live="polite" data-ready="Voit nyt pyytää koodin uudelleen\."/,
    );
    assert.match(page.html, /<script src="\/assets\/countdown\.js\?v=[0-9a-f]+" defer><\/script>/);
    assert.match(String(page.headers['content-security-policy']), /script-src 'self';/);
    assert.doesNotMatch(page.html, /id="change-phone"/, 'a preset number is not changed here');
    const wrong = await client.submit({ code: '000000' === idp.sms.lastCode() ? '111111' : '000000' });
    assert.match(wrong.html, /4 yritystä jäljellä\./);
    const script = await idp.app.inject({ method: 'GET', url: '/assets/countdown.js' });
    assert.equal(script.headers['content-type'], 'text/javascript; charset=utf-8');
    assert.match(script.body, /aria-disabled/);
  });

  test('pages without a wait load no script and keep the default CSP', async () => {
    const { client } = await start(idp);
    assert.doesNotMatch(client.page?.html ?? '', /<script/);
    assert.doesNotMatch(String(client.page?.headers['content-security-policy']), /script-src/);
  });

  test('"wrong number?" goes back to step 2 with the names; the send still counts', async () => {
    const { client } = await start(idp);
    await client.submit({ given_name: 'Kari', family_name: 'Nordmann', phone: '+4791230101' });
    const back = await client.submit({ action: 'change-phone' });
    assert.match(back.html, /data-variant="2a"/);
    assert.equal(inputValue(back.html, 'given_name'), 'Kari');
    assert.equal(inputValue(back.html, 'phone'), '+47 91 23 01 01');
    assert.match(back.html, /role="status">Enter the right mobile number/);
    await client.submit({ given_name: 'Kari', family_name: 'Nordmann', phone: '+4791230102' });
    const third = await client.submit({ action: 'change-phone' });
    const last = await client.submit({ given_name: 'Kari', family_name: 'Nordmann', phone: '+4791230103' });
    assert.match(third.html, /data-variant="2a"/);
    assert.match(last.html, /id="no-more-sends"/, 'three sends: the flow limit (OTP_MAX_SENDS_PER_FLOW)');
    assert.doesNotMatch(last.html, /id="change-phone"|value="resend"/);
    const refused = await client.submit({ action: 'change-phone' });
    assert.match(refused.html, /data-variant="2a"/);
    const fourth = await client.submit({ given_name: 'Kari', family_name: 'Nordmann', phone: '+4791230104' });
    assert.equal(fourth.status, 400);
    assert.match(fourth.html, /You have asked for as many codes as this login allows/);
  });

  test('"wrong number?" on a preset number stays on step 3', async () => {
    const { client } = await start(idp, { extra: '&presetid=%2B4791230110' });
    const code = await client.submit({ given_name: 'Kari', family_name: 'Nordmann' });
    const after = await client.submit({ action: 'change-phone' });
    assert.equal(after.url.split('?')[0], code.url.split('?')[0]);
    assert.match(after.html, /name="code"/);
  });

  test('the SP is shown by its mdui:DisplayName in the page language and its data: logo, served from here', async () => {
    const nb = await start(idp, { entityId: named.entityId, extra: '&forcepkivendor=nets_sms&locale=nb_NO' });
    assert.match(
      nb.client.page?.html ?? '',
      /class="sp-name">Navngitt tjeneste</,
      'xml:lang="no" read as bokmål',
    );
    const sv = await start(idp, { entityId: named.entityId, extra: '&forcepkivendor=nets_sms&locale=sv' });
    const html = sv.client.page?.html ?? '';
    assert.match(html, /class="sp-name">Named Service</, 'no Swedish name: the English one');
    const logo = /<img class="service-logo" src="(\/assets\/sp-logo\/[\w-]+)" alt=""/.exec(html)?.[1];
    assert.ok(logo !== undefined, 'the logo is on the page');
    const image = await idp.app.inject({ method: 'GET', url: logo });
    assert.equal(image.headers['content-type'], 'image/png');
    assert.deepEqual(image.rawPayload, PNG_1PX);
    assert.match(String(image.headers['content-security-policy']), /sandbox/);
    const plainPage = await start(idp);
    assert.match(plainPage.client.page?.html ?? '', /class="sp-name">sp\.example\.org</, 'the entityID host');
    assert.doesNotMatch(plainPage.client.page?.html ?? '', /service-logo/);
    const bad = await start(idp, { entityId: htmlLogo.entityId });
    assert.doesNotMatch(bad.client.page?.html ?? '', /service-logo/, 'a logo that is no image is not shown');
    assert.equal((await idp.app.inject({ method: 'GET', url: '/assets/sp-logo/nothing' })).statusCode, 404);
  });

  test('an expired flow explains itself and sends the SP a signed AuthnFailed, once, with its RelayState', async () => {
    const relayState = 'rs-<&>-1';
    const { client, id } = await start(idp, { relayState });
    const flowUrl = (client.page as Page).url;
    await store.delete(`{${flowIdOf(client.page as Page)}}:flow`);
    const page = await client.go('GET', flowUrl);
    assert.equal(page.status, 410);
    assert.match(page.html, /<h1>Your login has expired<\/h1>/);
    assert.match(page.html, /within 30 minutes\. Nothing has been sent to sp\.example\.org\./);
    const action = /<form method="post" action="([^"]+)" id="back-to-sp">/.exec(page.html)?.[1];
    assert.equal(action, `${flowUrl}/return`);
    const csrf = inputValue(page.html, 'csrf') as string;

    const forged = await client.go('POST', action, { csrf: `${csrf}x` });
    assert.equal(forged.status, 403);
    const posted = await client.go('POST', action, { csrf });
    const { acsUrl, xml, relayState: echoed } = client.samlPost();
    assert.equal(acsUrl, plain.acsUrl);
    assert.equal(echoed, relayState);
    const response = readResponse(xml);
    assert.equal(response.statusCode, STATUS('Responder'));
    assert.equal(response.subStatusCode, STATUS('AuthnFailed'));
    assert.equal(response.inResponseTo, id);
    assert.equal(response.hasAssertion, false);
    assert.equal(posted.status, 200);

    const again = await client.go('POST', action, { csrf });
    assert.equal(again.status, 410);
    assert.doesNotMatch(again.html, /back-to-sp/);
  });

  test('a flow that ended leaves no way back; its page says it is finished and links to the SP site', async () => {
    const { client } = await start(idp);
    const flowUrl = (client.page as Page).url;
    await client.submit({ action: 'cancel' });
    const finished = await client.go('GET', flowUrl);
    assert.equal(finished.status, 410);
    assert.match(finished.html, /<h1>This login is finished<\/h1>/);
    assert.match(
      finished.html,
      /<a href="https:\/\/sp\.example\.org\/" id="sp-link">Go to sp\.example\.org<\/a>/,
    );
    await store.delete(`{${flowIdOf(finished)}}:flow`);
    const gone = await client.go('GET', flowUrl);
    assert.equal(gone.status, 410);
    assert.doesNotMatch(gone.html, /back-to-sp/, 'a cancelled flow already answered the SP');
  });
});

describe('branding', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'nsi-brand-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('the neutral default: generic translated name, built-in mark in the contrast colour, no third party', async () => {
    const idp = await buildTestIdp({ sps: { plain: plain.metadataXml } });
    try {
      const { client } = await start(idp, { language: 'da' });
      assert.match(client.page?.html ?? '', /<span class="brand-name">Identifikation<\/span>/);
      const css = await idp.app.inject({ method: 'GET', url: '/assets/idp.css' });
      assert.match(css.body, /:root\{--brand:#1f3b73;--brand-contrast:#ffffff;--link:#1f3b73\}\n$/);
      const logo = await idp.app.inject({ method: 'GET', url: '/assets/idp-logo' });
      assert.equal(logo.headers['content-type'], 'image/svg+xml');
      assert.match(logo.body, /stroke="#ffffff"/);
      assert.doesNotMatch(logo.body, /nets|nexi|bankid|<text|<image/i, 'a plain drawn mark, no trademark');
      assert.doesNotMatch(css.body, /url\(|@import|@font-face/, 'no external asset or font');
    } finally {
      await idp.close();
    }
  });

  test('IDP_DISPLAY_NAME, IDP_LOGO_FILE and the brand colours reach every page; a light brand keeps dark links', async () => {
    const logoFile = join(dir, 'logo.png');
    writeFileSync(logoFile, PNG_1PX);
    const idp = await buildTestIdp({
      sps: { plain: plain.metadataXml },
      env: {
        IDP_DISPLAY_NAME: 'Kommune <Login>',
        IDP_LOGO_FILE: logoFile,
        IDP_BRAND_COLOR: '#FFD700',
        IDP_BRAND_CONTRAST_COLOR: '#000',
      },
    });
    try {
      const { client } = await start(idp);
      const html = client.page?.html ?? '';
      assert.match(html, /<span class="brand-name">Kommune &lt;Login&gt;<\/span>/);
      assert.match(html, /<title>Identify yourself – Kommune &lt;Login&gt;<\/title>/);
      const css = await idp.app.inject({ method: 'GET', url: '/assets/idp.css' });
      assert.match(css.body, /--brand:#ffd700;--brand-contrast:#000000;--link:#1b1b1b\}/);
      const logo = await idp.app.inject({ method: 'GET', url: '/assets/idp-logo' });
      assert.equal(logo.headers['content-type'], 'image/png');
      assert.deepEqual(logo.rawPayload, PNG_1PX);
    } finally {
      await idp.close();
    }
  });

  test('settings that would break the page are refused at start, all at once', () => {
    const problems = (env: Record<string, string>): readonly string[] => {
      try {
        loadConfig(env);
      } catch (error) {
        if (error instanceof ConfigError) return error.problems;
        throw error;
      }
      return [];
    };
    assert.deepEqual(problems({ IDP_BRAND_COLOR: '#1f3b73', IDP_BRAND_CONTRAST_COLOR: '#ffffff' }), []);
    const found = problems({
      IDP_BRAND_COLOR: '#777777',
      IDP_BRAND_CONTRAST_COLOR: 'white',
      IDP_LOGO_FILE: 'logo.gif',
      DEFAULT_PHONE_COUNTRY: 'Sweden',
    });
    assert.equal(found.length, 4, found.join('\n'));
    const lowContrast = problems({ IDP_BRAND_COLOR: '#777777', IDP_BRAND_CONTRAST_COLOR: '#ffffff' });
    assert.match(lowContrast[0] ?? '', /contrast 4\.48:1; .* at least 4\.5:1/);
    assert.equal(contrastRatio('#000000', '#ffffff'), 21);
  });

  test('a logo file whose bytes are not the image its name says stops the start', async () => {
    const fake = join(dir, 'fake.png');
    writeFileSync(fake, '<svg xmlns="http://www.w3.org/2000/svg"/>');
    await assert.rejects(
      buildTestIdp({ sps: { plain: plain.metadataXml }, env: { IDP_LOGO_FILE: fake } }),
      /IDP_LOGO_FILE does not hold the PNG image its name says/,
    );
  });

  test('DEFAULT_PHONE_COUNTRY reads a local number when the locale names no country', async () => {
    const idp = await buildTestIdp({
      sps: { plain: plain.metadataXml },
      env: { DEFAULT_PHONE_COUNTRY: 'SE' },
    });
    try {
      const { client } = await start(idp, { language: 'en' });
      assert.match(client.page?.html ?? '', /id="phone-hint">For example 070-123 45 67\. /);
      await client.submit({ given_name: 'Anton', family_name: 'Svenson', phone: '070-123 01 20' });
      assert.equal(idp.sms.sent.at(-1)?.to, '+46701230120');
      const fi = await start(idp, { extra: '&locale=sv_FI' });
      await fi.client.submit({ given_name: 'Ebba', family_name: 'Lind', phone: '040 123 0121' });
      assert.equal(idp.sms.sent.at(-1)?.to, '+358401230121', 'the region of sv_FI wins over the setting');
    } finally {
      await idp.close();
    }
  });
});

describe('SP logos fetched from their metadata URL (SP_LOGO_FETCH=true)', () => {
  let server: Server;
  let base: string;
  let hits = 0;
  const seen = new Set<string>();

  before(async () => {
    server = createServer((req, res) => {
      hits += 1;
      seen.add(req.url ?? '');
      if (req.url === '/logo.png') res.writeHead(200, { 'content-type': 'image/png' }).end(PNG_1PX);
      else if (req.url === '/logo.svg') res.writeHead(200, { 'content-type': 'image/svg+xml' }).end(SVG_LOGO);
      else if (req.url === '/page.html')
        res.writeHead(200, { 'content-type': 'image/png' }).end('<html></html>');
      else if (req.url === '/huge.png')
        res
          .writeHead(200, { 'content-type': 'image/png' })
          .end(Buffer.concat([PNG_1PX, Buffer.alloc(70_000)]));
      else res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(
    () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  );

  const spWithLogo = (name: string, path: string) =>
    createTestSp({
      entityId: `https://${name}.example.org/sp`,
      keyName: `${name}-sp`,
      displayNames: { en: name },
      logoUrl: `${base}${path}`,
    });

  /** The logo path a login page for `sp` shows once its logo (`path`) was asked for and the answer read. */
  const shownLogo = async (idp: TestIdp, entityId: string, path: string): Promise<string | undefined> => {
    for (let i = 0; i < 100 && !seen.has(path); i++) await new Promise((resolve) => setTimeout(resolve, 10));
    let logo: string | undefined;
    for (let i = 0; i < 10 && logo === undefined; i++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
      const html = (await start(idp, { entityId })).client.page?.html ?? '';
      logo = /class="service-logo" src="([^"]+)"/.exec(html)?.[1];
    }
    return logo;
  };

  test('an image is fetched once and served from our origin; a non-image or an oversized one is not shown', async () => {
    const png = spWithLogo('png', '/logo.png');
    const svg = spWithLogo('svg', '/logo.svg');
    const html = spWithLogo('html', '/page.html');
    const huge = spWithLogo('huge', '/huge.png');
    const idp = await buildTestIdp({
      sps: { png: png.metadataXml, svg: svg.metadataXml, html: html.metadataXml, huge: huge.metadataXml },
      // The logo server is on loopback: a host the admin must name (OUTBOUND_PRIVATE_HOSTS).
      env: { SP_LOGO_FETCH: 'true', OUTBOUND_PRIVATE_HOSTS: '127.0.0.1' },
    });
    try {
      const pngLogo = await shownLogo(idp, png.entityId, '/logo.png');
      assert.match(pngLogo ?? '', /^\/assets\/sp-logo\//);
      const served = await idp.app.inject({ method: 'GET', url: pngLogo as string });
      assert.deepEqual(served.rawPayload, PNG_1PX);
      const svgLogo = await shownLogo(idp, svg.entityId, '/logo.svg');
      const svgServed = await idp.app.inject({ method: 'GET', url: svgLogo as string });
      assert.equal(svgServed.headers['content-type'], 'image/svg+xml');
      assert.match(String(svgServed.headers['content-security-policy']), /default-src 'none'.*sandbox/);
      const before = hits;
      await start(idp, { entityId: png.entityId });
      assert.equal(hits, before, 'fetched once, then served from memory');
      assert.equal(await shownLogo(idp, html.entityId, '/page.html'), undefined);
      assert.equal(await shownLogo(idp, huge.entityId, '/huge.png'), undefined);
    } finally {
      await idp.close();
    }
  });

  test('with SP_LOGO_FETCH unset nothing is fetched and the name stands alone', async () => {
    const png = spWithLogo('quiet', '/logo.png');
    const idp = await buildTestIdp({ sps: { quiet: png.metadataXml } });
    try {
      const before = hits;
      const { client } = await start(idp, { entityId: png.entityId });
      assert.match(client.page?.html ?? '', /class="sp-name">quiet</);
      assert.doesNotMatch(client.page?.html ?? '', /service-logo/);
      assert.equal(hits, before);
    } finally {
      await idp.close();
    }
  });
});
