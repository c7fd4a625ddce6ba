// The settings table: each variable once, defaults inside their own bounds, secrets readable from files, and the
// loader taking names, defaults and bounds from it.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ConfigError, loadConfig } from '../../../src/config/config.ts';
import { SECRET_SETTINGS } from '../../../src/config/names.ts';
import { ComputedDefault } from '../../../src/config/setting.ts';
import { ALL_SETTINGS, SECTIONS } from '../../../src/config/table.ts';

function problemsOf(env: Record<string, string>): readonly string[] {
  try {
    loadConfig(env);
    return [];
  } catch (error) {
    assert.ok(error instanceof ConfigError, String(error));
    return error.problems;
  }
}

describe('the table', () => {
  test('names each variable once', () => {
    const names = ALL_SETTINGS.map((s) => s.name);
    assert.deepEqual(
      names.filter((name, i) => names.indexOf(name) !== i),
      [],
    );
    assert.ok(names.length > 90, `${names.length} settings`);
  });

  test('every plain default passes its own parser; every computed default is described for the docs', () => {
    for (const setting of ALL_SETTINGS) {
      const fallback = setting.default;
      if (fallback instanceof ComputedDefault) {
        assert.ok(setting.defaultText !== undefined, `${setting.name} needs defaultText`);
      } else if (typeof fallback === 'number' || typeof fallback === 'boolean') {
        const parsed = setting.parse(String(fallback), setting.name);
        assert.deepEqual(parsed, { value: fallback }, setting.name);
      }
      assert.ok(setting.doc.length > 0, `${setting.name} has a doc line`);
    }
  });

  test('the secrets are exactly the settings that may come from <NAME>_FILE', () => {
    assert.deepEqual(SECRET_SETTINGS, [
      'IDP_SECRET',
      'REDIS_URL',
      'SMS_46ELKS_PASSWORD',
      'SMS_GATEWAYAPI_TOKEN',
      'SMS_GATEWAYAPI_WEBHOOK_SECRET',
      'SMS_SINCH_API_TOKEN',
      'SMS_SINCH_WEBHOOK_SECRET',
      'SMS_TWILIO_API_KEY_SECRET',
      'SMS_TWILIO_AUTH_TOKEN',
      'SMS_WEBHOOK_URL',
    ]);
  });

  test('every owned prefix belongs to settings of its own section', () => {
    for (const section of SECTIONS) {
      for (const prefix of section.prefixes) {
        const names = [...Object.values(section.fields), ...(section.readByRule ?? [])].map((s) => s.name);
        assert.ok(
          names.some((name) => name.startsWith(prefix)),
          `${section.title} owns ${prefix}`,
        );
      }
    }
  });
});

describe('the loader reads the table', () => {
  test('defaults, computed defaults and the platform default of DEMO_SP', () => {
    const config = loadConfig({});
    assert.equal(config.server.port, 3000);
    assert.equal(config.server.baseUrl, 'http://localhost:3000');
    assert.equal(config.limits.smsMaxPerPhoneDay, 10);
    assert.equal(config.limits.smsMaxPerPrefix, 30);
    assert.equal(config.operations.metricsHost, '127.0.0.1');
    assert.equal(config.server.demoSp, true);
    assert.deepEqual(config.sms.smsCountries, ['NO', 'SE', 'DK', 'FI', 'IS']);
    assert.equal(config.oidc.accessTokenTtlSeconds, 600);
    assert.ok(Object.isFrozen(config));
    assert.ok(Object.isFrozen(config.limits));
    assert.equal(loadConfig({ NODE_ENV: 'production' }).server.demoSp, false);
    const raised = loadConfig({ PORT: '8080', HOST: '0.0.0.0', SMS_MAX_PER_PHONE: '50' });
    assert.equal(raised.server.baseUrl, 'http://localhost:8080');
    assert.equal(raised.operations.metricsHost, '0.0.0.0');
    assert.equal(raised.limits.smsMaxPerPhoneDay, 50);
    assert.equal(raised.limits.smsMaxPerPrefix, 50);
  });

  test('a refused value is named with its bounds, once, and its default is used by the rules', () => {
    assert.deepEqual(problemsOf({ SMS_MAX_PER_PHONE: '0', OTP_MAX_ATTEMPTS: '6' }), [
      'OTP_MAX_ATTEMPTS must be a whole number from 1 to 5 (got "6")',
      'SMS_MAX_PER_PHONE must be a whole number from 1 to 1000 (got "0")',
    ]);
    assert.deepEqual(problemsOf({ IDP_SIGN_WITH: 'nxt', SSO_ENABLED: 'maybe' }), [
      'IDP_SIGN_WITH must be current or next (got "nxt")',
      'SSO_ENABLED must be true or false (got "maybe")',
    ]);
  });

  test('the rules that join settings each add their problem', () => {
    assert.deepEqual(
      problemsOf({ IDP_KEY_FILE: 'k', IDP_SIGN_WITH: 'next', PORT: '9100', METRICS_PORT: '9100' }),
      [
        'IDP_KEY_FILE and IDP_CERT_FILE must be set together',
        'IDP_SIGN_WITH=next needs IDP_NEXT_KEY_FILE and IDP_NEXT_CERT_FILE',
        'METRICS_PORT must differ from PORT: metrics are never served on the public port',
      ],
    );
    assert.deepEqual(problemsOf({ SMS_PROVIDER: 'console,webhook' }), [
      'SMS_WEBHOOK_URL is required when SMS_PROVIDER=webhook',
    ]);
    assert.equal(loadConfig({ FLOW_TTL_SECONDS: '60', OTP_TTL_SECONDS: '300' }).login.flowTtlSeconds, 300);
  });
});
