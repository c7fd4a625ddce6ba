// Attacker text inside an IdP-signed Response: an unsigned AuthnRequest for a trusted SP must not be able to put its
// own words into the StatusMessage we sign and post to the SP's ACS (with the attacker's RelayState). Our status
// messages are fixed sentences; what the request said is only logged, escaped and capped.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { deflateRawSync } from 'node:zlib';
import { buildTestIdp, type TestIdp } from '../helpers/app.ts';
import { attackFixture, fillAttack } from '../helpers/attack-fixtures.ts';
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
const logs: Record<string, unknown>[] = [];

before(async () => {
  idp = await buildTestIdp({
    sps: { open: sp.metadataXml },
    logStream: {
      write(chunk: string) {
        for (const line of chunk.split('\n')) if (line !== '') logs.push(JSON.parse(line));
      },
    },
  });
});
after(() => idp.close());

/** Sends the request and returns what the auto-post page would post to the SP. */
async function postedToSp(url: string, form?: Record<string, string>) {
  const client = new BrowserClient(injectTransport(idp.app, { 'accept-language': 'en' }));
  await client.go(form === undefined ? 'GET' : 'POST', url, form);
  return client.samlPost();
}

describe('attacker text inside an IdP-signed Response', () => {
  test('a phishing NameIDPolicy Format: InvalidNameIDPolicy with our own sentence, the text only in the log', async () => {
    const xml = fillAttack('status-message-phishing-nameid-format.xml', values);
    const relayState = 'https://evil.example/after';
    const post = await postedToSp('/saml/sso', {
      SAMLRequest: Buffer.from(xml).toString('base64'),
      RelayState: relayState,
    });
    const r = readResponse(post.xml);
    assert.equal(r.subStatusCode, STATUS('InvalidNameIDPolicy'));
    assert.equal(r.statusMessage, 'the NameID format is not supported');
    assert.doesNotMatch(post.xml, /evil\.example|account is locked/, 'nothing of the request is signed');
    const logged = logs.find((l) => l.event === 'saml.response.status' && l.inResponseTo === r.inResponseTo);
    assert.ok(logged !== undefined, 'the refusal is logged');
    assert.match(String(logged.detail), /account is locked/);
    assert.ok(String(logged.detail).length < 200, 'the logged value is capped');
  });

  test('a phishing forcepkivendor: NoSupportedIDP with our own sentence', async () => {
    const xml = fillAttack('authn-request.xml', values);
    const text = attackFixture('status-message-phishing-forcepkivendor.txt');
    const query = new URLSearchParams({
      SAMLRequest: deflateRawSync(Buffer.from(xml)).toString('base64'),
      forcepkivendor: text,
    });
    const post = await postedToSp(`/saml/sso?${query}`);
    const r = readResponse(post.xml);
    assert.equal(r.subStatusCode, STATUS('NoSupportedIDP'));
    assert.equal(r.statusMessage, 'the requested eID is not offered here');
    assert.doesNotMatch(post.xml, /evil\.example|session expired/i);
  });

  test('a presetid that cannot be used: Requester with our own sentence', async () => {
    const xml = fillAttack('authn-request.xml', values);
    const query = new URLSearchParams({
      SAMLRequest: deflateRawSync(Buffer.from(xml)).toString('base64'),
      presetid: 'Call https://evil.example now',
    });
    const post = await postedToSp(`/saml/sso?${query}`);
    const r = readResponse(post.xml);
    assert.equal(r.statusCode, STATUS('Requester'));
    assert.equal(r.statusMessage, 'the presetid cannot be used');
    assert.doesNotMatch(post.xml, /evil\.example/);
  });
});
