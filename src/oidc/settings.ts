// The OpenID Connect settings (docs/oidc-client-admins.md), read with the rest of the configuration.

export interface OidcSettings {
  /** OIDC_ENABLED: serve OpenID Connect at $BASE_URL/oidc. */
  readonly enabled: boolean;
  /** OIDC_CLIENTS_DIR: one `*.json` client file each; reloaded on change. */
  readonly clientsDir: string;
  readonly accessTokenTtlSeconds: number;
  readonly idTokenTtlSeconds: number;
  /** OIDC_ALLOW_PRIVATE_OUTBOUND: back-channel logout may reach loopback and private addresses (intranet RPs). */
  readonly allowPrivateOutbound: boolean;
  /** OIDC_CLIENT_AUTH_MAX_FAILURES: failed client authentications per client_id, and per address, per hour. */
  readonly clientAuthMaxFailures: number;
}

export const OIDC_KEYS = [
  'OIDC_ENABLED',
  'OIDC_CLIENTS_DIR',
  'OIDC_ACCESS_TOKEN_TTL_SECONDS',
  'OIDC_ID_TOKEN_TTL_SECONDS',
  'OIDC_ALLOW_PRIVATE_OUTBOUND',
  'OIDC_CLIENT_AUTH_MAX_FAILURES',
];

/** The readers of config.ts, which collect every problem. */
export interface SettingReaders {
  str(key: string, fallback: string): string;
  int(key: string, fallback: number, min: number, max: number): number;
  bool(key: string, fallback: boolean): boolean;
}

export function readOidcSettings(read: SettingReaders): OidcSettings {
  return {
    enabled: read.bool('OIDC_ENABLED', true),
    clientsDir: read.str('OIDC_CLIENTS_DIR', 'metadata/oidc'),
    accessTokenTtlSeconds: read.int('OIDC_ACCESS_TOKEN_TTL_SECONDS', 600, 30, 86400),
    idTokenTtlSeconds: read.int('OIDC_ID_TOKEN_TTL_SECONDS', 300, 30, 86400),
    allowPrivateOutbound: read.bool('OIDC_ALLOW_PRIVATE_OUTBOUND', false),
    clientAuthMaxFailures: read.int('OIDC_CLIENT_AUTH_MAX_FAILURES', 20, 1, 100_000),
  };
}
