// Settings table, SAML section: SP metadata, our signing keys and metadata, message checks, Single Logout.

import { flag, list, oneOf, setting, text, wholeNumber } from '../setting.ts';

export const SAML = {
  spMetadataDir: setting({
    name: 'SP_METADATA_DIR',
    parse: text,
    default: 'metadata/sp',
    doc: 'trusted SP metadata folder (`*.xml`, sidecars `*.json`, remote sources `*.remote.json`)',
  }),
  idpKeyFile: setting<string | undefined>({
    name: 'IDP_KEY_FILE',
    parse: text,
    default: undefined,
    defaultText: 'dev pair in `DEV_KEY_DIR`',
    doc: 'PEM signing key (set with `IDP_CERT_FILE`)',
  }),
  idpCertFile: setting<string | undefined>({
    name: 'IDP_CERT_FILE',
    parse: text,
    default: undefined,
    defaultText: 'dev pair in `DEV_KEY_DIR`',
    doc: 'PEM signing certificate (set with `IDP_KEY_FILE`)',
  }),
  idpNextKeyFile: setting<string | undefined>({
    name: 'IDP_NEXT_KEY_FILE',
    parse: text,
    default: undefined,
    doc:
      'the next signing key of a key rollover: its certificate is published, it signs only after the ' +
      'switch-over (set with `IDP_NEXT_CERT_FILE`)',
  }),
  idpNextCertFile: setting<string | undefined>({
    name: 'IDP_NEXT_CERT_FILE',
    parse: text,
    default: undefined,
    doc: 'the certificate of that next key (set with `IDP_NEXT_KEY_FILE`)',
  }),
  idpSignWith: setting<'current' | 'next'>({
    name: 'IDP_SIGN_WITH',
    parse: oneOf(['current', 'next']),
    default: 'current',
    doc:
      "which pair signs: `next` is the rollover's switch-over and needs the `IDP_NEXT_*` pair. A sidecar's " +
      '`signingKey` overrides it for one SP',
  }),
  metadataValidDays: setting({
    name: 'METADATA_VALID_DAYS',
    parse: wholeNumber(1, 365),
    default: 7,
    doc: "our metadata's `validUntil`, in days",
  }),
  spLogoFetch: setting({
    name: 'SP_LOGO_FETCH',
    parse: flag,
    default: false,
    doc:
      "fetch SPs' `http(s)` `mdui:Logo` images once and serve them from our origin (else only `data:` logos " +
      'show); the IdP then makes GET requests to the URLs SP metadata names, on public addresses only (see ' +
      '[Outbound requests](security.md#outbound-requests-ssrf))',
  }),
  outboundPrivateHosts: setting({
    name: 'OUTBOUND_PRIVATE_HOSTS',
    parse: list,
    default: [],
    values: 'host names or addresses as written in the URL, comma-separated',
    doc:
      'hosts that logo and remote metadata fetches may reach on a loopback, private or link-local address; ' +
      'every other non-public address is refused',
  }),
  remoteMetadataHttpUrls: setting({
    name: 'REMOTE_METADATA_HTTP_URLS',
    parse: list,
    default: [],
    values: 'URLs, comma-separated',
    doc: 'plain `http://` remote metadata URLs allowed, exactly as written in the `.remote.json`; others must be `https://`',
  }),
  remoteMetadataMaxValidityDays: setting({
    name: 'REMOTE_METADATA_MAX_VALIDITY_DAYS',
    parse: wholeNumber(1, 3650),
    default: 30,
    doc: "a remote metadata document's root `validUntil` must be present and at most this many days ahead",
  }),
  wantAuthnRequestsSigned: setting({
    name: 'WANT_AUTHN_REQUESTS_SIGNED',
    parse: flag,
    default: false,
    doc: 'require signed AuthnRequests from every SP',
  }),
  wantLogoutRequestsSigned: setting({
    name: 'WANT_LOGOUT_REQUESTS_SIGNED',
    parse: flag,
    default: false,
    doc:
      'require signed LogoutRequests and LogoutResponses from every SP (else only from SPs whose metadata says ' +
      '`AuthnRequestsSigned="true"`)',
  }),
  sloPropagationTimeoutSeconds: setting({
    name: 'SLO_PROPAGATION_TIMEOUT_SECONDS',
    parse: wholeNumber(1, 60),
    default: 5,
    doc: "how long the logout page waits for the other SPs' LogoutResponses",
  }),
  clockSkewSeconds: setting({
    name: 'CLOCK_SKEW_SECONDS',
    parse: wholeNumber(0, 600),
    default: 60,
    doc: 'tolerated clock difference with SPs',
  }),
  authnRequestMaxAgeSeconds: setting({
    name: 'AUTHN_REQUEST_MAX_AGE_SECONDS',
    parse: wholeNumber(10, 3600),
    default: 300,
    doc: 'an older `IssueInstant` is refused',
  }),
  assertionTtlSeconds: setting({
    name: 'ASSERTION_TTL_SECONDS',
    parse: wholeNumber(30, 3600),
    default: 300,
    doc: 'assertion `NotOnOrAfter` after issue',
  }),
  samlMaxBytes: setting({
    name: 'SAML_MAX_BYTES',
    parse: wholeNumber(1024, 1024 * 1024),
    default: 64 * 1024,
    doc: 'largest SAML message, decoded and inflated',
  }),
  relayStateMaxBytes: setting({
    name: 'RELAY_STATE_MAX_BYTES',
    parse: wholeNumber(80, 8192),
    default: 1024,
    doc: 'longest RelayState (SAML bindings §3.4.3 say 80, real SPs send more)',
  }),
};
