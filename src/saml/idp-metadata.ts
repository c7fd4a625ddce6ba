// Renders the IdP's own SAML 2.0 metadata (an EntityDescriptor with one IDPSSODescriptor), schema order kept.

import { Alg, Binding, NameIdFormatUrn, Ns, SAML_PROTOCOL } from './urn.ts';
import { el, renderXml } from './xml-writer.ts';

/** Our EntityDescriptor, schema-valid against the OASIS SAML 2.0 metadata XSD (+ algsupport, mdui if used).
 * IDPSSODescriptor protocolSupportEnumeration SAML2; Extensions with alg:DigestMethod sha256/sha512 and
 * alg:SigningMethod rsa-sha256/rsa-sha512; KeyDescriptor use="signing" per cert; SingleSignOnService for
 * HTTP-Redirect and HTTP-POST at ssoUrl; NameIDFormat unspecified, transient, persistent; order per schema
 * (KeyDescriptor, [SingleLogoutService], NameIDFormat, SingleSignOnService). No SLO yet (it has its own issue):
 * accept an optional sloUrl param but the app won't pass it now. WantAuthnRequestsSigned as configured. */
export function renderIdpMetadata(opts: {
  entityId: string;
  ssoUrl: string;
  sloUrl?: string;
  certsBase64: readonly string[];
  wantAuthnRequestsSigned: boolean;
}): string {
  const endpoints = (name: string, url: string) =>
    [Binding.redirect, Binding.post].map((binding) => el(`md:${name}`, { Binding: binding, Location: url }));
  const root = el(
    'md:EntityDescriptor',
    { 'xmlns:md': Ns.metadata, 'xmlns:ds': Ns.dsig, 'xmlns:alg': Ns.algsupport, entityID: opts.entityId },
    [
      el(
        'md:IDPSSODescriptor',
        {
          WantAuthnRequestsSigned: String(opts.wantAuthnRequestsSigned),
          protocolSupportEnumeration: SAML_PROTOCOL,
        },
        [
          // Metadata algorithm support profile §2.1-2.2: tells SPs (Shibboleth) to sign with SHA-2 (DESIGN.md §4a).
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
  return renderXml(root, { declaration: true });
}
