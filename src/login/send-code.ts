// Steps 2 → 3 of the login: reads who is logging in, sends the code by SMS (or sends it again), moves to the code step.

import { randomBytes } from 'node:crypto';
import { FlowError } from '../errors.ts';
import { flowKeys } from '../store/keys.ts';
import { flowEvent, type LoginContext, refused } from './context.ts';
import { sendCodeSms } from './code-delivery.ts';
import {
  codeIsLive,
  type Flow,
  type IdentifyFlow,
  type Person,
  resendWaitSeconds,
  transition,
  type VerifyCodeFlow,
} from './flow.ts';
import { normaliseName } from './names.ts';
import type { Form, Outcome, Problem } from './outcome.ts';
import { deriveCode, hashCode } from './otp.ts';
import { parsePhone } from './phone.ts';
import { composeSmsText } from './sms-text.ts';
import { LOCALE_COUNTRY } from './start-flow.ts';

/** Most gateways one send can go through (failover), for the send lock's lifetime. */
const GATEWAYS_PER_SEND = 6;

/** Step 2: the names and number as typed, or as preset where the SP locked them; a valid form sends the code. */
export async function identify(
  ctx: LoginContext,
  flow: IdentifyFlow,
  form: Form,
  clientIp: string,
): Promise<Outcome> {
  const problems: Record<string, Problem> = {};
  const values: Record<string, string> = {};
  const locked = flow.preset;

  let givenName = locked.givenName;
  let familyName = locked.familyName;
  if (locked.familyName === undefined) {
    values.given_name = form.given_name ?? '';
    values.family_name = form.family_name ?? '';
    const given = normaliseName(values.given_name);
    const family = normaliseName(values.family_name);
    if (given.ok) givenName = given.value;
    else problems.given_name = { key: `givenName.${given.reason}` as const };
    if (family.ok) familyName = family.value;
    else problems.family_name = { key: `familyName.${family.reason}` as const };
  }
  let phone = locked.phone;
  if (phone === undefined) {
    values.phone = form.phone ?? '';
    const parsed = parsePhone(values.phone, {
      defaultCountry: flow.phoneCountry ?? LOCALE_COUNTRY[flow.locale],
      allowedCountries: ctx.settings.smsCountries,
    });
    if (parsed.ok) phone = parsed.e164;
    else problems.phone = { key: `phone.${parsed.problem}` as const };
  }
  if (
    Object.keys(problems).length > 0 ||
    phone === undefined ||
    givenName === undefined ||
    familyName === undefined
  )
    return { kind: 'invalid', flow, problems, values };

  const person: Person = { givenName, familyName, phone };
  const named: IdentifyFlow = { ...flow, ...person };
  flowEvent(ctx, 'login.identified', named, { phone });
  const sent = await sendCode(ctx, named, person, clientIp, false);
  if ('problem' in sent) return { kind: 'invalid', flow, problems: { form: sent.problem }, values };
  return { kind: 'redirect', flow: sent.flow, notice: 'sent' };
}

/** "Send again" on step 3, once the cooldown has passed. */
export async function resend(ctx: LoginContext, flow: VerifyCodeFlow, clientIp: string): Promise<Outcome> {
  const wait = resendWaitSeconds(flow, ctx.settings.otpResendCooldownSeconds, ctx.now());
  if (wait > 0) {
    return {
      kind: 'invalid',
      flow,
      problems: { form: { key: 'error.resendWait', vars: { count: wait } } },
      values: {},
    };
  }
  const person: Person = { givenName: flow.givenName, familyName: flow.familyName, phone: flow.phone };
  const sent = await sendCode(ctx, flow, person, clientIp, true);
  if ('problem' in sent) return { kind: 'invalid', flow, problems: { form: sent.problem }, values: {} };
  return { kind: 'redirect', flow: sent.flow, notice: 'resent' };
}

/** How long the send lock lives: past the slowest send the gateway settings allow, failover included. */
function sendLockSeconds(ctx: LoginContext): number {
  const slowest = Math.max(ctx.settings.smsWebhookTimeoutMs ?? 0, ctx.settings.smsGateways?.timeoutMs ?? 0);
  return Math.max(15, Math.ceil((slowest * GATEWAYS_PER_SEND) / 1000) + 10);
}

/**
 * Sends the flow's code: the same one while it is valid (docs/contract.md §5), a fresh one otherwise. The code is
 * derived from a random nonce with the secret, so the store never holds it, only its keyed hash.
 *
 * Store calls, in order: take the send lock and read the flow again, made together (one hash tag, so the read
 * applies after the lock: store.ts); charge the send limits and read the delivery record, together; (the SMS goes
 * out and its attempt is recorded by code-delivery.ts); reset the wrong-code count for a new code and write the
 * flow, together; release the lock. Four round trips on Redis besides the limits' second one and the record's.
 */
async function sendCode(
  ctx: LoginContext,
  flow: IdentifyFlow | VerifyCodeFlow,
  person: Person,
  clientIp: string,
  resending: boolean,
): Promise<{ flow: Flow } | { problem: Problem }> {
  const now = ctx.now();
  const { phone } = person;
  // One send at a time per flow: a double submit must not send two different codes. The lock outlives the
  // slowest send the gateway setting allows, so it cannot lapse while a send is still under way.
  const locking = ctx.store.setIfAbsent(flowKeys.sendLock(flow.id), 1, sendLockSeconds(ctx));
  // A submit that raced this one may have sent already: its result is the answer, not a second SMS. The read is
  // made with the lock, so it sees the flow as the lock holder does; it is only used once the lock is ours, and
  // its failure is handled there (inside the try, so the lock is released).
  const reading = ctx.flows.read(flow.id);
  reading.catch(() => {});
  if (!(await locking)) return { problem: { key: 'error.busy' } };
  try {
    const current = await reading;
    if (current === undefined) throw new FlowError('expired', 'login flow not found or expired');
    if (current.step !== flow.step || current.lastSentAt !== flow.lastSentAt) return { flow: current };
    // The delivery record is read beside the limits: a refused send just does not use it.
    const [refusal, delivery] = await Promise.all([
      ctx.limits.chargeSend(flow.id, phone, clientIp, ctx.settings.flowTtlSeconds),
      ctx.deliveries.get(flow.id),
    ]);
    if (refusal !== undefined) return { problem: refused(ctx, flow, phone, refusal) };
    const pending = delivery.pending;
    const live = resending && codeIsLive(flow, now) ? flow : undefined;
    // After an uncertain attempt the same code goes out again, so whichever SMS arrives carries a valid code.
    const repeat =
      live === undefined && pending !== undefined && pending.phone === phone && pending.expiresAt > now
        ? pending
        : undefined;
    const nonce = live?.codeNonce ?? repeat?.nonce ?? randomBytes(16).toString('base64url');
    const expiresAt = live?.codeExpiresAt ?? repeat?.expiresAt ?? now + ctx.settings.otpTtlSeconds * 1000;
    const code = deriveCode(ctx.secret, flow.id, nonce);
    const next = transition(
      flow,
      { kind: 'code-sent', person, code: { nonce, hash: hashCode(ctx.secret, flow.id, code), expiresAt } },
      now,
    );
    if (!next.ok) return { flow: current };
    const text = composeSmsText({
      locale: flow.locale,
      code,
      baseUrl: ctx.settings.baseUrl,
      ttlMinutes: Math.ceil(ctx.settings.otpTtlSeconds / 60),
    });
    const outcome = await sendCodeSms(ctx.sms, ctx.deliveries, {
      flowId: flow.id,
      phone,
      text,
      ref: randomBytes(12).toString('base64url'),
      nonce,
      expiresAt,
      now,
      record: delivery,
      ttlSeconds: ctx.settings.flowTtlSeconds,
    });
    if (!outcome.sent) {
      const { failure, provider } = outcome;
      flowEvent(ctx, 'otp.send_failed', flow, { failure, provider, phone });
      return { problem: { key: outcome.numberAtFault ? 'sms.permanent' : 'sms.temporary' } };
    }
    await Promise.all([
      live === undefined && repeat === undefined ? ctx.limits.resetWrongCodes(flow.id) : undefined,
      ctx.flows.save(next.flow),
    ]);
    flowEvent(ctx, resending ? 'otp.resent' : 'otp.sent', flow, { phone, sameCode: live !== undefined });
    return { flow: next.flow };
  } finally {
    await ctx.store.delete(flowKeys.sendLock(flow.id));
  }
}
