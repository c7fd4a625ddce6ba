// Renders the IdP's own SAML 2.0 metadata (an EntityDescriptor with one IDPSSODescriptor), schema order kept.

import { Alg, Binding, NameIdFormatUrn, Ns, SAML_PROTOCOL } from '../urn.ts';
import { samlTime } from '../values.ts';
import { el, renderXml, type XmlElement } from '../xml/xml-writer.ts';

/** What our metadata says; `id` and `validUntil` are set when it is signed (metadata-signature.ts). */
export interface IdpMetadataOptions {
  entityId: string;
  ssoUrl: string;
  sloUrl?: string;
  certsBase64: readonly string[];
  wantAuthnRequestsSigned: boolean;
  /** EntityDescriptor ID, the signature's Reference target */
  id?: string;
  /** EntityDescriptor validUntil (metadata §2.3.2) */
  validUntil?: Date;
}

/** Our EntityDescriptor, schema-valid against the OASIS SAML 2.0 metadata XSD (+ algsupport, mdui if used).
 * IDPSSODescriptor protocolSupportEnumeration SAML2; Extensions with alg:DigestMethod sha256/sha512 and
 * alg:SigningMethod rsa-sha256/rsa-sha512; KeyDescriptor use="signing" per cert; SingleSignOnService for
 * HTTP-Redirect and HTTP-POST at ssoUrl; NameIDFormat unspecified, transient, persistent; order per schema
 * (KeyDescriptor, [SingleLogoutService], NameIDFormat, SingleSignOnService). No SLO yet (it has its own issue):
 * accept an optional sloUrl param but the app won't pass it now. WantAuthnRequestsSigned as configured. */
export function renderIdpMetadata(opts: IdpMetadataOptions): string {
  return renderXml(idpMetadataElement(opts), { declaration: true });
}

/** The element tree renderIdpMetadata writes, for signing before it is rendered. */
export function idpMetadataElement(opts: IdpMetadataOptions): XmlElement {
  const endpoints = (name: string, url: string) =>
    [Binding.redirect, Binding.post].map((binding) => el(`md:${name}`, { Binding: binding, Location: url }));
  const root = el(
    'md:EntityDescriptor',
    {
      'xmlns:md': Ns.metadata,
      'xmlns:ds': Ns.dsig,
      'xmlns:alg': Ns.algsupport,
      ID: opts.id,
      validUntil: opts.validUntil === undefined ? undefined : samlTime(opts.validUntil),
      entityID: opts.entityId,
    },
    [
      el(
        'md:IDPSSODescriptor',
        {
          WantAuthnRequestsSigned: String(opts.wantAuthnRequestsSigned),
          protocolSupportEnumeration: SAML_PROTOCOL,
        },
        [
          // Metadata algorithm support profile §2.1-2.2: tells SPs (Shibboleth) to sign with SHA-2 (docs/design.md §4a).
          el('md:Extensions', {}, [
            el('alg:DigestMethod', { Algorithm: Alg.sha256 }),
            el('alg:DigestMethod', { Algorithm: Alg.sha512 }),
            el('alg:SigningMethod', { Algorithm: Alg.rsaSha256 }),
            el('alg:SigningMethod', { Algorithm: Alg.rsaSha512 }),
          ]),
          ...opts.certsBase64.map((cert) =>
            el('md:KeyDescriptor', { use: 'signing' }, [
              el('ds:KeyInfo', {}, [el('ds:X509Data', {}, [el('ds:X509Certificate', {}, [cert])])]),
            ]),
          ),
          ...(opts.sloUrl === undefined ? [] : endpoints('SingleLogoutService', opts.sloUrl)),
          ...[NameIdFormatUrn.unspecified, NameIdFormatUrn.transient, NameIdFormatUrn.persistent].map((f) =>
            el('md:NameIDFormat', {}, [f]),
          ),
          ...endpoints('SingleSignOnService', opts.ssoUrl),
        ],
      ),
    ],
  );
  return root;
}
