// `sms check` and `sms send` against local gateway fakes: the dry run, what is reported, and one real test send.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Fake46elks, FakeTwilio, gatewayEnv } from '../../helpers/sms-fakes/index.ts';
import { cli } from './cli-helpers.ts';

describe('sms commands', () => {
  let elks: Fake46elks;
  let twilio: FakeTwilio;
  let env: Record<string, string>;

  before(async () => {
    elks = await Fake46elks.start();
    twilio = await FakeTwilio.start();
    env = {
      BASE_URL: 'https://login.example.se',
      SMS_PROVIDER: '46elks,twilio',
      SMS_ROUTES: 'FI:twilio;*:46elks,twilio',
      SMS_SENDER: 'ExampleID',
      ...gatewayEnv('46elks', elks),
      ...gatewayEnv('twilio', twilio),
    };
  });
  after(async () => {
    await elks.close();
    await twilio.close();
  });

  it('sms check: routes, senders, one segment per language, and a 46elks dry run that sends nothing', async () => {
    const result = await cli(['sms', 'check', '--to', '+46701234567'], env);
    assert.equal(result.code, 0, result.err + result.out);
    assert.match(result.out, /providers \(in order\): 46elks, twilio/);
    assert.match(result.out, /FI: twilio {2}sender ExampleID/);
    assert.match(result.out, /SE: 46elks → twilio/);
    assert.match(result.out, /ok {5}SMS text fi: 1 segment\(s\), GSM-7/);
    assert.match(result.out, /ok {5}46elks: credentials ok: dry run to \+46701234567 accepted/);
    assert.match(result.out, /note {3}twilio: credentials not checked/);
    const dry = elks.received.at(-1);
    assert.equal(new URLSearchParams(dry?.body).get('dryrun'), 'yes');
    assert.equal(elks.accepted.length, 0, 'a dry run delivers nothing');
    assert.doesNotMatch(result.out, new RegExp(Fake46elks.PASSWORD));
  });

  it('sms check: refused credentials are an error (exit 1), with the classification', async () => {
    const result = await cli(['sms', 'check', '--json'], { ...env, SMS_46ELKS_PASSWORD: 'wrong' });
    assert.equal(result.code, 1);
    const json = result.json<{
      ok: boolean;
      checks: { gateway: string; credentials: string; detail: string }[];
    }>();
    assert.equal(json.ok, false);
    const check = json.checks.find((c) => c.gateway === '46elks');
    assert.equal(check?.credentials, 'refused');
    assert.match(check?.detail ?? '', /^permanent \(46elks answered HTTP 401/);
    assert.deepEqual(elks.violations, []);
  });

  it('sms check: invalid settings list every problem (exit 2)', async () => {
    const result = await cli(['sms', 'check'], { ...env, SMS_PROVIDER: '46elks,nope', SMS_SENDER: '' });
    assert.equal(result.code, 2);
    assert.match(result.err, /unknown SMS provider nope/);
    assert.match(result.err, /SMS_SENDER is required for 46elks/);
  });

  it('sms send: one test message through the named gateway', async () => {
    const result = await cli(['sms', 'send', '+4791234567', '--provider', 'twilio'], env);
    assert.equal(result.code, 0, result.err);
    assert.match(result.out, /^sent through twilio to \+4791234567: message id SM[0-9a-f]{32}\n$/);
    const sent = twilio.acceptedFor('+4791234567');
    assert.equal(sent.length, 1);
    assert.equal(
      sent[0]?.text,
      'Test message from the identity provider at login.example.se. No action is needed.',
    );
    assert.deepEqual(twilio.violations, []);
  });

  it('sms send: a gateway failure exits 1 with its classification; an unknown gateway is a usage error', async () => {
    twilio.mode = 'invalid-number';
    try {
      const failed = await cli(['sms', 'send', '+4791234567', '--provider', 'twilio'], env);
      assert.equal(failed.code, 1);
      assert.match(failed.err, /twilio did not take the message: invalid-number/);
    } finally {
      twilio.mode = 'ok';
    }
    const unknown = await cli(['sms', 'send', '+4791234567', '--provider', 'sinch'], env);
    assert.equal(unknown.code, 2);
    assert.match(unknown.err, /--provider must name a configured gateway \(46elks, twilio\)/);
  });
});
