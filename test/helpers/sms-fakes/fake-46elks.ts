// A local 46elks: POST /a1/sms as https://46elks.com/docs/send-sms documents it (research/sms-gateways.md §2.4).

import * as fake from './fake-gateway.ts';
import type { AcceptedSms, Checked, FailureMode, FakeAnswer, FakeRequest } from './fake-gateway.ts';

const FIELDS = new Set(['from', 'to', 'message', 'whendelivered', 'dryrun', 'flashsms', 'dontlog']);

/** 46elks answers errors in plain text (research §2.4; the exact wording is not documented). */
const text = (status: number, body: string): FakeAnswer => ({ status, contentType: 'text/plain', body });

export class Fake46elks extends fake.FakeGateway {
  static readonly USER = 'u0123456789abcdef0123456789abcdef';
  static readonly PASSWORD = 'elks-password-0123';

  static start(): Promise<Fake46elks> {
    return new Fake46elks().listen();
  }

  protected readonly failures: Readonly<Record<FailureMode, FakeAnswer>> = {
    'invalid-number': text(400, 'Invalid to'),
    auth: text(401, 'Authentication failed'),
    credit: text(403, 'Not enough credits'),
    'rate-limited': text(429, 'Too many requests'),
    unavailable: text(503, 'Service unavailable'),
    'bad-gateway': text(502, 'Bad gateway'),
    'server-error': text(500, 'Internal server error'),
  };

  protected check(req: FakeRequest): Checked {
    const wrong = fake.wrongRoute(req, '/a1/sms');
    if (wrong !== undefined) return wrong;
    if (!fake.hasBasicAuth(req, Fake46elks.USER, Fake46elks.PASSWORD))
      return { ok: false, unauthorized: true };
    const read = fake.readForm(req, FIELDS);
    if (!read.ok) return read;
    const form = read.fields;
    const from = form.get('from') ?? '';
    if (!/^[A-Za-z][A-Za-z0-9]{2,10}$/.test(from) && !/^\+[1-9]\d{6,14}$/.test(from)) {
      return { ok: false, problem: `from ${from}` };
    }
    const to = form.get('to') ?? '';
    if (!/^\+[1-9]\d{6,14}$/.test(to)) return { ok: false, problem: `to ${to}` };
    const text = form.get('message') ?? '';
    if (text === '') return { ok: false, problem: 'empty message' };
    for (const flag of ['dryrun', 'flashsms'] as const) {
      const value = form.get(flag);
      if (value !== null && value !== 'yes' && value !== 'no')
        return { ok: false, problem: `${flag}=${value}` };
    }
    const dontlog = form.get('dontlog');
    if (dontlog !== null && dontlog !== 'message') return { ok: false, problem: `dontlog=${dontlog}` };
    const callback = form.get('whendelivered') ?? undefined;
    if (callback !== undefined && !/^https?:\/\//.test(callback))
      return { ok: false, problem: 'whendelivered' };
    return {
      ok: true,
      message: {
        to,
        text,
        from,
        reference: undefined,
        callbackUrl: callback,
        fields: Object.fromEntries(form),
      },
    };
  }

  protected override isDryRun(message: AcceptedSms): boolean {
    return message.fields.dryrun === 'yes';
  }

  protected newMessageId(): string {
    return `s${fake.randomHex(16)}`;
  }

  protected success(m: AcceptedSms): FakeAnswer {
    const common = { status: 'created', direction: 'outgoing', from: m.from, to: m.to, parts: 1 };
    const body = this.isDryRun(m)
      ? { ...common, estimated_cost: 3500 }
      : { ...common, id: m.messageId, message: m.text, created: new Date().toISOString(), cost: 3500 };
    return { status: 200, body: JSON.stringify(body) };
  }
}
