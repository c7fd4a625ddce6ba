// Builds the four gateway adapters that the settings configure (the CLI and app.ts share this).

import type { GatewayName, SmsGatewaySettings } from './gateway-config.ts';
import { Elks46Provider } from './providers/elks46.ts';
import type { GatewayOptions } from './providers/gateway-options.ts';
import { GatewayApiProvider } from './providers/gatewayapi.ts';
import { SinchProvider } from './providers/sinch.ts';
import { TwilioProvider } from './providers/twilio.ts';
import { Elks46Receipts } from './receipts/elks46.ts';
import { GatewayApiReceipts } from './receipts/gatewayapi.ts';
import type { ReceiptVerifier } from './receipts/receipt.ts';
import { receiptUrlFor } from './receipts/receipt-url.ts';
import { SinchReceipts } from './receipts/sinch.ts';
import { TwilioReceipts } from './receipts/twilio.ts';
import { countryOf } from './router.ts';
import type { SmsProvider } from './sms-provider.ts';

export interface GatewayContext {
  /** BASE_URL, where receipts come back to. */
  readonly baseUrl: string;
  /** Key of the receipt URL tokens (derived from IDP_SECRET). */
  readonly receiptKey: string;
}

/** The sender for a number: SMS_SENDER_<CC> for its country, else SMS_SENDER. */
export function senderFor(settings: SmsGatewaySettings): (to: string) => string | undefined {
  return (to) => settings.senders[countryOf(to)] ?? settings.sender;
}

/** Every configured gateway, by name. */
export function buildGateways(
  settings: SmsGatewaySettings,
  context: GatewayContext,
): Map<GatewayName, SmsProvider> {
  const options = (name: GatewayName, baseUrl: string): GatewayOptions => ({
    baseUrl,
    timeoutMs: settings.timeoutMs,
    senderFor: senderFor(settings),
    receiptUrl: settings.receipts ? receiptUrlFor(context.baseUrl, context.receiptKey, name) : undefined,
  });
  const gateways = new Map<GatewayName, SmsProvider>();
  const { elks46, gatewayapi, twilio, sinch } = settings;
  if (elks46 !== undefined)
    gateways.set('46elks', new Elks46Provider(elks46, options('46elks', elks46.baseUrl)));
  if (gatewayapi !== undefined) {
    gateways.set('gatewayapi', new GatewayApiProvider(gatewayapi, options('gatewayapi', gatewayapi.baseUrl)));
  }
  if (twilio !== undefined)
    gateways.set('twilio', new TwilioProvider(twilio, options('twilio', twilio.baseUrl)));
  if (sinch !== undefined) gateways.set('sinch', new SinchProvider(sinch, options('sinch', sinch.baseUrl)));
  return gateways;
}

/** The receipt check of every configured gateway, by name (the receipts route answers 404 for the others). */
export function buildReceiptVerifiers(
  settings: SmsGatewaySettings,
  receiptKey: string,
): Map<string, ReceiptVerifier> {
  const verifiers: ReceiptVerifier[] = [];
  if (settings.elks46 !== undefined) verifiers.push(new Elks46Receipts(receiptKey));
  if (settings.gatewayapi !== undefined)
    verifiers.push(new GatewayApiReceipts(settings.gatewayapi.webhookSecret));
  if (settings.twilio !== undefined) verifiers.push(new TwilioReceipts(settings.twilio.authToken));
  if (settings.sinch !== undefined)
    verifiers.push(new SinchReceipts(settings.sinch.webhookSecret, receiptKey));
  return new Map(verifiers.map((v) => [v.provider, v]));
}
