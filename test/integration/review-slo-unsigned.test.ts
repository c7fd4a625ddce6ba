// Logout CSRF: an unsigned LogoutRequest that names no SessionIndex would end whatever session the browser's cookie
// holds, on knowledge of the NameID alone (the phone number, by default). SAML profiles §4.4.4.1 wants front-channel
// LogoutRequests signed; unsigned ones are taken only with a SessionIndex we issued to that SP.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { inflateRawSync } from 'node:zlib';
import { Binding, Ns } from '../../src/saml/urn.ts';
import { samlTime } from '../../src/saml/values.ts';
import { el, renderXml } from '../../src/saml/xml/xml-writer.ts';
import { buildTestIdp, type TestIdp } from '../helpers/app.ts';
import { BrowserClient } from '../helpers/browser-client.ts';
import { LogLines } from '../helpers/refusals.ts';
import { readResponse } from '../helpers/saml-response.ts';
import { authnRequestXml, createTestSp, newRequestId, redirectQuery } from '../helpers/saml-sp.ts';
import { CookieJar, jarTransport } from '../helpers/sso-browser.ts';

const IDP = 'https://idp.example.test';
const SUCCESS = 'urn:oasis:names:tc:SAML:2.0:status:Success';
const sp = createTestSp({
  entityId: 'https://unsigned.example.org/sp',
  keyName: 'unsigned-slo-sp',
  acs: [{ url: 'https://unsigned.example.org/acs', index: 0 }],
  slo: [{ binding: Binding.redirect, url: 'https://unsigned.example.org/slo' }],
});

let idp: TestIdp;
let phones = 0;
const logs = new LogLines();

before(async () => {
  idp = await buildTestIdp({
    sps: { sp: sp.metadataXml },
    env: { SMS_MAX_PER_PHONE: '100' },
    logStream: logs.stream,
  });
});
after(() => idp.close());

/** A browser logged in to the SP (which does not sign), and what the SP holds from its assertion. */
async function loggedIn() {
  const jar = new CookieJar();
  const client = new BrowserClient(jarTransport(idp.app, jar, { 'accept-language': 'en' }));
  const phone = `+4741300${String(100 + phones++)}`;
  const xml = authnRequestXml({ issuer: sp.entityId, destination: `${IDP}/saml/sso` });
  await client.go('GET', `/saml/sso?${redirectQuery(xml)}`);
  await client.submit({ given_name: 'Kari', family_name: 'Nordmann', phone });
  await client.submit({ code: idp.sms.lastCode(phone) });
  const r = readResponse(client.samlPost().xml);
  assert.equal(r.statusCode, SUCCESS);
  /** A cross-site request from this browser: its cookies ride along. */
  const send = async (method: 'GET' | 'POST', url: string, form?: Record<string, string>) => {
    const cookie = jar.header('idp');
    const response = await idp.app.inject({
      method,
      url,
      headers: {
        'sec-fetch-site': 'cross-site',
        ...(cookie === undefined ? {} : { cookie }),
        ...(form === undefined ? {} : { 'content-type': 'application/x-www-form-urlencoded' }),
      },
      payload: form === undefined ? undefined : new URLSearchParams(form).toString(),
    });
    jar.store('idp', response.headers['set-cookie']);
    return response;
  };
  const hasSession = async () => {
    const passive = authnRequestXml({ issuer: sp.entityId, destination: `${IDP}/saml/sso`, isPassive: true });
    await client.go('GET', `/saml/sso?${redirectQuery(passive)}`);
    return readResponse(client.samlPost().xml).statusCode === SUCCESS;
  };
  return { nameId: r.nameId ?? '', sessionIndex: r.sessionIndex ?? '', send, hasSession };
}

/** An unsigned LogoutRequest from the SP for `nameId` (the phone: NameID format unspecified). */
function logoutRequest(nameId: string, sessionIndexes: readonly string[]): string {
  return renderXml(
    el(
      'samlp:LogoutRequest',
      {
        'xmlns:samlp': Ns.protocol,
        'xmlns:saml': Ns.assertion,
        ID: newRequestId(),
        Version: '2.0',
        IssueInstant: samlTime(new Date()),
        Destination: `${IDP}/saml/slo`,
      },
      [
        el('saml:Issuer', {}, [sp.entityId]),
        el('saml:NameID', { Format: 'urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified' }, [nameId]),
        ...sessionIndexes.map((s) => el('samlp:SessionIndex', {}, [s])),
      ],
    ),
  );
}

describe('unsigned LogoutRequests from an SP that does not sign', () => {
  test('without SessionIndex, posted by another site with the victim’s cookie: refused, session intact', async () => {
    const victim = await loggedIn();
    const forged = logoutRequest(victim.nameId, []);
    const posted = await victim.send('POST', '/saml/slo', {
      SAMLRequest: Buffer.from(forged).toString('base64'),
    });
    assert.equal(posted.statusCode, 400, posted.body.slice(0, 300));
    assert.doesNotMatch(posted.body, /SAMLResponse|SAMLRequest/);
    logs.assertRefused(
      posted.body,
      'signature-required',
      /unsigned LogoutRequest must name a SessionIndex/,
      'POST',
    );
    const redirected = await victim.send(
      'GET',
      `/saml/slo?${redirectQuery(logoutRequest(victim.nameId, []))}`,
    );
    assert.equal(redirected.statusCode, 400);
    assert.equal(redirected.headers.location, undefined);
    logs.assertRefused(
      redirected.body,
      'signature-required',
      /unsigned LogoutRequest must name a SessionIndex/,
      'Redirect',
    );
    assert.equal(await victim.hasSession(), true, 'the session goes on');
  });

  test('with the SessionIndex the SP was given: the session ends and the SP gets Success', async () => {
    const user = await loggedIn();
    const response = await user.send(
      'GET',
      `/saml/slo?${redirectQuery(logoutRequest(user.nameId, [user.sessionIndex]))}`,
    );
    assert.equal(response.statusCode, 303);
    const location = new URL(String(response.headers.location));
    assert.equal(`${location.origin}${location.pathname}`, 'https://unsigned.example.org/slo');
    const xml = inflateRawSync(Buffer.from(location.searchParams.get('SAMLResponse') ?? '', 'base64'));
    assert.equal(readResponse(xml.toString('utf8')).statusCode, SUCCESS);
    assert.equal(await user.hasSession(), false);
  });
});
