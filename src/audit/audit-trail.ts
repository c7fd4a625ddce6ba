// The audit trail: one JSON line per authentication-relevant step, in a stable documented shape
// (docs/operations.md "Audit trail"), so support can answer "did this person log in to that service at that
// time".

import { createHmac } from 'node:crypto';
import { maskPhoneForLog } from '../login/phone.ts';

/** Where a step happened: the HTTP request it belongs to, when there is one. */
export interface AuditContext {
  /** The reference id the user sees on an error page (the request's reqId). */
  readonly ref?: string;
  /** The client address (after TRUST_PROXY). */
  readonly client?: string;
}

/** One audit line. Absent fields are left out; the phone number is only ever masked and hashed. */
export interface AuditRecord {
  readonly type: 'audit';
  readonly time: string;
  readonly event: string;
  readonly sp?: string;
  readonly flow?: string;
  readonly ref?: string;
  readonly requestId?: string;
  readonly client?: string;
  readonly phone?: string;
  readonly phoneHash?: string;
  readonly [detail: string]: unknown;
}

/** Logged event → audit event, and the event's own fields the audit line keeps. */
const FROM_LOG: Record<string, { event: string; details: readonly string[] }> = {
  'login.started': { event: 'login.started', details: [] },
  'otp.sent': { event: 'code.sent', details: ['sameCode'] },
  'otp.resent': { event: 'code.resent', details: ['sameCode'] },
  'otp.send_failed': { event: 'code.send_failed', details: ['failure', 'provider', 'uncertain'] },
  'sms.receipt': { event: 'code.receipt', details: ['provider', 'state'] },
  'otp.failed': { event: 'code.wrong', details: ['attempt'] },
  'otp.verified': { event: 'code.verified', details: [] },
  'otp.refused': { event: 'limit.hit', details: ['reason', 'retryAfter'] },
  'login.refused': { event: 'limit.hit', details: ['reason', 'retryAfter'] },
  'oidc.client_auth.limited': { event: 'limit.hit', details: ['reason', 'retryAfter'] },
  'login.cancelled': { event: 'login.cancelled', details: [] },
  'login.failed': { event: 'login.failed', details: ['reason'] },
  'login.expired_return': { event: 'login.expired', details: [] },
  'saml.response.status': { event: 'response.error', details: ['status'] },
  'slo.session.ended': { event: 'logout', details: ['by', 'targets', 'unreachable'] },
  'oidc.login.completed': { event: 'login.succeeded', details: [] },
};

export class AuditTrail {
  readonly #write: (line: string) => void;
  readonly #secret: string;
  readonly #now: () => Date;

  constructor(opts: { write: (line: string) => void; secret: string; now?: () => Date }) {
    this.#write = opts.write;
    this.#secret = opts.secret;
    this.#now = opts.now ?? (() => new Date());
  }

  /** The keyed hash support computes from a number they are given to find its lines (docs/operations.md). */
  phoneHash(e164: string): string {
    return createHmac('sha256', this.#secret).update(`audit-phone:${e164}`).digest('hex');
  }

  /** Records a logged authentication event, when it is one the audit trail keeps. */
  fromLogEvent(logEvent: string, fields: Readonly<Record<string, unknown>>, context: AuditContext): void {
    if (logEvent === 'saml.response.issued') {
      this.record(fields.sso === true ? 'sso.reused' : 'login.succeeded', fields, context, []);
      return;
    }
    const mapping = FROM_LOG[logEvent];
    if (mapping !== undefined) this.record(mapping.event, fields, context, mapping.details);
  }

  /** Writes one line; `details` names the fields besides the common ones that it keeps. */
  record(
    event: string,
    fields: Readonly<Record<string, unknown>>,
    context: AuditContext,
    details: readonly string[],
  ): void {
    const phone = typeof fields.phone === 'string' ? fields.phone : undefined;
    const record: Record<string, unknown> = {
      type: 'audit',
      time: this.#now().toISOString(),
      event,
      // An OpenID Connect client stands where an SP does.
      sp: fields.sp ?? fields.client,
      flow: fields.flow,
      ref: context.ref,
      requestId: fields.inResponseTo,
      client: context.client,
      phone: phone === undefined ? undefined : maskPhoneForLog(phone),
      phoneHash: phone === undefined ? undefined : this.phoneHash(phone),
    };
    for (const name of details) record[name] = fields[name];
    // JSON.stringify leaves undefined fields out and escapes CR/LF, so one record is always one line.
    this.#write(`${JSON.stringify(record)}\n`);
  }
}
