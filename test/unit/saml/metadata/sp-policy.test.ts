// Per-SP policy read from real metadata elements and the sidecar: encryption key and algorithms, released attributes,
// NameID format, signing key; and the load-time check that refuses what cannot be served.

import assert from 'node:assert/strict';
import { generateKeyPairSync, X509Certificate } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { selfSignedCertPem } from '../../../../src/saml/keys/self-signed.ts';
import { parseSpMetadata, type ServiceProviderEntry } from '../../../../src/saml/metadata/sp-metadata.ts';
import { parseSpSettings } from '../../../../src/saml/metadata/sp-settings.ts';
import {
  checkSpPolicy,
  encryptionTarget,
  nameIdFormatFor,
  releasedAttributeNames,
} from '../../../../src/saml/metadata/sp-policy.ts';
import { SpRegistry } from '../../../../src/saml/metadata/sp-registry.ts';
import type { PendingRequest } from '../../../../src/types.ts';
import { testKeys } from '../../../helpers/saml-sp.ts';

const rsaA = testKeys('policy-a').certBase64;
const rsaB = testKeys('policy-b').certBase64;
const ecCert = (() => {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const pem = selfSignedCertPem(privateKey, 'ec-sp', new Date(), new Date(Date.now() + 86400_000));
  return new X509Certificate(pem).raw.toString('base64');
})();

const GCM = 'http://www.w3.org/2009/xmlenc11#aes256-gcm';
const CBC256 = 'http://www.w3.org/2001/04/xmlenc#aes256-cbc';
const CBC128 = 'http://www.w3.org/2001/04/xmlenc#aes128-cbc';
const OAEP11 = 'http://www.w3.org/2009/xmlenc11#rsa-oaep';
const BASIC = 'urn:oasis:names:tc:SAML:2.0:attrname-format:basic';
const URI = 'urn:oasis:names:tc:SAML:2.0:attrname-format:uri';

interface Kd {
  readonly use?: 'signing' | 'encryption';
  readonly cert: string;
  readonly methods?: readonly string[];
}

function metadata(
  parts: { kds?: readonly Kd[]; formats?: readonly string[]; services?: string } = {},
): string {
  const kds = (parts.kds ?? [])
    .map(
      (k) =>
        `<md:KeyDescriptor${k.use ? ` use="${k.use}"` : ''}><ds:KeyInfo><ds:X509Data><ds:X509Certificate>${k.cert}` +
        `</ds:X509Certificate></ds:X509Data></ds:KeyInfo>${(k.methods ?? [])
          .map((m) => `<md:EncryptionMethod Algorithm="${m}"/>`)
          .join('')}</md:KeyDescriptor>`,
    )
    .join('');
  const formats = (parts.formats ?? []).map((f) => `<md:NameIDFormat>${f}</md:NameIDFormat>`).join('');
  return (
    '<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" xmlns:ds="http://www.w3.org/2000/09/xmldsig#" ' +
    'entityID="https://sp.example.org/policy"><md:SPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">' +
    `${kds}${formats}<md:AssertionConsumerService index="0" Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" ` +
    `Location="https://sp.example.org/acs"/>${parts.services ?? ''}</md:SPSSODescriptor></md:EntityDescriptor>`
  );
}

function entry(xml: string, settings: Record<string, unknown> = {}): ServiceProviderEntry {
  const [e] = parseSpMetadata(xml, 'test.xml');
  assert.ok(e);
  return { ...e, settings: parseSpSettings(JSON.stringify(settings)) };
}

function service(index: number, isDefault: string | undefined, attrs: readonly [string, string?][]): string {
  return (
    `<md:AttributeConsumingService index="${index}"${isDefault === undefined ? '' : ` isDefault="${isDefault}"`}>` +
    '<md:ServiceName xml:lang="en">s</md:ServiceName>' +
    attrs.map(([n, f]) => `<md:RequestedAttribute Name="${n}"${f ? ` NameFormat="${f}"` : ''}/>`).join('') +
    '</md:AttributeConsumingService>'
  );
}

describe('encryption from the SP metadata and sidecar', () => {
  test('a use="encryption" key asks for it: AES-256-GCM and RSA-OAEP (SHA-1) when the SP lists no methods', () => {
    const t = encryptionTarget(
      entry(
        metadata({
          kds: [
            { use: 'signing', cert: rsaA },
            { use: 'encryption', cert: rsaB },
          ],
        }),
      ),
    );
    assert.equal(t?.certBase64, rsaB);
    assert.equal(t?.data, 'aes256-gcm');
    assert.equal(t?.keyTransport, 'rsa-oaep-mgf1p');
  });

  test('a key without use does not, unless the sidecar turns encryption on; false turns it off', () => {
    const xml = metadata({ kds: [{ cert: rsaA }] });
    assert.equal(encryptionTarget(entry(xml)), undefined);
    assert.equal(encryptionTarget(entry(xml, { encryptAssertions: true }))?.certBase64, rsaA);
    const explicit = metadata({ kds: [{ use: 'encryption', cert: rsaA }] });
    assert.equal(encryptionTarget(entry(explicit, { encryptAssertions: false })), undefined);
  });

  test('AES-CBC only where the SP lists no GCM; the best CBC it lists', () => {
    const xml = metadata({ kds: [{ use: 'encryption', cert: rsaA, methods: [CBC128, CBC256] }] });
    assert.equal(encryptionTarget(entry(xml))?.data, 'aes256-cbc');
    const both = metadata({ kds: [{ use: 'encryption', cert: rsaA, methods: [CBC256, GCM] }] });
    assert.equal(encryptionTarget(entry(both))?.data, 'aes256-gcm');
  });

  test('the sidecar picks the algorithm; XML Encryption 1.1 RSA-OAEP when that is all the SP lists', () => {
    const xml = metadata({ kds: [{ use: 'encryption', cert: rsaA, methods: [GCM, OAEP11] }] });
    const t = encryptionTarget(entry(xml, { encryptionAlgorithm: 'aes128-cbc' }));
    assert.equal(t?.data, 'aes128-cbc');
    assert.equal(t?.keyTransport, 'rsa-oaep');
  });

  test('an SP asking for encryption with only a non-RSA key is refused when loaded, with the way out', () => {
    const sp = entry(metadata({ kds: [{ use: 'encryption', cert: ecCert }] }));
    assert.throws(() => checkSpPolicy(sp), /lists no RSA key; set "encryptAssertions": false/);
    assert.doesNotThrow(() =>
      checkSpPolicy({ ...sp, settings: parseSpSettings('{"encryptAssertions": false}') }),
    );
    assert.throws(
      () => checkSpPolicy(entry(metadata(), { encryptAssertions: true })),
      /"encryptAssertions" is on/,
    );
  });

  test('the registry keeps such a file out and says why', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'policy-'));
    try {
      await writeFile(join(dir, 'ec.xml'), metadata({ kds: [{ use: 'encryption', cert: ecCert }] }));
      const problems: string[] = [];
      const registry = await SpRegistry.load(dir, { onProblem: (_f, m) => problems.push(m) });
      assert.equal(registry.size, 0);
      assert.match(problems.join('\n'), /no RSA key/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('attributes released', () => {
  test('all of them without an AttributeConsumingService', () => {
    assert.equal(releasedAttributeNames(entry(metadata())), undefined);
  });

  test('the RequestedAttributes of the default service, NameFormat basic or none; other formats are not ours', () => {
    const services =
      service(0, undefined, [['SURNAME', BASIC], ['GIVENNAME']]) +
      service(1, 'true', [
        ['PHONE_NUMBER', BASIC],
        ['FULLNAME', URI],
        ['urn:oid:2.5.4.4', URI],
      ]);
    assert.deepEqual(releasedAttributeNames(entry(metadata({ services }))), ['PHONE_NUMBER']);
    const noDefault = service(3, 'false', [['PID']]) + service(2, undefined, [['SURNAME'], ['GIVENNAME']]);
    assert.deepEqual(releasedAttributeNames(entry(metadata({ services: noDefault }))), [
      'SURNAME',
      'GIVENNAME',
    ]);
  });

  test("the request's AttributeConsumingServiceIndex picks the service; an index the metadata lacks falls back", () => {
    const services = service(0, 'true', [['SURNAME']]) + service(5, undefined, [['PHONE_NUMBER'], ['PID']]);
    const sp = entry(metadata({ services }));
    assert.deepEqual(releasedAttributeNames(sp, 5), ['PHONE_NUMBER', 'PID']);
    assert.deepEqual(releasedAttributeNames(sp, 0), ['SURNAME']);
    assert.deepEqual(releasedAttributeNames(sp, 9), ['SURNAME']);
    assert.deepEqual(releasedAttributeNames(sp), ['SURNAME']);
  });

  test('the sidecar list limits further, and alone when the metadata requests nothing', () => {
    const services = service(0, undefined, [['SURNAME'], ['PHONE_NUMBER']]);
    assert.deepEqual(
      releasedAttributeNames(entry(metadata({ services }), { attributes: ['PHONE_NUMBER', 'PID'] })),
      ['PHONE_NUMBER'],
    );
    assert.deepEqual(releasedAttributeNames(entry(metadata(), { attributes: ['PID'] })), ['PID']);
  });

  test('sidecar names must be attributes we release', () => {
    assert.throws(() => parseSpSettings('{"attributes": ["SSN"]}'), /"attributes" must be a list/);
  });
});

describe('NameID format', () => {
  const request = (format: PendingRequest['nameIdFormat']) => ({ nameIdFormat: format }) as PendingRequest;
  const T = 'urn:oasis:names:tc:SAML:2.0:nameid-format:transient';
  const P = 'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent';
  const U = 'urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified';

  test('the request decides when it names a format', () => {
    assert.equal(nameIdFormatFor(request('persistent'), entry(metadata({ formats: [T] }))), 'persistent');
  });

  test('else the first format of the SP metadata we can give, unless it lists unspecified', () => {
    assert.equal(
      nameIdFormatFor(request('unspecified'), entry(metadata({ formats: ['urn:x', P, T] }))),
      'persistent',
    );
    assert.equal(
      nameIdFormatFor(request('unspecified'), entry(metadata({ formats: [T, U] }))),
      'unspecified',
    );
    assert.equal(nameIdFormatFor(request('unspecified'), entry(metadata())), 'unspecified');
  });
});

describe('sidecar settings', () => {
  test('the new keys are read and checked', () => {
    const s = parseSpSettings(
      '{"encryptAssertions": true, "encryptionAlgorithm": "aes256-cbc", "idpInitiated": true, "signingKey": "next"}',
    );
    assert.deepEqual(
      { ...s },
      {
        eids: ['nets_sms'],
        encryptAssertions: true,
        encryptionAlgorithm: 'aes256-cbc',
        idpInitiated: true,
        signingKey: 'next',
      },
    );
    assert.throws(() => parseSpSettings('{"idpInitiated": "yes"}'), /"idpInitiated" must be true or false/);
    assert.throws(() => parseSpSettings('{"signingKey": "old"}'), /"signingKey" must be "current" or "next"/);
    assert.throws(
      () => parseSpSettings('{"encryptionAlgorithm": "des"}'),
      /"encryptionAlgorithm" must be one of/,
    );
    assert.throws(() => parseSpSettings('{"encrypt": true}'), /unknown setting "encrypt"/);
  });
});
