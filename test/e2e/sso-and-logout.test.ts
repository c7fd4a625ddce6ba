// SSO and Single Logout over real HTTP between the IdP and SPs built with @node-saml/node-saml 5 (another SAML
// library than ours), on the memory store and on a real Redis: SSO across SPs, ForceAuthn, IsPassive, SP-initiated
// logout propagated to the others, an SP that is down (PartialLogout), refused LogoutRequests, NameID formats and
// RequestedAuthnContext.

import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config/config.ts';
import type { Store } from '../../src/store/store.ts';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../helpers/browser.ts';
import { formAction, inputValue } from '../helpers/browser-client.ts';
import { freePort } from '../helpers/http-idp.ts';
import { NodeSamlHttpSp } from '../helpers/node-saml-http-sp.ts';
import { idpCertFromMetadata } from '../helpers/node-saml-sp.ts';
import { RecordingSmsProvider } from '../helpers/recording-sms.ts';
import { LogLines } from '../helpers/refusals.ts';
import { readResponse } from '../helpers/saml-response.ts';
import { testKeys } from '../helpers/saml-sp.ts';
import { type WebPage, WebBrowser } from '../helpers/sso-browser.ts';
import { STORES } from '../helpers/stores.ts';

const STATUS = (s: string) => `urn:oasis:names:tc:SAML:2.0:status:${s}`;
const FORMAT = {
  transient: 'urn:oasis:names:tc:SAML:2.0:nameid-format:transient',
  persistent: 'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent',
};
const PASSWORD = 'urn:oasis:names:tc:SAML:2.0:ac:classes:Password';
const SMARTCARD = 'urn:oasis:names:tc:SAML:2.0:ac:classes:SmartcardPKI';
const MOBILE_ONE_FACTOR = 'urn:oasis:names:tc:SAML:2.0:ac:classes:MobileOneFactorUnregistered';

/** The IdP on a free port of 127.0.0.1 with the SPs' metadata, a recording SMS provider and the given store. */
async function startIdp(sps: readonly NodeSamlHttpSp[], store: Store | undefined) {
  const dir = mkdtempSync(join(tmpdir(), 'nsi-slo-e2e-'));
  const spDir = join(dir, 'sp');
  mkdirSync(spDir);
  for (const sp of sps) writeFileSync(join(spDir, `${sp.name}.xml`), sp.metadata());
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const config = loadConfig({
    HOST: '127.0.0.1',
    PORT: String(port),
    BASE_URL: baseUrl,
    SP_METADATA_DIR: spDir,
    DEV_KEY_DIR: join(dir, 'keys'),
    DEMO_SP: 'false',
    IDP_SECRET: 'e2e-slo-secret-0123456789-0123456789',
    LOG_LEVEL: 'info',
    OTP_RESEND_COOLDOWN_SECONDS: '0',
    SMS_MAX_PER_PHONE: '1000',
    SMS_MAX_PER_IP: '100000',
    SLO_PROPAGATION_TIMEOUT_SECONDS: '2',
  });
  const sms = new RecordingSmsProvider();
  const logs = new LogLines();
  let app: FastifyInstance | undefined;
  try {
    app = await buildApp(config, { sms, store, logStream: logs.stream });
    await app.listen({ port, host: '127.0.0.1' });
    const metadata = await (await fetch(`${baseUrl}/saml/metadata`)).text();
    const idp = {
      ssoUrl: `${baseUrl}/saml/sso`,
      sloUrl: `${baseUrl}/saml/slo`,
      entityId: `${baseUrl}/saml/metadata`,
      certPem: idpCertFromMetadata(metadata),
    };
    for (const sp of sps) sp.trust(idp);
  } catch (error) {
    await app?.close();
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  const running = app;
  return {
    baseUrl,
    sms,
    logs,
    metadata: () => fetch(`${baseUrl}/saml/metadata`).then((r) => r.text()),
    async close() {
      await running.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Posts the IdP login page's form (its hidden csrf and step, plus `fields`). */
async function submit(browser: WebBrowser, page: WebPage, fields: Record<string, string>): Promise<WebPage> {
  const csrf = inputValue(page.html, 'csrf');
  const step = inputValue(page.html, 'step');
  const action = formAction(page.html);
  if (csrf === undefined || step === undefined || action === undefined) {
    throw new Error(`not a login page (${page.status} ${page.url}): ${page.html.slice(0, 300)}`);
  }
  return browser.go('POST', new URL(action, page.url).href, { csrf, step, ...fields });
}

let chromium: Browser | undefined;
before(async () => {
  chromium = await launchChromium();
});
after(async () => {
  await chromium?.close();
});

for (const [storeName, makeStore] of Object.entries(STORES)) {
  describe(`SSO and logout with node-saml SPs over HTTP (${storeName} store)`, () => {
    let shop: NodeSamlHttpSp;
    let bank: NodeSamlHttpSp;
    let forum: NodeSamlHttpSp;
    let idp: Awaited<ReturnType<typeof startIdp>>;
    let stopStore: () => Promise<void>;
    let counter = 0;
    const phone = () => `+47415${String(10000 + counter++).padStart(5, '0')}`;

    before(async () => {
      // shop answers logout on HTTP-Redirect, bank and forum on HTTP-POST (node-saml's own metadata).
      shop = await NodeSamlHttpSp.start('shop', testKeys('e2e-slo-shop'), 'HTTP-Redirect');
      bank = await NodeSamlHttpSp.start('bank', testKeys('e2e-slo-bank'), 'HTTP-POST');
      forum = await NodeSamlHttpSp.start('forum', testKeys('e2e-slo-forum'), 'HTTP-POST');
      const made = await makeStore();
      stopStore = made.stop;
      idp = await startIdp([shop, bank, forum], made.store);
    });
    after(async () => {
      await idp?.close();
      await stopStore?.();
      for (const sp of [shop, bank, forum]) await sp?.stop().catch(() => {});
    });

    /** A full login at `sp` with a code; returns the SP's page. */
    const login = async (browser: WebBrowser, sp: NodeSamlHttpSp, number: string, options = {}) => {
      const identify = await browser.go('GET', await sp.loginUrl(options));
      assert.match(
        identify.html,
        /name="phone"/,
        `a login page at the IdP, got ${identify.html.slice(0, 200)}`,
      );
      const code = await submit(browser, identify, {
        given_name: 'Kari',
        family_name: 'Nordmann',
        phone: number,
      });
      const landed = await submit(browser, code, { code: idp.sms.lastCode(number) });
      assert.equal(landed.status, 200, landed.html);
      assert.match(landed.html, /logged in as /);
      return landed;
    };

    /** Asks `sp` for a login that the session answers: straight through the IdP to the SP's ACS page. */
    const sso = async (browser: WebBrowser, sp: NodeSamlHttpSp, options = {}) => {
      const landed = await browser.go('GET', await sp.loginUrl(options));
      assert.match(
        landed.url,
        new RegExp(`^${sp.acsUrl}`),
        `the SP's page, got ${landed.html.slice(0, 200)}`,
      );
      return landed;
    };

    const profileAt = (browser: WebBrowser, sp: NodeSamlHttpSp) =>
      sp.sessionOf(browser.jar.header('127.0.0.1'));

    test('SSO across both SPs: one code, then the second SP logs in without one', async () => {
      const browser = new WebBrowser();
      const number = phone();
      await login(browser, shop, number);
      const sent = idp.sms.sent.length;
      const landed = await sso(browser, bank);
      assert.match(landed.html, new RegExp(`logged in as \\${number}`));
      assert.equal(idp.sms.sent.length, sent, 'no second SMS');
      const atShop = profileAt(browser, shop);
      const atBank = profileAt(browser, bank);
      assert.equal(atBank?.FULLNAME, 'Kari Nordmann');
      assert.notEqual(atBank?.sessionIndex, atShop?.sessionIndex);
    });

    test('ForceAuthn: the second SP forces a new code despite the session', async () => {
      const browser = new WebBrowser();
      const number = phone();
      await login(browser, shop, number);
      await login(browser, bank, number, { forceAuthn: true });
    });

    test('IsPassive: logged in silently with a session, NoPassive without one', async () => {
      const browser = new WebBrowser();
      const without = await sso(browser, bank, { passive: true });
      assert.match(without.html, /not logged in/, 'node-saml reads NoPassive as "not logged in"');
      const number = phone();
      await login(browser, shop, number);
      const passive = await sso(browser, bank, { passive: true });
      assert.match(passive.html, new RegExp(`logged in as \\${number}`));
    });

    test('SP-initiated logout at one SP logs out the other; the initiator hears Success', async () => {
      const browser = new WebBrowser();
      await login(browser, shop, phone());
      await sso(browser, bank);
      const bankProfile = profileAt(browser, bank);
      assert.ok(bankProfile);

      const progress = await browser.go('GET', shop.logoutUrl);
      assert.match(progress.url, /\/saml\/slo\/progress\//, progress.html.slice(0, 300));
      const frames = await browser.loadFrames(progress);
      assert.equal(frames.length, 1);
      assert.ok(!(frames[0] instanceof Error), String(frames[0]));
      assert.equal(profileAt(browser, bank), undefined, 'the bank ended its session');
      assert.equal(bank.logoutRequests.at(-1)?.sessionIndex, bankProfile.sessionIndex);

      const answered = shop.logoutResponses.length;
      const done = await browser.finishLogout(progress);
      assert.equal(done.status, 200, done.html);
      assert.match(done.html, /logged out/);
      const response = shop.logoutResponses.at(-1);
      assert.equal(shop.logoutResponses.length, answered + 1);
      assert.ok(response?.accepted, response?.error);
      assert.equal(response?.relayState, 'shop-logout-relay');
      const r = readResponse(response.xml);
      assert.equal(r.statusCode, STATUS('Success'));
      assert.equal(r.subStatusCode, null);

      const passive = await sso(browser, bank, { passive: true });
      assert.match(passive.html, /not logged in/, 'the IdP session is over');
    });

    test('logout started at an SP on HTTP-POST, with transient NameIDs, reaches the Redirect SP', async () => {
      const browser = new WebBrowser();
      await login(browser, bank, phone(), { identifierFormat: FORMAT.transient });
      await sso(browser, shop, { identifierFormat: FORMAT.transient });
      assert.equal(profileAt(browser, shop)?.nameIDFormat, FORMAT.transient);
      const progress = await browser.go('GET', bank.logoutUrl);
      const frames = await browser.loadFrames(progress);
      assert.ok(!(frames[0] instanceof Error), String(frames[0]));
      assert.equal(profileAt(browser, shop), undefined);
      await browser.finishLogout(progress);
      const response = bank.logoutResponses.at(-1);
      assert.ok(response?.accepted, response?.error);
      assert.equal(readResponse(response.xml).statusCode, STATUS('Success'));
      assert.equal(readResponse(response.xml).inResponseTo, bank.sentLogoutRequestIds.at(-1));
      assert.equal(response.relayState, 'bank-logout-relay');
    });

    test("one SP's SLO endpoint down: PartialLogout, the other SP still logged out", async () => {
      const browser = new WebBrowser();
      await login(browser, shop, phone());
      await sso(browser, bank);
      await sso(browser, forum);
      await forum.stop();
      const progress = await browser.go('GET', shop.logoutUrl);
      const frames = await browser.loadFrames(progress);
      assert.equal(frames.length, 2);
      assert.equal(frames.filter((f) => f instanceof Error).length, 1, 'the forum cannot be reached');
      assert.equal(profileAt(browser, bank), undefined, 'the bank is logged out all the same');
      const done = await browser.finishLogout(progress);
      assert.equal(done.status, 200);
      const response = shop.logoutResponses.at(-1);
      assert.ok(response?.accepted, response?.error);
      const r = readResponse(response.xml);
      assert.equal(r.statusCode, STATUS('Success'));
      assert.equal(r.subStatusCode, STATUS('PartialLogout'));
    });

    test('replayed and forged LogoutRequests are refused with an error page', async () => {
      const browser = new WebBrowser();
      await login(browser, shop, phone());
      const profile = profileAt(browser, shop);
      assert.ok(profile);
      const first = await browser.fetch('GET', shop.logoutUrl);
      const logoutRequestUrl = first.headers.get('location') ?? '';
      assert.match(logoutRequestUrl, /\/saml\/slo\?SAMLRequest=/);
      const forged = new URL(logoutRequestUrl);
      const signature = forged.searchParams.get('Signature') ?? '';
      forged.searchParams.set(
        'Signature',
        `${signature.slice(0, 10)}${signature[10] === 'A' ? 'B' : 'A'}${signature.slice(11)}`,
      );
      const refusedForged = await browser.fetch('GET', forged.href);
      assert.equal(refusedForged.status, 400);
      const forgedPage = await refusedForged.text();
      assert.doesNotMatch(forgedPage, /SAMLResponse/);
      idp.logs.assertRefused(forgedPage, 'bad-signature', /query signature does not verify/, 'forged');

      const intruderUrl = await shop
        .saml({}, { signingKey: testKeys('e2e-slo-intruder').privateKeyPem })
        .getLogoutUrlAsync(profile, '', {});
      const refusedIntruder = await browser.fetch('GET', intruderUrl);
      assert.equal(refusedIntruder.status, 400, 'signed as the shop with a key its metadata does not list');
      idp.logs.assertRefused(
        await refusedIntruder.text(),
        'bad-signature',
        /query signature does not verify/,
        'intruder',
      );

      const accepted = await browser.fetch('GET', logoutRequestUrl);
      assert.notEqual(accepted.status, 400, 'the genuine request, once');
      const replayed = await browser.fetch('GET', logoutRequestUrl);
      assert.equal(replayed.status, 400, 'the same request again');
      idp.logs.assertRefused(await replayed.text(), 'replayed', /LogoutRequest ID seen before/, 'replayed');
    });

    test('NameID formats: unspecified is the phone, transient changes, persistent is stable per SP', async () => {
      const browser = new WebBrowser();
      const number = phone();
      await login(browser, shop, number);
      assert.equal(profileAt(browser, shop)?.nameID, number);
      await sso(browser, shop, { identifierFormat: FORMAT.transient });
      const t1 = profileAt(browser, shop)?.nameID;
      await sso(browser, shop, { identifierFormat: FORMAT.transient });
      const t2 = profileAt(browser, shop)?.nameID;
      assert.notEqual(t1, t2);
      assert.notEqual(t1, number);
      await sso(browser, shop, { identifierFormat: FORMAT.persistent });
      const p1 = profileAt(browser, shop);
      await sso(browser, shop, { identifierFormat: FORMAT.persistent });
      const p2 = profileAt(browser, shop);
      await sso(browser, bank, { identifierFormat: FORMAT.persistent });
      const pb = profileAt(browser, bank);
      assert.equal(p1?.nameIDFormat, FORMAT.persistent);
      assert.equal(p1?.nameID, p2?.nameID);
      assert.notEqual(p1?.nameID, pb?.nameID);
      assert.notEqual(p1?.nameID, number);
      assert.equal(p1?.spNameQualifier, shop.entityId);
      const refused = await sso(browser, bank, {
        identifierFormat: 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress',
      });
      assert.match(refused.html, /refused/);
      assert.match(bank.lastRefusal ?? '', /InvalidNameIDPolicy/);
    });

    test('RequestedAuthnContext: exact and minimum against our class; NoAuthnContext otherwise', async () => {
      const browser = new WebBrowser();
      /** Asks the bank with this RequestedAuthnContext; returns what the bank made of the answer. */
      const ask = async (authnContext: string, racComparison: 'exact' | 'minimum') => {
        const page = await sso(browser, bank, { authnContext: [authnContext], racComparison });
        return { html: page.html, refusal: bank.lastRefusal };
      };
      const without = await ask(PASSWORD, 'exact');
      assert.match(without.html, /refused/);
      assert.match(without.refusal ?? '', /NoAuthnContext/, 'refused before any code is asked for');
      await login(browser, shop, phone());
      const weakerAtLeast = await ask(PASSWORD, 'minimum');
      assert.match(weakerAtLeast.html, /logged in as/);
      assert.equal(weakerAtLeast.refusal, undefined);
      const strongerAtLeast = await ask(SMARTCARD, 'minimum');
      assert.match(strongerAtLeast.html, /refused/);
      assert.match(strongerAtLeast.refusal ?? '', /NoAuthnContext/);
      const ours = await ask(MOBILE_ONE_FACTOR, 'exact');
      assert.match(ours.html, /logged in as/);
      assert.equal(ours.refusal, undefined);
      const otherExact = await ask(PASSWORD, 'exact');
      assert.match(otherExact.html, /refused/);
      assert.match(otherExact.refusal ?? '', /NoAuthnContext/);
    });

    test('in Chromium: the logout page frames the other SP, polls, and returns to the initiator by itself', async () => {
      const context = await (chromium as Browser).newContext({ locale: 'en-GB' });
      const problems: string[] = [];
      try {
        const page = await context.newPage();
        page.on('console', (m) => {
          if (/Content Security Policy|Refused/i.test(m.text())) problems.push(m.text());
        });
        const number = phone();
        await page.goto(await shop.loginUrl());
        await page.fill('input[name=given_name]', 'Kari');
        await page.fill('input[name=family_name]', 'Nordmann');
        await page.fill('input[name=phone]', number);
        await Promise.all([page.waitForURL(/\/login\//), page.click('button.primary')]);
        await page.fill('input[name=code]', idp.sms.lastCode(number));
        await Promise.all([page.waitForURL(`${shop.acsUrl}**`), page.click('button.primary')]);
        await page.goto(await bank.loginUrl());
        await page.waitForURL(`${bank.acsUrl}**`);
        const cookies = (await context.cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
        assert.ok(bank.sessionOf(cookies), 'logged in at the bank from the session');

        const answered = shop.logoutResponses.length;
        await page.goto(shop.logoutUrl);
        await page.waitForURL(`${shop.sloUrl}**`, { timeout: 5000 });
        assert.match(await page.content(), /logged out/);
        assert.equal(bank.sessionOf(cookies), undefined, 'the bank was told in its frame');
        const response = shop.logoutResponses[answered];
        assert.ok(response?.accepted, response?.error);
        assert.equal(readResponse(response.xml).subStatusCode, null, 'Success, nothing partial');
        assert.deepEqual(problems, [], 'no CSP or script errors on the way');
      } finally {
        await context.close();
      }
    });

    test('the IdP metadata lists SingleLogoutService on both bindings', async () => {
      const metadata = await idp.metadata();
      assert.match(
        metadata,
        /SingleLogoutService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect"/,
      );
      assert.match(metadata, /SingleLogoutService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST"/);
    });
  });
}
