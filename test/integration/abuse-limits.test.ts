// SMS cost and code guessing over HTTP: every limit refuses with a translated message that says when to try again,
// and no SMS goes out (docs/contract.md §5). Each test is named after the abuse it stops.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { buildTestIdp, type TestIdp } from '../helpers/app.ts';
import { BrowserClient, inputValue, type Page, PathCookieJar } from '../helpers/browser-client.ts';
import { readResponse } from '../helpers/saml-response.ts';
import { authnRequestXml, createTestSp, redirectQuery } from '../helpers/saml-sp.ts';
import { STORES } from '../helpers/stores.ts';

const SSO = 'https://idp.example.test/saml/sso';
const STATUS = (s: string) => `urn:oasis:names:tc:SAML:2.0:status:${s}`;
const sp = createTestSp();

interface From {
  /** The socket's address. */
  readonly ip?: string;
  readonly headers?: Readonly<Record<string, string>>;
}

/** A form-walking client whose requests come from `from.ip`, in English unless a header says otherwise. */
function browserFrom(idp: TestIdp, from: From = {}): BrowserClient {
  const jar = new PathCookieJar();
  const transport = async (method: 'GET' | 'POST', url: string, form?: Readonly<Record<string, string>>) => {
    const cookie = jar.header(url);
    const response = await idp.app.inject({
      method,
      url,
      remoteAddress: from.ip ?? '127.0.0.1',
      headers: {
        'accept-language': 'en',
        ...from.headers,
        ...(cookie === undefined ? {} : { cookie }),
        ...(form === undefined ? {} : { 'content-type': 'application/x-www-form-urlencoded' }),
      },
      payload:
        form === undefined ? undefined : new URLSearchParams(form as Record<string, string>).toString(),
    });
    jar.take(response.headers['set-cookie']);
    return {
      status: response.statusCode,
      headers: response.headers as Record<string, string | string[] | undefined>,
      body: response.body,
    };
  };
  return new BrowserClient(Object.assign(transport, { jar }));
}

/** Starts a login and asks for a code to `phone`; returns the client and the page that follows. */
async function askForCode(
  idp: TestIdp,
  phone: string,
  from: From = {},
  names = { given_name: 'Kari', family_name: 'Nordmann' },
): Promise<{ client: BrowserClient; page: Page }> {
  const client = browserFrom(idp, from);
  await client.go(
    'GET',
    `/saml/sso?${redirectQuery(authnRequestXml({ issuer: sp.entityId, destination: SSO }))}`,
  );
  assert.equal(client.page?.status, 200, client.page?.html.slice(0, 300));
  const page = await client.submit({ ...names, phone });
  return { client, page };
}

function assertRefused(page: Page, message: RegExp): void {
  assert.equal(page.status, 400);
  assert.match(page.html, /class="error-summary"/);
  assert.match(page.html, message);
}

function assertCodePage(page: Page): void {
  assert.equal(page.status, 200, page.html.slice(0, 400));
  assert.match(page.html, /name="code"/);
}

const sentTo = (idp: TestIdp, phone: string) => idp.sms.sent.filter((m) => m.to === phone).length;

/** A test IdP with `env`, closed after the suite. */
function idpWith(env: Record<string, string>): () => TestIdp {
  let idp: TestIdp | undefined;
  before(async () => {
    idp = await buildTestIdp({ sps: { sp: sp.metadataXml }, env });
  });
  after(async () => {
    await idp?.close();
  });
  return () => idp as TestIdp;
}

describe('SMS pumping and bombing', () => {
  describe('per flow and per number', () => {
    const idp = idpWith({
      OTP_RESEND_COOLDOWN_SECONDS: '0',
      OTP_MAX_SENDS_PER_FLOW: '3',
      SMS_MAX_PER_PHONE: '2',
      SMS_MAX_PER_PHONE_DAY: '3',
    });

    test('SMS bombing through resends: resends count against the number, SMS_MAX_PER_PHONE', async () => {
      const { client, page } = await askForCode(idp(), '+4741000001');
      assertCodePage(page);
      assert.equal(sentTo(idp(), '+4741000001'), 1);
      assertCodePage(await client.submit({ action: 'resend' }));
      const third = await client.submit({ action: 'resend' });
      assertRefused(third, /Too many codes have been sent to this number\. Try again in 60 minutes/);
      assert.equal(sentTo(idp(), '+4741000001'), 2, 'no SMS once refused');
    });

    test('SMS bombing one number: SMS_MAX_PER_PHONE per hour, from any address', async () => {
      const phone = '+4741000002';
      assertCodePage((await askForCode(idp(), phone, { ip: '10.1.0.1' })).page);
      assertCodePage((await askForCode(idp(), phone, { ip: '10.1.0.2' })).page);
      const { page } = await askForCode(idp(), phone, { ip: '10.1.0.3' });
      assertRefused(page, /Too many codes have been sent to this number\. Try again in 60 minutes/);
      assert.match(page.html, /name="phone"/, 'still on the form, nothing half-written');
      assert.equal(sentTo(idp(), phone), 2);
    });

    test('resend pumping: OTP_MAX_SENDS_PER_FLOW says start again, and sends nothing', async () => {
      const env = await buildTestIdp({
        sps: { sp: sp.metadataXml },
        env: { OTP_RESEND_COOLDOWN_SECONDS: '0', OTP_MAX_SENDS_PER_FLOW: '2' },
      });
      try {
        const { client } = await askForCode(env, '+4741000003');
        assertCodePage(await client.submit({ action: 'resend' }));
        assert.doesNotMatch(
          client.page?.html ?? '',
          /value="resend"/,
          'no resend button once the flow is out of sends',
        );
        const refused = await client.submit({ action: 'resend' });
        assertRefused(refused, /You have asked for as many codes as this login allows/);
        assert.equal(sentTo(env, '+4741000003'), 2);
      } finally {
        await env.close();
      }
    });

    test('resend flooding: a resend inside the cooldown says how long to wait and sends nothing', async () => {
      const env = await buildTestIdp({
        sps: { sp: sp.metadataXml },
        env: { OTP_RESEND_COOLDOWN_SECONDS: '30' },
      });
      try {
        const { client } = await askForCode(env, '+4741000004');
        const page = await client.submit({ action: 'resend' });
        assertRefused(page, /Wait (29|30) seconds before you ask for the code again/);
        assert.equal(sentTo(env, '+4741000004'), 1);
      } finally {
        await env.close();
      }
    });
  });

  describe('per number per day', () => {
    const idp = idpWith({ SMS_MAX_PER_PHONE: '100', SMS_MAX_PER_PHONE_DAY: '2' });

    test('slow SMS bombing of one number: SMS_MAX_PER_PHONE_DAY, with the hours to wait', async () => {
      const phone = '+4741000010';
      assertCodePage((await askForCode(idp(), phone, { ip: '10.2.0.1' })).page);
      assertCodePage((await askForCode(idp(), phone, { ip: '10.2.0.2' })).page);
      const { page } = await askForCode(idp(), phone, { ip: '10.2.0.3' });
      assertRefused(page, /Too many codes have been sent to this number today\. Try again in 24 hours/);
      assert.equal(sentTo(idp(), phone), 2);
    });
  });

  describe('per client address', () => {
    const idp = idpWith({ SMS_MAX_PER_IP: '2' });

    test('SMS pumping from one address: SMS_MAX_PER_IP, counted on the socket address', async () => {
      assertCodePage((await askForCode(idp(), '+4741000020', { ip: '10.3.0.1' })).page);
      assertCodePage((await askForCode(idp(), '+4741000021', { ip: '10.3.0.1' })).page);
      const { page } = await askForCode(idp(), '+4741000022', { ip: '10.3.0.1' });
      assertRefused(page, /Too many codes have been asked for from your network\. Try again in 60 minutes/);
      assert.equal(sentTo(idp(), '+4741000022'), 0);
      assertCodePage((await askForCode(idp(), '+4741000022', { ip: '10.3.0.2' })).page);
    });

    test('X-Forwarded-For spoofing: without TRUST_PROXY the header is ignored', async () => {
      const ip = '10.3.1.1';
      for (const [i, phone] of ['+4741000023', '+4741000024'].entries()) {
        const from = { ip, headers: { 'x-forwarded-for': `198.51.100.${i}` } };
        assertCodePage((await askForCode(idp(), phone, from)).page);
      }
      const spoofed = { ip, headers: { 'x-forwarded-for': '198.51.100.99' } };
      const { page } = await askForCode(idp(), '+4741000025', spoofed);
      assertRefused(page, /from your network/);
      assert.equal(sentTo(idp(), '+4741000025'), 0);
    });

    test('the translated message says when to try again (Norwegian)', async () => {
      const from = { ip: '10.3.2.1', headers: { 'accept-language': 'nb' } };
      await askForCode(idp(), '+4741000026', from);
      await askForCode(idp(), '+4741000027', from);
      const { page } = await askForCode(idp(), '+4741000028', from);
      assertRefused(page, /Det er bedt om for mange koder fra nettverket ditt\. Prøv igjen om 60 minutter/);
    });
  });

  describe('per client address behind a trusted proxy', () => {
    const idp = idpWith({ SMS_MAX_PER_IP: '2', TRUST_PROXY: '127.0.0.1' });

    test('with TRUST_PROXY, X-Forwarded-For names the client and each client has its own count', async () => {
      const alice = { ip: '127.0.0.1', headers: { 'x-forwarded-for': '203.0.113.10' } };
      const bob = { ip: '127.0.0.1', headers: { 'x-forwarded-for': '203.0.113.20' } };
      assertCodePage((await askForCode(idp(), '+4741000030', alice)).page);
      assertCodePage((await askForCode(idp(), '+4741000031', alice)).page);
      assertRefused((await askForCode(idp(), '+4741000032', alice)).page, /from your network/);
      assertCodePage((await askForCode(idp(), '+4741000032', bob)).page);
    });

    test('a client cannot pass itself off as another by prepending to X-Forwarded-For', async () => {
      const carol = (first: string) => ({
        ip: '127.0.0.1',
        headers: { 'x-forwarded-for': `${first}, 203.0.113.30` },
      });
      assertCodePage((await askForCode(idp(), '+4741000033', carol('192.0.2.1'))).page);
      assertCodePage((await askForCode(idp(), '+4741000034', carol('192.0.2.2'))).page);
      assertRefused((await askForCode(idp(), '+4741000035', carol('192.0.2.3'))).page, /from your network/);
    });
  });

  describe('per number range and globally', () => {
    const idp = idpWith({ SMS_MAX_PER_PREFIX: '2', SMS_PREFIX_DIGITS: '8', SMS_MAX_GLOBAL: '4' });

    test('SMS pumping through a number range: SMS_MAX_PER_PREFIX counts numbers sharing their first digits', async () => {
      assertCodePage((await askForCode(idp(), '+4741000041', { ip: '10.4.0.1' })).page);
      assertCodePage((await askForCode(idp(), '+4741000042', { ip: '10.4.0.2' })).page);
      const { page } = await askForCode(idp(), '+4741000043', { ip: '10.4.0.3' });
      assertRefused(page, /Too many codes have been sent to numbers like this one\. Try again in 60 minutes/);
      assert.equal(sentTo(idp(), '+4741000043'), 0);
      assertCodePage((await askForCode(idp(), '+4791000043', { ip: '10.4.0.4' })).page);
    });

    test('SMS pumping at scale: SMS_MAX_GLOBAL is a ceiling on all SMS per hour', async () => {
      assertCodePage((await askForCode(idp(), '+4746000001', { ip: '10.4.1.1' })).page);
      const before = idp().sms.sent.length;
      const { page } = await askForCode(idp(), '+4793000001', { ip: '10.4.1.2' });
      assertRefused(page, /We are sending a very large number of codes right now\. Try again in 60 minutes/);
      assert.equal(idp().sms.sent.length, before, 'no SMS at all');
    });
  });
});

describe('code guessing', () => {
  describe('per code', () => {
    const idp = idpWith({});

    test('guessing one code: five wrong entries end the flow with AuthnFailed, a sixth is never checked', async () => {
      const { client } = await askForCode(idp(), '+4741000050');
      const right = idp().sms.lastCode('+4741000050');
      const wrong = right === '000000' ? '111111' : '000000';
      for (let left = 4; left >= 1; left--) {
        const page = await client.submit({ code: wrong });
        assert.match(page.html, new RegExp(`You have ${left} attempts? left`));
      }
      const csrf = /name="csrf" value="([^"]+)"/.exec(client.page?.html ?? '')?.[1] ?? '';
      const url = client.page?.url.split('?')[0] ?? '';
      await client.submit({ code: wrong });
      const r = readResponse(client.samlPost().xml);
      assert.equal(r.statusCode, STATUS('Responder'));
      assert.equal(r.subStatusCode, STATUS('AuthnFailed'));
      const sixth = await idp().app.inject({
        method: 'POST',
        url,
        headers: client.cookie(url),
        payload: { csrf, step: 'verify-code', code: right },
      });
      assert.equal(sixth.statusCode, 410);
      assert.doesNotMatch(sixth.body, /SAMLResponse/);
    });
  });

  describe('in parallel, on a real Redis (requests interleave at every store call)', () => {
    let stopStore: () => Promise<void>;
    let idp: TestIdp;
    before(async () => {
      const made = await STORES.redis();
      stopStore = made.stop;
      idp = await buildTestIdp({ sps: { sp: sp.metadataXml }, store: made.store });
    });
    after(async () => {
      await idp?.close();
      await stopStore?.();
    });

    test('a burst of parallel guesses on one code: exactly five are checked, the rest refused unchecked', async () => {
      const { client } = await askForCode(idp, '+4741000051');
      const right = idp.sms.lastCode('+4741000051');
      const csrf = /name="csrf" value="([^"]+)"/.exec(client.page?.html ?? '')?.[1] ?? '';
      const url = client.page?.url.split('?')[0] ?? '';
      const guesses = Array.from({ length: 40 }, (_, i) => String(i).padStart(6, '0'));
      const results = await Promise.all(
        guesses
          .filter((code) => code !== right)
          .map((code) =>
            idp.app.inject({
              method: 'POST',
              url,
              headers: client.cookie(url),
              payload: { csrf, step: 'verify-code', code },
            }),
          ),
      );
      const wrong = results.filter((r) => r.body.includes('The code is wrong')).length;
      const failed = results.filter((r) => r.body.includes('name="SAMLResponse"')).length;
      // Guesses are checked one at a time: the first four are wrong with attempts left, the fifth ends the flow.
      assert.equal(wrong, 4, 'four guesses were checked and answered "wrong"');
      assert.equal(failed, 1, 'the fifth wrong guess ended the flow with AuthnFailed');
      const post = inputValue(
        results.find((r) => r.body.includes('name="SAMLResponse"'))?.body ?? '',
        'SAMLResponse',
      );
      const failure = readResponse(Buffer.from(post ?? '', 'base64').toString('utf8'));
      assert.equal(failure.subStatusCode, STATUS('AuthnFailed'));
      // Every other guess was refused unchecked: while another was being checked, or after the flow ended.
      const unchecked = results.filter(
        (r) => !r.body.includes('The code is wrong') && !r.body.includes('name="SAMLResponse"'),
      );
      assert.equal(unchecked.length, results.length - 5);
      for (const r of unchecked) {
        assert.match(
          r.body,
          /We are already checking a code for this number|already finished|Wait \d+ seconds?/,
        );
      }
    });
  });

  describe('across flows', () => {
    const idp = idpWith({
      OTP_FAILURE_DELAY_AFTER: '2',
      OTP_FAILURE_DELAY_MAX_SECONDS: '1',
      OTP_MAX_FAILURES_PER_PHONE: '4',
    });

    test('guessing with fresh flows: growing delays per number, then the number is locked', async () => {
      const phone = '+4741000060';
      const { client } = await askForCode(idp(), phone);
      const right = idp().sms.lastCode(phone);
      const wrong = right === '000000' ? '111111' : '000000';
      assert.match((await client.submit({ code: wrong })).html, /You have 4 attempts left/);
      assert.match((await client.submit({ code: wrong })).html, /You have 3 attempts left/);
      const waiting = await client.submit({ code: right });
      assertRefused(waiting, /Too many wrong codes for this number\. Wait 1 second before you try again/);
      await sleep(1100);
      assert.match(
        (await client.submit({ code: wrong })).html,
        /You have 2 attempts left/,
        'the wait cost no attempt',
      );
      await sleep(1100);
      assert.match((await client.submit({ code: wrong })).html, /You have 1 attempt left/);
      await sleep(1100);
      const locked = await client.submit({ code: right });
      assertRefused(locked, /This number is locked after too many wrong codes\. Try again in 24 hours/);
      const before = sentTo(idp(), phone);
      const { page } = await askForCode(idp(), phone, { ip: '10.6.0.2' });
      assertRefused(page, /This number is locked after too many wrong codes\. Try again in 24 hours/);
      assert.equal(sentTo(idp(), phone), before, 'no SMS to a locked number');
    });

    test('a right code after the wait succeeds and ends the run of failures', async () => {
      const phone = '+4741000061';
      const { client } = await askForCode(idp(), phone);
      const right = idp().sms.lastCode(phone);
      const wrong = right === '000000' ? '111111' : '000000';
      await client.submit({ code: wrong });
      await client.submit({ code: wrong });
      assertRefused(await client.submit({ code: right }), /Wait 1 second/);
      await sleep(1100);
      await client.submit({ code: right });
      assert.equal(readResponse(client.samlPost().xml).statusCode, STATUS('Success'));
      const again = await askForCode(idp(), phone, { ip: '10.6.0.3' });
      await again.client.submit({ code: wrong });
      const page = await again.client.submit({ code: wrong });
      assert.match(page.html, /You have 3 attempts left/, 'counting started again from zero');
    });
  });
});

describe('numbers', () => {
  const idp = idpWith({});

  const refusedNumbers: [string, string, RegExp][] = [
    ['a landline (the seed example +4612345678)', '+4612345678', /This is not a mobile number/],
    ['a premium-rate number', '+47 820 12 345', /We cannot send codes to this type of number/],
    ['a toll-free number', '+47 800 12 345', /We cannot send codes to this type of number/],
    ['a personal (follow-me) number', '+47 880 00 000', /We cannot send codes to this type of number/],
    ['a number outside SMS_COUNTRIES', '+49 151 23456789', /We cannot send codes to numbers in this country/],
    ['text around the digits', '+47 412 34 567 call me', /Enter a valid mobile number/],
  ];
  for (const [name, phone, message] of refusedNumbers) {
    test(`toll fraud with ${name}: a message on the form, no SMS`, async () => {
      const before = idp().sms.sent.length;
      const { page } = await askForCode(idp(), phone);
      assert.equal(page.status, 400);
      assert.match(page.html, /id="phone-error"/);
      assert.match(page.html, message);
      assert.equal(idp().sms.sent.length, before);
    });
  }

  test('message injection: user-typed names never reach the SMS', async () => {
    const names = { given_name: 'Win a prize at https://evil.example', family_name: 'Call +4790000000 now' };
    const { page } = await askForCode(idp(), '+4741000070', {}, names);
    assertCodePage(page);
    const text = idp().sms.sent.at(-1)?.text ?? '';
    assert.equal(idp().sms.sent.at(-1)?.to, '+4741000070');
    for (const word of ['evil', 'prize', '4790000000', 'Call']) assert.ok(!text.includes(word), text);
    assert.match(text, /\n\n@idp\.example\.test #\d{6}$/);
  });
});

describe('store exhaustion', () => {
  let idp: TestIdp;
  before(async () => {
    idp = await buildTestIdp({ sps: { sp: sp.metadataXml }, env: { FLOW_MAX_PER_IP: '2' } });
  });
  after(() => idp.close());

  test('login flooding: starts past FLOW_MAX_PER_IP from one address get 429 with when to retry, others go on', async () => {
    const start = (ip: string) =>
      idp.app.inject({
        method: 'GET',
        url: `/saml/sso?${redirectQuery(authnRequestXml({ issuer: sp.entityId, destination: SSO }))}`,
        remoteAddress: ip,
        headers: { 'accept-language': 'en' },
      });
    assert.equal((await start('198.51.100.7')).statusCode, 303);
    assert.equal((await start('198.51.100.7')).statusCode, 303);
    const refused = await start('198.51.100.7');
    assert.equal(refused.statusCode, 429);
    assert.equal(refused.headers.location, undefined, 'no flow was opened');
    assert.ok(Number(refused.headers['retry-after']) > 3000, String(refused.headers['retry-after']));
    assert.match(
      refused.body,
      /Too many logins have been started from your network\. Try again in 60 minutes/,
    );
    assert.match(refused.body, /class="reference"/);
    assert.doesNotMatch(refused.body, /SAMLResponse/);
    assert.equal((await start('198.51.100.8')).statusCode, 303, 'another address is not affected');
  });
});
