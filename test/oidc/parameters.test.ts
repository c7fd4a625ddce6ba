// E-Ident's parameters on the OIDC authorization request: amr_values/acr_values, presetid, login_hint, locales.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import * as oc from 'openid-client';
import { CookieBrowser, type OidcIdp, PHONE, SECRET, startOidcIdp } from '../helpers/oidc.ts';

const REDIRECT = 'https://shop.example.org/cb';
const ACR = 'urn:oasis:names:tc:SAML:2.0:ac:classes:MobileOneFactorUnregistered';

describe('OIDC authorization parameters', () => {
  let idp: OidcIdp;
  let config: oc.Configuration;
  before(async () => {
    idp = await startOidcIdp({
      clients: {
        shop: {
          client_id: 'shop',
          client_secret: SECRET,
          redirect_uris: [REDIRECT],
          eids: ['nets_sms', 'bankid'],
          subject_type: 'public',
        },
      },
    });
    config = await oc.discovery(new URL(idp.issuer), 'shop', SECRET, undefined, {
      execute: [oc.allowInsecureRequests],
    });
  });
  after(() => idp.close());

  /** The page an authorization request leads to, with a fresh browser. */
  const open = async (params: Record<string, string>) => {
    const url = oc.buildAuthorizationUrl(config, {
      redirect_uri: REDIRECT,
      scope: 'openid profile',
      state: 'st',
      code_challenge: await oc.calculatePKCECodeChallenge(oc.randomPKCECodeVerifier()),
      code_challenge_method: 'S256',
      ...params,
    });
    const browser = new CookieBrowser(idp.baseUrl);
    return { browser, page: await browser.go(url.href) };
  };

  test('a client offered two eIDs sees step 1 unless amr_values (also abs:) or acr_values picks nets_sms', async () => {
    const none = await open({ ui_locales: 'en' });
    assert.match(none.page.html, /Choose how to identify yourself/);
    const picks: Record<string, string>[] = [
      { amr_values: 'nets_sms' },
      { amr_values: 'abs:nets_sms' },
      { acr_values: ACR },
    ];
    for (const pick of picks) {
      const { page } = await open({ ...pick, ui_locales: 'en' });
      assert.doesNotMatch(page.html, /Choose how to identify yourself/, JSON.stringify(pick));
      assert.match(page.html, /name="phone"/, JSON.stringify(pick));
    }
  });

  test('presetid with ui_locales=sv: step 2c in Swedish, name and phone locked', async () => {
    const { page } = await open({
      amr_values: 'nets_sms',
      presetid: `${PHONE} Svenson, Anton Erik`,
      ui_locales: 'sv',
    });
    assert.match(page.html, /<html lang="sv"/);
    assert.match(page.html, /Bekräfta dina uppgifter/);
    assert.match(page.html, /Anton Erik Svenson/);
    assert.doesNotMatch(page.html, /name="phone"/);
    assert.doesNotMatch(page.html, /name="family_name"/);
  });

  test('login_hint with an E.164 number presets the phone (step 2b); locale and language pick the language', async () => {
    const hinted = await open({ amr_values: 'nets_sms', login_hint: PHONE, locale: 'da_DK' });
    assert.match(hinted.page.html, /<html lang="da"/);
    assert.doesNotMatch(hinted.page.html, /name="phone"/);
    assert.match(hinted.page.html, /name="family_name"/);
    const other = await open({
      amr_values: 'nets_sms',
      login_hint: 'someone@example.org',
      language: 'fi_FI',
    });
    assert.match(other.page.html, /<html lang="fi"/);
    assert.match(other.page.html, /name="phone"/, 'a hint that is not a phone is ignored');
  });

  test('an unknown parameter is ignored; the presetid in Base64 is read like the SAML side reads it', async () => {
    const encoded = Buffer.from(`${PHONE} Svenson, Anton Erik`).toString('base64');
    const { page } = await open({ amr_values: 'nets_sms', presetid: encoded, foo: 'bar', ui_locales: 'en' });
    assert.match(page.html, /Anton Erik Svenson/);
  });
});
