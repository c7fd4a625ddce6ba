// A local Twilio Messages API: POST /2010-04-01/Accounts/{sid}/Messages.json (research/sms-gateways.md §2.1).

import {
  type AcceptedSms,
  type Checked,
  type FakeAnswer,
  FakeGateway,
  type FakeMode,
  type FakeRequest,
  randomHex,
  readBasic,
} from './fake-gateway.ts';

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

export class FakeTwilio extends FakeGateway {
  static readonly ACCOUNT_SID = `AC${'0123456789abcdef'.repeat(2)}`;
  static readonly AUTH_TOKEN = 'twilio-auth-token-0123456789abcdef';

  static async start(): Promise<FakeTwilio> {
    const fake = new FakeTwilio();
    await fake.listen();
    return fake;
  }

  protected check(req: FakeRequest): Checked {
    const path = `/2010-04-01/Accounts/${FakeTwilio.ACCOUNT_SID}/Messages.json`;
    if (req.method !== 'POST' || req.path !== path)
      return { ok: false, problem: `${req.method} ${req.path}` };
    const auth = readBasic(req.headers.authorization);
    if (auth?.user !== FakeTwilio.ACCOUNT_SID || auth.password !== FakeTwilio.AUTH_TOKEN) {
      return { ok: false, unauthorized: true };
    }
    if (req.headers['content-type'] !== 'application/x-www-form-urlencoded') {
      return { ok: false, problem: `content-type ${req.headers['content-type']}` };
    }
    const form = new URLSearchParams(req.body);
    const unknown = [...form.keys()].filter((k) => !FIELDS.has(k));
    if (unknown.length > 0) return { ok: false, problem: `unknown fields ${unknown.join(',')}` };
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
    return `SM${randomHex(16)}`;
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

  protected answerFor(mode: FakeMode): FakeAnswer {
    switch (mode) {
      case 'invalid-number':
        return error(400, 21211, "The 'To' number is not a valid phone number.");
      case 'auth':
        return error(401, 20003, 'Authenticate');
      case 'credit':
        return error(400, 21408, 'Permission to send an SMS has not been enabled for the region');
      case 'rate-limited':
        return error(429, 20429, 'Too Many Requests');
      case 'unavailable':
        return error(503, 20503, 'Service Unavailable');
      case 'bad-gateway':
        return error(502, 20500, 'Bad Gateway');
      default:
        return error(500, 20500, 'Internal Server Error');
    }
  }
}
