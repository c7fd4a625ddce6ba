// A signed message must say where it was sent (SAML bindings §3.4.5.2, §3.5.5.2): without Destination, a request the
// SP signed for another IdP could be replayed here.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Binding, Ns } from '../../src/saml/urn.ts';
import { samlTime } from '../../src/saml/values.ts';
import { el, renderXml } from '../../src/saml/xml/xml-writer.ts';
import { buildTestIdp, type TestIdp } from '../helpers/app.ts';
import { LogLines } from '../helpers/refusals.ts';
import { authnRequestXml, createTestSp, newRequestId, postForm, redirectQuery } from '../helpers/saml-sp.ts';

const IDP = 'https://idp.example.test';
const sp = createTestSp({
  entityId: 'https://destination.example.org/sp',
  keyName: 'destination-sp',
  slo: [{ binding: Binding.redirect, url: 'https://destination.example.org/slo' }],
});
const signing = { privateKeyPem: sp.keys.privateKeyPem };

let idp: TestIdp;
const logs = new LogLines();
before(async () => {
  idp = await buildTestIdp({ sps: { sp: sp.metadataXml }, logStream: logs.stream });
});
after(() => idp.close());

const authn = (destination: string | null) =>
  authnRequestXml({ issuer: sp.entityId, id: newRequestId(), destination });

function logoutRequest(destination: string | null): string {
  return renderXml(
    el(
      'samlp:LogoutRequest',
      {
        'xmlns:samlp': Ns.protocol,
        'xmlns:saml': Ns.assertion,
        ID: newRequestId(),
        Version: '2.0',
        IssueInstant: samlTime(new Date()),
        Destination: destination ?? undefined,
      },
      [
        el('saml:Issuer', {}, [sp.entityId]),
        el('saml:NameID', {}, ['+4791234567']),
        el('samlp:SessionIndex', {}, ['_not-one-of-ours']),
      ],
    ),
  );
}

const get = (url: string) => idp.app.inject({ method: 'GET', url });
const post = (url: string, form: Record<string, string>) =>
  idp.app.inject({ method: 'POST', url, payload: form });

describe('signed messages without Destination', () => {
  test('a signed AuthnRequest without Destination is refused on both bindings', async () => {
    assert.equal(
      (await get(`/saml/sso?${redirectQuery(authn(`${IDP}/saml/sso`), { sign: signing })}`)).statusCode,
      303,
      'baseline: with Destination it starts a login',
    );
    const redirect = await get(`/saml/sso?${redirectQuery(authn(null), { sign: signing })}`);
    assert.equal(redirect.statusCode, 400);
    assert.doesNotMatch(redirect.body, /SAMLResponse/);
    logs.assertRefused(
      redirect.body,
      'bad-destination',
      /signed AuthnRequest has no Destination/,
      'Redirect',
    );
    const posted = await post('/saml/sso', postForm(authn(null), { sign: signing }));
    assert.equal(posted.statusCode, 400);
    assert.doesNotMatch(posted.body, /SAMLResponse/);
    logs.assertRefused(posted.body, 'bad-destination', /signed AuthnRequest has no Destination/, 'POST');
  });

  test('an unsigned AuthnRequest may still leave Destination out', async () => {
    assert.equal((await get(`/saml/sso?${redirectQuery(authn(null))}`)).statusCode, 303);
  });

  test('a signed LogoutRequest without Destination is refused: nothing is sent to the SP', async () => {
    const baseline = await get(
      `/saml/slo?${redirectQuery(logoutRequest(`${IDP}/saml/slo`), { sign: signing })}`,
    );
    assert.equal(baseline.statusCode, 303, 'baseline: with Destination the SP gets an answer');
    const refused = await get(`/saml/slo?${redirectQuery(logoutRequest(null), { sign: signing })}`);
    assert.equal(refused.statusCode, 400);
    assert.equal(refused.headers.location, undefined);
    logs.assertRefused(refused.body, 'bad-destination', /signed LogoutRequest has no Destination/);
  });
});
