// The production SSO cookie in a real browser: the IdP on https (behind a TLS front, as in production) under its own
// host name, two node-saml SPs on another site. `__Host-nsi_sso; Secure; SameSite=None` must reach the IdP on the
// second SP's cross-site HTTP-POST AuthnRequest (a Lax cookie would not), and SP-initiated logout must reach the
// other SP in its frame and end the session.

import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { buildApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config/config.ts';
import { launchChromium } from '../helpers/browser.ts';
import { freePort } from '../helpers/http-idp.ts';
import { NodeSamlHttpSp } from '../helpers/node-saml-http-sp.ts';
import { idpCertFromMetadata } from '../helpers/node-saml-sp.ts';
import { RecordingSmsProvider } from '../helpers/recording-sms.ts';
import { readResponse } from '../helpers/saml-response.ts';
import { testKeys } from '../helpers/saml-sp.ts';
import { TlsFront } from '../helpers/tls-front.ts';

const IDP_HOST = 'idp.test';

let dir: string;
let app: FastifyInstance;
let front: TlsFront;
let chromium: Browser;
let shop: NodeSamlHttpSp;
let bank: NodeSamlHttpSp;
const sms = new RecordingSmsProvider();

before(async () => {
  // shop answers logout on HTTP-Redirect, bank on HTTP-POST.
  shop = await NodeSamlHttpSp.start('shop', testKeys('e2e-https-shop'), 'HTTP-Redirect');
  bank = await NodeSamlHttpSp.start('bank', testKeys('e2e-https-bank'), 'HTTP-POST');
  dir = mkdtempSync(join(tmpdir(), 'nsi-https-e2e-'));
  const spDir = join(dir, 'sp');
  mkdirSync(spDir);
  for (const sp of [shop, bank]) writeFileSync(join(spDir, `${sp.name}.xml`), sp.metadata());
  const [inner, outer] = [await freePort(), await freePort()];
  const baseUrl = `https://${IDP_HOST}:${outer}`;
  const config = loadConfig({
    HOST: '127.0.0.1',
    PORT: String(inner),
    BASE_URL: baseUrl,
    SP_METADATA_DIR: spDir,
    DEV_KEY_DIR: join(dir, 'keys'),
    DEMO_SP: 'false',
    IDP_SECRET: 'e2e-https-secret-0123456789-0123456789',
    LOG_LEVEL: 'silent',
    SLO_PROPAGATION_TIMEOUT_SECONDS: '3',
  });
  app = await buildApp(config, { sms, logger: false });
  await app.listen({ port: inner, host: '127.0.0.1' });
  front = await TlsFront.start(IDP_HOST, outer, inner);
  const metadata = await (await fetch(`http://127.0.0.1:${inner}/saml/metadata`)).text();
  const idp = {
    ssoUrl: `${baseUrl}/saml/sso`,
    sloUrl: `${baseUrl}/saml/slo`,
    entityId: `${baseUrl}/saml/metadata`,
    certPem: idpCertFromMetadata(metadata),
  };
  for (const sp of [shop, bank]) sp.trust(idp);
  chromium = await launchChromium(front.chromiumArgs(IDP_HOST));
});

after(async () => {
  await chromium?.close();
  await front?.close();
  await app?.close();
  for (const sp of [shop, bank]) await sp?.stop().catch(() => {});
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

/** A fresh browser profile; console messages about CSP, mixed content or refused loads are collected. */
async function openPage(): Promise<{ context: BrowserContext; page: Page; problems: string[] }> {
  const context = await chromium.newContext({ locale: 'en-GB' });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (m) => {
    if (/Content Security Policy|Mixed Content|Refused|blocked/i.test(m.text())) problems.push(m.text());
  });
  return { context, page, problems };
}

/** A login with a code at `sp`, started on the HTTP-Redirect binding; ends on the SP's page. */
async function loginWithCode(page: Page, sp: NodeSamlHttpSp, phone: string): Promise<void> {
  await page.goto(await sp.loginUrl());
  assert.equal(new URL(page.url()).host, new URL(front.origin).host, 'the login page is on the https IdP');
  await page.fill('input[name=given_name]', 'Kari');
  await page.fill('input[name=family_name]', 'Nordmann');
  await page.fill('input[name=phone]', phone);
  await Promise.all([page.waitForURL(/\/login\//), page.click('button.primary')]);
  await page.fill('input[name=code]', sms.lastCode(phone));
  await Promise.all([page.waitForURL(`${sp.acsUrl}**`), page.click('button.primary')]);
  assert.match(await page.content(), new RegExp(`logged in as \\${phone}`));
}

test('in Chromium over https: the Secure SameSite=None cookie carries SSO to an SP on the POST binding, and logout ends it everywhere', async () => {
  const { context, page, problems } = await openPage();
  try {
    const phone = '+4741600001';
    await loginWithCode(page, shop, phone);

    // The bank's page posts its AuthnRequest to the IdP: a cross-site POST. Only SameSite=None lets the cookie ride.
    const sent = sms.sent.length;
    await page.goto(bank.postLoginUrl);
    await page.waitForURL((u) => u.href.startsWith(bank.acsUrl) || u.pathname.startsWith('/login/'));
    assert.ok(
      page.url().startsWith(bank.acsUrl),
      `answered from the session, not asked to log in: ${page.url()}`,
    );
    assert.match(await page.content(), new RegExp(`logged in as \\${phone}`));
    assert.equal(sms.sent.length, sent, 'no second code');
    const spCookies = () =>
      context.cookies(shop.acsUrl).then((l) => l.map((c) => `${c.name}=${c.value}`).join('; '));
    const atBank = bank.sessionOf(await spCookies());
    assert.ok(atBank, 'logged in at the bank');
    assert.notEqual(atBank.sessionIndex, shop.sessionOf(await spCookies())?.sessionIndex);

    // What made it work: the production cookie, as the browser keeps it.
    const [cookie, ...others] = (await context.cookies(front.origin)).filter((c) => /nsi_sso/.test(c.name));
    assert.equal(others.length, 0);
    assert.equal(cookie?.name, '__Host-nsi_sso');
    assert.equal(cookie?.secure, true);
    assert.equal(cookie?.sameSite, 'None');
    assert.equal(cookie?.httpOnly, true);
    assert.equal(cookie?.path, '/');

    // Logout at the shop: the IdP's logout page frames the bank's SLO endpoint, then returns to the shop.
    const answered = shop.logoutResponses.length;
    await page.goto(shop.logoutUrl);
    await page.waitForURL(`${shop.sloUrl}**`, { timeout: 10_000 });
    assert.match(await page.content(), /logged out/);
    assert.equal(bank.sessionOf(await spCookies()), undefined, 'the bank ended its session in its frame');
    assert.equal(bank.logoutRequests.at(-1)?.sessionIndex, atBank.sessionIndex);
    const response = shop.logoutResponses[answered];
    assert.ok(response?.accepted, response?.error);
    const status = readResponse(response.xml);
    assert.equal(status.statusCode, 'urn:oasis:names:tc:SAML:2.0:status:Success');
    assert.equal(status.subStatusCode, null, 'nothing partial');
    assert.deepEqual(
      (await context.cookies(front.origin)).filter((c) => /nsi_sso/.test(c.name)),
      [],
      'the browser dropped the session cookie',
    );

    // The session is over: the bank's next POST request gets the login page, not an answer.
    await page.goto(bank.postLoginUrl);
    await page.waitForURL(/\/login\//);
    assert.equal(await page.locator('input[name=phone]').count(), 1);
    assert.deepEqual(problems, [], 'no CSP, mixed-content or script errors on the way');
  } finally {
    await context.close();
  }
});
