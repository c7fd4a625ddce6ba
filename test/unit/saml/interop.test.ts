// Real SP libraries against our SAML module: node-saml and samlify make requests we read, and accept our Responses.

import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { SAML, ValidateInResponseTo } from '@node-saml/node-saml';
import * as samlify from 'samlify';
import { SamlStatus, SamlStatusError } from '../../../src/errors.ts';
import { AuthnRequestReader } from '../../../src/saml/inbound/authn-request.ts';
import { renderIdpMetadata } from '../../../src/saml/metadata/idp-metadata.ts';
import { idpKeysFromPem } from '../../../src/saml/keys/keys.ts';
import { makeNameId } from '../../../src/saml/outbound/name-id.ts';
import { ResponseBuilder } from '../../../src/saml/outbound/response.ts';
import { SpRegistry } from '../../../src/saml/metadata/sp-registry.ts';
import { Alg, AuthnContextClass, NameIdFormatUrn } from '../../../src/saml/urn.ts';
import type { Identity, PendingRequest } from '../../../src/types.ts';
import { postInput, redirectInput, spMetadataXml, testKeys, validateWithXsd } from '../../helpers/saml-sp.ts';

const BASE = 'https://idp.example.org';
const IDP_ENTITY = `${BASE}/saml/metadata`;
const SSO = `${BASE}/saml/sso`;
const idpPair = testKeys('interop-idp');
const idpKeys = idpKeysFromPem(idpPair.privateKeyPem, idpPair.certPem, 'key', 'cert');
const builder = new ResponseBuilder({
  keys: idpKeys,
  idpEntityId: IDP_ENTITY,
  assertionTtlSeconds: 300,
  clockSkewSeconds: 60,
});
const person: Identity = { phone: '+4612345678', givenName: 'Anton Erik', familyName: 'Svenson' };

const nodeSamlKeys = testKeys('node-saml-sp');
const NODE_SAML_SP = 'https://node-saml.example/sp';
const NODE_SAML_ACS = 'https://node-saml.example/acs';

const samlifySpKeys = testKeys('samlify-sp');
const SAMLIFY_SP = 'https://samlify.example/metadata';
const SAMLIFY_ACS = 'https://samlify.example/acs';

samlify.setSchemaValidator({
  validate: (xml: string) => validateWithXsd(xml, 'saml-schema-protocol-2.0.xsd'),
});
// samlify refuses to sign requests unless the IdP metadata says WantAuthnRequestsSigned="true".
const samlifyIdp = samlify.IdentityProvider({
  metadata: renderIdpMetadata({
    entityId: IDP_ENTITY,
    ssoUrl: SSO,
    certsBase64: [idpKeys.certBase64],
    wantAuthnRequestsSigned: true,
  }),
});
const samlifySp = samlify.ServiceProvider({
  entityID: SAMLIFY_SP,
  assertionConsumerService: [{ Binding: samlify.Constants.namespace.binding.post, Location: SAMLIFY_ACS }],
  signingCert: samlifySpKeys.certPem,
  privateKey: samlifySpKeys.privateKeyPem,
  authnRequestsSigned: true,
  wantAssertionsSigned: true,
  wantMessageSigned: true,
  requestSignatureAlgorithm: Alg.rsaSha256,
  nameIDFormat: [NameIdFormatUrn.transient],
  // samlify 2.13.1 defaults this to the Response's Issuer when wantMessageSigned is on, which breaks its own
  // signed POST AuthnRequests; say where a request signature goes.
  signatureConfig: {
    prefix: 'ds',
    location: { reference: "/*[local-name(.)='AuthnRequest']/*[local-name(.)='Issuer']", action: 'after' },
  },
});

let dir: string;
let reader: AuthnRequestReader;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'interop-'));
  await writeFile(
    join(dir, 'node-saml.xml'),
    spMetadataXml({
      entityId: NODE_SAML_SP,
      acs: [{ url: NODE_SAML_ACS, index: 0 }],
      signingCerts: [nodeSamlKeys.certBase64],
      authnRequestsSigned: true,
    }),
  );
  // samlify's own metadata, as an admin would drop it in the folder.
  await writeFile(join(dir, 'samlify.xml'), samlifySp.getMetadata());
  const problems: string[] = [];
  const registry = await SpRegistry.load(dir, { onProblem: (f, m) => problems.push(`${f}: ${m}`) });
  assert.deepEqual(problems, []);
  const seen = new Set<string>();
  reader = new AuthnRequestReader({
    registry,
    rememberRequestId: async (sp, id) => !seen.has(`${sp} ${id}`) && seen.add(`${sp} ${id}`) !== undefined,
    wantAuthnRequestsSigned: false,
    clockSkewSeconds: 60,
    maxAgeSeconds: 300,
    maxBytes: 64 * 1024,
    relayStateMaxBytes: 1024,
  });
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

function success(request: PendingRequest): string {
  const nameId = makeNameId(request.nameIdFormat, person.phone, request.spEntityId, 'x'.repeat(32));
  return builder.success(
    request,
    person,
    { sessionIndex: '_s1', authnInstant: new Date(), nameId, nameIdFormat: request.nameIdFormat },
    new Date(),
  );
}

describe('node-saml 5 as the SP', () => {
  const sp = (binding: 'HTTP-Redirect' | 'HTTP-POST', skipRequestCompression = false) =>
    new SAML({
      skipRequestCompression,
      issuer: NODE_SAML_SP,
      callbackUrl: NODE_SAML_ACS,
      entryPoint: `${SSO}?forcepkivendor=nets_sms`,
      idpCert: idpKeys.certPem,
      idpIssuer: IDP_ENTITY,
      audience: NODE_SAML_SP,
      privateKey: nodeSamlKeys.privateKeyPem,
      signatureAlgorithm: 'sha256',
      digestAlgorithm: 'sha256',
      authnRequestBinding: binding,
      identifierFormat: NameIdFormatUrn.unspecified,
      authnContext: [AuthnContextClass.mobileOneFactorUnregistered],
      wantAssertionsSigned: true,
      wantAuthnResponseSigned: true,
      validateInResponseTo: ValidateInResponseTo.always,
    });

  test('signed Redirect request is read; our Response passes node-saml validation with every attribute', async () => {
    const saml = sp('HTTP-Redirect');
    const url = new URL(await saml.getAuthorizeUrlAsync('relay-1', undefined, {}));
    assert.equal(url.origin + url.pathname, SSO);
    const { request, refusal, signed } = await reader.read(
      redirectInput(url.search.slice(1), SSO),
      new Date(),
    );
    assert.equal(signed, true);
    assert.equal(refusal, undefined);
    assert.equal(request.acsUrl, NODE_SAML_ACS);
    assert.equal(request.relayState, 'relay-1');
    const { profile } = await saml.validatePostResponseAsync({
      SAMLResponse: success(request),
      RelayState: 'relay-1',
    });
    assert.ok(profile);
    assert.equal(profile.nameID, '+4612345678');
    assert.equal(profile.nameIDFormat, NameIdFormatUrn.unspecified);
    assert.equal(profile.issuer, IDP_ENTITY);
    assert.equal(profile.inResponseTo, request.requestId);
    assert.equal(profile.sessionIndex, '_s1');
    assert.equal(profile.PHONE_NUMBER, '+4612345678');
    assert.equal(profile.SURNAME, 'Svenson');
    assert.equal(profile.GIVENNAME, 'Anton Erik');
    assert.equal(profile.FULLNAME, 'Anton Erik Svenson');
    assert.equal(profile.PID, '+4612345678');
    assert.equal(profile.IDPROVIDER, 'nets_sms');
  });

  for (const skipRequestCompression of [false, true]) {
    test(`signed POST request (${skipRequestCompression ? 'plain' : 'deflated, node-saml default'}) is read; a status Response is a failure for node-saml`, async () => {
      const saml = sp('HTTP-POST', skipRequestCompression);
      const html = await saml.getAuthorizeFormAsync('relay-2');
      const value = (name: string) => new RegExp(`name="${name}" value="([^"]*)"`).exec(html)?.[1];
      const form = { SAMLRequest: value('SAMLRequest')!, RelayState: value('RelayState')! };
      const { request, signed } = await reader.read(postInput(form, { endpointUrl: SSO }), new Date());
      assert.equal(signed, true);
      assert.equal(request.relayState, 'relay-2');
      const error = new SamlStatusError(SamlStatus.Responder, SamlStatus.AuthnFailed, 'cancel');
      const failure = builder.failure(request, error, new Date());
      await assert.rejects(
        saml.validatePostResponseAsync({ SAMLResponse: failure }),
        /AuthnFailed|Responder/,
      );
    });
  }
});

describe('samlify 2.13 as the SP (what the demo SP uses)', () => {
  for (const binding of ['redirect', 'post'] as const) {
    test(`signed ${binding} request is read; samlify accepts our signed Response`, async () => {
      const ctx = samlifySp.createLoginRequest(samlifyIdp, binding) as { id: string; context: string };
      const input =
        binding === 'redirect'
          ? redirectInput(new URL(ctx.context).search.slice(1), SSO)
          : postInput({ SAMLRequest: ctx.context }, { endpointUrl: SSO });
      const { request, signed, refusal } = await reader.read(input, new Date());
      assert.equal(signed, true);
      assert.equal(refusal, undefined);
      assert.equal(request.requestId, ctx.id);
      assert.equal(request.acsUrl, SAMLIFY_ACS);
      assert.equal(request.nameIdFormat, 'transient');
      const result = await samlifySp.parseLoginResponse(samlifyIdp, 'post', {
        body: { SAMLResponse: success(request) },
      });
      const extract = result.extract as {
        nameID: string;
        attributes: Record<string, string>;
        response: { inResponseTo: string };
      };
      assert.match(extract.nameID, /^_[0-9a-f]{40}$/);
      assert.equal(extract.response.inResponseTo, ctx.id);
      assert.equal(extract.attributes.FULLNAME, 'Anton Erik Svenson');
      assert.equal(extract.attributes.IDPROVIDER, 'nets_sms');
    });
  }
});
