// A SAML logout that reaches OIDC clients by back-channel logout is partial when a client's endpoint fails: the SP
// that started it gets PartialLogout, and the IdP's logout page names the client as perhaps still logged in.

import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { inflateRawSync } from 'node:zlib';
import * as oc from 'openid-client';
import { translate } from '../../src/i18n/index.ts';
import { Ns } from '../../src/saml/urn.ts';
import { samlTime } from '../../src/saml/values.ts';
import { el, renderXml } from '../../src/saml/xml/xml-writer.ts';
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
import { readResponse } from '../helpers/saml-response.ts';
import { authnRequestXml, createTestSp, newRequestId, redirectQuery } from '../helpers/saml-sp.ts';

const REDIRECT = 'https://shop.example.org/cb';
const SP_SLO = 'https://sp.example.org/slo';
const PARTIAL = 'urn:oasis:names:tc:SAML:2.0:status:PartialLogout';
const sp = createTestSp({
  entityId: 'https://sp.example.org/saml',
  slo: [{ binding: 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect', url: SP_SLO }],
});

/** Back-channel logout endpoints on 127.0.0.1: `/fail` answers 500, `/hang` never answers; both count calls. */
async function startBrokenBackchannel() {
  const calls = { fail: 0, hang: 0 };
  const hanging: ServerResponse[] = [];
  const server: Server = createServer((request: IncomingMessage, response: ServerResponse) => {
    request.resume();
    request.on('end', () => {
      if (request.url === '/fail') {
        calls.fail++;
        response.writeHead(500).end('broken');
      } else {
        calls.hang++;
        hanging.push(response);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    base: `http://127.0.0.1:${port}`,
    calls,
    close: () =>
      new Promise<void>((resolve) => {
        for (const response of hanging) response.destroy();
        server.close(() => resolve());
      }),
  };
}

describe('back-channel logout failures make the logout partial', () => {
  let idp: OidcIdp;
  let backchannel: Awaited<ReturnType<typeof startBrokenBackchannel>>;
  before(async () => {
    backchannel = await startBrokenBackchannel();
    const client = (id: string, name: string, path: string) => ({
      client_id: id,
      client_name: name,
      client_secret: SECRET,
      redirect_uris: [REDIRECT],
      backchannel_logout_uri: `${backchannel.base}${path}`,
    });
    idp = await startOidcIdp({
      sps: { sp: sp.metadataXml },
      clients: {
        failing: client('failing', 'Failing Shop', '/fail'),
        silent: client('silent', 'Silent Shop', '/hang'),
      },
    });
  });
  after(async () => {
    await idp.close();
    await backchannel.close();
  });

  /** The authorization URL of `clientId` with PKCE, and how to redeem its callback. */
  async function authorization(clientId: string) {
    const config = await oc.discovery(new URL(idp.issuer), clientId, SECRET, undefined, {
      execute: [oc.allowInsecureRequests],
    });
    const verifier = oc.randomPKCECodeVerifier();
    const url = oc.buildAuthorizationUrl(config, {
      redirect_uri: REDIRECT,
      scope: 'openid',
      state: 'st',
      code_challenge: await oc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
    });
    const redeem = (callback: URL) =>
      oc.authorizationCodeGrant(config, callback, { pkceCodeVerifier: verifier, expectedState: 'st' });
    return { url: url.href, redeem };
  }

  /** A SAML login, then an OIDC login of `clientId` from the SSO session; returns the SAML assertion as read. */
  async function logInBoth(browser: CookieBrowser, clientId: string) {
    const query = redirectQuery(
      authnRequestXml({ issuer: sp.entityId, destination: `${idp.baseUrl}/saml/sso` }),
    );
    await browser.go(`/saml/sso?${query}`);
    await browser.submit({ given_name: GIVEN, family_name: FAMILY, phone: PHONE });
    const page = await browser.submit({ code: idp.sms.lastCode(PHONE) });
    const response = inputValue(page.html, 'SAMLResponse');
    assert.ok(response !== undefined, page.html.slice(0, 300));
    const { url, redeem } = await authorization(clientId);
    const callback = await browser.go(url);
    assert.equal(callback.status, 0, 'the SSO session answers the OIDC client without a page');
    await redeem(new URL(callback.url));
    return readResponse(Buffer.from(response, 'base64').toString('utf8'));
  }

  test('SAML Single Logout from the SP: a client answering 500 makes the LogoutResponse PartialLogout', async () => {
    const browser = new CookieBrowser(idp.baseUrl);
    const held = await logInBoth(browser, 'failing');
    const calls = backchannel.calls.fail;
    const request = renderXml(
      el(
        'samlp:LogoutRequest',
        {
          'xmlns:samlp': Ns.protocol,
          'xmlns:saml': Ns.assertion,
          ID: newRequestId(),
          Version: '2.0',
          IssueInstant: samlTime(new Date()),
          Destination: `${idp.baseUrl}/saml/slo`,
        },
        [
          el('saml:Issuer', {}, [sp.entityId]),
          el('saml:NameID', { Format: held.nameIdFormat as string }, [held.nameId as string]),
          el('samlp:SessionIndex', {}, [held.sessionIndex as string]),
        ],
      ),
    );
    const query = redirectQuery(request, { sign: { privateKeyPem: sp.keys.privateKeyPem } });
    const answer = await browser.go(`/saml/slo?${query}`);
    assert.equal(answer.status, 0, answer.html.slice(0, 300));
    const location = new URL(answer.url);
    assert.equal(location.origin + location.pathname, SP_SLO);
    const xml = inflateRawSync(
      Buffer.from(location.searchParams.get('SAMLResponse') ?? '', 'base64'),
    ).toString('utf8');
    const logout = readResponse(xml);
    assert.equal(logout.statusCode, 'urn:oasis:names:tc:SAML:2.0:status:Success');
    assert.equal(logout.subStatusCode, PARTIAL);
    assert.equal(backchannel.calls.fail, calls + 1, 'the client was called');
  });

  test("the IdP's logout page: a client that never answers is named as perhaps still logged in", async () => {
    const browser = new CookieBrowser(idp.baseUrl);
    const { url, redeem } = await authorization('silent');
    await redeem(await logIn(browser, idp, url));
    const calls = backchannel.calls.hang;
    const confirm = await browser.go('/saml/logout');
    const token = inputValue(confirm.html, 'token');
    assert.ok(token !== undefined, confirm.html.slice(0, 300));
    const page = await browser.go('/saml/logout', { token });
    assert.equal(backchannel.calls.hang, calls + 1, 'the client was called');
    assert.ok(page.html.includes(translate(idp.config.pages.defaultLocale, 'logout.partialHeading')));
    assert.match(page.html, /Silent Shop/);
  });
});
