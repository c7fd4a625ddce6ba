// One SSO session across SAML and OpenID Connect, both directions, and one logout: SAML logout reaches OIDC clients
// by back-channel logout; an RP-initiated logout ends the session SAML SPs rely on.

import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import * as oc from 'openid-client';
import { inputValue } from '../helpers/browser-client.ts';
import {
  CookieBrowser,
  FAMILY,
  GIVEN,
  logIn,
  type OidcIdp,
  PHONE,
  SECRET,
  startOidcIdp,
} from '../helpers/oidc.ts';
import { authnRequestXml, createTestSp, redirectQuery } from '../helpers/saml-sp.ts';

const REDIRECT = 'https://shop.example.org/cb';
const LOGGED_OUT = 'https://shop.example.org/bye';
const SP_SLO = 'https://sp.example.org/slo';
const sp = createTestSp({
  entityId: 'https://sp.example.org/saml',
  slo: [{ binding: 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect', url: SP_SLO }],
});

/** A relying party's back-channel logout endpoint on 127.0.0.1: records the logout tokens it receives. */
async function startBackchannel(): Promise<{ url: string; tokens: string[]; close(): Promise<void> }> {
  const tokens: string[] = [];
  const server: Server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => {
      body += chunk.toString();
    });
    request.on('end', () => {
      const token = new URLSearchParams(body).get('logout_token');
      if (request.method === 'POST' && token !== null) tokens.push(token);
      response.writeHead(token === null ? 400 : 200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/backchannel`,
    tokens,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('SSO and logout across SAML and OpenID Connect', () => {
  let idp: OidcIdp;
  let backchannel: Awaited<ReturnType<typeof startBackchannel>>;
  let config: oc.Configuration;
  before(async () => {
    backchannel = await startBackchannel();
    idp = await startOidcIdp({
      sps: { sp: sp.metadataXml },
      clients: {
        shop: {
          client_id: 'shop',
          client_secret: SECRET,
          redirect_uris: [REDIRECT],
          post_logout_redirect_uris: [LOGGED_OUT],
          backchannel_logout_uri: backchannel.url,
          backchannel_logout_session_required: true,
          subject_type: 'public',
        },
      },
    });
    config = await oc.discovery(new URL(idp.issuer), 'shop', SECRET, undefined, {
      execute: [oc.allowInsecureRequests],
    });
  });
  after(async () => {
    await idp.close();
    await backchannel.close();
  });

  const samlUrl = (opts: { isPassive?: boolean; forceAuthn?: boolean } = {}) =>
    `/saml/sso?${redirectQuery(authnRequestXml({ issuer: sp.entityId, destination: `${idp.baseUrl}/saml/sso`, ...opts }))}`;

  /** The SAML Response the auto-post page carries, decoded. */
  const samlResponse = (html: string): string => {
    const value = inputValue(html, 'SAMLResponse');
    assert.ok(value !== undefined, `no SAMLResponse in ${html.slice(0, 300)}`);
    return Buffer.from(value, 'base64').toString('utf8');
  };

  const authorize = async (extra: Record<string, string> = {}) => {
    const verifier = oc.randomPKCECodeVerifier();
    const url = oc.buildAuthorizationUrl(config, {
      redirect_uri: REDIRECT,
      scope: 'openid profile',
      state: 'st',
      code_challenge: await oc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      ...extra,
    });
    return { url: url.href, verifier };
  };

  const redeem = (callback: URL, verifier: string) =>
    oc.authorizationCodeGrant(config, callback, { pkceCodeVerifier: verifier, expectedState: 'st' });

  /** A SAML login in `browser` through the screens; returns the Response XML. */
  async function samlLogin(browser: CookieBrowser): Promise<string> {
    await browser.go(samlUrl());
    await browser.submit({ given_name: GIVEN, family_name: FAMILY, phone: PHONE });
    const page = await browser.submit({ code: idp.sms.lastCode(PHONE) });
    return samlResponse(page.html);
  }

  test('a SAML login, then OIDC prompt=none: a code without any page or SMS, auth_time of the SAML login', async () => {
    const browser = new CookieBrowser(idp.baseUrl);
    const xml = await samlLogin(browser);
    const instant = /AuthnInstant="([^"]+)"/.exec(xml)?.[1] as string;
    const sent = idp.sms.sent.length;
    const { url, verifier } = await authorize({ prompt: 'none' });
    const page = await browser.go(url);
    assert.equal(page.status, 0, `stayed at ${page.url}`);
    const callback = new URL(page.url);
    assert.equal(callback.searchParams.get('error'), null, callback.href);
    const claims = (await redeem(callback, verifier)).claims();
    assert.equal(claims?.sub, `nets_sms:${PHONE}`);
    assert.equal(claims?.family_name, FAMILY);
    assert.equal(claims?.auth_time, Math.floor(Date.parse(instant) / 1000));
    assert.equal(idp.sms.sent.length, sent, 'no new SMS');
  });

  test('an OIDC login, then a passive SAML request: an assertion without a new code; prompt=login asks again', async () => {
    const browser = new CookieBrowser(idp.baseUrl);
    const { url } = await authorize();
    await logIn(browser, idp, url);
    const sent = idp.sms.sent.length;
    const page = await browser.go(samlUrl({ isPassive: true }));
    const xml = samlResponse(page.html);
    assert.match(xml, /StatusCode Value="urn:oasis:names:tc:SAML:2\.0:status:Success"/);
    assert.ok(xml.includes(PHONE));
    assert.equal(idp.sms.sent.length, sent);
    const again = await authorize({ prompt: 'login' });
    const login = await browser.go(again.url);
    assert.equal(login.status, 200, 'prompt=login shows the login page');
    assert.ok(login.url.includes('/login/'));
  });

  test('SAML-side logout: the OIDC client gets a signed logout token, its tokens die, prompt=none is login_required', async () => {
    const browser = new CookieBrowser(idp.baseUrl);
    await samlLogin(browser);
    const { url, verifier } = await authorize();
    const page = await browser.go(url);
    const tokens = await redeem(new URL(page.url), verifier);
    const before = backchannel.tokens.length;
    const confirm = await browser.go('/saml/logout');
    const token = inputValue(confirm.html, 'token');
    assert.ok(token !== undefined, confirm.html.slice(0, 300));
    await browser.go('/saml/logout', { token });
    assert.equal(backchannel.tokens.length, before + 1);
    const logoutToken = backchannel.tokens.at(-1) as string;
    const jwks = createRemoteJWKSet(new URL(`${idp.issuer}/jwks`));
    const { payload } = await jwtVerify(logoutToken, jwks, { issuer: idp.issuer, audience: 'shop' });
    assert.equal(payload.sub, `nets_sms:${PHONE}`);
    assert.equal(payload.sid, tokens.claims()?.sid);
    assert.deepEqual(payload.events, { 'http://schemas.openid.net/event/backchannel-logout': {} });
    assert.equal(payload.nonce, undefined);
    const info = await fetch(`${idp.issuer}/userinfo`, {
      headers: { authorization: `Bearer ${tokens.access_token}` },
    });
    assert.equal(info.status, 401);
    const silent = await browser.go((await authorize({ prompt: 'none' })).url);
    assert.equal(new URL(silent.url).searchParams.get('error'), 'login_required');
  });

  test('RP-initiated logout: back at the client with its state; the SSO session is over for SAML too', async () => {
    const browser = new CookieBrowser(idp.baseUrl);
    const { url, verifier } = await authorize();
    const callback = await logIn(browser, idp, url);
    const tokens = await redeem(callback, verifier);
    const saml = await browser.go(samlUrl({ isPassive: true }));
    assert.match(samlResponse(saml.html), /status:Success/);
    const end = oc.buildEndSessionUrl(config, {
      id_token_hint: tokens.id_token as string,
      post_logout_redirect_uri: LOGGED_OUT,
      state: 'bye-1',
    });
    const confirm = await browser.go(end.href);
    assert.equal(confirm.status, 200);
    assert.match(confirm.html, /id="op\.logoutForm"/);
    assert.doesNotMatch(confirm.headers.get('content-security-policy') ?? '', /form-action/);
    const action = /<form id="op\.logoutForm" method="post" action="([^"]+)"/.exec(
      confirm.html,
    )?.[1] as string;
    const xsrf = /name="xsrf" value="([^"]+)"/.exec(confirm.html)?.[1] as string;
    // The SAML SP of the session is told through the SAML logout pages: a LogoutRequest in a frame.
    const progress = await browser.go(action, { xsrf, logout: 'yes' });
    assert.equal(progress.status, 200);
    const frame = /<iframe hidden title="[^"]*" src="([^"]+)"/.exec(progress.html)?.[1] as string;
    const sent = await browser.go(frame);
    assert.ok(sent.url.startsWith(`${SP_SLO}?SAMLRequest=`), sent.url);
    const finish = /id="logout-continue" href="([^"]+)"|href="([^"]+)" id="logout-continue"/.exec(
      progress.html,
    );
    const done = await browser.go((finish?.[1] ?? finish?.[2]) as string);
    const back = new URL(done.url);
    assert.equal(back.origin + back.pathname, LOGGED_OUT);
    assert.equal(back.searchParams.get('state'), 'bye-1');
    const passive = await browser.go(samlUrl({ isPassive: true }));
    assert.match(samlResponse(passive.html), /status:NoPassive/);
  });
});
