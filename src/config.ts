// Reads the environment into one frozen Config; every key, its default and its meaning live here (docs/contract.md §1, §5).

import {
  contrastRatio,
  DEFAULT_BRAND_COLOR,
  DEFAULT_BRAND_CONTRAST_COLOR,
  MIN_TEXT_CONTRAST,
  parseHexColor,
} from './http/branding.ts';
import { unknownSettingProblems, withSecretFiles } from './config-env.ts';
import { isLocale, LOCALES, type Locale } from './i18n/index.ts';
import {
  GATEWAY_SECRET_SETTINGS,
  GATEWAY_SETTINGS,
  isGatewaySettingKey,
  type ProviderName,
  readGatewaySettings,
  type SmsGatewaySettings,
} from './sms/gateway-config.ts';
import { OIDC_KEYS, type OidcSettings, readOidcSettings } from './oidc/settings.ts';
import { type RedisStoreOptions, redisOptionsFromEnv } from './store/redis-options.ts';

/** Everything the IdP can be told from outside. Defaults make the first start need no setup. */
export interface Config {
  /** Port to listen on (`PORT`, default 3000). */
  readonly port: number;
  /** Interface to listen on (`HOST`, default 127.0.0.1). */
  readonly host: string;
  /** Public URL without trailing slash (`BASE_URL`); entityID = `${baseUrl}/saml/metadata`. */
  readonly baseUrl: string;
  /** `REDIS_URL`; undefined → in-process memory store. */
  readonly redisUrl: string | undefined;
  /** Redis connection (URL, Sentinel or Cluster) when any REDIS_* setting is given; see store/redis.ts. */
  readonly redis: RedisStoreOptions | undefined;
  /** Folder of trusted SP metadata (`SP_METADATA_DIR`). */
  readonly spMetadataDir: string;
  /** PEM signing key / certificate files; undefined → dev pair in `devKeyDir`. */
  readonly idpKeyFile: string | undefined;
  readonly idpCertFile: string | undefined;
  /** The next signing pair of a key rollover (`IDP_NEXT_KEY_FILE`/`IDP_NEXT_CERT_FILE`): published, not yet used. */
  readonly idpNextKeyFile: string | undefined;
  readonly idpNextCertFile: string | undefined;
  /** Which pair signs (`IDP_SIGN_WITH`): `current` (default) or `next`, the switch-over of a rollover. */
  readonly idpSignWith: 'current' | 'next';
  /** Our metadata's `validUntil`, days after it is rendered (`METADATA_VALID_DAYS`). */
  readonly metadataValidDays: number;
  /** Git-ignored folder for the generated dev key pair (`DEV_KEY_DIR`). */
  readonly devKeyDir: string;
  /** The SMS providers in failover order (`SMS_PROVIDER`: console, webhook or gateways, comma-separated). */
  readonly smsProvider: readonly ProviderName[];
  /** Routes, sender ids, gateway credentials, receipts and the breaker (sms/gateway-config.ts, docs/contract.md §5a). */
  readonly smsGateways: SmsGatewaySettings;
  /** `SMS_WEBHOOK_URL`, required for `webhook`. */
  readonly smsWebhookUrl: string | undefined;
  /** `SMS_WEBHOOK_TIMEOUT_MS`: no answer by then is a temporary failure. */
  readonly smsWebhookTimeoutMs: number;
  /** ISO regions whose numbers may receive codes (`SMS_COUNTRIES`); `'*'` for all. */
  readonly smsCountries: readonly string[] | '*';
  /** UI language when neither request nor browser names one we have (`DEFAULT_LOCALE`). */
  readonly defaultLocale: Locale;
  /** Country of a number typed without one, when the request's locale names no region (`DEFAULT_PHONE_COUNTRY`,
   * ISO alpha-2; unset: the language's country, e.g. SE for Swedish). */
  readonly defaultPhoneCountry: string | undefined;
  /** The IdP's name in the page header (`IDP_DISPLAY_NAME`; unset: "Identification" in the page's language). */
  readonly idpDisplayName: string | undefined;
  /** The IdP's logo, an .svg or .png file served from our origin (`IDP_LOGO_FILE`; unset: a neutral mark). */
  readonly idpLogoFile: string | undefined;
  /** Header and button colour (`IDP_BRAND_COLOR`, `#rrggbb`). */
  readonly brandColor: string;
  /** Text on the brand colour (`IDP_BRAND_CONTRAST_COLOR`); must contrast 4.5:1 with it (WCAG 2.2 §1.4.3). */
  readonly brandContrastColor: string;
  /** Fetch SPs' https `mdui:Logo` images once and serve them from our origin (`SP_LOGO_FETCH`, default false:
   * only `data:` logos show). */
  readonly spLogoFetch: boolean;
  /** Hosts (names or addresses, as in the URL) that logo and remote metadata fetches may reach on a loopback,
   * private or link-local address (`OUTBOUND_PRIVATE_HOSTS`); every other non-public address is refused. */
  readonly outboundPrivateHosts: readonly string[];
  /** Plain http:// remote metadata URLs allowed, exactly as written (`REMOTE_METADATA_HTTP_URLS`). */
  readonly remoteMetadataHttpUrls: readonly string[];
  /** Longest a remote metadata document's validUntil may reach ahead, days (`REMOTE_METADATA_MAX_VALIDITY_DAYS`). */
  readonly remoteMetadataMaxValidityDays: number;
  /** Require signed AuthnRequests from every SP (`WANT_AUTHN_REQUESTS_SIGNED`). */
  readonly wantAuthnRequestsSigned: boolean;
  /** Keep an SSO session after a login, so further SPs get assertions without a new code (`SSO_ENABLED`). */
  readonly ssoEnabled: boolean;
  /** Absolute lifetime of an SSO session from its login, seconds (`SSO_SESSION_TTL_SECONDS`, default 8 h). */
  readonly ssoSessionTtlSeconds: number;
  /** Require signed LogoutRequests/Responses from every SP (`WANT_LOGOUT_REQUESTS_SIGNED`; else only from SPs
   * whose metadata says `AuthnRequestsSigned="true"`). */
  readonly wantLogoutRequestsSigned: boolean;
  /** How long the logout page waits for each SP's LogoutResponse before it counts it failed, seconds
   * (`SLO_PROPAGATION_TIMEOUT_SECONDS`). */
  readonly sloPropagationTimeoutSeconds: number;
  /** The demo SP page at /demo (`DEMO_SP`, default on unless NODE_ENV=production). */
  readonly demoSp: boolean;
  /** Code lifetime in seconds (`OTP_TTL_SECONDS`, the seed's 15 minutes). */
  readonly otpTtlSeconds: number;
  /** Wrong entries per code before the flow ends with AuthnFailed (`OTP_MAX_ATTEMPTS`). */
  readonly otpMaxAttempts: number;
  /** SMS per login flow, the first one included (`OTP_MAX_SENDS_PER_FLOW`). */
  readonly otpMaxSendsPerFlow: number;
  /** Wait before a resend (`OTP_RESEND_COOLDOWN_SECONDS`). */
  readonly otpResendCooldownSeconds: number;
  /** SMS to one number per hour, across flows (`SMS_MAX_PER_PHONE`). */
  readonly smsMaxPerPhone: number;
  /** SMS to one number per 24 hours (`SMS_MAX_PER_PHONE_DAY`; unset: 10, or SMS_MAX_PER_PHONE when higher). */
  readonly smsMaxPerPhoneDay: number;
  /** SMS per hour to numbers sharing their first SMS_PREFIX_DIGITS digits, against SMS pumping of a number range
   * (`SMS_MAX_PER_PREFIX`; unset: 30, or SMS_MAX_PER_PHONE when higher). */
  readonly smsMaxPerPrefix: number;
  /** Leading digits of the E.164 number, country code included, that make its prefix (`SMS_PREFIX_DIGITS`). */
  readonly smsPrefixDigits: number;
  /** SMS triggered from one client address per hour (`SMS_MAX_PER_IP`). */
  readonly smsMaxPerIp: number;
  /** All SMS per hour, a cost ceiling (`SMS_MAX_GLOBAL`). */
  readonly smsMaxGlobal: number;
  /** Wrong codes for one number per 24 h before it is refused for a while (`OTP_MAX_FAILURES_PER_PHONE`, at most
   * 100: NIST SP 800-63B §5.2.2). A right code clears the count. */
  readonly otpMaxFailuresPerPhone: number;
  /** Wrong codes for one number after which each further guess must wait 2, 4, 8 … seconds
   * (`OTP_FAILURE_DELAY_AFTER`). */
  readonly otpFailureDelayAfter: number;
  /** The longest of those waits, seconds (`OTP_FAILURE_DELAY_MAX_SECONDS`). */
  readonly otpFailureDelayMaxSeconds: number;
  /** Login flows started from one client address per hour (`FLOW_MAX_PER_IP`); each holds store memory. */
  readonly flowMaxPerIp: number;
  /** Fastify `trustProxy`: false, true, a hop count or a proxy list (`TRUST_PROXY`). */
  readonly trustProxy: boolean | number | string;
  /** Lifetime of a login flow in seconds (`FLOW_TTL_SECONDS`). */
  readonly flowTtlSeconds: number;
  /** Accepted clock skew for IssueInstant and NotBefore, seconds (`CLOCK_SKEW_SECONDS`). */
  readonly clockSkewSeconds: number;
  /** How old an AuthnRequest may be, seconds (`AUTHN_REQUEST_MAX_AGE_SECONDS`). */
  readonly authnRequestMaxAgeSeconds: number;
  /** Assertion validity after issue, seconds (`ASSERTION_TTL_SECONDS`). */
  readonly assertionTtlSeconds: number;
  /** Largest SAML message accepted, bytes after decoding (`SAML_MAX_BYTES`). */
  readonly samlMaxBytes: number;
  /** Longest RelayState accepted, bytes (`RELAY_STATE_MAX_BYTES`; SAML bindings §3.4.3 say 80, real SPs send more). */
  readonly relayStateMaxBytes: number;
  /** Secret for keyed code hashes and CSRF tokens (`IDP_SECRET`); generated per process when unset. */
  readonly secret: string;
  /** `LOG_LEVEL` for pino. */
  readonly logLevel: string;
  /** After SIGTERM, how long /readyz answers 503 while requests are still served, so load balancers stop sending
   * first (`SHUTDOWN_DELAY_SECONDS`). */
  readonly shutdownDelaySeconds: number;
  /** After that, how long requests in flight may take before the process exits anyway (`SHUTDOWN_TIMEOUT_SECONDS`). */
  readonly shutdownTimeoutSeconds: number;
  /** OpenID Connect (src/oidc/settings.ts). */
  readonly oidc: OidcSettings;
  /** Port of the Prometheus listener (`METRICS_PORT`); undefined: no metrics served. Never the public port. */
  readonly metricsPort: number | undefined;
  /** Interface of the metrics listener (`METRICS_HOST`, default HOST). */
  readonly metricsHost: string;
  /** File the audit trail is appended to (`AUDIT_LOG_FILE`); undefined: stdout, beside the log. */
  readonly auditLogFile: string | undefined;
}

/** Raised when the environment cannot make a Config; lists every problem at once. */
export class ConfigError extends Error {
  readonly problems: readonly string[];
  constructor(problems: readonly string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

const KNOWN_KEYS = new Set([
  'PORT',
  'HOST',
  'BASE_URL',
  'REDIS_URL',
  'REDIS_SENTINELS',
  'REDIS_SENTINEL_NAME',
  'REDIS_CLUSTER_NODES',
  'REDIS_KEY_PREFIX',
  'REDIS_TLS_CA_FILE',
  'REDIS_COMMAND_TIMEOUT_MS',
  'SP_METADATA_DIR',
  'IDP_KEY_FILE',
  'IDP_CERT_FILE',
  'IDP_NEXT_KEY_FILE',
  'IDP_NEXT_CERT_FILE',
  'IDP_SIGN_WITH',
  'METADATA_VALID_DAYS',
  'DEV_KEY_DIR',
  'SMS_PROVIDER',
  'SMS_WEBHOOK_URL',
  'SMS_WEBHOOK_TIMEOUT_MS',
  'SMS_COUNTRIES',
  'DEFAULT_LOCALE',
  'DEFAULT_PHONE_COUNTRY',
  'IDP_DISPLAY_NAME',
  'IDP_LOGO_FILE',
  'IDP_BRAND_COLOR',
  'IDP_BRAND_CONTRAST_COLOR',
  'SP_LOGO_FETCH',
  'OUTBOUND_PRIVATE_HOSTS',
  'REMOTE_METADATA_HTTP_URLS',
  'REMOTE_METADATA_MAX_VALIDITY_DAYS',
  'WANT_AUTHN_REQUESTS_SIGNED',
  'SSO_ENABLED',
  'SSO_SESSION_TTL_SECONDS',
  'WANT_LOGOUT_REQUESTS_SIGNED',
  'SLO_PROPAGATION_TIMEOUT_SECONDS',
  'DEMO_SP',
  'OTP_TTL_SECONDS',
  'OTP_MAX_ATTEMPTS',
  'OTP_MAX_SENDS_PER_FLOW',
  'OTP_RESEND_COOLDOWN_SECONDS',
  'SMS_MAX_PER_PHONE',
  'SMS_MAX_PER_PHONE_DAY',
  'SMS_MAX_PER_PREFIX',
  'SMS_PREFIX_DIGITS',
  'SMS_MAX_PER_IP',
  'SMS_MAX_GLOBAL',
  'OTP_MAX_FAILURES_PER_PHONE',
  'OTP_FAILURE_DELAY_AFTER',
  'OTP_FAILURE_DELAY_MAX_SECONDS',
  'FLOW_MAX_PER_IP',
  'TRUST_PROXY',
  'FLOW_TTL_SECONDS',
  'CLOCK_SKEW_SECONDS',
  'AUTHN_REQUEST_MAX_AGE_SECONDS',
  'ASSERTION_TTL_SECONDS',
  'SAML_MAX_BYTES',
  'RELAY_STATE_MAX_BYTES',
  'IDP_SECRET',
  'LOG_LEVEL',
  'SHUTDOWN_DELAY_SECONDS',
  'SHUTDOWN_TIMEOUT_SECONDS',
  'METRICS_PORT',
  'METRICS_HOST',
  'AUDIT_LOG_FILE',
]);

/** Settings that hold a secret (a URL may carry a password or token): each may instead be `<NAME>_FILE`. */
export const SECRET_SETTINGS: readonly string[] = [
  'IDP_SECRET',
  'REDIS_URL',
  'SMS_WEBHOOK_URL',
  ...GATEWAY_SECRET_SETTINGS,
];

/** Every variable name we read, the `_FILE` variants of secrets included. */
const KNOWN_SETTINGS: ReadonlySet<string> = new Set([
  ...KNOWN_KEYS,
  ...GATEWAY_SETTINGS,
  ...OIDC_KEYS,
  ...SECRET_SETTINGS.map((s) => `${s}_FILE`),
]);

/** Prefixes of variables that belong to us; an unknown one with this prefix is a typo worth stopping for. */
const OWN_PREFIXES = [
  'OTP_',
  'SMS_',
  'IDP_',
  'SAML_',
  'REDIS_',
  'SSO_',
  'SLO_',
  'SHUTDOWN_',
  'METRICS_',
  'AUDIT_',
  'OIDC_',
];

/** Builds the Config from an environment; throws ConfigError listing every invalid value. */
export function loadConfig(rawEnv: Record<string, string | undefined>): Config {
  const { env, problems } = withSecretFiles(rawEnv, SECRET_SETTINGS);
  // SMS_SENDER_<CC> is one setting per country, so each present one is known.
  const known = new Set([...KNOWN_SETTINGS, ...Object.keys(rawEnv).filter(isGatewaySettingKey)]);
  problems.push(...unknownSettingProblems(rawEnv, known, OWN_PREFIXES));
  const str = (key: string, fallback: string): string => {
    const v = env[key];
    return v === undefined || v === '' ? fallback : v;
  };
  const optional = (key: string): string | undefined => {
    const v = env[key];
    return v === undefined || v === '' ? undefined : v;
  };
  const int = (key: string, fallback: number, min: number, max: number): number => {
    const raw = optional(key);
    if (raw === undefined) return fallback;
    if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
      problems.push(`${key} must be a whole number from ${min} to ${max} (got "${raw}")`);
      return fallback;
    }
    return Number(raw);
  };
  const bool = (key: string, fallback: boolean): boolean => {
    const raw = optional(key);
    if (raw === undefined) return fallback;
    if (/^(true|1|yes|on)$/i.test(raw)) return true;
    if (/^(false|0|no|off)$/i.test(raw)) return false;
    problems.push(`${key} must be true or false (got "${raw}")`);
    return fallback;
  };

  const port = int('PORT', 3000, 0, 65535);
  const host = str('HOST', '127.0.0.1');
  let baseUrl = str('BASE_URL', `http://localhost:${port}`).replace(/\/+$/, '');
  try {
    const u = new URL(baseUrl);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error();
    if (u.search || u.hash) problems.push('BASE_URL must not have a query or fragment');
  } catch {
    problems.push(`BASE_URL must be an http(s) URL (got "${baseUrl}")`);
    baseUrl = `http://localhost:${port}`;
  }

  const redisUrl = optional('REDIS_URL');
  const redis = redisOptionsFromEnv(env);
  problems.push(...redis.problems);

  const idpKeyFile = optional('IDP_KEY_FILE');
  const idpCertFile = optional('IDP_CERT_FILE');
  if ((idpKeyFile === undefined) !== (idpCertFile === undefined)) {
    problems.push('IDP_KEY_FILE and IDP_CERT_FILE must be set together');
  }
  const idpNextKeyFile = optional('IDP_NEXT_KEY_FILE');
  const idpNextCertFile = optional('IDP_NEXT_CERT_FILE');
  if ((idpNextKeyFile === undefined) !== (idpNextCertFile === undefined)) {
    problems.push('IDP_NEXT_KEY_FILE and IDP_NEXT_CERT_FILE must be set together');
  }
  const idpSignWith = str('IDP_SIGN_WITH', 'current');
  if (idpSignWith !== 'current' && idpSignWith !== 'next') {
    problems.push(`IDP_SIGN_WITH must be current or next (got "${idpSignWith}")`);
  } else if (idpSignWith === 'next' && idpNextKeyFile === undefined) {
    problems.push('IDP_SIGN_WITH=next needs IDP_NEXT_KEY_FILE and IDP_NEXT_CERT_FILE');
  }

  const gateways = readGatewaySettings(env);
  problems.push(...gateways.problems);
  const smsGateways = gateways.settings;
  const smsProvider = smsGateways.providers;
  const smsWebhookUrl = optional('SMS_WEBHOOK_URL');
  const usesWebhook = [...smsProvider, ...Object.values(smsGateways.routes).flat()].includes('webhook');
  if (usesWebhook) {
    if (smsWebhookUrl === undefined) problems.push('SMS_WEBHOOK_URL is required when SMS_PROVIDER=webhook');
    else if (!/^https?:\/\//.test(smsWebhookUrl)) problems.push('SMS_WEBHOOK_URL must be an http(s) URL');
  }

  const countriesRaw = str('SMS_COUNTRIES', 'NO,SE,DK,FI,IS').trim();
  let smsCountries: Config['smsCountries'] = '*';
  if (countriesRaw !== '*') {
    const list = countriesRaw.split(',').map((c) => c.trim().toUpperCase());
    const bad = list.filter((c) => !/^[A-Z]{2}$/.test(c));
    if (bad.length > 0)
      problems.push(`SMS_COUNTRIES must be ISO 3166 alpha-2 codes or * (bad: ${bad.join(', ')})`);
    smsCountries = Object.freeze(list.filter((c) => /^[A-Z]{2}$/.test(c)));
  }

  const defaultLocaleRaw = str('DEFAULT_LOCALE', 'nb')
    .toLowerCase()
    .replace(/[-_].*$/, '');
  let defaultLocale: Locale = 'nb';
  if (isLocale(defaultLocaleRaw)) defaultLocale = defaultLocaleRaw;
  else {
    problems.push(`DEFAULT_LOCALE must be one of ${LOCALES.join(', ')} (got "${defaultLocaleRaw}")`);
  }

  const defaultPhoneCountry = optional('DEFAULT_PHONE_COUNTRY')?.trim().toUpperCase();
  if (defaultPhoneCountry !== undefined && !/^[A-Z]{2}$/.test(defaultPhoneCountry)) {
    problems.push(`DEFAULT_PHONE_COUNTRY must be an ISO 3166 alpha-2 code (got "${defaultPhoneCountry}")`);
  }
  const idpDisplayName = optional('IDP_DISPLAY_NAME')?.trim();
  if (idpDisplayName !== undefined && idpDisplayName.length > 60) {
    problems.push('IDP_DISPLAY_NAME must be 60 characters or fewer');
  }
  const idpLogoFile = optional('IDP_LOGO_FILE');
  if (idpLogoFile !== undefined && !/\.(svg|png)$/i.test(idpLogoFile)) {
    problems.push(`IDP_LOGO_FILE must be an .svg or .png file (got "${idpLogoFile}")`);
  }
  const color = (key: string, fallback: string): string => {
    const raw = optional(key);
    if (raw === undefined) return fallback;
    const parsed = parseHexColor(raw);
    if (parsed === undefined) problems.push(`${key} must be a hex colour such as #1f3b73 (got "${raw}")`);
    return parsed ?? fallback;
  };
  const brandColor = color('IDP_BRAND_COLOR', DEFAULT_BRAND_COLOR);
  const brandContrastColor = color('IDP_BRAND_CONTRAST_COLOR', DEFAULT_BRAND_CONTRAST_COLOR);
  const brandContrast = contrastRatio(brandColor, brandContrastColor);
  if (brandContrast < MIN_TEXT_CONTRAST) {
    problems.push(
      `IDP_BRAND_COLOR and IDP_BRAND_CONTRAST_COLOR contrast ${brandContrast.toFixed(2)}:1; ` +
        `button and header text needs at least ${MIN_TEXT_CONTRAST}:1 (WCAG 2.2 §1.4.3)`,
    );
  }

  const trustProxyRaw = str('TRUST_PROXY', 'false');
  let trustProxy: Config['trustProxy'] = false;
  if (/^(false|0|no|off)$/i.test(trustProxyRaw)) trustProxy = false;
  else if (/^(true|yes|on)$/i.test(trustProxyRaw)) trustProxy = true;
  else if (/^\d+$/.test(trustProxyRaw)) trustProxy = Number(trustProxyRaw);
  else trustProxy = trustProxyRaw;

  const otpTtlSeconds = int('OTP_TTL_SECONDS', 900, 1, 900);
  // A raised hourly cap per number raises the defaults of the caps that contain it.
  const smsMaxPerPhone = int('SMS_MAX_PER_PHONE', 5, 1, 1000);
  const flowTtlSeconds = int('FLOW_TTL_SECONDS', 1800, 60, 86400);

  const config: Config = {
    port,
    host,
    baseUrl,
    redisUrl,
    redis: redis.options,
    spMetadataDir: str('SP_METADATA_DIR', 'metadata/sp'),
    idpKeyFile,
    idpCertFile,
    idpNextKeyFile,
    idpNextCertFile,
    idpSignWith: idpSignWith === 'next' ? 'next' : 'current',
    metadataValidDays: int('METADATA_VALID_DAYS', 7, 1, 365),
    devKeyDir: str('DEV_KEY_DIR', '.dev-keys'),
    smsProvider,
    smsGateways,
    smsWebhookUrl,
    smsWebhookTimeoutMs: int('SMS_WEBHOOK_TIMEOUT_MS', 5000, 100, 60000),
    smsCountries,
    defaultLocale,
    defaultPhoneCountry,
    idpDisplayName: idpDisplayName === '' ? undefined : idpDisplayName,
    idpLogoFile,
    brandColor,
    brandContrastColor,
    spLogoFetch: bool('SP_LOGO_FETCH', false),
    outboundPrivateHosts: listSetting(str('OUTBOUND_PRIVATE_HOSTS', '')),
    remoteMetadataHttpUrls: listSetting(str('REMOTE_METADATA_HTTP_URLS', '')),
    remoteMetadataMaxValidityDays: int('REMOTE_METADATA_MAX_VALIDITY_DAYS', 30, 1, 3650),
    wantAuthnRequestsSigned: bool('WANT_AUTHN_REQUESTS_SIGNED', false),
    ssoEnabled: bool('SSO_ENABLED', true),
    ssoSessionTtlSeconds: int('SSO_SESSION_TTL_SECONDS', 8 * 3600, 60, 7 * 86400),
    wantLogoutRequestsSigned: bool('WANT_LOGOUT_REQUESTS_SIGNED', false),
    sloPropagationTimeoutSeconds: int('SLO_PROPAGATION_TIMEOUT_SECONDS', 5, 1, 60),
    demoSp: bool('DEMO_SP', env.NODE_ENV !== 'production'),
    otpTtlSeconds,
    otpMaxAttempts: int('OTP_MAX_ATTEMPTS', 5, 1, 5),
    otpMaxSendsPerFlow: int('OTP_MAX_SENDS_PER_FLOW', 3, 1, 10),
    otpResendCooldownSeconds: int('OTP_RESEND_COOLDOWN_SECONDS', 30, 0, 3600),
    smsMaxPerPhone,
    smsMaxPerPhoneDay: int('SMS_MAX_PER_PHONE_DAY', Math.max(10, smsMaxPerPhone), 1, 10000),
    smsMaxPerPrefix: int('SMS_MAX_PER_PREFIX', Math.max(30, smsMaxPerPhone), 1, 1000000),
    smsPrefixDigits: int('SMS_PREFIX_DIGITS', 7, 4, 15),
    smsMaxPerIp: int('SMS_MAX_PER_IP', 20, 1, 100000),
    smsMaxGlobal: int('SMS_MAX_GLOBAL', 1000, 1, 10000000),
    otpMaxFailuresPerPhone: int('OTP_MAX_FAILURES_PER_PHONE', 10, 1, 100),
    otpFailureDelayAfter: int('OTP_FAILURE_DELAY_AFTER', 5, 1, 100),
    otpFailureDelayMaxSeconds: int('OTP_FAILURE_DELAY_MAX_SECONDS', 900, 1, 86400),
    flowMaxPerIp: int('FLOW_MAX_PER_IP', 300, 1, 1_000_000),
    trustProxy,
    flowTtlSeconds: Math.max(flowTtlSeconds, otpTtlSeconds),
    clockSkewSeconds: int('CLOCK_SKEW_SECONDS', 60, 0, 600),
    authnRequestMaxAgeSeconds: int('AUTHN_REQUEST_MAX_AGE_SECONDS', 300, 10, 3600),
    assertionTtlSeconds: int('ASSERTION_TTL_SECONDS', 300, 30, 3600),
    samlMaxBytes: int('SAML_MAX_BYTES', 64 * 1024, 1024, 1024 * 1024),
    relayStateMaxBytes: int('RELAY_STATE_MAX_BYTES', 1024, 80, 8192),
    secret: str('IDP_SECRET', ''),
    logLevel: str('LOG_LEVEL', 'info'),
    shutdownDelaySeconds: int('SHUTDOWN_DELAY_SECONDS', 0, 0, 300),
    shutdownTimeoutSeconds: int('SHUTDOWN_TIMEOUT_SECONDS', 10, 1, 600),
    oidc: readOidcSettings({ str, int, bool }),
    metricsPort: optional('METRICS_PORT') === undefined ? undefined : int('METRICS_PORT', 0, 0, 65535),
    metricsHost: str('METRICS_HOST', host),
    auditLogFile: optional('AUDIT_LOG_FILE'),
  };
  if (config.secret !== '' && config.secret.length < 32)
    problems.push('IDP_SECRET must be at least 32 characters');
  if (config.metricsPort !== undefined && config.metricsPort !== 0 && config.metricsPort === config.port) {
    problems.push('METRICS_PORT must differ from PORT: metrics are never served on the public port');
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return Object.freeze(config);
}

/** A comma-separated setting as a list, blanks dropped. */
export function listSetting(raw: string): readonly string[] {
  return Object.freeze(
    raw
      .split(',')
      .map((item) => item.trim())
      .filter((item) => item !== ''),
  );
}
