// The rules that join several settings: each is named, each returns its problems (the table checks one at a time).

import { contrastRatio, MIN_TEXT_CONTRAST } from './colour.ts';
import type { ProviderName, SmsGatewaySettings } from '../sms/gateway-config.ts';

/** A signing key and its certificate come as a pair; signing with the next pair needs that pair. */
export function signingPairsComplete(v: {
  idpKeyFile: string | undefined;
  idpCertFile: string | undefined;
  idpNextKeyFile: string | undefined;
  idpNextCertFile: string | undefined;
  idpSignWith: 'current' | 'next';
}): string[] {
  const problems: string[] = [];
  if ((v.idpKeyFile === undefined) !== (v.idpCertFile === undefined)) {
    problems.push('IDP_KEY_FILE and IDP_CERT_FILE must be set together');
  }
  if ((v.idpNextKeyFile === undefined) !== (v.idpNextCertFile === undefined)) {
    problems.push('IDP_NEXT_KEY_FILE and IDP_NEXT_CERT_FILE must be set together');
  }
  if (v.idpSignWith === 'next' && v.idpNextKeyFile === undefined) {
    problems.push('IDP_SIGN_WITH=next needs IDP_NEXT_KEY_FILE and IDP_NEXT_CERT_FILE');
  }
  return problems;
}

/** The webhook provider, named in SMS_PROVIDER or a route, needs an http(s) SMS_WEBHOOK_URL. */
export function webhookUrlWhenUsed(
  smsWebhookUrl: string | undefined,
  gateways: SmsGatewaySettings,
): string[] {
  const used: ProviderName[] = [...gateways.providers, ...Object.values(gateways.routes).flat()];
  if (!used.includes('webhook')) return [];
  if (smsWebhookUrl === undefined) return ['SMS_WEBHOOK_URL is required when SMS_PROVIDER=webhook'];
  if (!/^https?:\/\//.test(smsWebhookUrl)) return ['SMS_WEBHOOK_URL must be an http(s) URL'];
  return [];
}

/** Button and header text must stay readable on the brand colour (WCAG 2.2 §1.4.3). */
export function brandColoursContrast(v: { brandColor: string; brandContrastColor: string }): string[] {
  const contrast = contrastRatio(v.brandColor, v.brandContrastColor);
  if (contrast >= MIN_TEXT_CONTRAST) return [];
  return [
    `IDP_BRAND_COLOR and IDP_BRAND_CONTRAST_COLOR contrast ${contrast.toFixed(2)}:1; ` +
      `button and header text needs at least ${MIN_TEXT_CONTRAST}:1 (WCAG 2.2 §1.4.3)`,
  ];
}

/** Metrics are never served on the public port. */
export function metricsOffPublicPort(v: { port: number; metricsPort: number | undefined }): string[] {
  if (v.metricsPort === undefined || v.metricsPort === 0 || v.metricsPort !== v.port) return [];
  return ['METRICS_PORT must differ from PORT: metrics are never served on the public port'];
}

/** A flow outlives its code: FLOW_TTL_SECONDS shorter than OTP_TTL_SECONDS is raised to it. */
export function flowOutlivesCode(flowTtlSeconds: number, otpTtlSeconds: number): number {
  return Math.max(flowTtlSeconds, otpTtlSeconds);
}
