// Starting on a platform: its service-link variables pass, typos of our settings stop the start with a
// suggestion, and secrets may come from files (`<NAME>_FILE`).

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { ConfigError, loadConfig } from '../../../src/config/config.ts';
import { isPlatformVariable, nearestSetting } from '../../../src/config/env.ts';

const SECRET = 'file-secret-0123456789-0123456789-abcdef';

function problemsOf(env: Record<string, string>): readonly string[] {
  try {
    loadConfig(env);
    return [];
  } catch (error) {
    assert.ok(error instanceof ConfigError, String(error));
    return error.problems;
  }
}

describe('platform variables', () => {
  // What Kubernetes puts into every pod of a namespace with Services called redis, sms and idp.
  const kubernetes = {
    REDIS_SERVICE_HOST: '10.96.12.7',
    REDIS_SERVICE_PORT: '6379',
    REDIS_SERVICE_PORT_REDIS: '6379',
    REDIS_PORT: 'tcp://10.96.12.7:6379',
    REDIS_PORT_6379_TCP: 'tcp://10.96.12.7:6379',
    REDIS_PORT_6379_TCP_ADDR: '10.96.12.7',
    REDIS_PORT_6379_TCP_PORT: '6379',
    REDIS_PORT_6379_TCP_PROTO: 'tcp',
    SMS_SERVICE_HOST: '10.96.40.2',
    SMS_PORT: 'tcp://10.96.40.2:80',
    SMS_PORT_80_TCP_ADDR: '10.96.40.2',
    IDP_SERVICE_HOST: '10.96.3.3',
    IDP_SERVICE_PORT: '3000',
    IDP_SERVICE_PORT_HTTP: '3000',
    IDP_PORT: 'tcp://10.96.3.3:3000',
    IDP_PORT_3000_TCP: 'tcp://10.96.3.3:3000',
    OTP_PORT_53_UDP_PROTO: 'udp',
    SAML_PORT_8443_SCTP_PORT: '8443',
  };

  test('a start with Kubernetes service-link variables succeeds', () => {
    const config = loadConfig({ ...kubernetes, IDP_SECRET: SECRET });
    assert.equal(config.server.secret, SECRET);
    assert.equal(config.store.redis, undefined, 'REDIS_PORT and friends are not Redis settings');
    assert.equal(config.server.port, 3000, 'IDP_SERVICE_PORT is not PORT');
  });

  test('service-link shapes are recognised, our own settings are not taken for them', () => {
    for (const name of Object.keys(kubernetes)) assert.ok(isPlatformVariable(name), name);
    for (const name of ['REDIS_URL', 'SMS_PROVIDER', 'IDP_SECRET', 'PORT', 'REDIS_PORTS', 'SMS_PORT_X']) {
      assert.ok(!isPlatformVariable(name), name);
    }
  });
});

describe('typos of our settings', () => {
  test('stop the start and name the nearest setting', () => {
    const problems = problemsOf({ SMS_PROVDER: 'webhook', OTP_TTL_SECOND: '60', REDIS_URLL: 'redis://x' });
    assert.deepEqual([...problems].sort(), [
      'OTP_TTL_SECOND is not a setting this IdP knows (did you mean OTP_TTL_SECONDS?)',
      'REDIS_URLL is not a setting this IdP knows (did you mean REDIS_URL?)',
      'SMS_PROVDER is not a setting this IdP knows (did you mean SMS_PROVIDER?)',
    ]);
  });

  test('a name far from every setting gets no guess; variables without our prefixes are not ours', () => {
    assert.deepEqual(problemsOf({ SMS_TOTALLY_UNRELATED_THING: '1', HOME: '/root', NODE_ENV: 'x' }), [
      'SMS_TOTALLY_UNRELATED_THING is not a setting this IdP knows',
    ]);
    assert.equal(nearestSetting('IDP_SECRTE', ['IDP_SECRET', 'IDP_KEY_FILE']), 'IDP_SECRET');
    assert.equal(nearestSetting('IDP_SECRET_FIEL', ['IDP_SECRET', 'IDP_SECRET_FILE']), 'IDP_SECRET_FILE');
  });
});

describe('secrets from files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nsi-config-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const file = (name: string, content: string) => {
    const path = join(dir, name);
    writeFileSync(path, content);
    return path;
  };

  test('IDP_SECRET_FILE, REDIS_URL_FILE and SMS_WEBHOOK_URL_FILE are read, one trailing newline trimmed', () => {
    const config = loadConfig({
      IDP_SECRET_FILE: file('secret', `${SECRET}\n`),
      REDIS_URL_FILE: file('redis', 'redis://:p%40ss@redis.internal:6380/2\r\n'),
      SMS_PROVIDER: 'webhook',
      SMS_WEBHOOK_URL_FILE: file('webhook', 'https://sms.example.test/send?token=t0ken'),
    });
    assert.equal(config.server.secret, SECRET);
    assert.equal(config.store.redisUrl, 'redis://:p%40ss@redis.internal:6380/2');
    assert.equal(config.store.redis?.url, 'redis://:p%40ss@redis.internal:6380/2');
    assert.equal(config.sms.smsWebhookUrl, 'https://sms.example.test/send?token=t0ken');
  });

  test('only one trailing newline goes: the rest of the content is the secret as written', () => {
    const config = loadConfig({ IDP_SECRET_FILE: file('two-newlines', ` ${SECRET}\n\n`) });
    assert.equal(config.server.secret, ` ${SECRET}\n`);
  });

  test('a value from a file is checked like any other', () => {
    assert.deepEqual(problemsOf({ IDP_SECRET_FILE: file('short', 'short\n') }), [
      'IDP_SECRET must be at least 32 characters',
    ]);
  });

  test('both a setting and its _FILE, or a file that cannot be read, stop the start without the secret', () => {
    const problems = problemsOf({
      IDP_SECRET: SECRET,
      IDP_SECRET_FILE: file('both', SECRET),
      REDIS_URL_FILE: join(dir, 'missing'),
    });
    assert.deepEqual(problems, [
      'IDP_SECRET and IDP_SECRET_FILE are both set; set only one',
      `REDIS_URL_FILE: cannot read ${join(dir, 'missing')} (ENOENT)`,
    ]);
    assert.ok(!problems.join('\n').includes(SECRET));
  });

  test('_FILE exists only for secret settings', () => {
    assert.deepEqual(problemsOf({ OTP_TTL_SECONDS_FILE: file('ttl', '60') }), [
      'OTP_TTL_SECONDS_FILE is not a setting this IdP knows (did you mean OTP_TTL_SECONDS?)',
    ]);
  });
});
