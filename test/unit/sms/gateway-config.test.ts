// SMS gateway settings: provider lists, routes, senders, credentials from variables or *_FILE, every problem listed.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { ConfigError, loadConfig } from '../../../src/config/config.ts';

const BASE = { BASE_URL: 'https://idp.example.com' };
const problemsOf = (env: Record<string, string>): readonly string[] => {
  try {
    loadConfig({ ...BASE, ...env });
    return [];
  } catch (error) {
    assert.ok(error instanceof ConfigError, String(error));
    return error.problems;
  }
};

describe('SMS gateway settings', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nsi-secrets-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('default: console only, no routes, receipts off', () => {
    const config = loadConfig(BASE);
    assert.deepEqual(config.sms.smsProvider, ['console']);
    assert.deepEqual(config.sms.smsGateways.routes, {});
    assert.equal(config.sms.smsGateways.receipts, false);
  });

  it('an ordered list with routes, senders per country and credentials', () => {
    const config = loadConfig({
      ...BASE,
      SMS_PROVIDER: '46elks,twilio',
      SMS_ROUTES: 'FI:sinch,twilio; se:46elks,twilio; *:twilio',
      SMS_SENDER: 'ExampleID',
      SMS_SENDER_FI: '+358401234567',
      SMS_46ELKS_USERNAME: 'u1',
      SMS_46ELKS_PASSWORD: 'p1',
      SMS_TWILIO_ACCOUNT_SID: 'AC1',
      SMS_TWILIO_AUTH_TOKEN: 't1',
      SMS_SINCH_SERVICE_PLAN_ID: 'plan',
      SMS_SINCH_API_TOKEN: 'tok',
    });
    assert.deepEqual(config.sms.smsProvider, ['46elks', 'twilio']);
    assert.deepEqual(config.sms.smsGateways.routes, {
      FI: ['sinch', 'twilio'],
      SE: ['46elks', 'twilio'],
      '*': ['twilio'],
    });
    assert.deepEqual(config.sms.smsGateways.senders, { FI: '+358401234567' });
    assert.equal(config.sms.smsGateways.sinch?.baseUrl, 'https://eu.sms.api.sinch.com');
    assert.equal(config.sms.smsGateways.elks46?.baseUrl, 'https://api.46elks.com');
    assert.equal(config.sms.smsGateways.twilio?.baseUrl, 'https://api.twilio.com');
  });

  it('a secret from <NAME>_FILE, without its trailing newline', () => {
    const file = join(dir, 'token');
    writeFileSync(file, 'file-token\n');
    const config = loadConfig({
      ...BASE,
      SMS_PROVIDER: 'gatewayapi',
      SMS_SENDER: 'ExampleID',
      SMS_GATEWAYAPI_TOKEN_FILE: file,
    });
    assert.equal(config.sms.smsGateways.gatewayapi?.token, 'file-token');
  });

  it('lists every problem at once and never a secret value', () => {
    const problems = problemsOf({
      SMS_PROVIDER: '46elks,nexmo',
      SMS_ROUTES: 'FI sinch;XX:twilio',
      SMS_SENDER: '1Bad sender!',
      SMS_GATEWAYAPI_TOKEN: 'do-not-show-me',
      SMS_GATEWAYAPI_TOKEN_FILE: join(dir, 'missing'),
      SMS_46ELKS_BASE_URL: 'http://api.46elks.com',
      SMS_TWILIO_NOPE: '1',
    });
    const text = problems.join('\n');
    for (const expected of [
      /SMS_PROVIDER: unknown SMS provider nexmo/,
      /SMS_ROUTES: "FI sinch" is not COUNTRY:provider/,
      /SMS_SENDER must be 3–11 letters/,
      /SMS_46ELKS_USERNAME is required/,
      /SMS_46ELKS_PASSWORD is required/,
      /SMS_46ELKS_BASE_URL must be an https URL/,
      /Twilio needs SMS_TWILIO_AUTH_TOKEN/,
      /SMS_TWILIO_ACCOUNT_SID is required/,
      /SMS_TWILIO_NOPE is not a setting/,
    ]) {
      assert.match(text, expected);
    }
    assert.doesNotMatch(text, /do-not-show-me/);
  });

  it('a secret set twice or a file that cannot be read is a problem', () => {
    const problems = problemsOf({
      SMS_PROVIDER: 'gatewayapi',
      SMS_SENDER: 'ExampleID',
      SMS_GATEWAYAPI_TOKEN: 'x',
      SMS_GATEWAYAPI_TOKEN_FILE: join(dir, 'token'),
      SMS_GATEWAYAPI_WEBHOOK_SECRET_FILE: join(dir, 'nope'),
    }).join('\n');
    assert.match(problems, /SMS_GATEWAYAPI_TOKEN and SMS_GATEWAYAPI_TOKEN_FILE are both set/);
    assert.match(problems, /SMS_GATEWAYAPI_WEBHOOK_SECRET_FILE: cannot read .* \(ENOENT\)/);
  });
});
