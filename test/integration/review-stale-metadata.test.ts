// A login that began before its SP's metadata changed: nothing goes to an SP or ACS the metadata no longer lists.

import assert from 'node:assert/strict';
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { buildTestIdp, type TestIdp } from '../helpers/app.ts';
import { BrowserClient, injectTransport } from '../helpers/browser-client.ts';
import { authnRequestXml, newRequestId, redirectQuery, spMetadataXml } from '../helpers/saml-sp.ts';

const SSO = 'https://idp.example.test/saml/sso';
const ACS_KEPT = 'https://stale.example.org/acs/kept';
const ACS_DROPPED = 'https://stale.example.org/acs/dropped';
const PHONES = ['+4791234567', '+4791234568'] as const;

const metadata = (entityId: string, acs: readonly string[]) =>
  spMetadataXml({ entityId, acs: acs.map((url, index) => ({ url, index })) });

let idp: TestIdp;

before(async () => {
  idp = await buildTestIdp({ env: { SMS_MAX_PER_PHONE: '100', OTP_RESEND_COOLDOWN_SECONDS: '0' } });
});
after(() => idp.close());

const file = (name: string) => join(idp.config.saml.spMetadataDir, `${name}.xml`);

/** Status of a fresh GET /saml/sso from `entityId`, asking for `acsUrl`: 303 while trusted, 400 once not. */
async function freshStatus(entityId: string, acsUrl?: string): Promise<number> {
  const xml = authnRequestXml({ issuer: entityId, id: newRequestId(), destination: SSO, acsUrl });
  return (await idp.app.inject({ method: 'GET', url: `/saml/sso?${redirectQuery(xml)}` })).statusCode;
}

/** Waits until `check` holds: the folder watcher reloads 200 ms after a change. */
async function until(check: () => Promise<boolean>, what: string): Promise<void> {
  for (let waited = 0; waited < 8000; waited += 50) {
    if (await check()) return;
    await sleep(50);
  }
  assert.fail(`timed out waiting for ${what}`);
}

/** A login for `entityId` (asking for `acsUrl`) taken to the code page, the code sent to `phone`. */
async function atCodePage(entityId: string, phone: string, acsUrl?: string): Promise<BrowserClient> {
  const xml = authnRequestXml({ issuer: entityId, id: newRequestId(), destination: SSO, acsUrl });
  const client = new BrowserClient(injectTransport(idp.app, { 'accept-language': 'en' }));
  assert.equal((await client.go('GET', `/saml/sso?${redirectQuery(xml)}`)).status, 200);
  const sent = await client.submit({ given_name: 'Kari', family_name: 'Nordmann', phone });
  assert.match(sent.html, /name="code"/);
  return client;
}

/** The page is a plain error page: no SAMLResponse, no form to anywhere but us. */
function assertNothingPosted(page: { status: number; html: string }, what: string): void {
  assert.equal(page.status, 400, `${what}: ${page.html.slice(0, 300)}`);
  assert.doesNotMatch(page.html, /SAMLResponse/, what);
  assert.match(page.html, /class="reference"/, what);
}

describe('metadata changed while a login runs (docs/contract.md §4: never to a URL the metadata does not list)', () => {
  test('an ACS dropped from the metadata gets no assertion, the ACS still listed does', async () => {
    const entityId = 'https://stale.example.org/acs-sp';
    await writeFile(file('acs-sp'), metadata(entityId, [ACS_KEPT, ACS_DROPPED]));
    await until(async () => (await freshStatus(entityId, ACS_DROPPED)) === 303, 'the SP');
    const toDropped = await atCodePage(entityId, PHONES[0], ACS_DROPPED);
    const toKept = await atCodePage(entityId, PHONES[1], ACS_KEPT);

    await writeFile(file('acs-sp'), metadata(entityId, [ACS_KEPT]));
    await until(async () => (await freshStatus(entityId, ACS_DROPPED)) === 400, 'the ACS to be dropped');

    const dropped = await toDropped.submit({ code: idp.sms.lastCode(PHONES[0]) });
    assertNothingPosted(dropped, 'the dropped ACS');
    const kept = await toKept.submit({ code: idp.sms.lastCode(PHONES[1]) });
    assert.equal(kept.status, 200);
    assert.equal(toKept.samlPost().acsUrl, ACS_KEPT);
  });

  test('an SP removed from the folder gets neither an assertion nor a status', async () => {
    const entityId = 'https://stale.example.org/removed-sp';
    await writeFile(file('removed-sp'), metadata(entityId, [ACS_KEPT]));
    await until(async () => (await freshStatus(entityId)) === 303, 'the SP');
    const completing = await atCodePage(entityId, PHONES[0]);
    const cancelling = await atCodePage(entityId, PHONES[1]);

    await rm(file('removed-sp'));
    await until(async () => (await freshStatus(entityId)) === 400, 'the SP to be removed');

    assertNothingPosted(await completing.submit({ code: idp.sms.lastCode(PHONES[0]) }), 'the right code');
    assertNothingPosted(await cancelling.submit({ action: 'cancel' }), 'cancel');
  });
});
