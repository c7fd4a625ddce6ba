// Logout messages: LogoutMessageBuilder on both bindings, sloEndpoint's choice, and LogoutReader's checks and refusals.

import assert from 'node:assert/strict';
import { createPrivateKey, sign, verify } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { DOMParser } from '@xmldom/xmldom';
import { SignedXml } from 'xml-crypto';
import { UntrustedRequestError, type UntrustedReason } from '../../../../src/errors.ts';
import { idpKeysFromPem } from '../../../../src/saml/keys/keys.ts';
import {
  LogoutMessageBuilder,
  LogoutStatus,
  type SloEndpoint,
  sloEndpoint,
} from '../../../../src/saml/outbound/logout.ts';
import {
  LogoutReader,
  type LogoutReaderOptions,
  type SloHttpInput,
} from '../../../../src/saml/inbound/logout-reader.ts';
import { parseSpMetadata, SpRegistry } from '../../../../src/saml/metadata/sp-registry.ts';
import { Alg, Binding, Ns } from '../../../../src/saml/urn.ts';
import { samlTime } from '../../../../src/saml/values.ts';
import {
  findEnvelopedSignature,
  verifyEnvelopedSignature,
} from '../../../../src/saml/xml/signature-verify.ts';
import { parseXmlStrict } from '../../../../src/saml/xml/xml-guard.ts';
import { el, renderXml } from '../../../../src/saml/xml/xml-writer.ts';
import { createTestSp, redirectQuery, signXml, testKeys, validateWithXsd } from '../../../helpers/saml-sp.ts';

const SLO = 'https://idp.example/saml/slo';
const IDP = 'https://idp.example/saml/metadata';
const idpKeys = testKeys('logout-idp');
const keys = idpKeysFromPem(idpKeys.privateKeyPem, idpKeys.certPem, 'key', 'cert');
const builder = new LogoutMessageBuilder({ keys, idpEntityId: IDP, requestTtlSeconds: 300 });

const sp = createTestSp({
  entityId: 'https://sp.example/sp',
  keyName: 'logout-sp',
  slo: [
    {
      binding: Binding.post,
      url: 'https://sp.example/slo/post',
      responseUrl: 'https://sp.example/slo/post-response',
    },
    { binding: Binding.redirect, url: 'https://sp.example/slo?tenant=1' },
  ],
});
const signing = createTestSp({
  entityId: 'https://signing.example/sp',
  keyName: 'logout-signing-sp',
  authnRequestsSigned: 'true',
});

function logoutRequest(
  o: {
    issuer?: string;
    id?: string;
    destination?: string;
    issueInstant?: Date;
    notOnOrAfter?: string;
    nameId?: string | null;
    extra?: string;
  } = {},
): string {
  const xml = renderXml(
    el(
      'samlp:LogoutRequest',
      {
        'xmlns:samlp': Ns.protocol,
        'xmlns:saml': Ns.assertion,
        ID: o.id ?? `_r${Math.random().toString(36).slice(2)}`,
        Version: '2.0',
        IssueInstant: samlTime(o.issueInstant ?? new Date()),
        Destination: o.destination ?? SLO,
        NotOnOrAfter: o.notOnOrAfter,
      },
      [
        el('saml:Issuer', {}, [o.issuer ?? sp.entityId]),
        o.nameId !== null &&
          el(
            'saml:NameID',
            { Format: 'urn:oasis:names:tc:SAML:2.0:nameid-format:transient', SPNameQualifier: sp.entityId },
            [o.nameId ?? '_abc'],
          ),
        el('samlp:SessionIndex', {}, ['_s1']),
        el('samlp:SessionIndex', {}, ['_s2']),
      ],
    ),
  );
  return o.extra === undefined
    ? xml
    : xml.replace('</samlp:LogoutRequest>', `${o.extra}</samlp:LogoutRequest>`);
}

function logoutResponse(status: string, inResponseTo = '_ours1', issuer = sp.entityId): string {
  return renderXml(
    el(
      'samlp:LogoutResponse',
      {
        'xmlns:samlp': Ns.protocol,
        'xmlns:saml': Ns.assertion,
        ID: `_p${Math.random().toString(36).slice(2)}`,
        Version: '2.0',
        IssueInstant: samlTime(new Date()),
        Destination: SLO,
        InResponseTo: inResponseTo,
      },
      [
        el('saml:Issuer', {}, [issuer]),
        el('samlp:Status', {}, [
          el('samlp:StatusCode', { Value: status }, [
            el('samlp:StatusCode', { Value: LogoutStatus.partialLogout }),
          ]),
        ]),
      ],
    ),
  );
}

/** A signed Redirect-binding SAMLResponse query. */
function responseQuery(xml: string, privateKeyPem: string): string {
  const parts = [
    `SAMLResponse=${encodeURIComponent(deflateRawSync(Buffer.from(xml)).toString('base64'))}`,
    'RelayState=rs',
    `SigAlg=${encodeURIComponent(Alg.rsaSha256)}`,
  ];
  const signature = sign('sha256', Buffer.from(parts.join('&')), createPrivateKey(privateKeyPem));
  return `${parts.join('&')}&Signature=${encodeURIComponent(signature.toString('base64'))}`;
}

const redirect = (rawQuery: string): SloHttpInput => ({
  binding: 'redirect',
  rawQuery,
  form: {},
  endpointUrl: SLO,
});
const post = (form: Record<string, string>): SloHttpInput => ({
  binding: 'post',
  rawQuery: '',
  form,
  endpointUrl: SLO,
});
const b64 = (xml: string) => Buffer.from(xml).toString('base64');

let dir: string;
let registry: SpRegistry;
const seen = new Set<string>();
const options = (): LogoutReaderOptions => ({
  registry,
  rememberMessageId: async (spEntityId, id) => {
    const key = `${spEntityId} ${id}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  },
  wantLogoutRequestsSigned: false,
  clockSkewSeconds: 60,
  maxAgeSeconds: 300,
  maxBytes: 64 * 1024,
  relayStateMaxBytes: 1024,
});

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'logout-'));
  await writeFile(join(dir, 'sp.xml'), sp.metadataXml);
  await writeFile(join(dir, 'signing.xml'), signing.metadataXml);
  registry = await SpRegistry.load(dir);
});
after(async () => {
  registry.close();
  await rm(dir, { recursive: true, force: true });
});

async function refusedWith(
  reader: LogoutReader,
  input: SloHttpInput,
  reason: UntrustedReason,
): Promise<void> {
  await assert.rejects(reader.read(input, new Date()), (err: unknown) => {
    assert.ok(err instanceof UntrustedRequestError, String(err));
    assert.equal(err.reason, reason, err.message);
    return true;
  });
}

describe('sloEndpoint', () => {
  const entry = parseSpMetadata(sp.metadataXml, 'sp.xml')[0]!;
  test('prefers Redirect, takes the binding asked for when listed, and answers at ResponseLocation', () => {
    assert.deepEqual(sloEndpoint(entry), {
      binding: 'redirect',
      url: 'https://sp.example/slo?tenant=1',
      responseUrl: 'https://sp.example/slo?tenant=1',
    });
    assert.deepEqual(sloEndpoint(entry, 'post'), {
      binding: 'post',
      url: 'https://sp.example/slo/post',
      responseUrl: 'https://sp.example/slo/post-response',
    });
  });
  test('an SP without SingleLogoutService cannot be reached', () => {
    assert.equal(sloEndpoint(parseSpMetadata(signing.metadataXml, 's.xml')[0]!), undefined);
  });
});

describe('LogoutMessageBuilder', () => {
  const redirectEndpoint: SloEndpoint = {
    binding: 'redirect',
    url: 'https://sp.example/slo?tenant=1',
    responseUrl: 'https://sp.example/slo?tenant=1',
  };
  const postEndpoint: SloEndpoint = {
    binding: 'post',
    url: 'https://sp.example/slo/post',
    responseUrl: 'https://sp.example/slo/post-response',
  };
  const nameId = { value: '_t1', format: 'transient' as const, spNameQualifier: sp.entityId };

  test('Redirect LogoutRequest: deflated, query-signed with RSA-SHA256 over the octets sent, no XML signature', () => {
    const message = builder.request(
      {
        spEntityId: sp.entityId,
        endpoint: redirectEndpoint,
        requestId: '_ours1',
        nameId,
        sessionIndex: '_si',
      },
      new Date(),
    );
    assert.equal(message.binding, 'redirect');
    const url = new URL(message.url);
    assert.equal(url.searchParams.get('tenant'), '1', 'the endpoint query is kept');
    const raw = url.search.slice(1);
    const signed = raw.slice(raw.indexOf('SAMLRequest='), raw.indexOf('&Signature='));
    assert.ok(
      verify(
        'sha256',
        Buffer.from(signed),
        idpKeys.certPem,
        Buffer.from(url.searchParams.get('Signature')!, 'base64'),
      ),
    );
    assert.equal(url.searchParams.get('SigAlg'), Alg.rsaSha256);
    const xml = inflateRawSync(Buffer.from(url.searchParams.get('SAMLRequest')!, 'base64')).toString();
    assert.doesNotMatch(xml, /Signature/);
    const root = new DOMParser().parseFromString(xml, 'text/xml').documentElement!;
    assert.equal(root.localName, 'LogoutRequest');
    assert.equal(root.getAttribute('ID'), '_ours1');
    assert.equal(root.getAttribute('Destination'), 'https://sp.example/slo?tenant=1');
    assert.ok(Date.parse(root.getAttribute('NotOnOrAfter')!) > Date.now() + 200_000);
    const name = root.getElementsByTagNameNS(Ns.assertion, 'NameID')[0]!;
    assert.equal(name.textContent, '_t1');
    assert.equal(name.getAttribute('Format'), 'urn:oasis:names:tc:SAML:2.0:nameid-format:transient');
    assert.equal(name.getAttribute('NameQualifier'), IDP);
    assert.equal(name.getAttribute('SPNameQualifier'), sp.entityId);
    assert.equal(root.getElementsByTagNameNS(Ns.protocol, 'SessionIndex')[0]?.textContent, '_si');
  });

  test('an unspecified NameID carries no qualifiers, as in the assertion', () => {
    const message = builder.request(
      {
        spEntityId: sp.entityId,
        endpoint: redirectEndpoint,
        requestId: '_ours2',
        nameId: { value: '+4791234567', format: 'unspecified', spNameQualifier: sp.entityId },
        sessionIndex: '_si',
      },
      new Date(),
    );
    const xml = inflateRawSync(
      Buffer.from(new URL(message.url).searchParams.get('SAMLRequest')!, 'base64'),
    ).toString();
    assert.doesNotMatch(xml, /NameQualifier/);
  });

  test('during a key rollover each SP gets messages signed with the pair that signs for it', () => {
    const next = testKeys('logout-idp-next');
    const rolled = new LogoutMessageBuilder({
      keys,
      keysFor: (id) =>
        id === sp.entityId ? idpKeysFromPem(next.privateKeyPem, next.certPem, 'k', 'c') : keys,
      idpEntityId: IDP,
      requestTtlSeconds: 300,
    });
    const url = new URL(
      (
        rolled.request(
          {
            spEntityId: sp.entityId,
            endpoint: redirectEndpoint,
            requestId: '_r',
            nameId,
            sessionIndex: '_s',
          },
          new Date(),
        ) as { url: string }
      ).url,
    );
    const raw = url.search.slice(1);
    const signed = Buffer.from(raw.slice(raw.indexOf('SAMLRequest='), raw.indexOf('&Signature=')));
    const signature = Buffer.from(url.searchParams.get('Signature')!, 'base64');
    assert.ok(verify('sha256', signed, next.certPem, signature));
    assert.ok(!verify('sha256', signed, idpKeys.certPem, signature));
  });

  test('POST LogoutResponse: enveloped signature, PartialLogout nested under Success, RelayState as a field', () => {
    const message = builder.response(
      {
        spEntityId: sp.entityId,
        endpoint: postEndpoint,
        inResponseTo: '_theirs',
        status: { code: LogoutStatus.success, subCode: LogoutStatus.partialLogout },
        relayState: 'r&s',
      },
      new Date(),
    );
    assert.equal(message.binding, 'post');
    if (message.binding !== 'post') return;
    assert.equal(message.url, 'https://sp.example/slo/post-response');
    assert.equal(message.fields.RelayState, 'r&s');
    const xml = Buffer.from(message.fields.SAMLResponse!, 'base64').toString();
    const doc = new DOMParser().parseFromString(xml, 'text/xml');
    const signature = doc.getElementsByTagNameNS(Ns.dsig, 'Signature')[0];
    const verifier = new SignedXml({ publicCert: idpKeys.certPem });
    verifier.loadSignature(signature as never);
    assert.ok(verifier.checkSignature(xml));
    assert.equal(doc.documentElement?.getAttribute('InResponseTo'), '_theirs');
    assert.equal(doc.documentElement?.getAttribute('Destination'), 'https://sp.example/slo/post-response');
    assert.match(
      xml,
      /<samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:PartialLogout"\/><\/samlp:StatusCode>/,
    );
  });

  test('POST LogoutRequest: signed by the template signer, as Responses are, and strictly placed after the Issuer', () => {
    const message = builder.request(
      { spEntityId: sp.entityId, endpoint: postEndpoint, requestId: '_ours4', nameId, sessionIndex: '_si' },
      new Date(),
    );
    assert.equal(message.binding, 'post');
    if (message.binding !== 'post') return;
    const xml = Buffer.from(message.fields.SAMLRequest!, 'base64').toString();
    assert.ok(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?><samlp:LogoutRequest '));
    // The reader's own wrapping rules: one Signature, a child of the root, Reference '#' + the root's ID.
    const signature = findEnvelopedSignature(parseXmlStrict(xml));
    assert.ok(signature !== undefined);
    verifyEnvelopedSignature(xml, signature, [idpKeys.certBase64]);
    assert.equal(signature.previousSibling?.nodeName, 'saml:Issuer');
    assert.match(xml, /<ds:KeyInfo><ds:X509Data><ds:X509Certificate>/);
  });

  test('both messages, signed for HTTP-POST, are valid against the SAML 2.0 protocol schema', async () => {
    const request = builder.request(
      { spEntityId: sp.entityId, endpoint: postEndpoint, requestId: '_ours3', nameId, sessionIndex: '_si' },
      new Date(),
    );
    const response = builder.response(
      {
        spEntityId: sp.entityId,
        endpoint: postEndpoint,
        inResponseTo: '_theirs',
        status: { code: LogoutStatus.requester, subCode: LogoutStatus.unknownPrincipal, message: 'no' },
        relayState: undefined,
      },
      new Date(),
    );
    for (const message of [request, response]) {
      assert.equal(message.binding, 'post');
      if (message.binding !== 'post') continue;
      const xml = Buffer.from(
        message.fields.SAMLRequest ?? message.fields.SAMLResponse ?? '',
        'base64',
      ).toString();
      await validateWithXsd(xml, 'saml-schema-protocol-2.0.xsd');
    }
  });
});

describe('LogoutReader', () => {
  test('reads a signed Redirect LogoutRequest: NameID, every SessionIndex, RelayState', async () => {
    const reader = new LogoutReader(options());
    const query = redirectQuery(logoutRequest({ id: '_in1' }), {
      relayState: 'rs 1',
      sign: { privateKeyPem: sp.keys.privateKeyPem },
    });
    const message = await reader.read(redirect(query), new Date());
    assert.equal(message.kind, 'request');
    if (message.kind !== 'request') return;
    assert.equal(message.spEntityId, sp.entityId);
    assert.equal(message.requestId, '_in1');
    assert.equal(message.nameId, '_abc');
    assert.equal(message.nameIdFormat, 'urn:oasis:names:tc:SAML:2.0:nameid-format:transient');
    assert.equal(message.spNameQualifier, sp.entityId);
    assert.deepEqual(message.sessionIndexes, ['_s1', '_s2']);
    assert.equal(message.relayState, 'rs 1');
    assert.equal(message.binding, 'redirect');
    assert.equal(message.signed, true);
  });

  test('reads an enveloped-signed POST LogoutRequest, and an unsigned one from an SP that need not sign', async () => {
    const reader = new LogoutReader(options());
    const signedXml = signXml(logoutRequest(), { privateKeyPem: sp.keys.privateKeyPem });
    const signed = await reader.read(post({ SAMLRequest: b64(signedXml) }), new Date());
    assert.equal(signed.signed, true);
    const unsigned = await reader.read(post({ SAMLRequest: b64(logoutRequest()) }), new Date());
    assert.equal(unsigned.signed, false);
  });

  test('reads LogoutResponses on both bindings; the Redirect signature is checked over the SAMLResponse octets', async () => {
    const reader = new LogoutReader(options());
    const viaRedirect = await reader.read(
      redirect(responseQuery(logoutResponse(LogoutStatus.responder), sp.keys.privateKeyPem)),
      new Date(),
    );
    assert.deepEqual(
      { ...viaRedirect },
      {
        kind: 'response',
        spEntityId: sp.entityId,
        inResponseTo: '_ours1',
        statusCode: LogoutStatus.responder,
        subStatusCode: LogoutStatus.partialLogout,
        binding: 'redirect',
        signed: true,
      },
    );
    const viaPost = await reader.read(
      post({ SAMLResponse: b64(logoutResponse(LogoutStatus.success)) }),
      new Date(),
    );
    assert.equal(viaPost.kind, 'response');
    const forged = responseQuery(logoutResponse(LogoutStatus.success), testKeys('intruder').privateKeyPem);
    await refusedWith(reader, redirect(forged), 'bad-signature');
  });

  test('every refusal names its reason', async () => {
    const reader = new LogoutReader(options());
    const signedBy = (xml: string, key = sp.keys.privateKeyPem) =>
      redirect(redirectQuery(xml, { sign: { privateKeyPem: key } }));
    await refusedWith(reader, signedBy(logoutRequest(), testKeys('intruder').privateKeyPem), 'bad-signature');
    await refusedWith(
      reader,
      redirect(redirectQuery(logoutRequest({ issuer: signing.entityId }))),
      'signature-required',
    );
    await refusedWith(
      new LogoutReader({ ...options(), wantLogoutRequestsSigned: true }),
      redirect(redirectQuery(logoutRequest())),
      'signature-required',
    );
    await refusedWith(
      reader,
      signedBy(logoutRequest({ issuer: 'https://unknown.example/sp' })),
      'unknown-sp',
    );
    await refusedWith(
      reader,
      signedBy(logoutRequest({ destination: 'https://elsewhere.example/slo' })),
      'bad-destination',
    );
    await refusedWith(
      reader,
      signedBy(logoutRequest({ issueInstant: new Date(Date.now() - 3600_000) })),
      'stale',
    );
    await refusedWith(
      reader,
      signedBy(logoutRequest({ issueInstant: new Date(Date.now() + 3600_000) })),
      'stale',
    );
    await refusedWith(
      reader,
      signedBy(logoutRequest({ notOnOrAfter: samlTime(new Date(Date.now() - 120_000)) })),
      'stale',
    );
    await refusedWith(reader, signedBy(logoutRequest({ nameId: null })), 'malformed');
    await refusedWith(
      reader,
      signedBy(logoutRequest({ nameId: null, extra: '<saml:EncryptedID><x/></saml:EncryptedID>' })),
      'malformed',
    );
    await refusedWith(reader, post({ SAMLRequest: b64(`<!DOCTYPE x>${logoutRequest()}`) }), 'malformed');
    await refusedWith(reader, post({ SAMLRequest: b64(logoutResponse(LogoutStatus.success)) }), 'malformed');
    await refusedWith(reader, post({ SAMLResponse: b64(logoutRequest()) }), 'malformed');
    await refusedWith(
      reader,
      post({ SAMLRequest: b64(logoutRequest()), SAMLResponse: b64(logoutResponse(LogoutStatus.success)) }),
      'malformed',
    );
    await refusedWith(reader, redirect(''), 'malformed');
    const once = signedBy(logoutRequest({ id: '_once' }));
    await reader.read(once, new Date());
    await refusedWith(reader, once, 'replayed');
  });
});
