// The inbound pipeline: decoders that take the parameter name, checks run in their listed order, replay remembered
// only for a message that passed everything.

import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { deflateRawSync } from 'node:zlib';
import { UntrustedRequestError, type UntrustedReason } from '../../../../src/errors.ts';
import { AUTHN_REQUEST } from '../../../../src/saml/inbound/authn-request.ts';
import { decodeMessage } from '../../../../src/saml/inbound/bindings.ts';
import {
  type InboundPolicy,
  type MessageType,
  readInbound,
} from '../../../../src/saml/inbound/inbound-message.ts';
import { isExpectedRoot, issuerIsTrustedSp, untrusted } from '../../../../src/saml/inbound/message-checks.ts';
import { SpRegistry } from '../../../../src/saml/metadata/sp-registry.ts';
import { XmlRejectedError } from '../../../../src/saml/xml/xml-guard.ts';
import {
  authnRequestXml,
  createTestSp,
  newRequestId,
  postForm,
  postInput,
  redirectInput,
  redirectQuery,
} from '../../../helpers/saml-sp.ts';

const sp = createTestSp({ entityId: 'https://pipeline.example/sp', keyName: 'pipeline-sp' });
const LIMITS = { maxBytes: 64 * 1024, relayStateMaxBytes: 1024 };

let dir: string;
let registry: SpRegistry;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'inbound-'));
  await writeFile(join(dir, 'sp.xml'), sp.metadataXml);
  registry = await SpRegistry.load(dir);
});
after(async () => {
  registry.close();
  await rm(dir, { recursive: true, force: true });
});

/** A policy whose replay cache records every ID it was asked to remember. */
function policy(): InboundPolicy & { remembered: string[] } {
  const remembered: string[] = [];
  return {
    registry,
    wantSigned: false,
    clockSkewSeconds: 60,
    maxAgeSeconds: 300,
    ...LIMITS,
    remembered,
    async rememberId(spEntityId, id) {
      const key = `${spEntityId} ${id}`;
      if (remembered.includes(key)) return false;
      remembered.push(key);
      return true;
    },
  };
}

async function refusedWith(
  promise: Promise<unknown>,
  reason: UntrustedReason,
  detail?: RegExp,
): Promise<void> {
  await assert.rejects(promise, (err: unknown) => {
    assert.ok(err instanceof UntrustedRequestError, String(err));
    assert.equal(err.reason, reason, err.message);
    if (detail !== undefined) assert.match(err.message, detail);
    return true;
  });
}

describe('readInbound', () => {
  test('a message a check refuses does not use up its ID; the accepted one is remembered, and only once', async () => {
    const p = policy();
    const id = newRequestId();
    const astray = authnRequestXml({ issuer: sp.entityId, id, destination: 'https://elsewhere.example/sso' });
    await refusedWith(
      readInbound(AUTHN_REQUEST, redirectInput(redirectQuery(astray)), p, new Date()),
      'bad-destination',
    );
    assert.deepEqual(p.remembered, []);
    const right = redirectInput(redirectQuery(authnRequestXml({ issuer: sp.entityId, id })));
    const read = await readInbound(AUTHN_REQUEST, right, p, new Date());
    assert.equal(read.request.requestId, id);
    assert.deepEqual(p.remembered, [`${sp.entityId} ${id}`]);
    await refusedWith(readInbound(AUTHN_REQUEST, right, p, new Date()), 'replayed');
  });

  test('checks run in their listed order: the first that fails refuses, nothing after it runs', async () => {
    const ran: string[] = [];
    const type: MessageType<string> = {
      name: 'AuthnRequest',
      parameter: 'SAMLRequest',
      checks: [
        (m) => {
          ran.push('first');
          isExpectedRoot(m);
        },
        () => {
          ran.push('second');
          throw untrusted('malformed', 'the second check refuses');
        },
        () => {
          ran.push('third');
        },
      ],
      read: () => {
        ran.push('read');
        return 'read';
      },
    };
    const p = policy();
    const input = redirectInput(redirectQuery(authnRequestXml({ issuer: sp.entityId })));
    await refusedWith(readInbound(type, input, p, new Date()), 'malformed', /second check/);
    assert.deepEqual(ran, ['first', 'second']);
    assert.deepEqual(p.remembered, []);
  });

  test('what the XML guard rejects while a message is read is refused as malformed', async () => {
    const type: MessageType<never> = {
      name: 'AuthnRequest',
      parameter: 'SAMLRequest',
      checks: [issuerIsTrustedSp],
      read: () => {
        throw new XmlRejectedError('ForceAuthn is not an xs:boolean');
      },
    };
    const input = redirectInput(redirectQuery(authnRequestXml({ issuer: sp.entityId })));
    await refusedWith(readInbound(type, input, policy(), new Date()), 'malformed', /xs:boolean/);
  });

  test('a check placed before the Issuer check cannot use an SP that was never looked up', async () => {
    const type: MessageType<string> = {
      name: 'AuthnRequest',
      parameter: 'SAMLRequest',
      checks: [(m) => assert.ok(m.sp)],
      read: () => 'read',
    };
    const input = redirectInput(redirectQuery(authnRequestXml({ issuer: sp.entityId })));
    await assert.rejects(readInbound(type, input, policy(), new Date()), /Issuer was not checked yet/);
  });
});

describe('the binding decoders take the parameter name', () => {
  const xml = '<samlp:LogoutResponse xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol"/>';
  const deflated = encodeURIComponent(deflateRawSync(Buffer.from(xml)).toString('base64'));

  test('POST: the message is read from that form field, and named in what is refused', () => {
    const form = { SAMLResponse: Buffer.from(xml).toString('base64'), RelayState: 'rs' };
    assert.deepEqual(decodeMessage(postInput(form), 'SAMLResponse', LIMITS), {
      xml,
      relayState: 'rs',
      querySignature: undefined,
    });
    assert.throws(
      () => decodeMessage(postInput(postForm(xml)), 'SAMLResponse', LIMITS),
      /no SAMLResponse form field/,
    );
    assert.throws(
      () => decodeMessage(postInput(form, { rawQuery: `SAMLResponse=${deflated}` }), 'SAMLResponse', LIMITS),
      /SAMLResponse in the query of a POST request/,
    );
    assert.throws(
      () => decodeMessage(postInput({ SAMLResponse: 'AAAA' }), 'SAMLResponse', LIMITS),
      /SAMLResponse is not DEFLATE data/,
    );
  });

  test('Redirect: the message is read from that parameter, and the signed octets start with its name', () => {
    const rawQuery = `SAMLResponse=${deflated}&RelayState=rs&SigAlg=x&Signature=AAAA`;
    const decoded = decodeMessage(redirectInput(rawQuery), 'SAMLResponse', LIMITS);
    assert.equal(decoded.xml, xml);
    assert.equal(
      decoded.querySignature?.signedOctets[0]?.toString(),
      `SAMLResponse=${deflated}&RelayState=rs&SigAlg=x`,
    );
    assert.throws(
      () => decodeMessage(redirectInput(rawQuery), 'SAMLRequest', LIMITS),
      /no SAMLRequest parameter/,
    );
  });
});
