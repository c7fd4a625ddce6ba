// A local GatewayAPI Mobile Messaging API: POST /mobile/single (research/sms-gateways.md §2.5a).

import { randomBytes } from 'node:crypto';
import * as fake from './fake-gateway.ts';
import type { AcceptedSms, Checked, FailureMode, FakeAnswer, FakeRequest } from './fake-gateway.ts';

const FIELDS = new Set(['sender', 'recipient', 'message', 'reference', 'expiration', 'priority', 'label']);
const ULID_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

const json = (status: number, body: unknown): FakeAnswer => ({ status, body: JSON.stringify(body) });

export class FakeGatewayApi extends fake.FakeGateway {
  static readonly TOKEN = 'gwapi-token-0123456789';

  static start(): Promise<FakeGatewayApi> {
    return new FakeGatewayApi().listen();
  }

  protected readonly failures: Readonly<Record<FailureMode, FakeAnswer>> = {
    'invalid-number': json(422, {
      detail: [{ loc: ['body', 'recipient'], msg: 'invalid msisdn', type: 'value_error' }],
    }),
    auth: json(401, { detail: 'Invalid token' }),
    credit: json(403, { code: '0x0216', message: 'Insufficient credit' }),
    'rate-limited': { ...json(429, { detail: 'Too many requests' }), headers: { 'retry-after': '2' } },
    unavailable: json(503, { detail: 'Service unavailable' }),
    'bad-gateway': json(502, { detail: 'Bad gateway' }),
    'server-error': json(500, { detail: 'Internal server error' }),
  };

  protected check(req: FakeRequest): Checked {
    const wrong = fake.wrongRoute(req, '/mobile/single');
    if (wrong !== undefined) return wrong;
    if (req.headers.authorization !== `Token ${FakeGatewayApi.TOKEN}`)
      return { ok: false, unauthorized: true };
    const read = fake.readJson(req, FIELDS);
    if (!read.ok) return read;
    const body = read.fields;
    const sender = body.sender;
    if (typeof sender !== 'string' || !/^([A-Za-z0-9 ]{1,11}|\d{1,15})$/.test(sender)) {
      return { ok: false, problem: `sender ${String(sender)}` };
    }
    if (typeof body.recipient !== 'number' || !Number.isSafeInteger(body.recipient)) {
      return { ok: false, problem: 'recipient must be an integer MSISDN' };
    }
    if (typeof body.message !== 'string' || body.message === '') return { ok: false, problem: 'message' };
    if (body.reference !== undefined && typeof body.reference !== 'string')
      return { ok: false, problem: 'reference' };
    if (body.expiration !== undefined && !/^PT\d+[SM]$/.test(String(body.expiration))) {
      return { ok: false, problem: `expiration ${String(body.expiration)}` };
    }
    return {
      ok: true,
      message: {
        to: `+${body.recipient}`,
        text: body.message,
        from: sender,
        reference: body.reference as string | undefined,
        callbackUrl: undefined,
        fields: body,
      },
    };
  }

  protected newMessageId(): string {
    return Array.from(randomBytes(26), (b) => ULID_ALPHABET[b % 32]).join('');
  }

  protected success(m: AcceptedSms): FakeAnswer {
    const body = { msg_id: m.messageId, recipient: Number(m.to.slice(1)), reference: m.reference ?? null };
    return { status: 200, body: JSON.stringify(body) };
  }
}
