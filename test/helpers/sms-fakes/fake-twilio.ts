// A local Twilio Messages API: POST /2010-04-01/Accounts/{sid}/Messages.json (research/sms-gateways.md §2.1).

import * as fake from './fake-gateway.ts';
import type { AcceptedSms, Checked, FailureMode, FakeAnswer, FakeRequest } from './fake-gateway.ts';

const FIELDS = new Set([
  'To',
  'From',
  'MessagingServiceSid',
  'Body',
  'StatusCallback',
  'ValidityPeriod',
  'SmartEncoded',
  'RiskCheck',
  'Attempt',
  'ProvideFeedback',
  'ContentRetention',
  'AddressRetention',
]);

/** Twilio's error body (RestException). */
const error = (status: number, code: number, message: string): FakeAnswer => ({
  status,
  body: JSON.stringify({ code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status }),
});

export class FakeTwilio extends fake.FakeGateway {
  static readonly ACCOUNT_SID = `AC${'0123456789abcdef'.repeat(2)}`;
  static readonly AUTH_TOKEN = 'twilio-auth-token-0123456789abcdef';

  static start(): Promise<FakeTwilio> {
    return new FakeTwilio().listen();
  }

  protected readonly failures: Readonly<Record<FailureMode, FakeAnswer>> = {
    'invalid-number': error(400, 21211, "The 'To' number is not a valid phone number."),
    auth: error(401, 20003, 'Authenticate'),
    credit: error(400, 21408, 'Permission to send an SMS has not been enabled for the region'),
    'rate-limited': error(429, 20429, 'Too Many Requests'),
    unavailable: error(503, 20503, 'Service Unavailable'),
    'bad-gateway': error(502, 20500, 'Bad Gateway'),
    'server-error': error(500, 20500, 'Internal Server Error'),
  };

  protected check(req: FakeRequest): Checked {
    const wrong = fake.wrongRoute(req, `/2010-04-01/Accounts/${FakeTwilio.ACCOUNT_SID}/Messages.json`);
    if (wrong !== undefined) return wrong;
    if (!fake.hasBasicAuth(req, FakeTwilio.ACCOUNT_SID, FakeTwilio.AUTH_TOKEN)) {
      return { ok: false, unauthorized: true };
    }
    const read = fake.readForm(req, FIELDS);
    if (!read.ok) return read;
    const form = read.fields;
    const to = form.get('To') ?? '';
    if (!/^\+[1-9]\d{6,14}$/.test(to)) return { ok: false, problem: `To ${to}` };
    const from = form.get('From') ?? undefined;
    const service = form.get('MessagingServiceSid') ?? undefined;
    if (from === undefined && service === undefined)
      return { ok: false, problem: 'From or MessagingServiceSid' };
    if (from !== undefined && !/^([A-Za-z0-9 ]{1,11}|\+[1-9]\d{6,14})$/.test(from)) {
      return { ok: false, problem: `From ${from}` };
    }
    const text = form.get('Body') ?? '';
    if (text === '' || text.length > 1600) return { ok: false, problem: 'Body' };
    const validity = form.get('ValidityPeriod');
    if (
      validity !== null &&
      !(/^\d+$/.test(validity) && Number(validity) >= 1 && Number(validity) <= 36000)
    ) {
      return { ok: false, problem: `ValidityPeriod ${validity}` };
    }
    return {
      ok: true,
      message: {
        to,
        text,
        from,
        reference: undefined,
        callbackUrl: form.get('StatusCallback') ?? undefined,
        fields: Object.fromEntries(form),
      },
    };
  }

  protected newMessageId(): string {
    return `SM${fake.randomHex(16)}`;
  }

  protected success(m: AcceptedSms): FakeAnswer {
    return {
      status: 201,
      body: JSON.stringify({
        sid: m.messageId,
        account_sid: FakeTwilio.ACCOUNT_SID,
        status: 'queued',
        error_code: null,
        error_message: null,
        num_segments: '1',
        to: m.to,
        from: m.from ?? null,
        body: m.text,
      }),
    };
  }
}
