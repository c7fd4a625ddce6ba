// The whole login through app.inject, on the memory store and on a real Redis: steps 2a–2d, 3, and every error route.

import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { SignedXml } from 'xml-crypto';
import { DOMParser } from '@xmldom/xmldom';
import type { UntrustedReason } from '../../src/errors.ts';
import { buildTestIdp, type TestIdp } from '../helpers/app.ts';
import { BrowserClient, injectTransport } from '../helpers/browser-client.ts';
import { LogLines } from '../helpers/refusals.ts';
import { readResponse } from '../helpers/saml-response.ts';
import {
  authnRequestXml,
  createTestSp,
  newRequestId,
  postForm,
  redirectQuery,
  spMetadataXml,
  testKeys,
} from '../helpers/saml-sp.ts';
import { STORES } from '../helpers/stores.ts';

const SSO = 'https://idp.example.test/saml/sso';
const SUCCESS = 'urn:oasis:names:tc:SAML:2.0:status:Success';
const STATUS = (s: string) => `urn:oasis:names:tc:SAML:2.0:status:${s}`;
const PHONE = '+46701234567';

const sp = createTestSp();
const other = createTestSp({ entityId: 'https://other.example.org/sp', keyName: 'other-sp' });

for (const [storeName, makeStore] of Object.entries(STORES)) {
  describe(`login over HTTP (${storeName} store)`, () => {
    let idp: TestIdp;
    let stop: () => Promise<void>;

    before(async () => {
      const made = await makeStore();
      stop = made.stop;
      idp = await buildTestIdp({
        store: made.store,
        sps: { sp: sp.metadataXml, other: other.metadataXml },
        env: { OTP_RESEND_COOLDOWN_SECONDS: '0' },
      });
    });
    after(async () => {
      await idp.close();
      await stop();
    });

    const browser = () => new BrowserClient(injectTransport(idp.app, { 'accept-language': 'en' }));

    /** Starts a login on the Redirect binding; returns the client on the first flow page. */
    const startRedirect = async (
      opts: {
        extra?: string;
        relayState?: string;
        xml?: Partial<Parameters<typeof authnRequestXml>[0]>;
        sign?: boolean;
      } = {},
    ) => {
      const id = newRequestId();
      const xml = authnRequestXml({ issuer: sp.entityId, id, destination: SSO, ...opts.xml });
      const query = redirectQuery(xml, {
        relayState: opts.relayState,
        sign: opts.sign ? { privateKeyPem: sp.keys.privateKeyPem } : undefined,
      });
      const client = browser();
      await client.go('GET', `/saml/sso?${query}${opts.extra ?? ''}`);
      return { client, id };
    };

    const finishWithCode = async (client: BrowserClient, to: string) => {
      const page = await client.submit({ code: idp.sms.lastCode(to) });
      assert.equal(page.status, 200);
      return client.samlPost();
    };

    test('2a: name and phone entered, code typed, signed assertion posted to the ACS', async () => {
      const relayState = 'ss:mem:<b>&"quoted"';
      // Swedish UI: a number typed the Swedish local way is read with SE as its country.
      const { client, id } = await startRedirect({ relayState, extra: '&locale=sv_SE' });
      assert.equal(client.page?.status, 200);
      assert.match(client.page?.html ?? '', /name="given_name"[^>]*autocomplete="given-name"/);
      assert.match(client.page?.html ?? '', /name="phone"/);
      const sent = await client.submit({
        given_name: 'Anton Erik',
        family_name: 'Svenson',
        phone: '070-123 45 67',
      });
      assert.equal(sent.status, 200);
      assert.match(sent.html, /name="code"[^>]*autocomplete="one-time-code"[^>]*inputmode="numeric"/);
      assert.match(sent.html, /\+4670\*+67/, 'the code page shows the masked number');
      const message = idp.sms.sent.at(-1);
      assert.equal(message?.to, PHONE);
      assert.match(message?.text ?? '', /\n@idp\.example\.test #\d{6}$/);
      const post = await finishWithCode(client, PHONE);
      assert.equal(post.acsUrl, sp.acsUrl);
      assert.equal(post.relayState, relayState, 'RelayState comes back byte for byte');
      const r = readResponse(post.xml);
      assert.equal(r.statusCode, SUCCESS);
      assert.equal(r.destination, sp.acsUrl);
      assert.equal(r.recipient, sp.acsUrl);
      assert.equal(r.inResponseTo, id);
      assert.equal(r.audience, sp.entityId);
      assert.equal(r.nameId, PHONE);
      assert.equal(r.nameIdFormat, 'urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified');
      assert.equal(
        r.authnContextClassRef,
        'urn:oasis:names:tc:SAML:2.0:ac:classes:MobileOneFactorUnregistered',
      );
      assert.deepEqual(r.attributes, {
        PHONE_NUMBER: PHONE,
        SURNAME: 'Svenson',
        GIVENNAME: 'Anton Erik',
        FULLNAME: 'Anton Erik Svenson',
        PID: PHONE,
        IDPROVIDER: 'nets_sms',
      });
      for (const format of Object.values(r.attributeNameFormats)) {
        assert.equal(format, 'urn:oasis:names:tc:SAML:2.0:attrname-format:basic');
      }
      await assertSignedTwice(post.xml, idp);
    });

    test('2b: preset phone is locked; a posted phone is ignored', async () => {
      const { client } = await startRedirect({ extra: '&presetid=%2B4791234567' });
      const html = client.page?.html ?? '';
      assert.doesNotMatch(html, /name="phone"/, 'no phone input when it is preset');
      assert.match(html, /id="locked-phone">\+47 91 23 45 67</);
      await client.submit({ given_name: 'Kari', family_name: 'Nordmann', phone: '+46709999999' });
      assert.equal(idp.sms.sent.at(-1)?.to, '+4791234567');
      const r = readResponse((await finishWithCode(client, '+4791234567')).xml);
      assert.equal(r.attributes.PHONE_NUMBER, '+4791234567');
      assert.equal(r.attributes.FULLNAME, 'Kari Nordmann');
    });

    test('2c: both preset (the seed format, + sent unencoded as a space) are only confirmed', async () => {
      const { client } = await startRedirect({ extra: '&presetid=+46701234567+Svenson,+Anton+Erik' });
      const html = client.page?.html ?? '';
      assert.doesNotMatch(html, /name="(given_name|family_name|phone)"/);
      assert.match(html, /id="locked-name">Anton Erik Svenson</);
      await client.submit({ given_name: 'Mallory', family_name: 'Evil', phone: '+4799999999' });
      const r = readResponse((await finishWithCode(client, PHONE)).xml);
      assert.equal(r.attributes.SURNAME, 'Svenson');
      assert.equal(r.attributes.GIVENNAME, 'Anton Erik');
      assert.equal(r.attributes.PHONE_NUMBER, PHONE);
    });

    test('2d: preset name (Base64) is locked; the phone is entered; signed POST request', async () => {
      const form = postForm(authnRequestXml({ issuer: sp.entityId, destination: SSO }), {
        relayState: 'rs-2d',
        sign: { privateKeyPem: sp.keys.privateKeyPem, certPem: sp.keys.certPem },
      });
      const client = browser();
      const presetid = Buffer.from('Svenson, Anton Erik').toString('base64');
      await client.go('POST', `/saml/sso?presetid=${encodeURIComponent(presetid)}`, form);
      const html = client.page?.html ?? '';
      assert.match(html, /name="phone"/);
      assert.doesNotMatch(html, /name="given_name"/);
      await client.submit({ phone: '+358 40 123 4567', given_name: 'Other', family_name: 'Name' });
      const post = await finishWithCode(client, '+358401234567');
      assert.equal(post.relayState, 'rs-2d');
      const r = readResponse(post.xml);
      assert.equal(r.attributes.FULLNAME, 'Anton Erik Svenson');
      assert.equal(r.attributes.PHONE_NUMBER, '+358401234567');
    });

    test('a signed request may preset the phone in Subject/NameID', async () => {
      const { client } = await startRedirect({ sign: true, xml: { subjectNameId: '+4791234567' } });
      assert.match(client.page?.html ?? '', /id="locked-phone">/);
    });

    test('invalid input re-renders the form with an error summary and field messages', async () => {
      const { client } = await startRedirect();
      const page = await client.submit({ given_name: '', family_name: 'X', phone: '+4781549300' });
      assert.equal(page.status, 400);
      assert.match(page.html, /class="error-summary"/);
      assert.match(page.html, /href="#given_name"/);
      assert.match(page.html, /href="#phone"/);
      assert.match(page.html, /aria-invalid="true"/);
      assert.equal(idp.sms.sent.filter((m) => m.to === '+4781549300').length, 0, 'no SMS on invalid input');
    });

    test('a number outside SMS_COUNTRIES is refused on the form', async () => {
      const { client } = await startRedirect();
      const page = await client.submit({ given_name: 'A', family_name: 'B', phone: '+4915123456789' });
      assert.equal(page.status, 400);
      assert.match(page.html, /id="phone-error"/);
    });

    test('wrong code shows attempts left; five wrong codes end the flow with AuthnFailed', async () => {
      const { client, id } = await startRedirect();
      await client.submit({ given_name: 'A', family_name: 'B', phone: '+4791111111' });
      const right = idp.sms.lastCode('+4791111111');
      const wrong = right === '000000' ? '111111' : '000000';
      const first = await client.submit({ code: wrong });
      assert.equal(first.status, 400);
      assert.match(first.html, /4 attempts left/);
      for (let i = 0; i < 3; i++) await client.submit({ code: wrong });
      const last = await client.submit({ code: wrong });
      assert.equal(last.status, 200);
      const r = readResponse(client.samlPost().xml);
      assert.equal(r.statusCode, STATUS('Responder'));
      assert.equal(r.subStatusCode, STATUS('AuthnFailed'));
      assert.equal(r.inResponseTo, id);
      assert.equal(r.hasAssertion, false);
    });

    test('cancel answers Responder/AuthnFailed with the message cancel', async () => {
      const { client } = await startRedirect({ relayState: 'rs-cancel' });
      await client.submit({ action: 'cancel' });
      const post = client.samlPost();
      const r = readResponse(post.xml);
      assert.equal(r.statusCode, STATUS('Responder'));
      assert.equal(r.subStatusCode, STATUS('AuthnFailed'));
      assert.equal(r.statusMessage, 'cancel');
      assert.equal(post.relayState, 'rs-cancel');
      await assertSignedTwice(post.xml, idp, { assertion: false });
      const again = await client.go('GET', client.page?.url ?? '/');
      assert.equal(again.status, 410);
    });

    test('resend sends the same code again; the old code still works', async () => {
      const { client } = await startRedirect();
      await client.submit({ given_name: 'A', family_name: 'B', phone: '+4792222222' });
      const code = idp.sms.lastCode('+4792222222');
      const page = await client.submit({ action: 'resend' });
      assert.equal(page.status, 200);
      assert.match(page.url, /notice=resent/);
      assert.equal(idp.sms.sent.filter((m) => m.to === '+4792222222').length, 2);
      assert.equal(idp.sms.lastCode('+4792222222'), code);
      assert.equal(readResponse((await finishWithCode(client, '+4792222222')).xml).statusCode, SUCCESS);
    });

    test('a POST for another step than the current one redirects to the current step', async () => {
      const { client } = await startRedirect();
      await client.submit({ given_name: 'A', family_name: 'B', phone: '+4793333333' });
      const csrf = /name="csrf" value="([^"]+)"/.exec(client.page?.html ?? '')?.[1] ?? '';
      const url = client.page?.url.split('?')[0] ?? '';
      const response = await idp.app.inject({
        method: 'POST',
        url,
        headers: client.cookie(url),
        payload: { csrf, step: 'identify', phone: '+4794444444', given_name: 'X', family_name: 'Y' },
      });
      assert.equal(response.statusCode, 303);
      assert.equal(idp.sms.sent.filter((m) => m.to === '+4794444444').length, 0);
    });

    test('a POST without the CSRF token is refused with 403', async () => {
      const { client } = await startRedirect();
      const url = client.page?.url ?? '';
      const response = await idp.app.inject({
        method: 'POST',
        url,
        headers: client.cookie(url),
        payload: { step: 'identify', given_name: 'A', family_name: 'B', phone: '+4795555555' },
      });
      assert.equal(response.statusCode, 403);
      assert.match(response.body, /class="reference"/);
    });

    test('two submits of the right code give exactly one assertion', async () => {
      const { client } = await startRedirect();
      await client.submit({ given_name: 'A', family_name: 'B', phone: '+4796666666' });
      const html = client.page?.html ?? '';
      const csrf = /name="csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';
      const url = client.page?.url.split('?')[0] ?? '';
      const code = idp.sms.lastCode('+4796666666');
      const results = await Promise.all(
        [0, 1, 2].map(() =>
          idp.app.inject({
            method: 'POST',
            url,
            headers: client.cookie(url),
            payload: { csrf, step: 'verify-code', code },
          }),
        ),
      );
      const assertions = results.filter((r) => r.body.includes('name="SAMLResponse"'));
      assert.equal(assertions.length, 1);
    });

    test('IsPassive answers NoPassive', async () => {
      const { client } = await startRedirect({ xml: { isPassive: true } });
      const r = readResponse(client.samlPost().xml);
      assert.equal(r.subStatusCode, STATUS('NoPassive'));
    });

    test('an unusable presetid answers Requester', async () => {
      const { client } = await startRedirect({ extra: '&presetid=%2B12' });
      const r = readResponse(client.samlPost().xml);
      assert.equal(r.statusCode, STATUS('Requester'));
    });

    test('a NameIDPolicy format we cannot give answers InvalidNameIDPolicy', async () => {
      const { client } = await startRedirect({
        xml: { nameIdFormat: 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress' },
      });
      const r = readResponse(client.samlPost().xml);
      assert.equal(r.subStatusCode, STATUS('InvalidNameIDPolicy'));
    });

    test('transient and persistent NameIDs are not the phone number; persistent is stable per SP', async () => {
      const nameIds: Record<string, string | null> = {};
      for (const [label, format] of [
        ['transient', 'urn:oasis:names:tc:SAML:2.0:nameid-format:transient'],
        ['persistent1', 'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent'],
        ['persistent2', 'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent'],
      ] as const) {
        const { client } = await startRedirect({ xml: { nameIdFormat: format } });
        await client.submit({ given_name: 'A', family_name: 'B', phone: '+4797777777' });
        const r = readResponse((await finishWithCode(client, '+4797777777')).xml);
        assert.equal(r.nameIdFormat, format);
        nameIds[label] = r.nameId;
      }
      assert.notEqual(nameIds.transient, '+4797777777');
      assert.notEqual(nameIds.persistent1, '+4797777777');
      assert.equal(nameIds.persistent1, nameIds.persistent2);
    });

    test('forcepkivendor naming an eID not offered answers Requester/NoSupportedIDP', async () => {
      const { client } = await startRedirect({ extra: '&forcepkivendor=no_bankid' });
      const r = readResponse(client.samlPost().xml);
      assert.equal(r.statusCode, STATUS('Requester'));
      assert.equal(r.subStatusCode, STATUS('NoSupportedIDP'));
    });

    test('locale on the query string picks the language (sv_FI → Swedish)', async () => {
      const { client } = await startRedirect({ extra: '&locale=sv_FI' });
      assert.match(client.page?.html ?? '', /<html lang="sv">/);
      const fi = await startRedirect({ extra: '&ui_locales=fi-FI' });
      assert.match(fi.client.page?.html ?? '', /<html lang="fi">/);
    });

    test('an SMS that cannot be sent shows a message and the form again; nothing half-written', async () => {
      const { client } = await startRedirect();
      idp.sms.failWith = 'temporary';
      try {
        const page = await client.submit({ given_name: 'A', family_name: 'B', phone: '+4798888888' });
        assert.equal(page.status, 400);
        assert.match(page.html, /name="phone"/, 'still on the identify step');
      } finally {
        idp.sms.failWith = undefined;
      }
      await client.submit({ given_name: 'A', family_name: 'B', phone: '+4798888888' });
      assert.match(client.page?.html ?? '', /name="code"/);
    });

    test('an unknown flow id gets the expired page (410) with a reference id', async () => {
      const response = await idp.app.inject({ method: 'GET', url: '/login/AAAAAAAAAAAAAAAAAAAAAAAA' });
      assert.equal(response.statusCode, 410);
      assert.match(response.body, /class="reference"/);
      assert.doesNotMatch(response.body, /at .*\.ts:\d+/);
    });

    test('a replayed AuthnRequest ID is refused with an error page', async () => {
      const id = newRequestId();
      const query = redirectQuery(authnRequestXml({ issuer: sp.entityId, id, destination: SSO }));
      const first = await idp.app.inject({ method: 'GET', url: `/saml/sso?${query}` });
      assert.equal(first.statusCode, 303);
      const second = await idp.app.inject({ method: 'GET', url: `/saml/sso?${query}` });
      assert.equal(second.statusCode, 400);
      assert.doesNotMatch(second.body, /SAMLResponse/);
    });
  });
}

describe('step 1 and lifetimes', () => {
  const multi = createTestSp({ entityId: 'https://multi.example.org/sp', keyName: 'multi-sp' });
  let idp: TestIdp;
  before(async () => {
    idp = await buildTestIdp({
      sps: { multi: multi.metadataXml },
      spSettings: { multi: { eids: ['nets_sms', 'no_bankid'] } },
      env: { OTP_TTL_SECONDS: '1' },
    });
  });
  after(() => idp.close());

  const start = async (extra = '') => {
    const client = new BrowserClient(injectTransport(idp.app, { 'accept-language': 'en' }));
    const xml = authnRequestXml({ issuer: multi.entityId, destination: SSO });
    await client.go('GET', `/saml/sso?${redirectQuery(xml)}${extra}`);
    return client;
  };

  test('several eIDs offered: step 1 is shown, and choosing nets_sms leads to step 2', async () => {
    const client = await start();
    assert.match(client.page?.html ?? '', /name="eid" value="nets_sms"/);
    const page = await client.submit({ eid: 'nets_sms' });
    assert.match(page.html, /name="phone"/);
  });

  test('forcepkivendor=nets_sms (and abs:nets_sms) skips step 1', async () => {
    for (const value of ['nets_sms', 'abs:nets_sms']) {
      const client = await start(`&forcepkivendor=${encodeURIComponent(value)}`);
      assert.doesNotMatch(client.page?.html ?? '', /name="eid"/);
      assert.match(client.page?.html ?? '', /name="phone"/);
    }
  });

  test('choosing an eID handled elsewhere answers the SP with NoSupportedIDP', async () => {
    const client = await start();
    await client.submit({ eid: 'no_bankid' });
    assert.equal(readResponse(client.samlPost().xml).subStatusCode, STATUS('NoSupportedIDP'));
  });

  test('a code typed after its lifetime is refused as expired', async () => {
    const client = await start('&forcepkivendor=nets_sms');
    await client.submit({ given_name: 'A', family_name: 'B', phone: '+4791919191' });
    const code = idp.sms.lastCode('+4791919191');
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const page = await client.submit({ code });
    assert.equal(page.status, 400);
    assert.match(page.html, /id="code-error"[^>]*>[^<]*(<[^>]+>[^<]*)*The code has expired/);
    assert.doesNotMatch(page.html, /SAMLResponse/);
  });
});

describe('requests refused before the SP is known: error page, nothing posted', () => {
  let idp: TestIdp;
  const logs = new LogLines();
  before(async () => {
    const signedSp = createTestSp({
      entityId: 'https://signed.example.org/sp',
      keyName: 'signed-sp',
      authnRequestsSigned: '1',
    });
    idp = await buildTestIdp({
      sps: { sp: sp.metadataXml, signed: signedSp.metadataXml },
      logStream: logs.stream,
    });
  });
  after(() => idp.close());

  /** Refused with an error page, for `reason` (and a detail matching `detail`), as logged under its reference. */
  const refused = async (
    reason: UntrustedReason,
    detail: RegExp | undefined,
    url: string,
    form?: Record<string, string>,
  ) => {
    const response = await idp.app.inject({
      method: form === undefined ? 'GET' : 'POST',
      url,
      headers: { 'accept-language': 'en' },
      payload: form === undefined ? undefined : new URLSearchParams(form).toString(),
      ...(form === undefined ? {} : { headers: { 'content-type': 'application/x-www-form-urlencoded' } }),
    });
    assert.equal(response.statusCode, 400, response.body.slice(0, 200));
    assert.doesNotMatch(response.body, /SAMLResponse/);
    assert.match(response.body, /class="reference"/);
    assert.doesNotMatch(response.body, /Error:|at \S+\.ts/);
    logs.assertRefused(response.body, reason, detail);
    return response;
  };

  test('unknown SP', async () => {
    await refused(
      'unknown-sp',
      /nobody\.example/,
      `/saml/sso?${redirectQuery(authnRequestXml({ issuer: 'https://nobody.example', destination: SSO }))}`,
    );
  });
  test('malformed base64', async () => {
    await refused('malformed', /base64/, `/saml/sso?SAMLRequest=${encodeURIComponent('not*base64!')}`);
  });
  test('malformed percent-encoding', async () => {
    await refused('malformed', /percent-encoding/, '/saml/sso?SAMLRequest=%%%not-base64%%%');
  });
  test('no SAMLRequest at all', async () => {
    await refused('malformed', /SAMLRequest/, '/saml/sso');
  });
  test('ACS URL not in metadata', async () => {
    const xml = authnRequestXml({
      issuer: sp.entityId,
      destination: SSO,
      acsUrl: 'https://evil.example/acs',
    });
    await refused('acs-not-in-metadata', undefined, `/saml/sso?${redirectQuery(xml)}`);
  });
  test('unsigned request from an SP whose metadata requires signing ("1")', async () => {
    await refused(
      'signature-required',
      undefined,
      `/saml/sso?${redirectQuery(authnRequestXml({ issuer: 'https://signed.example.org/sp', destination: SSO }))}`,
    );
  });
  test('signature made with another key', async () => {
    const xml = authnRequestXml({ issuer: sp.entityId, destination: SSO });
    await refused(
      'bad-signature',
      /does not verify/,
      `/saml/sso?${redirectQuery(xml, { sign: { privateKeyPem: testKeys('intruder').privateKeyPem } })}`,
    );
  });
  test('Destination of another IdP', async () => {
    await refused(
      'bad-destination',
      undefined,
      `/saml/sso?${redirectQuery(authnRequestXml({ issuer: sp.entityId, destination: 'https://other-idp.example/sso' }))}`,
    );
  });
  test('DOCTYPE in a POST request', async () => {
    const xml = `<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e "e">]>${authnRequestXml({ issuer: sp.entityId, destination: SSO })}`;
    await refused('malformed', /DOCTYPE/, '/saml/sso', { SAMLRequest: Buffer.from(xml).toString('base64') });
  });
  test('a request older than the allowed age', async () => {
    const xml = authnRequestXml({
      issuer: sp.entityId,
      destination: SSO,
      issueInstant: new Date(Date.now() - 3600_000),
    });
    await refused('stale', /old/, `/saml/sso?${redirectQuery(xml)}`);
  });
});

describe('IdP endpoints', () => {
  let idp: TestIdp;
  before(async () => {
    idp = await buildTestIdp({ sps: { sp: spMetadataXml({ entityId: 'https://a.example/sp' }) } });
  });
  after(() => idp.close());

  test('GET /saml/metadata serves our EntityDescriptor', async () => {
    const response = await idp.app.inject({ method: 'GET', url: '/saml/metadata' });
    assert.equal(response.statusCode, 200);
    assert.match(String(response.headers['content-type']), /^application\/samlmetadata\+xml/);
    const doc = new DOMParser().parseFromString(response.body, 'text/xml');
    assert.equal(doc.documentElement?.getAttribute('entityID'), 'https://idp.example.test/saml/metadata');
    assert.match(
      response.body,
      /Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https:\/\/idp\.example\.test\/saml\/sso"/,
    );
    assert.match(
      response.body,
      /Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="https:\/\/idp\.example\.test\/saml\/sso"/,
    );
    for (const binding of ['HTTP-Redirect', 'HTTP-POST']) {
      assert.match(
        response.body,
        new RegExp(
          `<md:SingleLogoutService Binding="urn:oasis:names:tc:SAML:2.0:bindings:${binding}" Location="https://idp\\.example\\.test/saml/slo"/>`,
        ),
        'Single Logout is listed for both bindings',
      );
    }
  });

  test('/healthz and /readyz answer 200 with a trusted SP', async () => {
    assert.equal((await idp.app.inject({ method: 'GET', url: '/healthz' })).statusCode, 200);
    assert.equal((await idp.app.inject({ method: 'GET', url: '/readyz' })).statusCode, 200);
  });

  test('/readyz answers 503 when no SP or OIDC client is trusted', async () => {
    const empty = await buildTestIdp();
    try {
      const response = await empty.app.inject({ method: 'GET', url: '/readyz' });
      assert.equal(response.statusCode, 503);
      assert.deepEqual(response.json().problems, ['no trusted SP or OIDC client']);
    } finally {
      await empty.close();
    }
  });

  test('/readyz answers 200 for an OIDC-only deployment (a client, no SAML SP)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nsi-ready-'));
    const clientsDir = join(dir, 'oidc');
    mkdirSync(clientsDir);
    writeFileSync(
      join(clientsDir, 'shop.json'),
      JSON.stringify({
        client_id: 'shop',
        client_secret: 'shop-secret-0123456789-abcdefghijklmnop',
        redirect_uris: ['https://shop.example/cb'],
      }),
    );
    const oidcOnly = await buildTestIdp({ dir, env: { OIDC_CLIENTS_DIR: clientsDir } });
    try {
      const response = await oidcOnly.app.inject({ method: 'GET', url: '/readyz' });
      assert.equal(response.statusCode, 200, response.body);
    } finally {
      await oidcOnly.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('pages carry the security headers', async () => {
    const response = await idp.app.inject({ method: 'GET', url: '/login/AAAAAAAAAAAAAAAAAAAAAAAA' });
    assert.match(String(response.headers['content-security-policy']), /frame-ancestors 'none'/);
    assert.equal(response.headers['x-content-type-options'], 'nosniff');
    assert.equal(response.headers['cache-control'], 'no-store');
  });
});

/** Both the Response and the Assertion carry a valid signature by the IdP's key (docs/contract.md §4). */
async function assertSignedTwice(
  xml: string,
  idp: TestIdp,
  expect: { assertion?: boolean } = {},
): Promise<void> {
  const metadata = await idp.app.inject({ method: 'GET', url: '/saml/metadata' });
  const certBase64 = /<ds:X509Certificate>([^<]+)</.exec(metadata.body)?.[1] ?? '';
  const certPem = `-----BEGIN CERTIFICATE-----\n${certBase64}\n-----END CERTIFICATE-----\n`;
  const doc = new DOMParser().parseFromString(xml, 'text/xml');
  const signatures = doc.getElementsByTagNameNS('http://www.w3.org/2000/09/xmldsig#', 'Signature');
  assert.equal(signatures.length, expect.assertion === false ? 1 : 2);
  for (let i = 0; i < signatures.length; i++) {
    const verifier = new SignedXml({ publicCert: certPem });
    verifier.loadSignature(signatures[i] as never);
    assert.equal(verifier.checkSignature(xml), true);
  }
  assert.match(xml, /SignatureMethod Algorithm="http:\/\/www\.w3\.org\/2001\/04\/xmldsig-more#rsa-sha256"/);
}

describe('choosing the language on the page', () => {
  let idp: TestIdp;
  before(async () => {
    idp = await buildTestIdp({ sps: { sp: sp.metadataXml } });
  });
  after(() => idp.close());

  test('every flow page links to each language; a choice sticks to the flow; unknown values change nothing', async () => {
    const client = new BrowserClient(injectTransport(idp.app, { 'accept-language': 'en' }));
    await client.go(
      'GET',
      `/saml/sso?${redirectQuery(authnRequestXml({ issuer: sp.entityId, destination: SSO }))}`,
    );
    const flowUrl = client.page?.url.split('?')[0] ?? '';
    const html = client.page?.html ?? '';
    assert.match(html, /<html lang="en">/);
    for (const code of ['nb', 'sv', 'da', 'fi', 'en']) {
      assert.match(
        html,
        new RegExp(`<a href="${flowUrl}\\?lang&#x3D;${code}" lang="${code}" hreflang="${code}"`),
      );
    }
    assert.match(html, /lang="en" hreflang="en" aria-current="true">English</);
    await client.go('GET', `${flowUrl}?lang=fi`);
    assert.match(client.page?.html ?? '', /<html lang="fi">/);
    await client.go('GET', flowUrl);
    assert.match(client.page?.html ?? '', /<html lang="fi">/, 'the choice is kept by the flow');
    await client.go('GET', `${flowUrl}?lang=xx&notice=constructor`);
    assert.match(client.page?.html ?? '', /<html lang="fi">/);
    assert.doesNotMatch(client.page?.html ?? '', /class="notice"/, 'only our own notices are shown');
    const sent = await client.submit({ given_name: 'Aino', family_name: 'Virtanen', phone: '+358401234567' });
    assert.match(sent.html, /<html lang="fi">/);
    assert.match(idp.sms.sent.at(-1)?.text ?? '', /koodi/i, 'the SMS is in the chosen language too');
  });
});
