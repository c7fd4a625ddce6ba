// Store key names (store/keys.ts) are part of what a running IdP has stored: a rolling upgrade must find every record
// under the name the previous version wrote it, and a flow's keys must share its Redis Cluster slot.

import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import {
  flowKeys,
  limitKeys,
  oidcKeys,
  replayKeys,
  sessionKeys,
  smsReferenceKey,
} from '../../../src/store/keys.ts';

test('a login flow’s keys, all under its hash tag', () => {
  const id = 'AAAAAAAAAAAAAAAAAAAAAAAA';
  assert.deepEqual(
    Object.values(flowKeys).map((key) => key(id)),
    [
      '{AAAAAAAAAAAAAAAAAAAAAAAA}:flow',
      '{AAAAAAAAAAAAAAAAAAAAAAAA}:tombstone',
      '{AAAAAAAAAAAAAAAAAAAAAAAA}:sending',
      '{AAAAAAAAAAAAAAAAAAAAAAAA}:used',
      '{AAAAAAAAAAAAAAAAAAAAAAAA}:attempts',
      '{AAAAAAAAAAAAAAAAAAAAAAAA}:sends',
      '{AAAAAAAAAAAAAAAAAAAAAAAA}:sms',
    ],
  );
  assert.equal(smsReferenceKey('ref1'), 'smsref:ref1');
});

test('the limits’ counters and locks', () => {
  assert.deepEqual(
    [
      limitKeys.smsPerAddress('a'),
      limitKeys.smsPerPhone('p'),
      limitKeys.smsPerPhoneDay('p'),
      limitKeys.smsPerPrefix('x'),
      limitKeys.smsGlobal,
      limitKeys.flowStartsPerAddress('a'),
      limitKeys.codeFailures('p'),
      limitKeys.codeWait('p'),
      limitKeys.guessLock('p'),
    ],
    [
      'sms:ip:a',
      'sms:phone:p',
      'sms:phoneday:p',
      'sms:prefix:x',
      'sms:global',
      'flows:ip:a',
      'otpfail:p',
      'otpwait:p',
      'otpguess:p',
    ],
  );
});

test('SSO sessions, logouts and replay caches', () => {
  assert.deepEqual(
    [
      sessionKeys.sso('s'),
      sessionKeys.ssoLock('s'),
      sessionKeys.logout('l'),
      sessionKeys.logoutTarget('l', 2),
      sessionKeys.logoutRequest('_r'),
      sessionKeys.logoutTicket('l'),
      replayKeys.authnRequest('https://sp', '_a'),
      replayKeys.logoutMessage('https://sp', '_b'),
    ],
    [
      '{s}:sso',
      '{s}:sso-lock',
      '{l}:slo',
      '{l}:slo:2',
      'slo-out:_r',
      '{l}:slo-ticket',
      'replay:https://sp:_a',
      'replay:slo:https://sp:_b',
    ],
  );
});

test('OpenID Connect records and limits', () => {
  assert.deepEqual(
    [
      oidcKeys.record('Session', 'i'),
      oidcKeys.sessionByUid('u'),
      oidcKeys.grantCount('g'),
      oidcKeys.grantMember('g', 3),
      oidcKeys.login('u'),
      oidcKeys.participants('s'),
      oidcKeys.authFailuresPerAddress('a'),
      oidcKeys.authFailuresPerClient('c'),
    ],
    [
      'oidc:Session:{i}',
      'oidc:uid:{u}',
      'oidc:grant:{g}:n',
      'oidc:grant:{g}:3',
      'oidc-login:{u}',
      'oidc-sso:{s}',
      'oidcauth:ip:a',
      'oidcauth:client:c',
    ],
  );
});

/** Key names as written before store/keys.ts: a string or template literal opening with one of their prefixes. */
const KEY_LITERAL =
  /[`'"](?:\{\$\{[^}]*\}\}:|replay:|smsref:|sms:(?:ip|phone|phoneday|prefix|global)|flows:ip:|otp(?:fail|wait|guess):|oidc(?:-login:|-sso:|auth:|:)|slo-out:)/;

test('no module but store/keys.ts spells a store key', () => {
  const src = join(import.meta.dirname, '../../../src');
  const offenders = readdirSync(src, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts') && file !== join('store', 'keys.ts'))
    .flatMap((file) =>
      readFileSync(join(src, file), 'utf8')
        .split('\n')
        .map((line, i) => ({ where: `${file}:${i + 1}`, line }))
        .filter(({ line }) => KEY_LITERAL.test(line) && !/^\s*(\/\/|\*|\/\*\*)/.test(line)),
    )
    .map(({ where, line }) => `${where}: ${line.trim()}`);
  assert.deepEqual(offenders, []);
});
