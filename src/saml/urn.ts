// The SAML 2.0 and XML-DSig URIs the IdP speaks: namespaces, bindings, NameID formats, statuses, algorithms.

/** XML namespaces (SAML core §1.2, metadata §1.2, algsupport, mdui). */
export const Ns = {
  protocol: 'urn:oasis:names:tc:SAML:2.0:protocol',
  assertion: 'urn:oasis:names:tc:SAML:2.0:assertion',
  metadata: 'urn:oasis:names:tc:SAML:2.0:metadata',
  algsupport: 'urn:oasis:names:tc:SAML:metadata:algsupport',
  mdui: 'urn:oasis:names:tc:SAML:metadata:ui',
  dsig: 'http://www.w3.org/2000/09/xmldsig#',
  xs: 'http://www.w3.org/2001/XMLSchema',
  xsi: 'http://www.w3.org/2001/XMLSchema-instance',
  xml: 'http://www.w3.org/XML/1998/namespace',
} as const;

/** The SAML 2.0 protocol support URI (metadata §2.4.1 protocolSupportEnumeration). */
export const SAML_PROTOCOL = Ns.protocol;

/** Protocol bindings (SAML bindings §3.4, §3.5). */
export const Binding = {
  redirect: 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect',
  post: 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST',
} as const;

/** The only Redirect-binding encoding (SAML bindings §3.4.4.1). */
export const DeflateEncoding = 'urn:oasis:names:tc:SAML:2.0:bindings:URL-Encoding:DEFLATE';

/** NameID formats (SAML core §8.3). */
export const NameIdFormatUrn = {
  unspecified: 'urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified',
  transient: 'urn:oasis:names:tc:SAML:2.0:nameid-format:transient',
  persistent: 'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent',
  entity: 'urn:oasis:names:tc:SAML:2.0:nameid-format:entity',
} as const;

/** Top-level success status (SAML core §3.2.2.2); the error statuses live in src/errors.ts. */
export const StatusSuccess = 'urn:oasis:names:tc:SAML:2.0:status:Success';

/** Bearer subject confirmation (SAML profiles §3.3). */
export const BearerMethod = 'urn:oasis:names:tc:SAML:2.0:cm:bearer';

/** Attribute name format of every attribute we release (docs/contract.md §4). */
export const AttrNameFormatBasic = 'urn:oasis:names:tc:SAML:2.0:attrname-format:basic';

/** Authentication context classes (SAML authn context §3.4). */
export const AuthnContextClass = {
  /** What the nets_sms method gives (docs/contract.md §4). */
  mobileOneFactorUnregistered: 'urn:oasis:names:tc:SAML:2.0:ac:classes:MobileOneFactorUnregistered',
  unspecified: 'urn:oasis:names:tc:SAML:2.0:ac:classes:unspecified',
  password: 'urn:oasis:names:tc:SAML:2.0:ac:classes:Password',
  passwordProtectedTransport: 'urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport',
  internetProtocol: 'urn:oasis:names:tc:SAML:2.0:ac:classes:InternetProtocol',
  internetProtocolPassword: 'urn:oasis:names:tc:SAML:2.0:ac:classes:InternetProtocolPassword',
  previousSession: 'urn:oasis:names:tc:SAML:2.0:ac:classes:PreviousSession',
} as const;

/** XML-DSig algorithms (RFC 6931 for the SHA-2 ones). */
export const Alg = {
  rsaSha1: 'http://www.w3.org/2000/09/xmldsig#rsa-sha1',
  rsaSha256: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
  rsaSha512: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha512',
  sha1: 'http://www.w3.org/2000/09/xmldsig#sha1',
  sha256: 'http://www.w3.org/2001/04/xmlenc#sha256',
  sha512: 'http://www.w3.org/2001/04/xmlenc#sha512',
  excC14n: 'http://www.w3.org/2001/10/xml-exc-c14n#',
  c14n: 'http://www.w3.org/TR/2001/REC-xml-c14n-20010315',
  envelopedSignature: 'http://www.w3.org/2000/09/xmldsig#enveloped-signature',
} as const;

/** Signature algorithms we accept on requests, with the node:crypto digest each uses; SHA-1 is refused. */
export const AcceptedSignatureAlgs: ReadonlyMap<string, 'sha256' | 'sha512'> = new Map([
  [Alg.rsaSha256, 'sha256'],
  [Alg.rsaSha512, 'sha512'],
]);

/** Digest algorithms we accept in signed requests. */
export const AcceptedDigestAlgs: ReadonlySet<string> = new Set([Alg.sha256, Alg.sha512]);
