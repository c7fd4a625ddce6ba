// Saves a PNG of every IdP screen in every variant, at phone and desktop widths, into ./screenshots/ (git-ignored).

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import {
  DEMO_SP_LOGO,
  type DemoIdp,
  type DemoLoginOptions,
  DemoResultPage,
  demoLoginUrl,
  expireFlow,
  IdentifyPage,
  LOGIN_URL,
  launchChromium,
  startDemoIdp,
  VerifyCodePage,
} from '../test/helpers/browser.ts';

const VIEWPORTS = {
  phone: { width: 390, height: 844 },
  desktop: { width: 1280, height: 900 },
} as const;

const NAME = { given: 'Anton Erik', family: 'Svenson' };

/** One screen: how to bring a fresh page to it. `phone` is a number no other screen uses. */
interface Screen {
  readonly name: string;
  open(page: Page, idp: DemoIdp, phone: string): Promise<void>;
}

async function startLogin(page: Page, idp: DemoIdp, options: DemoLoginOptions = {}): Promise<void> {
  await page.goto(demoLoginUrl(idp.origin, options));
  await page.waitForURL(LOGIN_URL, { waitUntil: 'load', timeout: 10_000 });
}

/** From a new login to the code page, the name preset and `phone` typed. */
async function toCodePage(
  page: Page,
  idp: DemoIdp,
  phone: string,
  options: DemoLoginOptions = {},
): Promise<VerifyCodePage> {
  await startLogin(page, idp, { ...NAME, ...options });
  const identify = new IdentifyPage(page);
  await identify.fill({ phone });
  await identify.submit();
  return new VerifyCodePage(page);
}

/** A login's first page in a locale: step 2a, whose phone hint shows that country's way of writing a number. */
const localeScreen = (locale: string): Screen => ({
  name: `identify-2a-${locale}`,
  open: (page, idp) => startLogin(page, idp, { locale }),
});

/** Screens of the IdP with its neutral look; resends need no wait here. */
const PLAIN: readonly Screen[] = [
  { name: 'demo', open: (page, idp) => page.goto(`${idp.origin}/demo`).then(() => undefined) },
  { name: 'step1-choose-method', open: (page, idp) => startLogin(page, idp, { force: false }) },
  { name: 'identify-2a', open: (page, idp) => startLogin(page, idp) },
  { name: 'identify-2b', open: (page, idp) => startLogin(page, idp, { phone: '+4791234567' }) },
  {
    name: 'identify-2c',
    open: (page, idp) => startLogin(page, idp, { phone: '+4791234567', ...NAME }),
  },
  { name: 'identify-2d', open: (page, idp) => startLogin(page, idp, { ...NAME }) },
  {
    name: 'identify-2a-errors',
    async open(page, idp) {
      await startLogin(page, idp);
      const identify = new IdentifyPage(page);
      await identify.fill({ family: 'Svenson', phone: '+4781549300' });
      await identify.submit();
    },
  },
  {
    name: 'identify-2d-error',
    async open(page, idp) {
      await startLogin(page, idp, { ...NAME });
      const identify = new IdentifyPage(page);
      await identify.fill({ phone: '+47 12' });
      await identify.submit();
    },
  },
  ...['nb_NO', 'sv_SE', 'da_DK', 'fi_FI', 'sv_FI'].map(localeScreen),
  { name: 'verify-code', open: (page, idp, phone) => toCodePage(page, idp, phone).then(() => undefined) },
  {
    name: 'verify-code-fi',
    open: (page, idp, phone) => toCodePage(page, idp, phone, { locale: 'fi_FI' }).then(() => undefined),
  },
  {
    name: 'verify-code-error',
    async open(page, idp, phone) {
      const verify = await toCodePage(page, idp, phone);
      const right = idp.sms.lastCode(phone);
      await verify.enterWrong(right === '000000' ? '111111' : '000000');
    },
  },
  {
    name: 'verify-code-resent',
    async open(page, idp, phone) {
      await (await toCodePage(page, idp, phone)).resend();
    },
  },
  {
    name: 'verify-code-no-more-sends',
    async open(page, idp, phone) {
      const verify = await toCodePage(page, idp, phone);
      await verify.resend();
      await verify.resend();
    },
  },
  {
    name: 'identify-wrong-number',
    async open(page, idp, phone) {
      await startLogin(page, idp);
      const identify = new IdentifyPage(page);
      await identify.fill({ ...{ given: NAME.given, family: NAME.family }, phone });
      await identify.submit();
      await new VerifyCodePage(page).changePhone();
    },
  },
  {
    name: 'post-to-sp',
    async open(page, idp, phone) {
      // The page posts itself at once; a 204 from the ACS keeps the browser on it.
      await page.route('**/demo/acs', (route) => route.fulfill({ status: 204 }));
      const verify = await toCodePage(page, idp, phone);
      await verify.enter(idp.sms.lastCode(phone));
      await page.locator('#saml-post').waitFor();
    },
  },
  {
    name: 'demo-result',
    async open(page, idp, phone) {
      const verify = await toCodePage(page, idp, phone);
      await verify.enter(idp.sms.lastCode(phone));
      await new DemoResultPage(page).arrive();
    },
  },
  {
    name: 'demo-result-cancel',
    async open(page, idp) {
      await startLogin(page, idp);
      await new IdentifyPage(page).cancel();
      await new DemoResultPage(page).arrive();
    },
  },
  {
    name: 'error-expired-return',
    async open(page, idp, phone) {
      await toCodePage(page, idp, phone);
      await expireFlow(idp, page.url());
      await page.reload();
    },
  },
  {
    name: 'error-finished',
    async open(page, idp, phone) {
      const verify = await toCodePage(page, idp, phone);
      const flowUrl = page.url().split('?')[0] as string;
      await verify.enter(idp.sms.lastCode(phone));
      await new DemoResultPage(page).arrive();
      await page.goto(flowUrl);
    },
  },
  {
    name: 'error-expired-unknown',
    open: (page, idp) => page.goto(`${idp.origin}/login/AAAAAAAAAAAAAAAAAAAAAAAA`).then(() => undefined),
  },
  {
    name: 'error-not-found',
    open: (page, idp) => page.goto(`${idp.origin}/no-such-page`).then(() => undefined),
  },
];

/** Screens of an IdP with its own name, colours and logo, for an SP whose metadata has a name and logo. */
const BRANDED: readonly Screen[] = [
  { name: 'branded-identify-2a', open: (page, idp) => startLogin(page, idp) },
  { name: 'branded-identify-2a-nb', open: (page, idp) => startLogin(page, idp, { locale: 'nb_NO' }) },
  {
    name: 'branded-verify-code-countdown',
    open: (page, idp, phone) => toCodePage(page, idp, phone).then(() => undefined),
  },
  {
    name: 'branded-error-expired-return',
    async open(page, idp, phone) {
      await toCodePage(page, idp, phone);
      await expireFlow(idp, page.url());
      await page.reload();
    },
  },
];

/** A logo an operator might configure: a plain shape in its own colours. */
const OPERATOR_LOGO =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32" width="32" height="32">' +
  '<circle cx="16" cy="16" r="15" fill="#ffffff"/><path d="M9 17l5 5 9-11" fill="none" stroke="#5a2d82" ' +
  'stroke-width="3.5" stroke-linecap="round" stroke-linejoin="round"/></svg>';

async function shoot(
  browser: Browser,
  idp: DemoIdp,
  screens: readonly Screen[],
  outDir: string,
  counter: { n: number },
): Promise<void> {
  for (const [size, viewport] of Object.entries(VIEWPORTS)) {
    for (const screen of screens) {
      const context = await browser.newContext({ viewport, locale: 'en-GB' });
      try {
        const page = await context.newPage();
        counter.n += 1;
        await screen.open(page, idp, `+47912${String(counter.n).padStart(5, '0')}`);
        const file = join(outDir, `${screen.name}-${size}.png`);
        await page.screenshot({ path: file, fullPage: true });
        console.log(file);
      } finally {
        await context.close();
      }
    }
  }
}

async function main(): Promise<void> {
  const outDir = resolve(process.argv[2] ?? 'screenshots');
  mkdirSync(outDir, { recursive: true });
  const work = mkdtempSync(join(tmpdir(), 'nsi-shots-'));
  const limits = { SMS_MAX_PER_IP: '1000', SMS_MAX_PER_PHONE: '1000' };
  const counter = { n: 0 };
  try {
    const logoFile = join(work, 'operator-logo.svg');
    writeFileSync(logoFile, OPERATOR_LOGO);
    const browser = await launchChromium();
    try {
      const plain = await startDemoIdp({
        env: { ...limits, OTP_RESEND_COOLDOWN_SECONDS: '0' },
        eids: ['nets_sms', 'other_eid'],
      });
      try {
        await shoot(browser, plain, PLAIN, outDir, counter);
      } finally {
        await plain.close();
      }
      const branded = await startDemoIdp({
        env: {
          ...limits,
          IDP_DISPLAY_NAME: 'Example Municipality Login',
          IDP_BRAND_COLOR: '#5a2d82',
          IDP_BRAND_CONTRAST_COLOR: '#ffffff',
          IDP_LOGO_FILE: logoFile,
        },
        spUi: {
          displayNames: { en: 'Demo Service', nb: 'Demotjenesten', sv: 'Demotjänsten' },
          logo: DEMO_SP_LOGO,
        },
      });
      try {
        await shoot(browser, branded, BRANDED, outDir, counter);
      } finally {
        await branded.close();
      }
    } finally {
      await browser.close();
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

await main();
