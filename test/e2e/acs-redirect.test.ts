// In a real browser the auto-post reaches the ACS, and the ACS may then redirect to another origin (its application):
// the page's CSP must not block the redirect that follows the form post.

import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../helpers/browser.ts';
import { type HttpIdp, startHttpIdp } from '../helpers/http-idp.ts';
import { authnRequestXml, redirectQuery, spMetadataXml } from '../helpers/saml-sp.ts';

let acs: Server;
let acsPort = 0;
let idp: HttpIdp;
let browser: Browser;
const posted: string[] = [];
/** The SP's application: another origin, a host name Chromium is told lives on 127.0.0.1 where the server listens. */
const APP_HOST = 'app.test';

before(async () => {
  // The SP: its ACS on 127.0.0.1 reads the post and sends the browser on to "its application" at app.test.
  acs = createServer((request, response) => {
    if (request.method === 'POST' && request.url === '/acs') {
      let body = '';
      request.on('data', (chunk) => {
        body += chunk;
      });
      request.on('end', () => {
        posted.push(body);
        response.writeHead(303, { location: `http://${APP_HOST}:${acsPort}/app` }).end();
      });
      return;
    }
    response
      .writeHead(200, { 'content-type': 'text/html' })
      .end('<!doctype html><title>app</title><h1>landed</h1>');
  });
  await new Promise<void>((resolve) => acs.listen(0, '127.0.0.1', resolve));
  acsPort = (acs.address() as { port: number }).port;
  const metadata = spMetadataXml({
    entityId: 'https://redirecting.example/sp',
    acs: [{ url: `http://127.0.0.1:${acsPort}/acs`, index: 0 }],
  });
  idp = await startHttpIdp({ sps: { sp: metadata } });
  browser = await launchChromium([`--host-resolver-rules=MAP ${APP_HOST} 127.0.0.1`]);
});

after(async () => {
  await browser?.close();
  await idp?.close();
  await new Promise<void>((resolve) => acs.close(() => resolve()));
});

test('the ACS answers the auto-post with a redirect to another origin, and the browser follows it', async () => {
  const page = await browser.newPage({ locale: 'en-GB' });
  const query = redirectQuery(
    authnRequestXml({ issuer: 'https://redirecting.example/sp', destination: idp.ssoUrl }),
    { relayState: 'to-the-app' },
  );
  await page.goto(`${idp.ssoUrl}?${query}`);
  await page.locator('button[name=action][value=cancel]').click();
  await page.waitForURL(`http://${APP_HOST}:${acsPort}/app`);
  assert.equal(await page.locator('h1').textContent(), 'landed');
  assert.equal(posted.length, 1);
  const form = new URLSearchParams(posted[0]);
  assert.equal(form.get('RelayState'), 'to-the-app');
  assert.match(Buffer.from(form.get('SAMLResponse') ?? '', 'base64').toString('utf8'), /status:AuthnFailed/);
  await page.close();
});
