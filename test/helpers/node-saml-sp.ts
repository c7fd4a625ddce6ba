// A service provider built with @node-saml/node-saml 5: its metadata, its SAML instance, and what it put on the wire.

import { inflateRawSync } from 'node:zlib';
import { generateServiceProviderMetadata, SAML, type ValidateInResponseTo } from '@node-saml/node-saml';
import { DOMParser } from '@xmldom/xmldom';
import type { TestKeys } from './saml-sp.ts';

const UNSPECIFIED = 'urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified';
const MOBILE_ONE_FACTOR = 'urn:oasis:names:tc:SAML:2.0:ac:classes:MobileOneFactorUnregistered';
const DSIG = 'http://www.w3.org/2000/09/xmldsig#';

/** Who the SP is. With `keys` its metadata lists a signing certificate and says AuthnRequestsSigned="true". */
export interface NodeSamlSpDefinition {
  readonly entityId: string;
  readonly acsUrl: string;
  readonly keys?: TestKeys;
}

/** The SP's metadata as node-saml's `generateServiceProviderMetadata` writes it, for the IdP's SP_METADATA_DIR. */
export function nodeSamlSpMetadata(sp: NodeSamlSpDefinition): string {
  return generateServiceProviderMetadata({
    issuer: sp.entityId,
    callbackUrl: sp.acsUrl,
    identifierFormat: UNSPECIFIED,
    wantAssertionsSigned: true,
    ...(sp.keys === undefined
      ? {}
      : { privateKey: sp.keys.privateKeyPem, publicCerts: sp.keys.certPem, signatureAlgorithm: 'sha256' }),
  });
}

/**
 * A node-saml SP talking to the IdP at `entryPoint`, trusting `idpCertPem`; it requires signed Responses and
 * Assertions and an InResponseTo it issued. Requests are signed when the definition has keys, unless
 * `signRequests` is false (an SP whose metadata promises signatures but that sends none).
 */
export function createNodeSamlSp(
  sp: NodeSamlSpDefinition,
  idp: { readonly entryPoint: string; readonly certPem: string; readonly entityId: string },
  options: { readonly signRequests?: boolean; readonly binding?: 'HTTP-Redirect' | 'HTTP-POST' } = {},
): SAML {
  const sign = sp.keys !== undefined && options.signRequests !== false;
  return new SAML({
    entryPoint: idp.entryPoint,
    idpCert: idp.certPem,
    idpIssuer: idp.entityId,
    issuer: sp.entityId,
    callbackUrl: sp.acsUrl,
    audience: sp.entityId,
    identifierFormat: UNSPECIFIED,
    authnContext: [MOBILE_ONE_FACTOR],
    authnRequestBinding: options.binding ?? 'HTTP-Redirect',
    wantAssertionsSigned: true,
    wantAuthnResponseSigned: true,
    validateInResponseTo: 'always' as ValidateInResponseTo,
    signatureAlgorithm: 'sha256',
    digestAlgorithm: 'sha256',
    ...(sign && sp.keys !== undefined ? { privateKey: sp.keys.privateKeyPem } : {}),
  });
}

/** The IdP's first signing certificate from its metadata, as PEM. */
export function idpCertFromMetadata(metadataXml: string): string {
  const doc = new DOMParser().parseFromString(metadataXml, 'text/xml');
  const cert = doc.getElementsByTagNameNS(DSIG, 'X509Certificate')[0]?.textContent?.replace(/\s+/g, '');
  if (cert === undefined || cert === '') throw new Error('no signing certificate in the IdP metadata');
  const lines = cert.match(/.{1,64}/g) ?? [];
  return `-----BEGIN CERTIFICATE-----\n${lines.join('\n')}\n-----END CERTIFICATE-----\n`;
}

function unescapeAttribute(s: string): string {
  return s
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&#13;/g, '\r')
    .replace(/&amp;/g, '&');
}

/** The action and hidden fields of the auto-submitting form `getAuthorizeFormAsync` returns. */
export function authorizeForm(html: string): { action: string; fields: Record<string, string> } {
  const action = /<form[^>]*\baction="([^"]*)"/.exec(html)?.[1];
  if (action === undefined) throw new Error('no form in node-saml output');
  const fields: Record<string, string> = {};
  for (const match of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"/g)) {
    fields[match[1] as string] = unescapeAttribute(match[2] as string);
  }
  return { action: unescapeAttribute(action), fields };
}

/** What node-saml sent in a SAMLRequest value: the XML (inflated if it was deflated), its ID, whether signed. */
export function sentAuthnRequest(samlRequest: string): { xml: string; id: string; xmlSigned: boolean } {
  const bytes = Buffer.from(samlRequest, 'base64');
  const xml = (bytes[0] === 0x3c ? bytes : inflateRawSync(bytes)).toString('utf8');
  const root = new DOMParser().parseFromString(xml, 'text/xml').documentElement;
  const id = root?.getAttribute('ID');
  if (root === null || root.localName !== 'AuthnRequest' || id === null || id === undefined) {
    throw new Error(`not an AuthnRequest: ${xml.slice(0, 200)}`);
  }
  return { xml, id, xmlSigned: root.getElementsByTagNameNS(DSIG, 'Signature').length > 0 };
}
