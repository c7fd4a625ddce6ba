// A local Sinch XMS: POST /xms/v1/{service_plan_id}/batches (research/sms-gateways.md §2.2).

import * as fake from './fake-gateway.ts';
import type { AcceptedSms, Checked, FailureMode, FakeAnswer, FakeRequest } from './fake-gateway.ts';

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

export class FakeSinch extends fake.FakeGateway {
  static readonly PLAN = 'plan0123456789abcdef';
  static readonly TOKEN = 'sinch-api-token-0123456789';

  static start(): Promise<FakeSinch> {
    return new FakeSinch().listen();
  }

  protected readonly failures: Readonly<Record<FailureMode, FakeAnswer>> = {
    'invalid-number': error(
      400,
      'syntax_invalid_parameter_format',
      'Invalid MSISDN in to: not a valid number',
    ),
    auth: { status: 401, contentType: 'text/plain', body: '' },
    credit: error(403, 'forbidden', 'Service plan is blocked'),
    'rate-limited': error(429, 'too_many_requests', 'Too many outstanding requests'),
    unavailable: error(503, 'service_unavailable', 'Service unable to perform the request'),
    'bad-gateway': { status: 502, contentType: 'text/html', body: '<html>Bad Gateway</html>' },
    'server-error': error(500, 'internal_error', 'Unexpected internal error; the request was not processed'),
  };

  protected check(req: FakeRequest): Checked {
    const wrong = fake.wrongRoute(req, `/xms/v1/${FakeSinch.PLAN}/batches`);
    if (wrong !== undefined) return wrong;
    if (req.headers.authorization !== `Bearer ${FakeSinch.TOKEN}`) return { ok: false, unauthorized: true };
    const read = fake.readJson(req, FIELDS);
    if (!read.ok) return read;
    const body = read.fields;
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
    return `01${fake.randomHex(12).toUpperCase()}`;
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
}
