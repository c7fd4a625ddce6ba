// A local 46elks: POST /a1/sms as https://46elks.com/docs/send-sms documents it (research/sms-gateways.md §2.4).

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

const FIELDS = new Set(['from', 'to', 'message', 'whendelivered', 'dryrun', 'flashsms', 'dontlog']);

export class Fake46elks extends FakeGateway {
  static readonly USER = 'u0123456789abcdef0123456789abcdef';
  static readonly PASSWORD = 'elks-password-0123';

  static async start(): Promise<Fake46elks> {
    const fake = new Fake46elks();
    await fake.listen();
    return fake;
  }

  protected check(req: FakeRequest): Checked {
    if (req.method !== 'POST' || req.path !== '/a1/sms')
      return { ok: false, problem: `${req.method} ${req.path}` };
    if (req.headers['content-type'] !== 'application/x-www-form-urlencoded') {
      return { ok: false, problem: `content-type ${req.headers['content-type']}` };
    }
    const auth = readBasic(req.headers.authorization);
    if (auth?.user !== Fake46elks.USER || auth.password !== Fake46elks.PASSWORD) {
      return { ok: false, unauthorized: true };
    }
    const form = new URLSearchParams(req.body);
    const unknown = [...form.keys()].filter((k) => !FIELDS.has(k));
    if (unknown.length > 0) return { ok: false, problem: `unknown fields ${unknown.join(',')}` };
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
    return `s${randomHex(16)}`;
  }

  protected success(m: AcceptedSms): FakeAnswer {
    const common = { status: 'created', direction: 'outgoing', from: m.from, to: m.to, parts: 1 };
    const body = this.isDryRun(m)
      ? { ...common, estimated_cost: 3500 }
      : { ...common, id: m.messageId, message: m.text, created: new Date().toISOString(), cost: 3500 };
    return { status: 200, body: JSON.stringify(body) };
  }

  /** 46elks answers errors in plain text (research §2.4; the exact wording is not documented). */
  protected answerFor(mode: FakeMode): FakeAnswer {
    const text = (status: number, body: string): FakeAnswer => ({ status, contentType: 'text/plain', body });
    switch (mode) {
      case 'invalid-number':
        return text(400, 'Invalid to');
      case 'auth':
        return text(401, 'Authentication failed');
      case 'credit':
        return text(403, 'Not enough credits');
      case 'rate-limited':
        return text(429, 'Too many requests');
      case 'unavailable':
        return text(503, 'Service unavailable');
      case 'bad-gateway':
        return text(502, 'Bad gateway');
      default:
        return text(500, 'Internal server error');
    }
  }
}
