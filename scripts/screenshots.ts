// Saves a PNG of every IdP screen in every variant, at phone and desktop widths, into ./screenshots/ (git-ignored).

import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import {
  type DemoIdp,
  type DemoLoginOptions,
  DemoResultPage,
  demoLoginUrl,
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
async function toCodePage(page: Page, idp: DemoIdp, phone: string): Promise<VerifyCodePage> {
  await startLogin(page, idp, { ...NAME });
  const identify = new IdentifyPage(page);
  await identify.fill({ phone });
  await identify.submit();
  return new VerifyCodePage(page);
}

const SCREENS: readonly Screen[] = [
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
  { name: 'verify-code', open: (page, idp, phone) => toCodePage(page, idp, phone).then(() => undefined) },
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
    name: 'error-expired',
    open: (page, idp) => page.goto(`${idp.origin}/login/AAAAAAAAAAAAAAAAAAAAAAAA`).then(() => undefined),
  },
  {
    name: 'error-not-found',
    open: (page, idp) => page.goto(`${idp.origin}/no-such-page`).then(() => undefined),
  },
];

async function main(): Promise<void> {
  const outDir = resolve(process.argv[2] ?? 'screenshots');
  mkdirSync(outDir, { recursive: true });
  const idp = await startDemoIdp({
    env: { SMS_MAX_PER_IP: '1000', SMS_MAX_PER_PHONE: '1000', OTP_RESEND_COOLDOWN_SECONDS: '0' },
    eids: ['nets_sms', 'other_eid'],
  });
  try {
    const browser = await launchChromium();
    try {
      let n = 0;
      for (const [size, viewport] of Object.entries(VIEWPORTS)) {
        for (const screen of SCREENS) {
          const context = await browser.newContext({ viewport, locale: 'en-GB' });
          try {
            const page = await context.newPage();
            n += 1;
            await screen.open(page, idp, `+47912${String(n).padStart(5, '0')}`);
            const file = join(outDir, `${screen.name}-${size}.png`);
            await page.screenshot({ path: file, fullPage: true });
            console.log(file);
          } finally {
            await context.close();
          }
        }
      }
    } finally {
      await browser.close();
    }
  } finally {
    await idp.close();
  }
}

await main();
