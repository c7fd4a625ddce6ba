// Single Logout through app.inject, on the memory store and on a real Redis: SP-initiated on both bindings, the
// logout page and its frames, PartialLogout, refused (forged, replayed, stale) messages, IdP-initiated logout.

import assert from 'node:assert/strict';
import { createPrivateKey, sign, verify } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { DOMParser } from '@xmldom/xmldom';
import { SignedXml } from 'xml-crypto';
import { Alg, Binding, Ns } from '../../src/saml/urn.ts';
import { samlTime } from '../../src/saml/values.ts';
import { el, renderXml } from '../../src/saml/xml/xml-writer.ts';
import { buildTestIdp, type TestIdp } from '../helpers/app.ts';
import { BrowserClient, formAction, inputValue } from '../helpers/browser-client.ts';
import { LogLines } from '../helpers/refusals.ts';
import { readResponse } from '../helpers/saml-response.ts';
import {
  authnRequestXml,
  createTestSp,
  newRequestId,
  redirectQuery,
  signXml,
  type TestSp,
  testKeys,
} from '../helpers/saml-sp.ts';
import { CookieJar, jarTransport } from '../helpers/sso-browser.ts';
import { STORES } from '../helpers/stores.ts';

const IDP = 'https://idp.example.test';
const SLO = `${IDP}/saml/slo`;
const STATUS = (s: string) => `urn:oasis:names:tc:SAML:2.0:status:${s}`;
const ENV = { OTP_RESEND_COOLDOWN_SECONDS: '0', SMS_MAX_PER_PHONE: '1000', SMS_MAX_PER_IP: '100000' };

/** SP with an HTTP-Redirect SingleLogoutService. */
const spA = sloSp('a', [{ binding: Binding.redirect, url: 'https://a.example.org/slo' }]);
/** SP with an HTTP-POST SingleLogoutService whose responses go to a ResponseLocation. */
const spB = sloSp('b', [
  {
    binding: Binding.post,
    url: 'https://b.example.org/slo',
    responseUrl: 'https://b.example.org/slo/response',
  },
]);
/** Another Redirect SP, used as the one that fails or never answers. */
const spD = sloSp('d', [{ binding: Binding.redirect, url: 'https://d.example.org/slo' }]);
/** An SP without any SingleLogoutService: it cannot be told. */
const spC = sloSp('c', []);
/** An SP whose metadata says it signs its requests, so its logout messages must be signed. */
const spS = sloSp('s', [{ binding: Binding.redirect, url: 'https://s.example.org/slo' }], '1');

function sloSp(
  name: string,
  slo: { binding: string; url: string; responseUrl?: string }[],
  signed?: string,
): TestSp {
  return createTestSp({
    entityId: `https://${name}.example.org/sp`,
    keyName: `slo-sp-${name}`,
    acs: [{ url: `https://${name}.example.org/acs`, index: 0 }],
    slo,
    ...(signed === undefined ? {} : { authnRequestsSigned: signed }),
  });
}

/** What an SP knows after its assertion: what to name in a LogoutRequest. */
interface Held {
  readonly nameId: string;
  readonly nameIdFormat: string;
  readonly sessionIndex: string;
}

function logoutRequestXml(o: {
  issuer: string;
  id?: string;
  held: Held;
  destination?: string | null;
  issueInstant?: Date;
  notOnOrAfter?: Date;
  sessionIndexes?: readonly string[];
}): string {
  return renderXml(
    el(
      'samlp:LogoutRequest',
      {
        'xmlns:samlp': Ns.protocol,
        'xmlns:saml': Ns.assertion,
        ID: o.id ?? newRequestId(),
        Version: '2.0',
        IssueInstant: samlTime(o.issueInstant ?? new Date()),
        Destination: o.destination === null ? undefined : (o.destination ?? SLO),
        NotOnOrAfter: o.notOnOrAfter === undefined ? undefined : samlTime(o.notOnOrAfter),
      },
      [
        el('saml:Issuer', {}, [o.issuer]),
        el('saml:NameID', { Format: o.held.nameIdFormat }, [o.held.nameId]),
        ...(o.sessionIndexes ?? [o.held.sessionIndex]).map((s) => el('samlp:SessionIndex', {}, [s])),
      ],
    ),
  );
}

function logoutResponseXml(o: {
  issuer: string;
  inResponseTo: string;
  status?: string;
  destination?: string;
}): string {
  return renderXml(
    el(
      'samlp:LogoutResponse',
      {
        'xmlns:samlp': Ns.protocol,
        'xmlns:saml': Ns.assertion,
        ID: newRequestId(),
        Version: '2.0',
        IssueInstant: samlTime(new Date()),
        Destination: o.destination ?? SLO,
        InResponseTo: o.inResponseTo,
      },
      [
        el('saml:Issuer', {}, [o.issuer]),
        el('samlp:Status', {}, [el('samlp:StatusCode', { Value: o.status ?? STATUS('Success') })]),
      ],
    ),
  );
}

/** A signed HTTP-Redirect SAMLResponse query (SAML bindings §3.4.4.1). */
function responseQuery(xml: string, privateKeyPem: string, relayState?: string): string {
  const parts = [`SAMLResponse=${encodeURIComponent(deflateRawSync(Buffer.from(xml)).toString('base64'))}`];
  if (relayState !== undefined) parts.push(`RelayState=${encodeURIComponent(relayState)}`);
  parts.push(`SigAlg=${encodeURIComponent(Alg.rsaSha256)}`);
  const signature = sign('sha256', Buffer.from(parts.join('&')), createPrivateKey(privateKeyPem));
  parts.push(`Signature=${encodeURIComponent(signature.toString('base64'))}`);
  return parts.join('&');
}

/** A message the IdP sent on the Redirect binding: its parameters, XML, and whether the IdP's key signed it. */
function readRedirect(location: string, idpCertPem: string) {
  const url = new URL(location);
  const raw = url.search.slice(1);
  const segment = (name: string) => raw.split('&').find((s) => s.startsWith(`${name}=`));
  const parameter = segment('SAMLRequest') !== undefined ? 'SAMLRequest' : 'SAMLResponse';
  const signedOctets = [segment(parameter), segment('RelayState'), segment('SigAlg')]
    .filter(Boolean)
    .join('&');
  const signatureOk = verify(
    'sha256',
    Buffer.from(signedOctets),
    idpCertPem,
    Buffer.from(url.searchParams.get('Signature') ?? '', 'base64'),
  );
  const xml = inflateRawSync(Buffer.from(url.searchParams.get(parameter) ?? '', 'base64')).toString('utf8');
  return {
    endpoint: `${url.origin}${url.pathname}`,
    parameter,
    xml,
    relayState: url.searchParams.get('RelayState') ?? undefined,
    sigAlg: url.searchParams.get('SigAlg'),
    signatureOk,
  };
}

/** A message the IdP sent on the POST binding: its form, XML, and whether its enveloped signature verifies. */
function readPost(html: string, idpCertPem: string) {
  const request = inputValue(html, 'SAMLRequest');
  const value = request ?? inputValue(html, 'SAMLResponse') ?? '';
  const xml = Buffer.from(value, 'base64').toString('utf8');
  const doc = new DOMParser().parseFromString(xml, 'text/xml');
  const signatures = doc.getElementsByTagNameNS(Ns.dsig, 'Signature');
  const verifier = new SignedXml({ publicCert: idpCertPem });
  verifier.loadSignature(signatures[0] as never);
  return {
    action: formAction(html),
    parameter: request === undefined ? 'SAMLResponse' : 'SAMLRequest',
    xml,
    relayState: inputValue(html, 'RelayState'),
    signatureOk: signatures.length === 1 && verifier.checkSignature(xml),
  };
}

const attribute = (xml: string, element: string, name: string) =>
  new RegExp(`<[a-z]+:${element}[^>]*\\b${name}="([^"]+)"`).exec(xml)?.[1];
const elementText = (xml: string, element: string) =>
  new RegExp(`<[a-z]+:${element}[^>]*>([^<]*)<`).exec(xml)?.[1];

for (const [storeName, makeStore] of Object.entries(STORES)) {
  describe(`Single Logout (${storeName} store)`, () => {
    let idp: TestIdp;
    let strict: TestIdp;
    let idpCertPem = '';
    let stop: () => Promise<void>;
    let phoneCounter = 0;
    const logs = new LogLines();
    const phone = () => `+47413${String(10000 + phoneCounter++).padStart(5, '0')}`;

    before(async () => {
      const made = await makeStore();
      stop = made.stop;
      const sps = {
        a: spA.metadataXml,
        b: spB.metadataXml,
        c: spC.metadataXml,
        d: spD.metadataXml,
        s: spS.metadataXml,
      };
      idp = await buildTestIdp({ store: made.store, sps, env: ENV, logStream: logs.stream });
      strict = await buildTestIdp({
        store: made.store,
        sps,
        env: { ...ENV, WANT_LOGOUT_REQUESTS_SIGNED: 'true' },
        logStream: logs.stream,
      });
      const metadata = await idp.app.inject({ method: 'GET', url: '/saml/metadata' });
      const cert = /<ds:X509Certificate>([^<]+)</.exec(metadata.body)?.[1] ?? '';
      idpCertPem = `-----BEGIN CERTIFICATE-----\n${cert}\n-----END CERTIFICATE-----\n`;
    });
    after(async () => {
      await idp.close();
      await strict.close();
      await stop();
    });

    /** A browser logged in (one code) to every SP in `sps`, in order; returns what each SP holds. */
    const loggedIn = async (sps: readonly TestSp[], on: TestIdp = idp) => {
      const jar = new CookieJar();
      const client = new BrowserClient(jarTransport(on.app, jar, { 'accept-language': 'en' }));
      const held = new Map<string, Held>();
      const number = phone();
      for (const [i, sp] of sps.entries()) {
        const xml = authnRequestXml({ issuer: sp.entityId, destination: `${IDP}/saml/sso` });
        await client.go(
          'GET',
          `/saml/sso?${redirectQuery(xml, { sign: { privateKeyPem: sp.keys.privateKeyPem } })}`,
        );
        if (i === 0) {
          await client.submit({ given_name: 'Kari', family_name: 'Nordmann', phone: number });
          await client.submit({ code: on.sms.lastCode(number) });
        }
        const r = readResponse(client.samlPost().xml);
        assert.equal(r.statusCode, STATUS('Success'));
        held.set(sp.entityId, {
          nameId: r.nameId ?? '',
          nameIdFormat: r.nameIdFormat ?? '',
          sessionIndex: r.sessionIndex ?? '',
        });
      }
      const send = async (method: 'GET' | 'POST', url: string, form?: Record<string, string>) => {
        const cookie = jar.header('idp');
        const response = await on.app.inject({
          method,
          url,
          headers: {
            'accept-language': 'en',
            ...(cookie === undefined ? {} : { cookie }),
            ...(form === undefined ? {} : { 'content-type': 'application/x-www-form-urlencoded' }),
          },
          payload: form === undefined ? undefined : new URLSearchParams(form).toString(),
        });
        jar.store('idp', response.headers['set-cookie']);
        return response;
      };
      /** Does the IdP still answer `sp` from a session? */
      const hasSession = async (sp: TestSp) => {
        const xml = authnRequestXml({ issuer: sp.entityId, destination: `${IDP}/saml/sso`, isPassive: true });
        await client.go(
          'GET',
          `/saml/sso?${redirectQuery(xml, { sign: { privateKeyPem: sp.keys.privateKeyPem } })}`,
        );
        return readResponse(client.samlPost().xml).statusCode === STATUS('Success');
      };
      const held1 = (sp: TestSp) => held.get(sp.entityId) as Held;
      return { jar, client, held: held1, send, hasSession };
    };

    /** The SP's signed Redirect LogoutRequest. */
    const logoutQuery = (
      sp: TestSp,
      held: Held,
      opts: { id?: string; relayState?: string; key?: string } = {},
    ) =>
      redirectQuery(logoutRequestXml({ issuer: sp.entityId, held, ...(opts.id ? { id: opts.id } : {}) }), {
        relayState: opts.relayState,
        sign: { privateKeyPem: opts.key ?? sp.keys.privateKeyPem },
      });

    /** Follows the logout page's frame `index` to the LogoutRequest it sends; returns it and its request ID. */
    const frameRequest = async (
      browser: Awaited<ReturnType<typeof loggedIn>>,
      page: string,
      index: number,
    ) => {
      const src = [...page.matchAll(/<iframe[^>]*\bsrc="([^"]+)"/g)][index]?.[1] ?? '';
      const frame = await browser.send('GET', src);
      if (frame.statusCode === 303) {
        const message = readRedirect(String(frame.headers.location), idpCertPem);
        return { frame, message, id: attribute(message.xml, 'LogoutRequest', 'ID') ?? '' };
      }
      const message = readPost(frame.body, idpCertPem);
      return {
        frame,
        message: { ...message, endpoint: message.action },
        id: attribute(message.xml, 'LogoutRequest', 'ID') ?? '',
      };
    };

    const statusOf = async (browser: Awaited<ReturnType<typeof loggedIn>>, page: string) => {
      const url = /data-status="([^"]+)"/.exec(page)?.[1] ?? '';
      return ((await browser.send('GET', url)).json() as { states: string[] }).states;
    };
    const finish = async (browser: Awaited<ReturnType<typeof loggedIn>>, page: string) =>
      browser.send('GET', /data-finish="([^"]+)"/.exec(page)?.[1] ?? '');

    test('SP-initiated (Redirect): the other SP gets a signed LogoutRequest, the initiator a signed Success', async () => {
      const browser = await loggedIn([spA, spB]);
      const requestId = newRequestId();
      const page = await browser.client.go(
        'GET',
        `/saml/slo?${logoutQuery(spA, browser.held(spA), { id: requestId, relayState: 'back to /home?x=1&y=2' })}`,
      );
      assert.equal(page.status, 200);
      assert.match(page.url, /^\/saml\/slo\/progress\//);
      assert.equal(browser.jar.get('idp', '__Host-nsi_sso'), undefined, 'the session cookie is cleared');
      assert.match(page.html, /b\.example\.org/i);
      assert.match(page.html, /data-timeout-ms="5000"/);
      assert.match(
        String(page.headers['content-security-policy']),
        /frame-src 'self' https:\/\/b\.example\.org/,
      );
      assert.match(String(page.headers['content-security-policy']), /script-src 'nonce-/);

      const { frame, message, id } = await frameRequest(browser, page.html, 0);
      assert.equal(frame.statusCode, 200, 'B listens on HTTP-POST: an auto-posting form in the frame');
      assert.equal(frame.headers['x-frame-options'], 'SAMEORIGIN');
      assert.match(String(frame.headers['content-security-policy']), /frame-ancestors 'self'/);
      assert.match(
        String(frame.headers['content-security-policy']),
        /form-action https:\/\/b\.example\.org 'self'/,
        'the SP answers by redirecting back to us, and form-action covers redirects',
      );
      assert.equal(message.endpoint, 'https://b.example.org/slo');
      assert.equal(message.parameter, 'SAMLRequest');
      assert.ok(message.signatureOk, 'signed by the IdP');
      assert.equal(attribute(message.xml, 'LogoutRequest', 'Destination'), 'https://b.example.org/slo');
      assert.equal(elementText(message.xml, 'Issuer'), `${IDP}/saml/metadata`);
      assert.equal(elementText(message.xml, 'NameID'), browser.held(spB).nameId);
      assert.equal(attribute(message.xml, 'NameID', 'Format'), browser.held(spB).nameIdFormat);
      assert.equal(elementText(message.xml, 'SessionIndex'), browser.held(spB).sessionIndex);
      assert.deepEqual(await statusOf(browser, page.html), ['pending']);

      const answer = signXml(logoutResponseXml({ issuer: spB.entityId, inResponseTo: id }), {
        privateKeyPem: spB.keys.privateKeyPem,
      });
      const answered = await browser.send('POST', '/saml/slo', {
        SAMLResponse: Buffer.from(answer).toString('base64'),
      });
      assert.equal(answered.statusCode, 200);
      assert.equal(answered.headers['x-frame-options'], 'SAMEORIGIN');
      assert.deepEqual(await statusOf(browser, page.html), ['done']);

      const done = await finish(browser, page.html);
      assert.equal(done.statusCode, 303, 'A listens on HTTP-Redirect');
      const response = readRedirect(String(done.headers.location), idpCertPem);
      assert.equal(response.endpoint, 'https://a.example.org/slo');
      assert.equal(response.parameter, 'SAMLResponse');
      assert.equal(response.sigAlg, Alg.rsaSha256);
      assert.ok(response.signatureOk, 'the query signature verifies with the IdP certificate');
      assert.equal(response.relayState, 'back to /home?x=1&y=2', 'RelayState comes back as sent');
      const r = readResponse(response.xml);
      assert.equal(r.inResponseTo, requestId);
      assert.equal(r.destination, 'https://a.example.org/slo');
      assert.equal(r.statusCode, STATUS('Success'));
      assert.equal(r.subStatusCode, null);
      assert.equal(await browser.hasSession(spB), false, 'the session is over');
      assert.equal((await finish(browser, page.html)).statusCode, 200, 'a second finish only shows the page');
    });

    test('SP-initiated (POST): answered on POST at the ResponseLocation; the other SP answers on Redirect', async () => {
      const browser = await loggedIn([spB, spA]);
      const xml = signXml(logoutRequestXml({ issuer: spB.entityId, held: browser.held(spB) }), {
        privateKeyPem: spB.keys.privateKeyPem,
      });
      const page = await browser.client.go('POST', '/saml/slo', {
        SAMLRequest: Buffer.from(xml).toString('base64'),
        RelayState: 'rs-b',
      });
      const { message, id } = await frameRequest(browser, page.html, 0);
      assert.equal(message.endpoint, 'https://a.example.org/slo');
      assert.ok(message.signatureOk);
      const answer = await browser.send(
        'GET',
        `/saml/slo?${responseQuery(logoutResponseXml({ issuer: spA.entityId, inResponseTo: id }), spA.keys.privateKeyPem)}`,
      );
      assert.equal(answer.statusCode, 200, answer.body.slice(0, 300));
      const done = await finish(browser, page.html);
      assert.equal(done.statusCode, 200);
      const posted = readPost(done.body, idpCertPem);
      assert.equal(posted.action, 'https://b.example.org/slo/response');
      assert.equal(posted.parameter, 'SAMLResponse');
      assert.ok(posted.signatureOk);
      assert.equal(posted.relayState, 'rs-b');
      assert.equal(readResponse(posted.xml).statusCode, STATUS('Success'));
      assert.equal(readResponse(posted.xml).destination, 'https://b.example.org/slo/response');
    });

    test('an SP that never answers, or answers with an error, makes it PartialLogout; the rest are logged out', async () => {
      for (const failure of ['silent', 'error'] as const) {
        const browser = await loggedIn([spA, spB, spD]);
        const page = await browser.client.go('GET', `/saml/slo?${logoutQuery(spA, browser.held(spA))}`);
        const b = await frameRequest(browser, page.html, 0);
        const d = await frameRequest(browser, page.html, 1);
        assert.equal(d.message.endpoint, 'https://d.example.org/slo');
        const ok = signXml(logoutResponseXml({ issuer: spB.entityId, inResponseTo: b.id }), {
          privateKeyPem: spB.keys.privateKeyPem,
        });
        await browser.send('POST', '/saml/slo', { SAMLResponse: Buffer.from(ok).toString('base64') });
        if (failure === 'error') {
          const refused = logoutResponseXml({
            issuer: spD.entityId,
            inResponseTo: d.id,
            status: STATUS('Responder'),
          });
          const answer = await browser.send(
            'GET',
            `/saml/slo?${responseQuery(refused, spD.keys.privateKeyPem)}`,
          );
          assert.equal(answer.statusCode, 200);
          assert.deepEqual(await statusOf(browser, page.html), ['done', 'failed']);
        } else {
          assert.deepEqual(await statusOf(browser, page.html), ['done', 'pending']);
        }
        const done = await finish(browser, page.html);
        const r = readResponse(readRedirect(String(done.headers.location), idpCertPem).xml);
        assert.equal(r.statusCode, STATUS('Success'), failure);
        assert.equal(r.subStatusCode, STATUS('PartialLogout'), failure);
        assert.equal(await browser.hasSession(spB), false);
      }
    });

    test('a participant without a SingleLogoutService makes it PartialLogout at once', async () => {
      const browser = await loggedIn([spA, spC]);
      const response = await browser.send('GET', `/saml/slo?${logoutQuery(spA, browser.held(spA))}`);
      assert.equal(response.statusCode, 303);
      const r = readResponse(readRedirect(String(response.headers.location), idpCertPem).xml);
      assert.equal(r.subStatusCode, STATUS('PartialLogout'));
    });

    test('an SP alone in the session gets Success at once', async () => {
      const browser = await loggedIn([spA]);
      const response = await browser.send('GET', `/saml/slo?${logoutQuery(spA, browser.held(spA))}`);
      assert.equal(response.statusCode, 303);
      const r = readResponse(readRedirect(String(response.headers.location), idpCertPem).xml);
      assert.equal(r.statusCode, STATUS('Success'));
      assert.equal(r.subStatusCode, null);
      assert.equal(await browser.hasSession(spA), false);
    });

    test('a LogoutRequest without SessionIndex ends the session of the browser it comes with', async () => {
      const browser = await loggedIn([spA]);
      const xml = logoutRequestXml({ issuer: spA.entityId, held: browser.held(spA), sessionIndexes: [] });
      const response = await browser.send(
        'GET',
        `/saml/slo?${redirectQuery(xml, { sign: { privateKeyPem: spA.keys.privateKeyPem } })}`,
      );
      assert.equal(
        readResponse(readRedirect(String(response.headers.location), idpCertPem).xml).statusCode,
        STATUS('Success'),
      );
      assert.equal(await browser.hasSession(spA), false);
    });

    test("a NameID or SessionIndex that is not this SP's answers UnknownPrincipal and ends nothing", async () => {
      const browser = await loggedIn([spA, spB]);
      const cases: Held[] = [
        { ...browser.held(spA), nameId: '+4799999999' },
        { ...browser.held(spA), sessionIndex: browser.held(spB).sessionIndex },
        { ...browser.held(spA), nameIdFormat: 'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent' },
      ];
      for (const held of cases) {
        const response = await browser.send('GET', `/saml/slo?${logoutQuery(spA, held)}`);
        assert.equal(response.statusCode, 303);
        const r = readResponse(readRedirect(String(response.headers.location), idpCertPem).xml);
        assert.equal(r.statusCode, STATUS('Requester'));
        assert.equal(r.subStatusCode, STATUS('UnknownPrincipal'));
      }
      assert.equal(await browser.hasSession(spB), true, 'the session goes on');
    });

    test('a LogoutRequest for a session already over is answered Success', async () => {
      const browser = await loggedIn([spA]);
      await browser.send('GET', `/saml/slo?${logoutQuery(spA, browser.held(spA))}`);
      const again = await browser.send('GET', `/saml/slo?${logoutQuery(spA, browser.held(spA))}`);
      assert.equal(
        readResponse(readRedirect(String(again.headers.location), idpCertPem).xml).statusCode,
        STATUS('Success'),
      );
    });

    test('forged, replayed, misdirected and stale LogoutRequests are refused: error page, session intact', async () => {
      const browser = await loggedIn([spA, spS]);
      const held = browser.held(spA);
      const refused = async (
        response: Awaited<ReturnType<typeof browser.send>>,
        what: string,
        reason: string,
        detail?: RegExp,
      ) => {
        assert.equal(response.statusCode, 400, `${what}: ${response.body.slice(0, 200)}`);
        assert.equal(response.headers.location, undefined, what);
        assert.doesNotMatch(response.body, /SAMLResponse|SAMLRequest/, what);
        logs.assertRefused(response.body, reason, detail, what);
      };
      const signed = (xml: string, key = spA.keys.privateKeyPem) =>
        redirectQuery(xml, { sign: { privateKeyPem: key } });
      await refused(
        await browser.send(
          'GET',
          `/saml/slo?${logoutQuery(spA, held, { key: testKeys('intruder').privateKeyPem })}`,
        ),
        'signed with another key',
        'bad-signature',
        /does not verify/,
      );
      const xml = logoutRequestXml({ issuer: spA.entityId, held });
      const other = xml
        .replace(held.nameId, browser.held(spS).nameId)
        .replace(held.sessionIndex, browser.held(spS).sessionIndex);
      const swapped = encodeURIComponent(deflateRawSync(Buffer.from(other)).toString('base64'));
      const tampered = signed(xml).replace(/SAMLRequest=[^&]+/, `SAMLRequest=${swapped}`);
      await refused(
        await browser.send('GET', `/saml/slo?${tampered}`),
        'message changed after signing',
        'bad-signature',
        /does not verify/,
      );
      await refused(
        await browser.send(
          'GET',
          `/saml/slo?${redirectQuery(logoutRequestXml({ issuer: spS.entityId, held: browser.held(spS) }))}`,
        ),
        'unsigned, from an SP whose metadata says it signs',
        'signature-required',
        /must be signed/,
      );
      await refused(
        await strict.app.inject({
          method: 'GET',
          url: `/saml/slo?${redirectQuery(logoutRequestXml({ issuer: spA.entityId, held }))}`,
        }),
        'unsigned, with WANT_LOGOUT_REQUESTS_SIGNED=true',
        'signature-required',
        /must be signed/,
      );
      await refused(
        await browser.send(
          'GET',
          `/saml/slo?${signed(logoutRequestXml({ issuer: spA.entityId, held, destination: 'https://other-idp.example/slo' }))}`,
        ),
        'Destination of another IdP',
        'bad-destination',
      );
      await refused(
        await browser.send(
          'GET',
          `/saml/slo?${signed(logoutRequestXml({ issuer: spA.entityId, held, issueInstant: new Date(Date.now() - 3600_000) }))}`,
        ),
        'an hour old',
        'stale',
        /LogoutRequest is \d+ s old/,
      );
      await refused(
        await browser.send(
          'GET',
          `/saml/slo?${signed(logoutRequestXml({ issuer: spA.entityId, held, notOnOrAfter: new Date(Date.now() - 120_000) }))}`,
        ),
        'past its NotOnOrAfter',
        'stale',
        /NotOnOrAfter/,
      );
      await refused(
        await browser.send(
          'GET',
          `/saml/slo?${redirectQuery(logoutRequestXml({ issuer: 'https://nobody.example/sp', held }))}`,
        ),
        'unknown SP',
        'unknown-sp',
        /nobody\.example/,
      );
      const doctype = `<!DOCTYPE x [<!ENTITY e "e">]>${logoutRequestXml({ issuer: spA.entityId, held })}`;
      await refused(
        await browser.send('POST', '/saml/slo', { SAMLRequest: Buffer.from(doctype).toString('base64') }),
        'DOCTYPE',
        'malformed',
        /DOCTYPE/,
      );
      assert.equal(await browser.hasSession(spA), true, 'nothing above ended the session');

      const id = newRequestId();
      const first = await browser.send('GET', `/saml/slo?${logoutQuery(spA, held, { id })}`);
      assert.equal(first.statusCode, 303);
      await refused(
        await browser.send('GET', `/saml/slo?${logoutQuery(spA, held, { id })}`),
        'replayed ID',
        'replayed',
      );
    });

    test('LogoutResponses that answer nothing we sent, or answer twice, are refused', async () => {
      const browser = await loggedIn([spA, spB]);
      const page = await browser.client.go('GET', `/saml/slo?${logoutQuery(spA, browser.held(spA))}`);
      const { id } = await frameRequest(browser, page.html, 0);
      const post = (xml: string) =>
        browser.send('POST', '/saml/slo', {
          SAMLResponse: Buffer.from(signXml(xml, { privateKeyPem: spB.keys.privateKeyPem })).toString(
            'base64',
          ),
        });
      /** Refused with an error page because it answers no logout of ours in progress. */
      const answersNothing = (response: Awaited<ReturnType<typeof post>>, what: string) => {
        assert.equal(response.statusCode, 400, what);
        logs.assertRefused(response.body, 'stale', /LogoutResponse to no logout in progress/, what);
      };
      answersNothing(
        await post(logoutResponseXml({ issuer: spB.entityId, inResponseTo: '_nothing' })),
        'an ID we never sent',
      );
      const fromA = signXml(logoutResponseXml({ issuer: spA.entityId, inResponseTo: id }), {
        privateKeyPem: spA.keys.privateKeyPem,
      });
      answersNothing(
        await browser.send('POST', '/saml/slo', { SAMLResponse: Buffer.from(fromA).toString('base64') }),
        'another SP cannot answer for B',
      );
      assert.equal(
        (await post(logoutResponseXml({ issuer: spB.entityId, inResponseTo: id }))).statusCode,
        200,
      );
      answersNothing(await post(logoutResponseXml({ issuer: spB.entityId, inResponseTo: id })), 'twice');
    });

    test('IdP-initiated: a confirmation page, then every SP is told, then "you are logged out"', async () => {
      const browser = await loggedIn([spA, spB]);
      const confirm = await browser.client.go('GET', '/saml/logout');
      assert.equal(confirm.status, 200);
      assert.match(confirm.html, /a\.example\.org[\s\S]*b\.example\.org/);
      const token = inputValue(confirm.html, 'token') ?? '';
      assert.equal((await browser.send('POST', '/saml/logout', { token: 'forged' })).statusCode, 403);
      assert.equal((await browser.send('POST', '/saml/logout', {})).statusCode, 403);
      assert.equal(await browser.hasSession(spA), true, "a POST without the page's token ends nothing");

      const page = await browser.client.go('POST', '/saml/logout', { token });
      assert.match(page.url, /^\/saml\/slo\/progress\//);
      assert.equal(browser.jar.get('idp', '__Host-nsi_sso'), undefined);
      const a = await frameRequest(browser, page.html, 0);
      const b = await frameRequest(browser, page.html, 1);
      assert.equal(a.message.endpoint, 'https://a.example.org/slo');
      assert.equal(b.message.endpoint, 'https://b.example.org/slo');
      for (const [sp, id] of [
        [spA, a.id],
        [spB, b.id],
      ] as const) {
        const xml = signXml(logoutResponseXml({ issuer: sp.entityId, inResponseTo: id }), {
          privateKeyPem: sp.keys.privateKeyPem,
        });
        await browser.send('POST', '/saml/slo', { SAMLResponse: Buffer.from(xml).toString('base64') });
      }
      const done = await finish(browser, page.html);
      assert.equal(done.statusCode, 200);
      assert.match(done.body, /You are logged out/);
      assert.doesNotMatch(done.body, /id="logout-failed"/);

      const afterwards = await browser.send('GET', '/saml/logout');
      assert.match(afterwards.body, /You are logged out/, 'without a session the URL just says so');
    });

    test('IdP-initiated with an SP that never answers lists it on the page', async () => {
      const browser = await loggedIn([spA, spC]);
      const confirm = await browser.client.go('GET', '/saml/logout');
      const page = await browser.client.go('POST', '/saml/logout', {
        token: inputValue(confirm.html, 'token') ?? '',
      });
      const done = await finish(browser, page.html);
      const failed = /id="logout-failed">([\s\S]*?)<\/ul>/.exec(done.body)?.[1] ?? '';
      assert.match(failed, /c\.example\.org/, 'it has no SingleLogoutService');
      assert.match(failed, /a\.example\.org/, 'it never answered');
    });
  });
}
