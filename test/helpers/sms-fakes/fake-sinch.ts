// A local Sinch XMS: POST /xms/v1/{service_plan_id}/batches (research/sms-gateways.md §2.2).

import {
  type AcceptedSms,
  type Checked,
  type FakeAnswer,
  FakeGateway,
  type FakeMode,
  type FakeRequest,
  randomHex,
} from './fake-gateway.ts';

const FIELDS = new Set([
  'to',
  'from',
  'body',
  'type',
  'delivery_report',
  'callback_url',
  'client_reference',
  'expire_at',
  'send_at',
  'max_number_of_message_parts',
  'truncate_concat',
  'flash_message',
  'feedback_enabled',
  'from_ton',
  'from_npi',
]);
const REPORTS = new Set(['none', 'summary', 'full', 'per_recipient', 'per_recipient_final']);

const error = (status: number, code: string, text: string): FakeAnswer => ({
  status,
  body: JSON.stringify({ code, text }),
});

export class FakeSinch extends FakeGateway {
  static readonly PLAN = 'plan0123456789abcdef';
  static readonly TOKEN = 'sinch-api-token-0123456789';

  static async start(): Promise<FakeSinch> {
    const fake = new FakeSinch();
    await fake.listen();
    return fake;
  }

  protected check(req: FakeRequest): Checked {
    if (req.method !== 'POST' || req.path !== `/xms/v1/${FakeSinch.PLAN}/batches`) {
      return { ok: false, problem: `${req.method} ${req.path}` };
    }
    if (req.headers.authorization !== `Bearer ${FakeSinch.TOKEN}`) return { ok: false, unauthorized: true };
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
    const to = body.to;
    if (!Array.isArray(to) || to.length !== 1 || !/^\+?[1-9]\d{6,14}$/.test(String(to[0]))) {
      return { ok: false, problem: 'to must be one MSISDN' };
    }
    if (typeof body.body !== 'string' || body.body === '' || body.body.length > 1600)
      return { ok: false, problem: 'body' };
    if (body.type !== undefined && body.type !== 'mt_text')
      return { ok: false, problem: `type ${String(body.type)}` };
    if (body.delivery_report !== undefined && !REPORTS.has(String(body.delivery_report))) {
      return { ok: false, problem: 'delivery_report' };
    }
    if (body.expire_at !== undefined && Number.isNaN(Date.parse(String(body.expire_at)))) {
      return { ok: false, problem: 'expire_at' };
    }
    const from = body.from;
    if (from !== undefined && typeof from !== 'string') return { ok: false, problem: 'from' };
    return {
      ok: true,
      message: {
        to: String(to[0]).startsWith('+') ? String(to[0]) : `+${to[0]}`,
        text: body.body,
        from,
        reference: body.client_reference as string | undefined,
        callbackUrl: body.callback_url as string | undefined,
        fields: body,
      },
    };
  }

  protected newMessageId(): string {
    return `01${randomHex(12).toUpperCase()}`;
  }

  protected success(m: AcceptedSms): FakeAnswer {
    const now = new Date().toISOString();
    return {
      status: 201,
      body: JSON.stringify({
        id: m.messageId,
        to: [m.to.slice(1)],
        from: m.from,
        body: m.text,
        type: 'mt_text',
        created_at: now,
        modified_at: now,
        canceled: false,
        client_reference: m.reference,
      }),
    };
  }

  protected answerFor(mode: FakeMode): FakeAnswer {
    switch (mode) {
      case 'invalid-number':
        return error(400, 'syntax_invalid_parameter_format', 'Invalid MSISDN in to: not a valid number');
      case 'auth':
        return { status: 401, contentType: 'text/plain', body: '' };
      case 'credit':
        return error(403, 'forbidden', 'Service plan is blocked');
      case 'rate-limited':
        return error(429, 'too_many_requests', 'Too many outstanding requests');
      case 'unavailable':
        return error(503, 'service_unavailable', 'Service unable to perform the request');
      case 'bad-gateway':
        return { status: 502, contentType: 'text/html', body: '<html>Bad Gateway</html>' };
      default:
        return error(500, 'internal_error', 'Unexpected internal error; the request was not processed');
    }
  }
}
