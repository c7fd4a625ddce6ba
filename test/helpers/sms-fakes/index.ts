// The four gateway fakes by provider name, with the settings that point the IdP at each.

import { Fake46elks } from './fake-46elks.ts';
import type { FakeGateway } from './fake-gateway.ts';
import { FakeGatewayApi } from './fake-gatewayapi.ts';
import { FakeSinch } from './fake-sinch.ts';
import { FakeTwilio } from './fake-twilio.ts';

export type GatewayName = '46elks' | 'gatewayapi' | 'twilio' | 'sinch';
export const GATEWAYS: readonly GatewayName[] = ['46elks', 'gatewayapi', 'twilio', 'sinch'];

export function startFake(name: GatewayName): Promise<FakeGateway> {
  switch (name) {
    case '46elks':
      return Fake46elks.start();
    case 'gatewayapi':
      return FakeGatewayApi.start();
    case 'twilio':
      return FakeTwilio.start();
    case 'sinch':
      return FakeSinch.start();
  }
}

/** The environment that makes the IdP send through `fake` as `name`. */
export function gatewayEnv(name: GatewayName, fake: FakeGateway): Record<string, string> {
  switch (name) {
    case '46elks':
      return {
        SMS_46ELKS_USERNAME: Fake46elks.USER,
        SMS_46ELKS_PASSWORD: Fake46elks.PASSWORD,
        SMS_46ELKS_BASE_URL: fake.baseUrl,
      };
    case 'gatewayapi':
      return { SMS_GATEWAYAPI_TOKEN: FakeGatewayApi.TOKEN, SMS_GATEWAYAPI_BASE_URL: fake.baseUrl };
    case 'twilio':
      return {
        SMS_TWILIO_ACCOUNT_SID: FakeTwilio.ACCOUNT_SID,
        SMS_TWILIO_AUTH_TOKEN: FakeTwilio.AUTH_TOKEN,
        SMS_TWILIO_BASE_URL: fake.baseUrl,
      };
    case 'sinch':
      return {
        SMS_SINCH_SERVICE_PLAN_ID: FakeSinch.PLAN,
        SMS_SINCH_API_TOKEN: FakeSinch.TOKEN,
        SMS_SINCH_BASE_URL: fake.baseUrl,
      };
  }
}

export { Fake46elks, FakeGatewayApi, FakeSinch, FakeTwilio };
export type { FakeGateway };
