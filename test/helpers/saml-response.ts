// Reads a SAML Response the way an SP would, for assertions in tests: status, subject, conditions, attributes.

import { DOMParser } from '@xmldom/xmldom';

const P = 'urn:oasis:names:tc:SAML:2.0:protocol';
const A = 'urn:oasis:names:tc:SAML:2.0:assertion';

export interface ReadResponse {
  readonly destination: string | null;
  readonly inResponseTo: string | null;
  readonly statusCode: string | null;
  readonly subStatusCode: string | null;
  readonly statusMessage: string | null;
  readonly issuer: string | null;
  readonly nameId: string | null;
  readonly nameIdFormat: string | null;
  readonly audience: string | null;
  readonly recipient: string | null;
  readonly notBefore: string | null;
  readonly notOnOrAfter: string | null;
  readonly authnContextClassRef: string | null;
  readonly sessionIndex: string | null;
  readonly attributes: Record<string, string>;
  readonly attributeNameFormats: Record<string, string | null>;
  readonly hasAssertion: boolean;
}

function first(root: Element, ns: string, name: string): Element | undefined {
  return (root.getElementsByTagNameNS(ns, name)[0] as Element | undefined) ?? undefined;
}

export function readResponse(xml: string): ReadResponse {
  const doc = new DOMParser().parseFromString(xml, 'text/xml');
  const root = doc.documentElement as Element;
  const status = first(root, P, 'StatusCode');
  const sub = status === undefined ? undefined : first(status, P, 'StatusCode');
  const nameId = first(root, A, 'NameID');
  const attributes: Record<string, string> = {};
  const formats: Record<string, string | null> = {};
  const list = root.getElementsByTagNameNS(A, 'Attribute');
  for (let i = 0; i < list.length; i++) {
    const attr = list[i] as Element;
    const name = attr.getAttribute('Name') ?? '';
    attributes[name] = first(attr, A, 'AttributeValue')?.textContent ?? '';
    formats[name] = attr.getAttribute('NameFormat');
  }
  return {
    destination: root.getAttribute('Destination'),
    inResponseTo: root.getAttribute('InResponseTo'),
    statusCode: status?.getAttribute('Value') ?? null,
    subStatusCode: sub?.getAttribute('Value') ?? null,
    statusMessage: first(root, P, 'StatusMessage')?.textContent ?? null,
    issuer: first(root, A, 'Issuer')?.textContent ?? null,
    nameId: nameId?.textContent ?? null,
    nameIdFormat: nameId?.getAttribute('Format') ?? null,
    audience: first(root, A, 'Audience')?.textContent ?? null,
    recipient: first(root, A, 'SubjectConfirmationData')?.getAttribute('Recipient') ?? null,
    notBefore: first(root, A, 'Conditions')?.getAttribute('NotBefore') ?? null,
    notOnOrAfter: first(root, A, 'Conditions')?.getAttribute('NotOnOrAfter') ?? null,
    authnContextClassRef: first(root, A, 'AuthnContextClassRef')?.textContent ?? null,
    sessionIndex: first(root, A, 'AuthnStatement')?.getAttribute('SessionIndex') ?? null,
    attributes,
    attributeNameFormats: formats,
    hasAssertion: first(root, A, 'Assertion') !== undefined,
  };
}
