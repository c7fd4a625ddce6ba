// SP_METADATA_DIR reloaded while logins run: a changed file (new ACS, new signing key) takes effect without a restart,
// logins in progress finish, and a broken file is reported while the previous version keeps serving.

import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { buildTestIdp, type TestIdp } from '../helpers/app.ts';
import { BrowserClient, injectTransport } from '../helpers/browser-client.ts';
import { readResponse } from '../helpers/saml-response.ts';
import { authnRequestXml, newRequestId, redirectQuery, spMetadataXml, testKeys } from '../helpers/saml-sp.ts';

const SSO = 'https://idp.example.test/saml/sso';
const ENTITY = 'https://reload.example.org/sp';
const ACS1 = 'https://reload.example.org/acs/one';
const ACS2 = 'https://reload.example.org/acs/two';
const PHONE = '+4791234567';
const oldKey = testKeys('reload-old');
const newKey = testKeys('reload-new');

function metadata(acs: readonly string[], cert: string): string {
  return spMetadataXml({
    entityId: ENTITY,
    acs: acs.map((url, index) => ({ url, index })),
    signingCerts: [cert],
    authnRequestsSigned: true,
  });
}

let idp: TestIdp;
let file: string;

before(async () => {
  idp = await buildTestIdp({
    sps: { reload: metadata([ACS1], oldKey.certBase64) },
    env: { SMS_MAX_PER_PHONE: '1000', SMS_MAX_PER_IP: '10000', SMS_MAX_GLOBAL: '100000' },
  });
  file = join(idp.config.saml.spMetadataDir, 'reload.xml');
});
after(() => idp.close());

/** GET /saml/sso with a request signed by `key`, asking for `acsUrl`; the client is on the first page after. */
async function start(key: typeof oldKey, acsUrl?: string) {
  const xml = authnRequestXml({ issuer: ENTITY, id: newRequestId(), destination: SSO, acsUrl });
  const client = new BrowserClient(injectTransport(idp.app, { 'accept-language': 'en' }));
  const page = await client.go(
    'GET',
    `/saml/sso?${redirectQuery(xml, { sign: { privateKeyPem: key.privateKeyPem } })}`,
  );
  return { client, status: page.status };
}

async function finish(client: BrowserClient) {
  const sent = await client.submit({ given_name: 'Kari', family_name: 'Nordmann', phone: PHONE });
  assert.equal(sent.status, 200, sent.html.slice(0, 300));
  const done = await client.submit({ code: idp.sms.lastCode(PHONE) });
  assert.equal(done.status, 200, done.html.slice(0, 300));
  return client.samlPost();
}

/** Waits until `check` holds (the folder watcher is debounced by 200 ms). */
async function until(check: () => Promise<boolean>, what: string): Promise<void> {
  for (let waited = 0; waited < 8000; waited += 50) {
    if (await check()) return;
    await sleep(50);
  }
  assert.fail(`timed out waiting for ${what}`);
}

describe('SP metadata reloaded on change', () => {
  test('a new ACS and a new signing key take effect; the login begun before finishes', async () => {
    const before = await start(oldKey);
    assert.equal(before.status, 200);
    assert.equal((await start(oldKey, ACS2)).status, 400, 'ACS two is not in the metadata yet');

    await writeFile(file, metadata([ACS1, ACS2], newKey.certBase64));
    await until(async () => (await start(newKey, ACS2)).status === 200, 'the new metadata');

    assert.equal((await start(oldKey)).status, 400, 'the old key is no longer trusted');
    const post = await finish(before.client);
    assert.equal(post.acsUrl, ACS1, 'the login in progress still goes where it was asked to');
    assert.equal(readResponse(post.xml).statusCode, 'urn:oasis:names:tc:SAML:2.0:status:Success');
    const fresh = await start(newKey, ACS2);
    assert.equal((await finish(fresh.client)).acsUrl, ACS2);
  });

  test('a broken file is refused and the previous version keeps serving', async () => {
    await writeFile(file, metadata([ACS1, ACS2], newKey.certBase64));
    await writeFile(
      join(idp.config.saml.spMetadataDir, 'marker.xml'),
      spMetadataXml({ entityId: 'https://marker.example.org/a' }),
    );
    const markerSeen = async () => {
      const xml = authnRequestXml({ issuer: 'https://marker.example.org/a', destination: SSO });
      return (
        (await idp.app.inject({ method: 'GET', url: `/saml/sso?${redirectQuery(xml)}` })).statusCode === 303
      );
    };
    await until(markerSeen, 'the marker SP');

    await writeFile(file, '<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="');
    await writeFile(
      join(idp.config.saml.spMetadataDir, 'marker.xml'),
      spMetadataXml({ entityId: 'https://marker.example.org/b' }),
    );
    // The marker's change and the broken file are read in the same reload: once b is known, the break was seen.
    await until(async () => {
      const xml = authnRequestXml({ issuer: 'https://marker.example.org/b', destination: SSO });
      return (
        (await idp.app.inject({ method: 'GET', url: `/saml/sso?${redirectQuery(xml)}` })).statusCode === 303
      );
    }, 'the second marker SP');
    const { client, status } = await start(newKey, ACS2);
    assert.equal(status, 200, 'the SP of the broken file is still trusted as it was');
    assert.equal((await finish(client)).acsUrl, ACS2);
  });

  test('logins running while the file is rewritten again and again all succeed', async () => {
    const good = metadata([ACS1, ACS2], newKey.certBase64);
    let writing = true;
    const writer = (async () => {
      for (let i = 0; writing; i++) {
        // Every other write is a different but equivalent document, so the folder really changes each time.
        await writeFile(
          file,
          i % 2 === 0 ? good : good.replace('<md:EntityDescriptor', '<!-- edit -->\n<md:EntityDescriptor'),
        );
        await sleep(25);
      }
    })();
    try {
      const logins = await Promise.all(
        Array.from({ length: 8 }, async (_, i) => {
          await sleep(i * 40);
          const { client, status } = await start(newKey, i % 2 === 0 ? ACS1 : ACS2);
          assert.equal(status, 200);
          return finish(client);
        }),
      );
      for (const [i, post] of logins.entries()) {
        assert.equal(post.acsUrl, i % 2 === 0 ? ACS1 : ACS2);
        assert.equal(readResponse(post.xml).statusCode, 'urn:oasis:names:tc:SAML:2.0:status:Success');
      }
    } finally {
      writing = false;
      await writer;
    }
  });
});
