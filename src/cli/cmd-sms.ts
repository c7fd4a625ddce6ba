// `sms check` shows the SMS set-up and tries each gateway's credentials where the vendor has a dry run;
// `sms send NUMBER --provider NAME` sends one test message through one gateway.

import type { Config } from '../config/config.ts';
import { LOCALES } from '../i18n/index.ts';
import { parsePhone } from '../login/phone.ts';
import { composeSmsText } from '../login/sms-text.ts';
import { buildGateways } from '../sms/gateways.ts';
import { Elks46Provider } from '../sms/providers/elks46.ts';
import { countryOf } from '../sms/router.ts';
import { smsSegments } from '../sms/segments.ts';
import { SmsError, type SmsProvider } from '../sms/sms-provider.ts';
import { type Command, stringOption, wantsJson } from './command.ts';
import { cliConfig } from './idp-config.ts';
import { Exit, printJson, UsageError } from './io.ts';

/** A number 46elks' dry run is pointed at when --to is not given (nothing is sent). */
const DRY_RUN_NUMBER = '+46700000000';

function gateways(config: Config): Map<string, SmsProvider> {
  // No receipts for CLI sends: they belong to no login flow.
  return new Map(
    buildGateways(
      { ...config.sms.smsGateways, receipts: false },
      { baseUrl: config.server.baseUrl, receiptKey: 'cli' },
    ),
  );
}

function describeFailure(error: unknown): string {
  if (!(error instanceof SmsError)) return String(error);
  const code = error.vendorCode === undefined ? '' : `, vendor code ${error.vendorCode}`;
  return `${error.failure} (${error.message}${code}; may have been sent: ${error.processed})`;
}

interface GatewayCheck {
  readonly gateway: string;
  readonly credentials: 'ok' | 'refused' | 'not checked';
  readonly detail: string;
}

export const smsCheckCommand: Command = {
  name: 'sms check',
  usage: '[--to +46…]',
  summary: 'check the SMS settings, routes and message length; dry-run the gateways that offer one (46elks)',
  options: { to: { type: 'string' } },
  positionals: [0, 0],
  async run(args, io) {
    const config = cliConfig(io);
    const to = stringOption(args, 'to') ?? DRY_RUN_NUMBER;
    const providers = gateways(config);
    const countries =
      config.sms.smsCountries === '*' ? Object.keys(config.sms.smsGateways.routes) : config.sms.smsCountries;
    const routes = countries.map((country) => {
      const routed =
        config.sms.smsGateways.routes[country] ??
        config.sms.smsGateways.routes['*'] ??
        config.sms.smsProvider;
      return {
        country,
        order: routed,
        sender: config.sms.smsGateways.senders[country] ?? config.sms.smsGateways.sender,
      };
    });
    const texts = LOCALES.map((locale) => {
      const text = composeSmsText({
        locale,
        code: '123456',
        baseUrl: config.server.baseUrl,
        ttlMinutes: Math.ceil(config.login.otpTtlSeconds / 60),
      });
      return { locale, ...smsSegments(text) };
    });
    const checks: GatewayCheck[] = [];
    for (const [name, provider] of providers) {
      if (!(provider instanceof Elks46Provider)) {
        checks.push({
          gateway: name,
          credentials: 'not checked',
          detail: 'no dry run offered; try `sms send`',
        });
        continue;
      }
      try {
        await provider.dryRun({ to, text: 'Dry run from nets-sms-idp' });
        checks.push({ gateway: name, credentials: 'ok', detail: `dry run to ${to} accepted` });
      } catch (error) {
        checks.push({ gateway: name, credentials: 'refused', detail: describeFailure(error) });
      }
    }
    const ok = checks.every((c) => c.credentials !== 'refused') && texts.every((t) => t.segments === 1);
    if (wantsJson(args)) {
      printJson(io, {
        ok,
        providers: config.sms.smsProvider,
        routes,
        receipts: config.sms.smsGateways.receipts,
        texts,
        checks,
      });
      return ok ? Exit.ok : Exit.problems;
    }
    io.out(`providers (in order): ${config.sms.smsProvider.join(', ')}\n`);
    for (const r of routes)
      io.out(`  ${r.country}: ${r.order.join(' → ')}  sender ${r.sender ?? '(gateway default)'}\n`);
    io.out(
      `delivery receipts: ${config.sms.smsGateways.receipts ? `on, at ${config.server.baseUrl}/sms/receipts/<gateway>` : 'off'}\n`,
    );
    for (const t of texts) {
      const mark = t.segments === 1 ? 'ok   ' : 'error';
      io.out(`${mark}  SMS text ${t.locale}: ${t.segments} segment(s), ${t.encoding}, ${t.units} units\n`);
    }
    for (const c of checks) {
      const mark = c.credentials === 'refused' ? 'error' : c.credentials === 'ok' ? 'ok   ' : 'note ';
      io.out(`${mark}  ${c.gateway}: credentials ${c.credentials}: ${c.detail}\n`);
    }
    return ok ? Exit.ok : Exit.problems;
  },
};

export const smsSendCommand: Command = {
  name: 'sms send',
  usage: '<+number> --provider NAME',
  summary: 'send one test SMS through one configured gateway (no code, no login)',
  options: { provider: { type: 'string' } },
  positionals: [1, 1],
  async run(args, io) {
    const config = cliConfig(io);
    const name = stringOption(args, 'provider');
    const providers = gateways(config);
    if (name === undefined || !providers.has(name)) {
      const known = [...providers.keys()].join(', ') || 'none configured';
      throw new UsageError(`--provider must name a configured gateway (${known})`);
    }
    const parsed = parsePhone(args.positionals[0] ?? '', { allowedCountries: config.sms.smsCountries });
    if (!parsed.ok) throw new UsageError(`the number cannot receive codes here: ${parsed.problem}`);
    const host = new URL(config.server.baseUrl).hostname;
    const text = `Test message from the identity provider at ${host}. No action is needed.`;
    const provider = providers.get(name) as SmsProvider;
    try {
      const result = await provider.send({ to: parsed.e164, text, ttlSeconds: 300 });
      const id = result?.messageId ?? '(none)';
      if (wantsJson(args))
        printJson(io, { ok: true, provider: name, country: countryOf(parsed.e164), messageId: id });
      else io.out(`sent through ${name} to ${parsed.e164}: message id ${id}\n`);
      return Exit.ok;
    } catch (error) {
      if (wantsJson(args)) printJson(io, { ok: false, provider: name, failure: describeFailure(error) });
      else io.err(`${name} did not take the message: ${describeFailure(error)}\n`);
      return Exit.problems;
    }
  },
};
