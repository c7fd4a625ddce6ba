// Signing-key rollover as an admin runs it, against SPs built on @node-saml/node-saml: publish the next certificate,
// switch signing to it while the old one stays published, finish. SPs holding only the old or only the new
// certificate keep working through the overlap; the metadata is signed and carries validUntil throughout.

import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { SAML, type ValidateInResponseTo } from '@node-saml/node-saml';
import { DOMParser } from '@xmldom/xmldom';
import { SignedXml } from 'xml-crypto';
import { loadConfig } from '../../src/config/config.ts';
import { buildTestIdp, type TestIdp } from '../helpers/app.ts';
import { BrowserClient, injectTransport } from '../helpers/browser-client.ts';
import { nodeSamlSpMetadata, sentAuthnRequest } from '../helpers/node-saml-sp.ts';
import { type TestKeys, testKeys, validateWithXsd } from '../helpers/saml-sp.ts';

const BASE = 'https://idp.example.test';
const MD = 'urn:oasis:names:tc:SAML:2.0:metadata';
const DSIG = 'http://www.w3.org/2000/09/xmldsig#';
const PHONE = '+358401234567';

const oldKeys = testKeys('rollover-old');
const newKeys = testKeys('rollover-new');

/** SPs by which IdP certificate(s) they hold. */
const SPS = {
  oldOnly: { entityId: 'https://old-only.example.org/sp', acsUrl: 'https://old-only.example.org/acs' },
  newOnly: { entityId: 'https://new-only.example.org/sp', acsUrl: 'https://new-only.example.org/acs' },
  both: { entityId: 'https://both.example.org/sp', acsUrl: 'https://both.example.org/acs' },
} as const;
type SpName = keyof typeof SPS;
const HOLDS: Record<SpName, readonly TestKeys[]> = {
  oldOnly: [oldKeys],
  newOnly: [newKeys],
  both: [oldKeys, newKeys],
};

let dir: string;
const files = { oldKey: '', oldCert: '', newKey: '', newCert: '' };

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'nsi-rollover-'));
  files.oldKey = join(dir, 'old.key.pem');
  files.oldCert = join(dir, 'old.cert.pem');
  files.newKey = join(dir, 'new.key.pem');
  files.newCert = join(dir, 'new.cert.pem');
  await writeFile(files.oldKey, oldKeys.privateKeyPem);
  await writeFile(files.oldCert, oldKeys.certPem);
  await writeFile(files.newKey, newKeys.privateKeyPem);
  await writeFile(files.newCert, newKeys.certPem);
});
after(() => rm(dir, { recursive: true, force: true }));

/** An IdP in one phase of the rollover; `pins` are the per-SP sidecar `signingKey` settings. */
function startIdp(
  env: Record<string, string>,
  pins: Partial<Record<SpName, 'current' | 'next'>> = {},
): Promise<TestIdp> {
  return buildTestIdp({
    sps: Object.fromEntries(Object.entries(SPS).map(([name, sp]) => [name, nodeSamlSpMetadata(sp)])),
    spSettings: Object.fromEntries(Object.entries(pins).map(([name, key]) => [name, { signingKey: key }])),
    env: { BASE_URL: BASE, SMS_MAX_PER_PHONE: '100', SMS_MAX_PER_IP: '1000', ...env },
  });
}

function nodeSaml(name: SpName): SAML {
  const sp = SPS[name];
  return new SAML({
    entryPoint: `${BASE}/saml/sso`,
    idpCert: HOLDS[name].map((k) => k.certPem),
    idpIssuer: `${BASE}/saml/metadata`,
    issuer: sp.entityId,
    callbackUrl: sp.acsUrl,
    audience: sp.entityId,
    identifierFormat: 'urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified',
    authnContext: ['urn:oasis:names:tc:SAML:2.0:ac:classes:MobileOneFactorUnregistered'],
    wantAssertionsSigned: true,
    wantAuthnResponseSigned: true,
    validateInResponseTo: 'always' as ValidateInResponseTo,
  });
}

/** A whole login for SP `name`; resolves with node-saml's profile, or rejects with its verdict. */
async function loginAt(idp: TestIdp, name: SpName) {
  const saml = nodeSaml(name);
  const url = await saml.getAuthorizeUrlAsync('', undefined, {});
  const requestId = sentAuthnRequest(new URL(url).searchParams.get('SAMLRequest') ?? '').id;
  const client = new BrowserClient(injectTransport(idp.app, { 'accept-language': 'en' }));
  await client.go('GET', url.slice(BASE.length));
  await client.submit({ given_name: 'Aino', family_name: 'Virtanen', phone: PHONE });
  await client.submit({ code: idp.sms.lastCode(PHONE) });
  const { profile } = await saml.validatePostResponseAsync({ SAMLResponse: client.samlPost().samlResponse });
  assert.equal(profile?.inResponseTo, requestId);
  assert.equal(profile?.PHONE_NUMBER, PHONE);
}

/** The metadata: the certificates it lists as signing keys, who signed it (verified), and validUntil. */
async function metadataOf(idp: TestIdp) {
  const xml = (await idp.app.inject({ method: 'GET', url: '/saml/metadata' })).body;
  await validateWithXsd(xml, 'saml-schema-metadata-2.0.xsd');
  const doc = new DOMParser().parseFromString(xml, 'text/xml');
  const listed = Array.from(doc.getElementsByTagNameNS(MD, 'KeyDescriptor')).map((kd) =>
    (kd.getElementsByTagNameNS(DSIG, 'X509Certificate')[0]?.textContent ?? '').replace(/\s+/g, ''),
  );
  const signature = doc.getElementsByTagNameNS(DSIG, 'Signature')[0];
  assert.ok(signature, 'the metadata is signed');
  const signedBy = [oldKeys, newKeys].find((keys) => {
    const verifier = new SignedXml({ publicCert: keys.certPem, getCertFromKeyInfo: () => null });
    verifier.loadSignature(signature);
    try {
      return verifier.checkSignature(xml);
    } catch {
      return false;
    }
  });
  const validUntil = Date.parse(doc.documentElement?.getAttribute('validUntil') ?? '');
  return { listed, signedBy, validUntil };
}

const rejectsSignature = (promise: Promise<unknown>) =>
  assert.rejects(promise, /Invalid (document )?signature/);

describe('key rollover', () => {
  test('1. publish: the next certificate is listed but not used; SPs pinned to it already work', async () => {
    const idp = await startIdp(
      {
        IDP_KEY_FILE: files.oldKey,
        IDP_CERT_FILE: files.oldCert,
        IDP_NEXT_KEY_FILE: files.newKey,
        IDP_NEXT_CERT_FILE: files.newCert,
      },
      { newOnly: 'next' },
    );
    try {
      const md = await metadataOf(idp);
      assert.deepEqual(md.listed, [oldKeys.certBase64, newKeys.certBase64]);
      assert.equal(md.signedBy, oldKeys, 'signed with the key in use');
      assert.ok(
        Math.abs(md.validUntil - Date.now() - 7 * 86_400_000) < 60_000,
        'validUntil METADATA_VALID_DAYS (7) ahead',
      );
      await loginAt(idp, 'oldOnly');
      await loginAt(idp, 'both');
      await loginAt(idp, 'newOnly');
    } finally {
      await idp.close();
    }
  });

  test('an SP holding only the new certificate and not pinned to it cannot verify yet (what the pin is for)', async () => {
    const idp = await startIdp({
      IDP_KEY_FILE: files.oldKey,
      IDP_CERT_FILE: files.oldCert,
      IDP_NEXT_KEY_FILE: files.newKey,
      IDP_NEXT_CERT_FILE: files.newCert,
    });
    try {
      await rejectsSignature(loginAt(idp, 'newOnly'));
    } finally {
      await idp.close();
    }
  });

  test('2. switch-over: the next key signs, the old certificate stays published; a lagging SP pinned to it works', async () => {
    const idp = await startIdp(
      {
        IDP_KEY_FILE: files.oldKey,
        IDP_CERT_FILE: files.oldCert,
        IDP_NEXT_KEY_FILE: files.newKey,
        IDP_NEXT_CERT_FILE: files.newCert,
        IDP_SIGN_WITH: 'next',
        METADATA_VALID_DAYS: '2',
      },
      { oldOnly: 'current' },
    );
    try {
      const md = await metadataOf(idp);
      assert.deepEqual(
        md.listed,
        [oldKeys.certBase64, newKeys.certBase64],
        'the old certificate is kept for the overlap',
      );
      assert.equal(md.signedBy, newKeys);
      assert.ok(Math.abs(md.validUntil - Date.now() - 2 * 86_400_000) < 60_000);
      await loginAt(idp, 'newOnly');
      await loginAt(idp, 'both');
      await loginAt(idp, 'oldOnly');
    } finally {
      await idp.close();
    }
  });

  test('3. done: only the new pair; SPs holding it work, a pin to "next" still means it, the old certificate is gone', async () => {
    const idp = await startIdp(
      { IDP_KEY_FILE: files.newKey, IDP_CERT_FILE: files.newCert },
      { newOnly: 'next' },
    );
    try {
      const md = await metadataOf(idp);
      assert.deepEqual(md.listed, [newKeys.certBase64]);
      assert.equal(md.signedBy, newKeys);
      await loginAt(idp, 'newOnly');
      await loginAt(idp, 'both');
      await rejectsSignature(loginAt(idp, 'oldOnly'));
    } finally {
      await idp.close();
    }
  });

  test('IDP_SIGN_WITH=next without a next pair stops the start with a clear message', () => {
    assert.throws(() => loadConfig({ IDP_SIGN_WITH: 'next' }), /IDP_SIGN_WITH=next needs IDP_NEXT_KEY_FILE/);
    assert.throws(() => loadConfig({ IDP_NEXT_KEY_FILE: files.newKey }), /must be set together/);
  });
});
