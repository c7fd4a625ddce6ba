// The SMS gateway settings (docs/contract.md §5a): provider order, routes per country, sender ids, credentials.

export const GATEWAY_NAMES = ['46elks', 'gatewayapi', 'twilio', 'sinch'] as const;
export type GatewayName = (typeof GATEWAY_NAMES)[number];
export const PROVIDER_NAMES = ['console', 'webhook', ...GATEWAY_NAMES] as const;
export type ProviderName = (typeof PROVIDER_NAMES)[number];

export interface SmsGatewaySettings {
  /** SMS_PROVIDER: the order for every number without a route of its own. */
  readonly providers: readonly ProviderName[];
  /** SMS_ROUTES: an order per ISO country; `*` for the others (then SMS_PROVIDER is not used). */
  readonly routes: Readonly<Record<string, readonly ProviderName[]>>;
  /** SMS_SENDER and SMS_SENDER_<CC>. */
  readonly sender: string | undefined;
  readonly senders: Readonly<Record<string, string>>;
  /** SMS_GATEWAY_TIMEOUT_MS: one request to a gateway; no answer by then is an uncertain failure. */
  readonly timeoutMs: number;
  /** SMS_RECEIPTS: ask gateways for delivery receipts (they need BASE_URL reachable from the internet). */
  readonly receipts: boolean;
  /** SMS_BREAKER_FAILURES temporary failures in a row open a gateway's breaker for SMS_BREAKER_OPEN_SECONDS. */
  readonly breakerFailures: number;
  readonly breakerOpenSeconds: number;
  readonly elks46?: { readonly username: string; readonly password: string; readonly baseUrl: string };
  readonly gatewayapi?: { readonly token: string; readonly webhookSecret?: string; readonly baseUrl: string };
  readonly twilio?: {
    readonly accountSid: string;
    readonly authToken?: string;
    readonly apiKeySid?: string;
    readonly apiKeySecret?: string;
    readonly messagingServiceSid?: string;
    readonly baseUrl: string;
  };
  readonly sinch?: {
    readonly servicePlanId: string;
    readonly apiToken: string;
    readonly webhookSecret?: string;
    readonly baseUrl: string;
  };
}

/** A sender id every Nordic operator shows: 3–11 letters and digits starting with a letter, or an E.164 number. */
export function isValidSender(sender: string): boolean {
  return /^[A-Za-z][A-Za-z0-9]{2,10}$/.test(sender) || /^\+[1-9]\d{6,14}$/.test(sender);
}

const isProvider = (name: string): name is ProviderName =>
  (PROVIDER_NAMES as readonly string[]).includes(name);

/** Reads SMS_PROVIDER and every gateway setting; problems are listed, never values of secrets. */
export function readGatewaySettings(env: Record<string, string | undefined>): {
  settings: SmsGatewaySettings;
  problems: string[];
} {
  const problems: string[] = [];
  const get = (key: string): string | undefined => {
    const v = env[key]?.trim();
    return v === undefined || v === '' ? undefined : v;
  };
  // config/config.ts has already put the content of each `<NAME>_FILE` into `<NAME>`.
  const secret = get;
  const int = (key: string, fallback: number, min: number, max: number): number => {
    const raw = get(key);
    if (raw === undefined) return fallback;
    if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
      problems.push(`${key} must be a whole number from ${min} to ${max} (got "${raw}")`);
      return fallback;
    }
    return Number(raw);
  };
  const list = (key: string, raw: string): ProviderName[] => {
    const names = raw.split(',').map((n) => n.trim().toLowerCase());
    const bad = names.filter((n) => !isProvider(n));
    if (bad.length > 0 || names.length === 0) {
      problems.push(`${key}: unknown SMS provider ${bad.join(', ')} (known: ${PROVIDER_NAMES.join(', ')})`);
    }
    if (new Set(names).size !== names.length) problems.push(`${key}: a provider is named twice`);
    return names.filter(isProvider);
  };
  const baseUrl = (key: string, fallback: string): string => {
    const raw = get(key) ?? fallback;
    try {
      const url = new URL(raw);
      const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
      if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) throw new Error();
      if (url.search !== '' || url.hash !== '') throw new Error();
    } catch {
      problems.push(`${key} must be an https URL without query (http only for a loopback test server)`);
    }
    return raw.replace(/\/+$/, '');
  };

  const providers = list('SMS_PROVIDER', get('SMS_PROVIDER') ?? 'console');
  const routes: Record<string, ProviderName[]> = {};
  for (const part of (get('SMS_ROUTES') ?? '').split(';').filter((p) => p.trim() !== '')) {
    const match = /^\s*([A-Za-z]{2}|\*)\s*:\s*(.+)$/.exec(part);
    if (match === null) {
      problems.push(`SMS_ROUTES: "${part.trim()}" is not COUNTRY:provider,provider (e.g. FI:sinch,twilio)`);
      continue;
    }
    const country = (match[1] as string).toUpperCase();
    if (routes[country] !== undefined) problems.push(`SMS_ROUTES: ${country} is routed twice`);
    routes[country] = list(`SMS_ROUTES ${country}`, match[2] as string);
  }
  const sender = get('SMS_SENDER');
  const senders: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) {
    const cc = /^SMS_SENDER_([A-Z]{2})$/.exec(key)?.[1];
    if (cc !== undefined && value !== undefined && value.trim() !== '') senders[cc] = value.trim();
  }
  for (const [key, value] of [
    ['SMS_SENDER', sender] as const,
    ...Object.entries(senders).map(([cc, v]) => [`SMS_SENDER_${cc}`, v] as const),
  ]) {
    if (value !== undefined && !isValidSender(value)) {
      problems.push(
        `${key} must be 3–11 letters and digits starting with a letter, or a number as +4712345678`,
      );
    }
  }

  const used = new Set<ProviderName>([...providers, ...Object.values(routes).flat()]);
  const need = (key: string, value: string | undefined, gateway: string): string => {
    if (value === undefined) problems.push(`${key} is required for the ${gateway} SMS gateway`);
    return value ?? '';
  };
  const settings: {
    -readonly [K in keyof SmsGatewaySettings]: SmsGatewaySettings[K];
  } = {
    providers,
    routes,
    sender,
    senders,
    timeoutMs: int('SMS_GATEWAY_TIMEOUT_MS', 8000, 500, 60000),
    receipts: readBool(get('SMS_RECEIPTS'), problems),
    breakerFailures: int('SMS_BREAKER_FAILURES', 3, 1, 100),
    breakerOpenSeconds: int('SMS_BREAKER_OPEN_SECONDS', 60, 1, 3600),
  };
  if (used.has('46elks')) {
    settings.elks46 = {
      username: need('SMS_46ELKS_USERNAME', get('SMS_46ELKS_USERNAME'), '46elks'),
      password: need('SMS_46ELKS_PASSWORD', secret('SMS_46ELKS_PASSWORD'), '46elks'),
      baseUrl: baseUrl('SMS_46ELKS_BASE_URL', 'https://api.46elks.com'),
    };
  }
  if (used.has('gatewayapi')) {
    settings.gatewayapi = {
      token: need('SMS_GATEWAYAPI_TOKEN', secret('SMS_GATEWAYAPI_TOKEN'), 'GatewayAPI'),
      webhookSecret: secret('SMS_GATEWAYAPI_WEBHOOK_SECRET'),
      baseUrl: baseUrl('SMS_GATEWAYAPI_BASE_URL', 'https://messaging.gatewayapi.eu'),
    };
  }
  if (used.has('twilio')) {
    const apiKeySid = get('SMS_TWILIO_API_KEY_SID');
    const apiKeySecret = secret('SMS_TWILIO_API_KEY_SECRET');
    const authToken = secret('SMS_TWILIO_AUTH_TOKEN');
    if ((apiKeySid === undefined) !== (apiKeySecret === undefined)) {
      problems.push('SMS_TWILIO_API_KEY_SID and SMS_TWILIO_API_KEY_SECRET must be set together');
    }
    if (authToken === undefined && apiKeySid === undefined) {
      problems.push(
        'Twilio needs SMS_TWILIO_AUTH_TOKEN or SMS_TWILIO_API_KEY_SID + SMS_TWILIO_API_KEY_SECRET',
      );
    }
    const messagingServiceSid = get('SMS_TWILIO_MESSAGING_SERVICE_SID');
    if (messagingServiceSid === undefined && sender === undefined && Object.keys(senders).length === 0) {
      problems.push('Twilio needs SMS_SENDER (or SMS_SENDER_<CC>) or SMS_TWILIO_MESSAGING_SERVICE_SID');
    }
    settings.twilio = {
      accountSid: need('SMS_TWILIO_ACCOUNT_SID', get('SMS_TWILIO_ACCOUNT_SID'), 'Twilio'),
      authToken,
      apiKeySid,
      apiKeySecret,
      messagingServiceSid,
      baseUrl: baseUrl('SMS_TWILIO_BASE_URL', 'https://api.twilio.com'),
    };
  }
  if (used.has('sinch')) {
    const region = (get('SMS_SINCH_REGION') ?? 'eu').toLowerCase();
    if (!['us', 'eu', 'au', 'br', 'ca'].includes(region)) {
      problems.push(`SMS_SINCH_REGION must be us, eu, au, br or ca (got "${region}")`);
    }
    settings.sinch = {
      servicePlanId: need('SMS_SINCH_SERVICE_PLAN_ID', get('SMS_SINCH_SERVICE_PLAN_ID'), 'Sinch'),
      apiToken: need('SMS_SINCH_API_TOKEN', secret('SMS_SINCH_API_TOKEN'), 'Sinch'),
      webhookSecret: secret('SMS_SINCH_WEBHOOK_SECRET'),
      baseUrl: baseUrl('SMS_SINCH_BASE_URL', `https://${region}.sms.api.sinch.com`),
    };
  }
  for (const gateway of ['46elks', 'gatewayapi'] as const) {
    if (used.has(gateway) && sender === undefined) {
      problems.push(`SMS_SENDER is required for ${gateway} (SMS_SENDER_<CC> may override it per country)`);
    }
  }
  return { settings, problems };
}

function readBool(raw: string | undefined, problems: string[]): boolean {
  if (raw === undefined) return false;
  if (/^(true|1|yes|on)$/i.test(raw)) return true;
  if (/^(false|0|no|off)$/i.test(raw)) return false;
  problems.push(`SMS_RECEIPTS must be true or false (got "${raw}")`);
  return false;
}
