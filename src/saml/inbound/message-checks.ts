// The checks every SP-sent message shares (AuthnRequest, LogoutRequest, LogoutResponse), one named function each,
// in the order the message types list them: shape, issuer, signature, Destination, age (docs/design.md §4).

import { UntrustedRequestError } from '../../errors.ts';
import { NameIdFormatUrn, Ns } from '../urn.ts';
import { attr, descendants, isElement, optionalChild, xsDateTime } from '../xml/dom.ts';
import {
  findEnvelopedSignature,
  verifyEnvelopedSignature,
  verifyQuerySignature,
} from '../xml/signature-verify.ts';
import type { Check } from './inbound-message.ts';

/** An UntrustedRequestError: the message cannot be answered to any SP. */
export function untrusted(reason: UntrustedRequestError['reason'], detail: string): UntrustedRequestError {
  return new UntrustedRequestError(reason, detail);
}

/** The URL without query or fragment: SPs may put `?forcepkivendor=…` into Destination (docs/contract.md §2). */
export function stripQuery(url: string): string {
  return url.split(/[?#]/, 1)[0]!;
}

// xs:ID is an NCName; we take the ASCII subset SPs use, and cap the length.
const XS_ID = /^[A-Za-z_][A-Za-z0-9_.-]{0,255}$/;

/** True for an xs:ID as SPs write them (also used for InResponseTo). */
export function isXsId(value: string): boolean {
  return XS_ID.test(value);
}

/** The root element is the samlp: element of the message type. */
export const isExpectedRoot: Check = ({ root, name }) => {
  if (!isElement(root, Ns.protocol, name)) throw untrusted('malformed', `the message is not a samlp:${name}`);
};

export const isVersion20: Check = ({ root, name }) => {
  if (attr(root, 'Version') !== '2.0') throw untrusted('malformed', `the ${name} Version is not 2.0`);
};

export const hasXsId: Check = ({ root, name }) => {
  if (!isXsId(attr(root, 'ID') ?? ''))
    throw untrusted('malformed', `the ${name} ID is missing or not an xs:ID`);
};

/** No Assertion anywhere inside: an SP-sent message never carries one, and a copied one must not be read. */
export const carriesNoAssertion: Check = ({ doc, name }) => {
  if (
    descendants(doc, '*', 'Assertion').length > 0 ||
    descendants(doc, '*', 'EncryptedAssertion').length > 0
  ) {
    throw untrusted('malformed', `${/^[AEIOU]/.test(name) ? 'an' : 'a'} ${name} must not carry an Assertion`);
  }
};

/** The Issuer names a trusted SP, exactly as its metadata spells it; that SP is the message's from here on. */
export const issuerIsTrustedSp: Check = (message) => {
  const issuer = optionalChild(message.root, Ns.assertion, 'Issuer');
  if (issuer === undefined) throw untrusted('unknown-sp', `the ${message.name} has no Issuer`);
  const format = attr(issuer, 'Format')?.trim();
  if (format !== undefined && format !== NameIdFormatUrn.entity) {
    throw untrusted('unknown-sp', 'the Issuer Format is not entity');
  }
  // Exactly as the SP's metadata spells it: an entityID with whitespace around it is another name.
  const entityId = issuer.textContent ?? '';
  const sp = message.policy.registry.get(entityId);
  if (sp === undefined) {
    throw untrusted('unknown-sp', `no trusted SP with entityID ${JSON.stringify(entityId.slice(0, 200))}`);
  }
  message.sp = sp;
};

/** Any signature present, query or enveloped (strictly placed), verifies with the SP's signing certificates. */
export const signatureVerifies: Check = (message) => {
  const { decoded, sp } = message;
  const enveloped = findEnvelopedSignature(message.doc);
  if (decoded.querySignature !== undefined) verifyQuerySignature(decoded.querySignature, sp.signingCerts);
  if (enveloped !== undefined) verifyEnvelopedSignature(decoded.xml, enveloped, sp.signingCerts);
  message.signed = decoded.querySignature !== undefined || enveloped !== undefined;
};

/** Unsigned is refused when the SP's metadata says it signs, or the IdP wants `what` signed from every SP. */
export function signedWhenRequired(what: 'AuthnRequests' | 'logout messages'): Check {
  return ({ signed, sp, policy }) => {
    if (!signed && (sp.authnRequestsSigned || policy.wantSigned)) {
      throw untrusted('signature-required', `${sp.entityId}: ${what} must be signed`);
    }
  };
}

/** Destination, when sent, is this endpoint (its query ignored); a signed message must name it. */
export function destinationIs(endpoint: 'SSO' | 'SLO'): Check {
  return ({ root, name, sp, signed, input }) => {
    const destination = attr(root, 'Destination');
    // SAML bindings §3.4.5.2, §3.5.5.2: a signed message names where it was sent, so it cannot be replayed here.
    if (destination === undefined && signed) {
      throw untrusted('bad-destination', `${sp.entityId}: a signed ${name} has no Destination`);
    }
    if (destination !== undefined && stripQuery(destination.trim()) !== stripQuery(input.endpointUrl)) {
      throw untrusted('bad-destination', `${sp.entityId}: Destination is not this ${endpoint} endpoint`);
    }
  };
}

/**
 * IssueInstant must be present, an xs:dateTime, not older than maxAge + skew and not further than skew in the
 * future.
 */
export const issuedRecently: Check = ({ root, name, sp, policy, now }) => {
  const value = attr(root, 'IssueInstant');
  if (value === undefined) throw untrusted('stale', `${sp.entityId}: the ${name} has no IssueInstant`);
  const issued = xsDateTime(value);
  if (issued === undefined)
    throw untrusted('malformed', `${sp.entityId}: IssueInstant is not an xs:dateTime`);
  const ageMs = now.getTime() - issued.getTime();
  if (ageMs > (policy.maxAgeSeconds + policy.clockSkewSeconds) * 1000) {
    throw untrusted('stale', `${sp.entityId}: the ${name} is ${Math.round(ageMs / 1000)} s old`);
  }
  if (-ageMs > policy.clockSkewSeconds * 1000) {
    throw untrusted('stale', `${sp.entityId}: IssueInstant is ${Math.round(-ageMs / 1000)} s in the future`);
  }
};
