// Real-browser kit: Chromium through playwright-core, the IdP with its demo SP over real HTTP, page objects, axe scans.

import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Result as AxeViolation } from 'axe-core';
import type { FastifyInstance } from 'fastify';
import { type Browser, chromium, type Locator, type Page } from 'playwright-core';
import { buildApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config/config.ts';
import { MemoryStore } from '../../src/store/memory.ts';
import { BrowserClient, httpTransport } from './browser-client.ts';
import { RecordingSmsProvider } from './recording-sms.ts';

/** Debian's Chromium; CI installs it (.ci/run). */
export const CHROMIUM_PATH = '/usr/bin/chromium';

/** Headless Chromium as root, without the background traffic a test has no use for; `extraArgs` added. */
export function launchChromium(extraArgs: readonly string[] = []): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      ...extraArgs,
    ],
  });
}

/** A free TCP port on 127.0.0.1, chosen before the IdP starts because BASE_URL must name it. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** The IdP and its demo SP listening on 127.0.0.1, with an SMS provider whose codes the caller can read. */
export interface DemoIdp {
  readonly origin: string;
  readonly app: FastifyInstance;
  readonly sms: RecordingSmsProvider;
  /** The IdP's store, for a test that makes a flow run out of time (`expireFlow`). */
  readonly store: MemoryStore;
  close(): Promise<void>;
}

/** How the demo SP names itself in its metadata (mdui:UIInfo), for pages that show the SP's name and logo. */
export interface DemoSpUi {
  /** mdui:DisplayName by xml:lang. */
  readonly displayNames: Readonly<Record<string, string>>;
  /** mdui:Logo: a `data:` URI or an http(s) URL. */
  readonly logo?: string;
}

/** A small SVG logo for the demo SP, as a `data:` URI (no external asset). */
export const DEMO_SP_LOGO = `data:image/svg+xml;base64,${Buffer.from(
  "<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 40 40' width='40' height='40'>" +
    "<rect width='40' height='40' rx='8' fill='#0b6e4f'/><path d='M8 21 20 9l12 12v11H8z' fill='#fff'/></svg>",
).toString('base64')}`;

/** The demo SP's metadata with mdui:UIInfo added as the SPSSODescriptor's first child (SAML metadata-ui §2). */
function withUiInfo(xml: string, ui: DemoSpUi): string {
  const esc = (v: string) => v.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');
  const names = Object.entries(ui.displayNames)
    .map(([lang, name]) => `<mdui:DisplayName xml:lang="${esc(lang)}">${esc(name)}</mdui:DisplayName>`)
    .join('');
  const logo = ui.logo === undefined ? '' : `<mdui:Logo height="40" width="40">${esc(ui.logo)}</mdui:Logo>`;
  const extensions = `<Extensions><mdui:UIInfo xmlns:mdui="urn:oasis:names:tc:SAML:metadata:ui">${names}${logo}</mdui:UIInfo></Extensions>`;
  // The demo SP's own Extensions (its names) are replaced by the ones under test.
  const out = xml
    .replace(/<Extensions>.*?<\/Extensions>/, '')
    .replace(/(<(?:md:)?SPSSODescriptor\b[^>]*>)/, `$1${extensions}`);
  if (out === xml) throw new Error('no SPSSODescriptor in the demo SP metadata');
  return out;
}

/** Ends a login flow as its TTL would (the flow record is gone; its tombstone stays): the expired-page path. */
export async function expireFlow(idp: DemoIdp, flowUrl: string): Promise<void> {
  const id = /\/login\/([A-Za-z0-9_-]+)/.exec(flowUrl)?.[1];
  if (id === undefined) throw new Error(`not a flow URL: ${flowUrl}`);
  // The key login-service.ts keeps a flow under.
  await idp.store.delete(`{${id}}:flow`);
}

/**
 * Starts the IdP with DEMO_SP=true over real HTTP; keys and SP metadata live in a temp dir removed by `close`.
 * `eids` lists the eIDs offered to the demo SP (its sidecar settings); more than one brings step 1 back.
 */
export async function startDemoIdp(
  options: { env?: Record<string, string>; eids?: readonly string[]; spUi?: DemoSpUi } = {},
): Promise<DemoIdp> {
  const dir = mkdtempSync(join(tmpdir(), 'nsi-browser-'));
  try {
    const port = await freePort();
    const spDir = join(dir, 'sp');
    mkdirSync(spDir, { recursive: true });
    if (options.eids !== undefined) {
      writeFileSync(join(spDir, 'demo-sp.json'), JSON.stringify({ eids: options.eids }));
    }
    const origin = `http://127.0.0.1:${port}`;
    const config = loadConfig({
      PORT: String(port),
      HOST: '127.0.0.1',
      BASE_URL: origin,
      DEMO_SP: 'true',
      SP_METADATA_DIR: spDir,
      DEV_KEY_DIR: join(dir, 'keys'),
      IDP_SECRET: 'browser-test-secret-0123456789-0123456789',
      LOG_LEVEL: 'silent',
      ...options.env,
    });
    const sms = new RecordingSmsProvider();
    const store = new MemoryStore();
    const app = await buildApp(config, { sms, store, logger: false });
    try {
      await app.listen({ port, host: '127.0.0.1' });
      if (options.spUi !== undefined) await showSpUi(origin, join(spDir, 'demo-sp.xml'), options.spUi);
    } catch (error) {
      await app.close();
      await store.close();
      throw error;
    }
    return {
      origin,
      app,
      sms,
      store,
      async close() {
        try {
          await app.close();
          await store.close();
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      },
    };
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}

/**
 * Rewrites the demo SP's metadata file with `ui` and waits until the IdP's registry has reloaded it (it watches
 * the folder): a login page then names the SP by its English display name.
 */
async function showSpUi(origin: string, file: string, ui: DemoSpUi): Promise<void> {
  writeFileSync(file, withUiInfo(readFileSync(file, 'utf8'), ui));
  const expected = ui.displayNames.en ?? Object.values(ui.displayNames)[0] ?? '';
  for (let i = 0; i < 100; i++) {
    // As a browser: the flow page wants the flow cookie the SSO redirect sets.
    const page = await new BrowserClient(httpTransport(origin)).go(
      'GET',
      demoLoginUrl(origin, { locale: 'en_GB' }),
    );
    if (page.html.includes(`class="sp-name">${expected}<`)) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('the IdP did not reload the demo SP metadata');
}

/** The demo form's fields (templates/demo.hbs); phone/family/given make the `presetid`. */
export interface DemoLoginOptions {
  readonly binding?: 'redirect' | 'post';
  readonly signed?: boolean;
  /** `forcepkivendor=nets_sms`; on unless false, as on the form. */
  readonly force?: boolean;
  readonly phone?: string;
  readonly family?: string;
  readonly given?: string;
  /** `nb_NO`, `sv_SE`, `da_DK`, `fi_FI`, `en_GB`. */
  readonly locale?: string;
}

/** The URL the demo form submits to for these options: a shortcut past the form. */
export function demoLoginUrl(origin: string, options: DemoLoginOptions = {}): string {
  const query = new URLSearchParams({ binding: options.binding ?? 'redirect' });
  if (options.signed) query.set('signed', 'yes');
  if (options.force !== false) query.set('force', 'yes');
  for (const key of ['phone', 'family', 'given', 'locale'] as const) {
    const value = options[key];
    if (value !== undefined) query.set(key, value);
  }
  return `${origin}/demo/login?${query}`;
}

/** Runs `action` (a click, a key press) and waits until the document it leads to has loaded. */
export async function andLoad(page: Page, action: () => Promise<unknown>): Promise<void> {
  await Promise.all([page.waitForEvent('load'), action()]);
}

/** An element's text with runs of white space made one space, as a reader sees it. */
export async function textOf(locator: Locator): Promise<string> {
  return ((await locator.textContent()) ?? '').replace(/\s+/g, ' ').trim();
}

/** Presses Tab until `selector` has focus; throws when it is not reached within `maxTabs` (keyboard reachability). */
export async function tabTo(page: Page, selector: string, maxTabs = 15): Promise<void> {
  for (let i = 0; i < maxTabs; i++) {
    await page.keyboard.press('Tab');
    if (await page.locator(selector).evaluate((el) => el === document.activeElement)) return;
  }
  throw new Error(`${selector} was not reached with ${maxTabs} presses of Tab`);
}

/** The outline the focused element shows (WCAG 2.4.7): its style and width. */
export function focusOutline(page: Page): Promise<{ style: string; width: string; id: string }> {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    const css = el === null ? undefined : getComputedStyle(el);
    return { style: css?.outlineStyle ?? 'none', width: css?.outlineWidth ?? '0px', id: el?.id ?? '' };
  });
}

/** How many CSS pixels the page is wider than its viewport (WCAG 1.4.10: no sideways scrolling at 320 px). */
export function horizontalOverflow(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
}

/** A page of a login flow on the IdP (`/login/:flowId`). */
export const LOGIN_URL = /\/login\/[A-Za-z0-9_-]+(\?.*)?$/;

/** The demo SP's start page (/demo). */
export class DemoPage {
  readonly page: Page;
  readonly origin: string;

  constructor(page: Page, origin: string) {
    this.page = page;
    this.origin = origin;
  }

  async open(): Promise<void> {
    await this.page.goto(`${this.origin}/demo`);
  }

  /** Fills the demo form and submits it; resolves on the IdP's first screen. */
  async startLogin(options: DemoLoginOptions = {}): Promise<void> {
    const page = this.page;
    await page.locator(`input[name=binding][value=${options.binding ?? 'redirect'}]`).check();
    await page.locator('input[name=signed]').setChecked(options.signed === true);
    await page.locator('input[name=force]').setChecked(options.force !== false);
    await page.locator('#demo-phone').fill(options.phone ?? '');
    await page.locator('#demo-family').fill(options.family ?? '');
    await page.locator('#demo-given').fill(options.given ?? '');
    await page.locator('#demo-locale').selectOption(options.locale ?? '');
    await page.locator('form[action="/demo/login"] button[type=submit]').click();
    await page.waitForURL(LOGIN_URL, { waitUntil: 'load', timeout: 10_000 });
  }
}

/** Step 2 (2a–2d): name and phone, each either an input or a locked value. */
export class IdentifyPage {
  readonly page: Page;
  readonly heading: Locator;
  readonly form: Locator;
  readonly givenName: Locator;
  readonly familyName: Locator;
  readonly phone: Locator;
  readonly lockedName: Locator;
  readonly lockedPhone: Locator;
  readonly errorSummary: Locator;

  constructor(page: Page) {
    this.page = page;
    this.heading = page.locator('h1');
    this.form = page.locator('form[data-variant]');
    this.givenName = page.locator('#given_name');
    this.familyName = page.locator('#family_name');
    this.phone = page.locator('#phone');
    this.lockedName = page.locator('#locked-name');
    this.lockedPhone = page.locator('#locked-phone');
    this.errorSummary = page.locator('.error-summary');
  }

  /** The seed's step name this page shows: `2a`, `2b`, `2c` or `2d`. */
  variant(): Promise<string | null> {
    return this.form.getAttribute('data-variant');
  }

  /** Types into the inputs that are there; locked values have none. */
  async fill(values: { given?: string; family?: string; phone?: string }): Promise<void> {
    if (values.given !== undefined) await this.givenName.fill(values.given);
    if (values.family !== undefined) await this.familyName.fill(values.family);
    if (values.phone !== undefined) await this.phone.fill(values.phone);
  }

  /** Presses "send code"; resolves on the next page (the code page, or this one with errors). */
  async submit(): Promise<void> {
    await andLoad(this.page, () => this.form.locator('button[type=submit].primary').click());
  }

  /** Presses cancel; the IdP then posts AuthnFailed back to the SP. */
  async cancel(): Promise<void> {
    await this.page.locator('button[name=action][value=cancel]').click();
  }
}

/** Step 3: the one-time code. */
export class VerifyCodePage {
  readonly page: Page;
  readonly heading: Locator;
  readonly code: Locator;
  readonly notice: Locator;
  readonly errorSummary: Locator;
  readonly fieldError: Locator;

  constructor(page: Page) {
    this.page = page;
    this.heading = page.locator('h1');
    this.code = page.locator('input[name=code]');
    this.notice = page.locator('.notice');
    this.errorSummary = page.locator('.error-summary');
    this.fieldError = page.locator('#code-error');
  }

  /** Types a code and confirms; a right code leaves the IdP (auto-post), a wrong one reloads this page. */
  async enter(code: string): Promise<void> {
    await this.code.fill(code);
    await this.page.locator('form button[type=submit].primary').click();
  }

  /** Enters a code that is wrong and waits for the page that says so. */
  async enterWrong(code: string): Promise<void> {
    await this.code.fill(code);
    await andLoad(this.page, () => this.page.locator('form button[type=submit].primary').click());
  }

  /** Asks for the code again; resolves on the code page with its notice. */
  async resend(): Promise<void> {
    await andLoad(this.page, () => this.resendButton.click());
  }

  /** "Wrong number?": back to step 2 to correct the number; resolves on that page. */
  async changePhone(): Promise<void> {
    await andLoad(this.page, () => this.page.locator('button[name=action][value=change-phone]').click());
  }

  get resendButton(): Locator {
    return this.page.locator('button[name=action][value=resend]');
  }

  /** The wait before a resend, counted down by /assets/countdown.js. */
  get resendWait(): Locator {
    return this.page.locator('#resend-wait');
  }

  /** The polite live region that says when a resend is possible again. */
  get resendStatus(): Locator {
    return this.page.locator('#resend-status');
  }
}

/** The error page (templates/error.hbs), e.g. an expired or finished login. */
export class ErrorPage {
  readonly page: Page;
  readonly heading: Locator;
  readonly message: Locator;
  /** The expired page's button that sends the SP an AuthnFailed Response. */
  readonly backToSp: Locator;
  /** The finished page's link to the SP's site. */
  readonly spLink: Locator;

  constructor(page: Page) {
    this.page = page;
    this.heading = page.locator('h1');
    this.message = page.locator('main .lead');
    this.backToSp = page.locator('#back-to-sp button[type=submit]');
    this.spLink = page.locator('#sp-link');
  }
}

/** The demo SP's result page after the IdP posted back (templates/demo-result.hbs). */
export class DemoResultPage {
  readonly page: Page;
  readonly heading: Locator;

  constructor(page: Page) {
    this.page = page;
    this.heading = page.locator('h1');
  }

  /** Waits until the browser has posted the SAMLResponse to the demo ACS and the result has loaded. */
  async arrive(): Promise<void> {
    await this.page.waitForURL(/\/demo\/acs$/, { waitUntil: 'load', timeout: 10_000 });
  }

  /** A verified attribute (`PHONE_NUMBER`, …) or `NameID`. */
  attribute(name: string): Promise<string> {
    return textOf(this.page.locator(`[id="attr-${name}"]`));
  }

  /** The whole result as text: attributes and checks, or the status and the reason it is not a login. */
  text(): Promise<string> {
    return textOf(this.page.locator('main'));
  }
}

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** The WCAG 2.0/2.1/2.2 A and AA rules. */
export const WCAG_AA_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

/**
 * Runs axe-core in the page with the WCAG A/AA rules and returns the violations. The page's CSP forbids
 * inline scripts, so the context must be made with `bypassCSP: true`.
 */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ content: AXE_SOURCE });
  return page.evaluate(async (tags) => {
    const axe = (window as unknown as { axe: typeof import('axe-core') }).axe;
    const results = await axe.run(document, { runOnly: { type: 'tag', values: tags } });
    return results.violations;
  }, WCAG_AA_TAGS);
}

/** One line per violation and node, for an assertion message a reader can act on. */
export function describeViolations(violations: readonly AxeViolation[]): string {
  return violations
    .flatMap((v) => v.nodes.map((n) => `${v.id} (${v.impact}): ${n.target.join(' ')} – ${n.failureSummary}`))
    .join('\n');
}
