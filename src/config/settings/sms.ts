// Settings table, SMS section: who sends the code (console, webhook, gateways) and to which countries.

import { type Parser, setting, text, wholeNumber } from '../setting.ts';

const GUIDE = '[the SMS gateway guide](sms-gateways.md)';

/** `*`, or ISO 3166 alpha-2 codes separated by commas. */
const countries: Parser<readonly string[] | '*'> = (raw, name) => {
  const trimmed = raw.trim();
  if (trimmed === '*') return { value: '*' };
  const codes = trimmed.split(',').map((c) => c.trim().toUpperCase());
  const bad = codes.filter((c) => !/^[A-Z]{2}$/.test(c));
  if (bad.length > 0)
    return { problem: `${name} must be ISO 3166 alpha-2 codes or * (bad: ${bad.join(', ')})` };
  return { value: Object.freeze(codes) };
};

export const SMS = {
  smsWebhookUrl: setting<string | undefined>({
    name: 'SMS_WEBHOOK_URL',
    parse: text,
    default: undefined,
    values: 'an `http(s)` URL',
    secret: true,
    doc:
      'required for `webhook`: `POST` JSON `{"to": "+4612345678", "message": "…"}`; 2xx accepted, 4xx ' +
      'permanent failure, 5xx or no answer temporary',
  }),
  smsWebhookTimeoutMs: setting({
    name: 'SMS_WEBHOOK_TIMEOUT_MS',
    parse: wholeNumber(100, 60000),
    default: 5000,
    doc: 'no answer by then = temporary failure',
  }),
  smsCountries: setting<readonly string[] | '*'>({
    name: 'SMS_COUNTRIES',
    parse: countries,
    default: Object.freeze(['NO', 'SE', 'DK', 'FI', 'IS']),
    values: 'ISO 3166 alpha-2 codes, comma-separated, or `*`',
    doc: 'regions whose numbers may receive codes; `*` for all',
  }),
};

/** A gateway setting read by the gateway rule (sms/gateway-config.ts); its checks depend on the gateways used. */
const gateway = (
  name: string,
  doc: string,
  more: { secret?: boolean; defaultText?: string; values?: string } = {},
) => setting<string | undefined>({ name, parse: text, default: undefined, doc, ...more });

/** SMS_PROVIDER and the gateways' settings, listed for the name check and the docs; see docs/sms-gateways.md. */
export const SMS_GATEWAYS = [
  gateway(
    'SMS_PROVIDER',
    '`console` (prints the message), `webhook`, or SMS gateways in failover order: `46elks`, `gatewayapi`, ' +
      '`twilio`, `sinch` (e.g. `46elks,twilio`)',
    { defaultText: '`console`' },
  ),
  gateway('SMS_ROUTES', `an order of providers per country, e.g. \`FI:sinch,twilio;*:twilio\` (${GUIDE})`),
  gateway(
    'SMS_SENDER',
    'the sender id: 3–11 letters and digits starting with a letter, or a number as `+4712345678`',
  ),
  setting<string | undefined>({
    name: 'SMS_SENDER_<CC>',
    pattern: /^SMS_SENDER_[A-Z]{2}$/,
    parse: text,
    default: undefined,
    doc: 'the sender id for one country (`SMS_SENDER_FI=+358401234567`)',
  }),
  gateway('SMS_GATEWAY_TIMEOUT_MS', 'the longest one request to a gateway may take', {
    defaultText: '`8000`',
    values: '500 to 60000',
  }),
  gateway(
    'SMS_RECEIPTS',
    'ask the gateways for delivery receipts; needs `BASE_URL` reachable from the internet',
    {
      defaultText: '`false`',
    },
  ),
  gateway(
    'SMS_BREAKER_FAILURES',
    'temporary failures in a row that take a gateway out of the rotation (1 to 100)',
    {
      defaultText: '`3`',
    },
  ),
  gateway('SMS_BREAKER_OPEN_SECONDS', 'how long a gateway stays out', {
    defaultText: '`60`',
    values: '1 to 3600',
  }),
  gateway('SMS_46ELKS_USERNAME', `46elks API username (${GUIDE})`),
  gateway('SMS_46ELKS_PASSWORD', '46elks API password', { secret: true }),
  gateway('SMS_46ELKS_BASE_URL', '46elks API origin', { defaultText: '`https://api.46elks.com`' }),
  gateway('SMS_GATEWAYAPI_TOKEN', `GatewayAPI token (${GUIDE})`, { secret: true }),
  gateway('SMS_GATEWAYAPI_WEBHOOK_SECRET', 'GatewayAPI receipt signing secret', { secret: true }),
  gateway('SMS_GATEWAYAPI_BASE_URL', 'GatewayAPI origin', {
    defaultText: '`https://messaging.gatewayapi.eu`',
  }),
  gateway('SMS_TWILIO_ACCOUNT_SID', `Twilio account (${GUIDE})`),
  gateway('SMS_TWILIO_AUTH_TOKEN', 'Twilio Auth Token (also checks receipts)', { secret: true }),
  gateway('SMS_TWILIO_API_KEY_SID', 'Twilio API key, instead of the Auth Token (set with its secret)'),
  gateway('SMS_TWILIO_API_KEY_SECRET', 'Twilio API key secret', { secret: true }),
  gateway('SMS_TWILIO_MESSAGING_SERVICE_SID', 'Twilio Messaging Service, instead of `SMS_SENDER`'),
  gateway('SMS_TWILIO_BASE_URL', 'Twilio API origin', { defaultText: '`https://api.twilio.com`' }),
  gateway('SMS_SINCH_SERVICE_PLAN_ID', `Sinch service plan (${GUIDE})`),
  gateway('SMS_SINCH_API_TOKEN', 'Sinch API token', { secret: true }),
  gateway('SMS_SINCH_WEBHOOK_SECRET', 'Sinch callback signing secret', { secret: true }),
  gateway('SMS_SINCH_REGION', 'the Sinch region', {
    defaultText: '`eu`',
    values: '`us`, `eu`, `au`, `br` or `ca`',
  }),
  gateway('SMS_SINCH_BASE_URL', 'Sinch API origin', { defaultText: '`https://<region>.sms.api.sinch.com`' }),
];
