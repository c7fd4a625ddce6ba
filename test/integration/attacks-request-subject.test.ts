// AuthnRequest Subjects and Issuers (SAML profiles §4.1.4.1, core §3.4.1): a Subject with a SubjectConfirmation is
// refused; a Subject in an unsigned request is never dropped (it locks the number, so the assertion cannot name
// someone else than the SP asked for); an Issuer must be the entityID exactly, without surrounding whitespace.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { deflateRawSync } from 'node:zlib';
import { buildTestIdp, type TestIdp } from '../helpers/app.ts';
import { fillAttack } from '../helpers/attack-fixtures.ts';
import { BrowserClient, injectTransport } from '../helpers/browser-client.ts';
import { readResponse } from '../helpers/saml-response.ts';
import { createTestSp } from '../helpers/saml-sp.ts';

const BASE = 'https://idp.example.test';
const STATUS = (s: string) => `urn:oasis:names:tc:SAML:2.0:status:${s}`;
const sp = createTestSp({
  entityId: 'https://open.example.org/sp',
  keyName: 'open-sp',
  acs: [{ url: 'https://open.example.org/acs', index: 0 }],
});
const values = { DESTINATION: `${BASE}/saml/sso`, ISSUER: sp.entityId, ACS: sp.acsUrl };

let idp: TestIdp;
before(async () => {
  idp = await buildTestIdp({ sps: { open: sp.metadataXml } });
});
after(() => idp.close());

const client = () => new BrowserClient(injectTransport(idp.app, { 'accept-language': 'en' }));
const posted = (fixture: string) => ({
  SAMLRequest: Buffer.from(fillAttack(fixture, values)).toString('base64'),
});

describe('Subjects in AuthnRequests', () => {
  test('a Subject with a SubjectConfirmation is refused with Requester, no login starts', async () => {
    const browser = client();
    await browser.go('POST', '/saml/sso', posted('subject-confirmation-in-request.xml'));
    const r = readResponse(browser.samlPost().xml);
    assert.equal(r.statusCode, STATUS('Requester'));
    assert.equal(r.hasAssertion, false);
    assert.equal(r.statusMessage, 'the Subject must not contain a SubjectConfirmation');
  });

  test('an unsigned Subject naming another person locks the number: the assertion can only name that subject', async () => {
    const browser = client();
    const page = await browser.go('POST', '/saml/sso', posted('unsigned-subject-of-another-person.xml'));
    assert.equal(page.status, 200, page.html.slice(0, 300));
    assert.match(page.html, /id="locked-phone">\+47 91 23 45 67</);
    // The person types their own number: the server ignores it, the code goes to the subject's number.
    await browser.submit({ given_name: 'Ola', family_name: 'Nordmann', phone: '+4741234567' });
    assert.deepEqual(
      idp.sms.sent.map((m) => m.to),
      ['+4791234567'],
      'the code goes to the subject, nothing to the typed number',
    );
    await browser.submit({ code: idp.sms.lastCode('+4791234567') });
    const r = readResponse(browser.samlPost().xml);
    assert.equal(r.statusCode, STATUS('Success'));
    assert.equal(r.attributes.PHONE_NUMBER, '+4791234567');
  });

  test('a presetid naming another number than the Subject answers UnknownPrincipal', async () => {
    const xml = fillAttack('unsigned-subject-of-another-person.xml', values);
    const query = new URLSearchParams({
      SAMLRequest: deflateRawSync(Buffer.from(xml)).toString('base64'),
      presetid: '+4741234567',
    });
    const browser = client();
    await browser.go('GET', `/saml/sso?${query}`);
    const r = readResponse(browser.samlPost().xml);
    assert.equal(r.subStatusCode, STATUS('UnknownPrincipal'));
  });
});

describe('Issuers in AuthnRequests', () => {
  test('an Issuer with whitespace around the entityID is not that SP: refused, nothing posted', async () => {
    const response = await idp.app.inject({
      method: 'POST',
      url: '/saml/sso',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams(posted('issuer-with-whitespace.xml')).toString(),
    });
    assert.equal(response.statusCode, 400, response.body.slice(0, 300));
    assert.doesNotMatch(response.body, /SAMLResponse/);
    assert.equal(response.headers.location, undefined);
  });
});
