// Reads the environment into one frozen Config, as the settings table (table.ts) and the rules (rules.ts) say
// (docs/contract.md §1, §5, docs/settings.md).

import { readGatewaySettings, type ProviderName, type SmsGatewaySettings } from '../sms/gateway-config.ts';
import { type RedisStoreOptions, redisOptionsFromEnv } from '../store/redis-options.ts';
import { unknownSettingProblems, withSecretFiles } from './env.ts';
import { knownNames, OWN_PREFIXES, SECRET_SETTINGS } from './names.ts';
import {
  brandColoursContrast,
  flowOutlivesCode,
  metricsOffPublicPort,
  signingPairsComplete,
  webhookUrlWhenUsed,
} from './rules.ts';
import { ComputedDefault, type Env, type Setting, type SettingTable, type Values } from './setting.ts';
import { TABLE } from './table.ts';

type Fields<Name extends keyof typeof TABLE> = Values<(typeof TABLE)[Name]['fields']>;

/** Everything the IdP can be told from outside, by section of the settings table (docs/settings.md). Defaults make
 *  the first start need no setup. */
export interface Config {
  readonly server: Fields<'server'>;
  readonly store: Fields<'store'> & {
    /** Redis connection (URL, Sentinel or Cluster) when any REDIS_* setting is given; see store/redis.ts. */
    readonly redis: RedisStoreOptions | undefined;
  };
  readonly saml: Fields<'saml'>;
  readonly login: Fields<'login'>;
  readonly limits: Fields<'limits'>;
  readonly sms: Fields<'sms'> & {
    /** The SMS providers in failover order (SMS_PROVIDER). */
    readonly smsProvider: readonly ProviderName[];
    /** Routes, sender ids, gateway credentials, receipts and the breaker (sms/gateway-config.ts). */
    readonly smsGateways: SmsGatewaySettings;
  };
  readonly pages: Fields<'pages'>;
  readonly oidc: Fields<'oidc'>;
  readonly operations: Fields<'operations'>;
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

/** One setting's value: the parsed variable, or its default when unset, empty or refused (the refusal noted). */
function settingValue<T>(setting: Setting<T>, env: Env, problems: string[] | undefined): T {
  const raw = env[setting.name];
  if (raw !== undefined && raw !== '') {
    const parsed = setting.parse(raw, setting.name);
    if ('value' in parsed) return parsed.value;
    problems?.push(parsed.problem);
  }
  const fallback = setting.default;
  // A computed default reads other settings again, silently: their problems are noted where they are read.
  return fallback instanceof ComputedDefault
    ? fallback.compute({ env, value: (other) => settingValue(other, env, undefined) })
    : fallback;
}

/** Every field of one section of the table. */
function readSection<Table extends SettingTable>(table: Table, env: Env, problems: string[]): Values<Table> {
  const values = Object.fromEntries(
    Object.entries(table).map(([field, setting]) => [field, settingValue(setting, env, problems)]),
  );
  // Each field was read by its own setting, so it has that setting's type.
  return values as Values<Table>;
}

/** Builds the Config from an environment; throws ConfigError listing every invalid value. */
export function loadConfig(rawEnv: Env): Config {
  const { env, problems } = withSecretFiles(rawEnv, SECRET_SETTINGS);
  problems.push(...unknownSettingProblems(rawEnv, knownNames(rawEnv), OWN_PREFIXES));
  const read = <Table extends SettingTable>(table: Table): Values<Table> => readSection(table, env, problems);

  const server = read(TABLE.server.fields);
  const store = read(TABLE.store.fields);
  const redis = redisOptionsFromEnv(env);
  problems.push(...redis.problems);
  const saml = read(TABLE.saml.fields);
  problems.push(...signingPairsComplete(saml));
  const login = read(TABLE.login.fields);
  const limits = read(TABLE.limits.fields);
  const gateways = readGatewaySettings(env);
  problems.push(...gateways.problems);
  const sms = read(TABLE.sms.fields);
  problems.push(...webhookUrlWhenUsed(sms.smsWebhookUrl, gateways.settings));
  const pages = read(TABLE.pages.fields);
  problems.push(...brandColoursContrast(pages));
  const oidc = read(TABLE.oidc.fields);
  const operations = read(TABLE.operations.fields);
  problems.push(...metricsOffPublicPort({ port: server.port, metricsPort: operations.metricsPort }));

  if (problems.length > 0) throw new ConfigError(problems);
  const freeze = Object.freeze;
  return freeze({
    server: freeze(server),
    store: freeze({ ...store, redis: redis.options }),
    saml: freeze(saml),
    login: freeze({ ...login, flowTtlSeconds: flowOutlivesCode(login.flowTtlSeconds, login.otpTtlSeconds) }),
    limits: freeze(limits),
    sms: freeze({ ...sms, smsProvider: gateways.settings.providers, smsGateways: gateways.settings }),
    pages: freeze(pages),
    oidc: freeze(oidc),
    operations: freeze(operations),
  });
}

/** What the login reads (login/login-service.ts LoginSettings): its own sections and a few server, SMS and page
 *  settings. */
export function loginSettings(config: Config) {
  return {
    ...config.limits,
    ...config.login,
    baseUrl: config.server.baseUrl,
    smsCountries: config.sms.smsCountries,
    smsWebhookTimeoutMs: config.sms.smsWebhookTimeoutMs,
    smsGateways: config.sms.smsGateways,
    defaultLocale: config.pages.defaultLocale,
    defaultPhoneCountry: config.pages.defaultPhoneCountry,
  };
}

/** What the key ring reads (saml/key-ring.ts): the signing key files and where the dev pair lives. */
export function keyRingSettings(config: Config) {
  const { idpKeyFile, idpCertFile, idpNextKeyFile, idpNextCertFile, idpSignWith } = config.saml;
  return {
    idpKeyFile,
    idpCertFile,
    idpNextKeyFile,
    idpNextCertFile,
    idpSignWith,
    devKeyDir: config.server.devKeyDir,
    commonName: new URL(config.server.baseUrl).hostname,
  };
}
