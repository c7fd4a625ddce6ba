// Settings table, OpenID Connect section (docs/oidc-client-admins.md).

import { flag, setting, text, wholeNumber } from '../setting.ts';

export const OIDC = {
  enabled: setting({
    name: 'OIDC_ENABLED',
    parse: flag,
    default: true,
    doc: 'serve OpenID Connect at `$BASE_URL/oidc` (see [the OIDC client admin guide](oidc-client-admins.md))',
  }),
  clientsDir: setting({
    name: 'OIDC_CLIENTS_DIR',
    parse: text,
    default: 'metadata/oidc',
    doc: 'one `*.json` per OIDC client; reloaded on change',
  }),
  accessTokenTtlSeconds: setting({
    name: 'OIDC_ACCESS_TOKEN_TTL_SECONDS',
    parse: wholeNumber(30, 86400),
    default: 600,
    doc: 'access token lifetime',
  }),
  idTokenTtlSeconds: setting({
    name: 'OIDC_ID_TOKEN_TTL_SECONDS',
    parse: wholeNumber(30, 86400),
    default: 300,
    doc: 'ID token lifetime',
  }),
  allowPrivateOutbound: setting({
    name: 'OIDC_ALLOW_PRIVATE_OUTBOUND',
    parse: flag,
    default: false,
    doc:
      'back-channel logout and other calls to clients may reach loopback and private addresses (intranet ' +
      'clients); off, they are refused',
  }),
  clientAuthMaxFailures: setting({
    name: 'OIDC_CLIENT_AUTH_MAX_FAILURES',
    parse: wholeNumber(1, 100_000),
    default: 20,
    doc:
      'failed OIDC client authentications per hour for one `client_id`, and from one client address; past it ' +
      '`/oidc/token`, `/oidc/par`, `/oidc/revoke` answer 429 with `Retry-After`',
  }),
};
