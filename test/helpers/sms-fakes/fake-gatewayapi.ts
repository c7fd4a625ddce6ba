// A local GatewayAPI Mobile Messaging API: POST /mobile/single (research/sms-gateways.md §2.5a).

import { randomBytes } from 'node:crypto';
import {
  type AcceptedSms,
  type Checked,
  type FakeAnswer,
  FakeGateway,
  type FakeMode,
  type FakeRequest,
} from './fake-gateway.ts';

const FIELDS = new Set(['sender', 'recipient', 'message', 'reference', 'expiration', 'priority', 'label']);
const ULID_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

export class FakeGatewayApi extends FakeGateway {
  static readonly TOKEN = 'gwapi-token-0123456789';

  static async start(): Promise<FakeGatewayApi> {
    const fake = new FakeGatewayApi();
    await fake.listen();
    return fake;
  }

  protected check(req: FakeRequest): Checked {
    if (req.method !== 'POST' || req.path !== '/mobile/single')
      return { ok: false, problem: `${req.method} ${req.path}` };
    if (req.headers.authorization !== `Token ${FakeGatewayApi.TOKEN}`)
      return { ok: false, unauthorized: true };
    if (!/^application\/json/.test(req.headers['content-type'] ?? ''))
      return { ok: false, problem: 'content-type' };
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(req.body) as Record<string, unknown>;
    } catch {
      return { ok: false, problem: 'body is not JSON' };
    }
    const unknown = Object.keys(body).filter((k) => !FIELDS.has(k));
    if (unknown.length > 0) return { ok: false, problem: `unknown fields ${unknown.join(',')}` };
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

  protected answerFor(mode: FakeMode): FakeAnswer {
    const json = (status: number, body: unknown): FakeAnswer => ({ status, body: JSON.stringify(body) });
    switch (mode) {
      case 'invalid-number':
        return json(422, {
          detail: [{ loc: ['body', 'recipient'], msg: 'invalid msisdn', type: 'value_error' }],
        });
      case 'auth':
        return json(401, { detail: 'Invalid token' });
      case 'credit':
        return json(403, { code: '0x0216', message: 'Insufficient credit' });
      case 'rate-limited':
        return { ...json(429, { detail: 'Too many requests' }), headers: { 'retry-after': '2' } };
      case 'unavailable':
        return json(503, { detail: 'Service unavailable' });
      case 'bad-gateway':
        return json(502, { detail: 'Bad gateway' });
      default:
        return json(500, { detail: 'Internal server error' });
    }
  }
}
