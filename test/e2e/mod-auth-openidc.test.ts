// An independent relying party written in C: Apache's mod_auth_openidc protects a page; Chromium logs in with the
// SMS code and the page shows the claims the module passed on.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { modAuthOpenidcMissing, startApacheRp } from '../helpers/apache-oidc-rp.ts';
import { freePort, launchChromium } from '../helpers/browser.ts';
import { FAMILY, GIVEN, PHONE, SECRET, startOidcIdp } from '../helpers/oidc.ts';

const missing = modAuthOpenidcMissing();

describe('mod_auth_openidc as the relying party', { skip: missing }, () => {
  let browser: Browser;
  before(async () => {
    browser = await launchChromium();
  });
  after(() => browser.close());

  test('Chromium logs in through the SMS code and the protected page prints pid, name and amr', async () => {
    const rpPort = await freePort();
    const redirect = `http://localhost:${rpPort}/protected/redirect_uri`;
    const idp = await startOidcIdp({
      clients: {
        apache: {
          client_id: 'apache',
          client_secret: SECRET,
          redirect_uris: [redirect],
          subject_type: 'public',
        },
      },
    });
    const context = await browser.newContext({ locale: 'en-GB' });
    let rp: Awaited<ReturnType<typeof startApacheRp>> | undefined;
    try {
      rp = await startApacheRp({ port: rpPort, issuer: idp.issuer, clientId: 'apache', secret: SECRET });
      const page = await context.newPage();
      await page.goto(rp.protectedUrl);
      await page.fill('input[name="given_name"]', GIVEN);
      await page.fill('input[name="family_name"]', FAMILY);
      await page.fill('input[name="phone"]', PHONE);
      await page.click('button.primary');
      await page.waitForSelector('input[name="code"]');
      await page.fill('input[name="code"]', idp.sms.lastCode(PHONE));
      await page.click('button.primary');
      await page.waitForURL(`${rp.protectedUrl}**`);
      const text = (await page.textContent('body')) ?? '';
      assert.match(text, new RegExp(`pid=\\${PHONE};`), `${text}\n${rp.errorLog()}`);
      assert.match(text, new RegExp(`name=${GIVEN} ${FAMILY};`));
      assert.match(text, /amr=nets_sms/);
    } finally {
      await context.close();
      await rp?.stop();
      await idp.close();
    }
  });
});
