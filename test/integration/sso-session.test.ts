// The SSO session through app.inject, on the memory store and on a real Redis: SSO across SPs, ForceAuthn,
// IsPassive, presets, NameID formats and RequestedAuthnContext with and without a session, SSO turned off.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { buildTestIdp, type TestIdp } from '../helpers/app.ts';
import { BrowserClient } from '../helpers/browser-client.ts';
import { readResponse } from '../helpers/saml-response.ts';
import {
  type AuthnRequestOptions,
  authnRequestXml,
  createTestSp,
  newRequestId,
  postForm,
  redirectQuery,
} from '../helpers/saml-sp.ts';
import { CookieJar, jarTransport } from '../helpers/sso-browser.ts';
import { STORES } from '../helpers/stores.ts';

const SSO = 'https://idp.example.test/saml/sso';
const STATUS = (s: string) => `urn:oasis:names:tc:SAML:2.0:status:${s}`;
const FORMAT = {
  unspecified: 'urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified',
  transient: 'urn:oasis:names:tc:SAML:2.0:nameid-format:transient',
  persistent: 'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent',
} as const;
const CLASS = {
  ours: 'urn:oasis:names:tc:SAML:2.0:ac:classes:MobileOneFactorUnregistered',
  password: 'urn:oasis:names:tc:SAML:2.0:ac:classes:Password',
  smartcard: 'urn:oasis:names:tc:SAML:2.0:ac:classes:SmartcardPKI',
} as const;

const spA = createTestSp({
  entityId: 'https://a.example.org/sp',
  keyName: 'sso-sp-a',
  acs: [{ url: 'https://a.example.org/acs', index: 0 }],
});
const spB = createTestSp({
  entityId: 'https://b.example.org/sp',
  keyName: 'sso-sp-b',
  acs: [{ url: 'https://b.example.org/acs', index: 0 }],
});
type Sp = typeof spA;

/** Every login here comes from one address and reuses numbers: the SMS caps are not under test. */
const ENV = { OTP_RESEND_COOLDOWN_SECONDS: '0', SMS_MAX_PER_PHONE: '1000', SMS_MAX_PER_IP: '100000' };

/** A browser (its own cookies) talking to one IdP. */
class Browser {
  readonly jar = new CookieJar();
  readonly client: BrowserClient;
  readonly #idp: TestIdp;

  constructor(idp: TestIdp) {
    this.#idp = idp;
    this.client = new BrowserClient(jarTransport(idp.app, this.jar, { 'accept-language': 'en' }));
  }

  /** Sends an AuthnRequest from `sp`; returns the page the IdP answers with (a login page or the post page). */
  async ask(
    sp: Sp,
    opts: {
      xml?: Partial<AuthnRequestOptions>;
      binding?: 'redirect' | 'post';
      extra?: string;
      edit?: (xml: string) => string;
    } = {},
  ) {
    const id = newRequestId();
    let xml = authnRequestXml({ issuer: sp.entityId, id, destination: SSO, ...opts.xml });
    if (opts.edit !== undefined) xml = opts.edit(xml);
    const page =
      opts.binding === 'post'
        ? await this.client.go(
            'POST',
            `/saml/sso${opts.extra === undefined ? '' : `?${opts.extra.slice(1)}`}`,
            postForm(xml),
          )
        : await this.client.go('GET', `/saml/sso?${redirectQuery(xml)}${opts.extra ?? ''}`);
    return { id, page };
  }

  /** A whole login with a code; returns the Response XML. */
  async login(sp: Sp, phone: string, opts: Parameters<Browser['ask']>[1] = {}) {
    const { id, page } = await this.ask(sp, opts);
    assert.match(page.html, /name="code"|name="phone"|id="locked-phone"/, 'a login page, not an SSO answer');
    await this.client.submit({ given_name: 'Kari', family_name: 'Nordmann', phone });
    await this.client.submit({ code: this.#idp.sms.lastCode(phone) });
    return { id, xml: this.client.samlPost().xml };
  }

  /** An AuthnRequest answered from the session: the post page comes at once. */
  async sso(sp: Sp, opts: Parameters<Browser['ask']>[1] = {}) {
    const { id, page } = await this.ask(sp, opts);
    assert.match(
      page.html,
      /name="SAMLResponse"/,
      `an answer from the session, got ${page.html.slice(0, 200)}`,
    );
    return { id, xml: this.client.samlPost().xml };
  }
}

const authnInstant = (xml: string) => /AuthnInstant="([^"]+)"/.exec(xml)?.[1];
const sessionNotOnOrAfter = (xml: string) => /SessionNotOnOrAfter="([^"]+)"/.exec(xml)?.[1];

for (const [storeName, makeStore] of Object.entries(STORES)) {
  describe(`SSO session (${storeName} store)`, () => {
    let idp: TestIdp;
    let stop: () => Promise<void>;
    let phoneCounter = 0;
    /** A fresh Norwegian mobile number per login, so per-number state never leaks between tests. */
    const phone = () => `+47412${String(10000 + phoneCounter++).padStart(5, '0')}`;

    before(async () => {
      const made = await makeStore();
      stop = made.stop;
      idp = await buildTestIdp({
        store: made.store,
        sps: { a: spA.metadataXml, b: spB.metadataXml },
        env: ENV,
      });
    });
    after(async () => {
      await idp.close();
      await stop();
    });

    test('a second SP gets an assertion without a new code, for the same person and login', async () => {
      const browser = new Browser(idp);
      const number = phone();
      const first = await browser.login(spA, number);
      const cookie = browser.jar.get('idp', '__Host-nsi_sso');
      assert.ok(cookie, 'the session cookie is set after the login');
      assert.match(cookie.attributes, /Path=\//);
      assert.match(cookie.attributes, /HttpOnly/);
      assert.match(cookie.attributes, /Secure/);
      assert.match(
        cookie.attributes,
        /SameSite=None/,
        'so the HTTP-POST binding (a cross-site POST) carries it',
      );
      const sent = idp.sms.sent.length;

      const second = await browser.sso(spB);
      assert.equal(idp.sms.sent.length, sent, 'no new SMS');
      const a = readResponse(first.xml);
      const b = readResponse(second.xml);
      assert.equal(b.statusCode, STATUS('Success'));
      assert.equal(b.inResponseTo, second.id);
      assert.equal(b.destination, spB.acsUrl);
      assert.equal(b.audience, spB.entityId);
      assert.equal(b.nameId, number);
      assert.deepEqual(b.attributes, a.attributes);
      assert.equal(authnInstant(second.xml), authnInstant(first.xml), 'the AuthnInstant of the one login');
      assert.notEqual(b.sessionIndex, a.sessionIndex, 'each SP sees its own SessionIndex');
      const until = Date.parse(sessionNotOnOrAfter(second.xml) ?? '');
      assert.ok(
        Math.abs(until - (Date.now() + 8 * 3600_000)) < 60_000,
        'SessionNotOnOrAfter = end of the 8 h session',
      );

      const again = await browser.sso(spA);
      assert.equal(readResponse(again.xml).sessionIndex, a.sessionIndex, 'an SP keeps its SessionIndex');
    });

    test('the HTTP-POST binding is answered from the session too', async () => {
      const browser = new Browser(idp);
      await browser.login(spA, phone());
      const { xml } = await browser.sso(spB, { binding: 'post' });
      assert.equal(readResponse(xml).statusCode, STATUS('Success'));
    });

    test('ForceAuthn asks for a new code despite the session; the session takes the new AuthnInstant', async () => {
      const browser = new Browser(idp);
      const number = phone();
      const first = await browser.login(spA, number);
      await new Promise((resolve) => setTimeout(resolve, 1100));
      const forced = await browser.login(spB, number, { xml: { forceAuthn: true } });
      const instant = authnInstant(forced.xml);
      assert.ok(
        Date.parse(instant ?? '') > Date.parse(authnInstant(first.xml) ?? ''),
        'a newer AuthnInstant',
      );
      const later = await browser.sso(spA);
      assert.equal(authnInstant(later.xml), instant, 'the session now reports the forced login');
      assert.equal(
        readResponse(later.xml).sessionIndex,
        readResponse(first.xml).sessionIndex,
        'the same session',
      );
    });

    test('IsPassive: answered silently with a session, NoPassive without one or with ForceAuthn', async () => {
      const browser = new Browser(idp);
      const without = await browser.ask(spA, { xml: { isPassive: true } });
      const refused = readResponse(browser.client.samlPost().xml);
      assert.equal(refused.statusCode, STATUS('Responder'));
      assert.equal(refused.subStatusCode, STATUS('NoPassive'));
      assert.equal(refused.inResponseTo, without.id);

      await browser.login(spA, phone());
      const passive = await browser.sso(spB, { xml: { isPassive: true } });
      assert.equal(readResponse(passive.xml).statusCode, STATUS('Success'));

      await browser.ask(spB, { xml: { isPassive: true, forceAuthn: true } });
      assert.equal(readResponse(browser.client.samlPost().xml).subStatusCode, STATUS('NoPassive'));
    });

    test('a preset naming another person, or another eID, is not answered from the session', async () => {
      const browser = new Browser(idp);
      await browser.login(spA, phone());
      const other = await browser.ask(spB, { extra: '&presetid=%2B4791234567' });
      assert.match(other.page.html, /id="locked-phone"/, 'a login for the preset person');
      const passive = await browser.ask(spB, {
        xml: { isPassive: true },
        extra: '&presetid=Svenson%2C+Anton',
      });
      assert.equal(passive.page.status, 200);
      assert.equal(readResponse(browser.client.samlPost().xml).subStatusCode, STATUS('NoPassive'));
    });

    test('a preset naming the session person is answered from the session', async () => {
      const browser = new Browser(idp);
      const number = phone();
      await browser.login(spA, number);
      const { xml } = await browser.sso(spB, {
        extra: `&presetid=${encodeURIComponent(`${number} Nordmann, Kari`)}`,
      });
      assert.equal(readResponse(xml).attributes.PHONE_NUMBER, number);
    });

    test('a cookie that is not a live session gets a login', async () => {
      const browser = new Browser(idp);
      browser.jar.store('idp', '__Host-nsi_sso=AAAAAAAAAAAAAAAAAAAAAA.forged; Path=/');
      const { page } = await browser.ask(spA);
      assert.match(page.html, /name="phone"/);
    });

    test('NameID formats: unspecified is the phone, transient new each time, persistent stable per SP', async () => {
      const browser = new Browser(idp);
      const number = phone();
      const first = readResponse((await browser.login(spA, number)).xml);
      assert.equal(first.nameId, number);
      assert.equal(first.nameIdFormat, FORMAT.unspecified);

      const t1 = readResponse((await browser.sso(spA, { xml: { nameIdFormat: FORMAT.transient } })).xml);
      const t2 = readResponse((await browser.sso(spA, { xml: { nameIdFormat: FORMAT.transient } })).xml);
      assert.equal(t1.nameIdFormat, FORMAT.transient);
      assert.notEqual(t1.nameId, t2.nameId);
      assert.ok(!t1.nameId?.includes(number.slice(1)));

      const pa1 = readResponse((await browser.sso(spA, { xml: { nameIdFormat: FORMAT.persistent } })).xml);
      const pa2 = readResponse((await browser.sso(spA, { xml: { nameIdFormat: FORMAT.persistent } })).xml);
      const pb = readResponse((await browser.sso(spB, { xml: { nameIdFormat: FORMAT.persistent } })).xml);
      assert.equal(pa1.nameIdFormat, FORMAT.persistent);
      assert.equal(pa1.nameId, pa2.nameId, 'stable for one SP');
      assert.notEqual(pa1.nameId, pb.nameId, 'SPs cannot correlate the user');
      assert.ok(!pa1.nameId?.includes(number.slice(1)));

      // AllowCreate="false": a derived persistent identifier exists for everyone, so nothing has to be created.
      const noCreate = await browser.sso(spA, {
        xml: { nameIdFormat: FORMAT.persistent },
        edit: (xml) => xml.replace('AllowCreate="1"', 'AllowCreate="false"'),
      });
      assert.equal(readResponse(noCreate.xml).nameId, pa1.nameId);
      const qualified = await browser.sso(spA, {
        xml: { nameIdFormat: FORMAT.persistent, spNameQualifier: spA.entityId },
      });
      assert.equal(readResponse(qualified.xml).nameId, pa1.nameId);
      assert.match(qualified.xml, new RegExp(`SPNameQualifier="${spA.entityId}"`));
    });

    test('NameID policies we cannot meet are refused even with a session', async () => {
      const browser = new Browser(idp);
      await browser.login(spA, phone());
      await browser.ask(spB, {
        xml: { nameIdFormat: 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress' },
      });
      assert.equal(readResponse(browser.client.samlPost().xml).subStatusCode, STATUS('InvalidNameIDPolicy'));
      await browser.ask(spB, { xml: { nameIdFormat: FORMAT.persistent, spNameQualifier: spA.entityId } });
      assert.equal(readResponse(browser.client.samlPost().xml).subStatusCode, STATUS('InvalidNameIDPolicy'));
    });

    test('RequestedAuthnContext: exact and minimum against our class, NoAuthnContext when unmet', async () => {
      const browser = new Browser(idp);
      const asked = async (comparison: string, classRefs: string[]) => {
        await browser.ask(spB, { xml: { requestedAuthnContext: { comparison, classRefs } } });
        const r = readResponse(browser.client.samlPost().xml);
        return r.subStatusCode ?? r.statusCode;
      };
      // Without a session: the login itself is refused before any code is sent.
      const sent = idp.sms.sent.length;
      assert.equal(await asked('exact', [CLASS.password]), STATUS('NoAuthnContext'));
      assert.equal(idp.sms.sent.length, sent);

      await browser.login(spA, phone(), {
        xml: { requestedAuthnContext: { comparison: 'exact', classRefs: [CLASS.ours] } },
      });
      assert.equal(await asked('exact', [CLASS.ours]), STATUS('Success'));
      assert.equal(await asked('exact', [CLASS.password]), STATUS('NoAuthnContext'));
      assert.equal(await asked('minimum', [CLASS.password]), STATUS('Success'));
      assert.equal(await asked('minimum', [CLASS.ours]), STATUS('Success'));
      assert.equal(await asked('minimum', [CLASS.smartcard]), STATUS('NoAuthnContext'));
    });
  });
  describe(`SSO turned off, and on http (${storeName} store)`, () => {
    let off: TestIdp;
    let dev: TestIdp;
    let stop: () => Promise<void>;
    before(async () => {
      const made = await makeStore();
      stop = made.stop;
      const sps = { a: spA.metadataXml, b: spB.metadataXml };
      off = await buildTestIdp({ store: made.store, sps, env: { ...ENV, SSO_ENABLED: 'false' } });
      dev = await buildTestIdp({
        store: made.store,
        sps,
        env: { ...ENV, BASE_URL: 'http://localhost:3000' },
      });
    });
    after(async () => {
      await off.close();
      await dev.close();
      await stop();
    });

    test('SSO_ENABLED=false: no session, every SP asks for a code, IsPassive is always NoPassive', async () => {
      const browser = new Browser(off);
      await browser.login(spA, '+4741299999');
      assert.equal(browser.jar.get('idp', '__Host-nsi_sso'), undefined, 'no session cookie');
      await browser.login(spB, '+4741299999');
      await browser.ask(spA, { xml: { isPassive: true } });
      assert.equal(readResponse(browser.client.samlPost().xml).subStatusCode, STATUS('NoPassive'));
    });

    test('on http the cookie is SameSite=Lax without Secure: browsers refuse SameSite=None there', async () => {
      const browser = new Browser(dev);
      const xml = authnRequestXml({ issuer: spA.entityId, destination: 'http://localhost:3000/saml/sso' });
      await browser.client.go('GET', `/saml/sso?${redirectQuery(xml)}`);
      await browser.client.submit({ given_name: 'A', family_name: 'B', phone: '+4741288888' });
      await browser.client.submit({ code: dev.sms.lastCode('+4741288888') });
      const cookie = browser.jar.get('idp', 'nsi_sso');
      assert.ok(cookie);
      assert.match(cookie.attributes, /SameSite=Lax/);
      assert.doesNotMatch(cookie.attributes, /Secure/);
    });
  });
}
