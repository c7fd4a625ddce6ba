// Step 3 → done of the login: checks the typed code under the number's guess lock, counts wrong ones, finishes.

import { FlowError, SamlStatus, SamlStatusError } from '../errors.ts';
import { flowKeys } from '../store/keys.ts';
import { flowEvent, type LoginContext, refused } from './context.ts';
import { codeIsLive, transition, type VerifyCodeFlow } from './flow.ts';
import type { Form, Outcome } from './outcome.ts';
import { isCodeShaped, verifyCode } from './otp.ts';

/**
 * The typed code: its shape and the code's expiry first (no store call), then under the number's guess lock.
 *
 * Store calls, in order: take the guess lock (limits.ts); read the flow again; then checkCode's; release the lock.
 */
export async function verify(ctx: LoginContext, flow: VerifyCodeFlow, form: Form): Promise<Outcome> {
  const typed = form.code ?? '';
  const values = { code: '' };
  if (typed.trim() === '')
    return { kind: 'invalid', flow, problems: { code: { key: 'code.required' } }, values };
  if (!isCodeShaped(typed))
    return { kind: 'invalid', flow, problems: { code: { key: 'code.format' } }, values };
  if (!codeIsLive(flow, ctx.now())) {
    return { kind: 'invalid', flow, problems: { code: { key: 'code.expired' } }, values };
  }
  const loadedPhone = flow.phone;
  const refusal = await ctx.limits.beginGuess(loadedPhone);
  if (refusal !== undefined) {
    return { kind: 'invalid', flow, problems: { code: refused(ctx, flow, loadedPhone, refusal) }, values };
  }
  try {
    // Under the number's guess lock, read the flow again: a racing request may have ended it, sent a new code or
    // changed the number. Identity and lock key come from this copy only; another number is not this lock's.
    const current = await ctx.flows.read(flow.id);
    if (current === undefined) throw new FlowError('expired', 'login flow not found or expired');
    if (current.step !== 'verify-code') throw new FlowError('finished', 'login already finished');
    if (current.phone !== loadedPhone) return { kind: 'redirect', flow: current };
    return await checkCode(ctx, current, typed);
  } finally {
    await ctx.limits.endGuess(loadedPhone);
  }
}

/**
 * Store calls, in order. A wrong code: count it (flow and number), and at the last attempt end the flow. The right
 * code: mark it used (single use); then, together, write the finished flow, drop its tombstone and clear the
 * number's failures.
 */
async function checkCode(ctx: LoginContext, flow: VerifyCodeFlow, typed: string): Promise<Outcome> {
  const values = { code: '' };
  const { phone } = flow;
  if (!verifyCode(ctx.secret, flow.id, typed, flow.codeHash)) {
    const wrong = await ctx.limits.recordWrongCode(flow.id, phone, ctx.settings.flowTtlSeconds);
    flowEvent(ctx, 'otp.failed', flow, { phone, attempt: wrong });
    if (wrong >= ctx.settings.otpMaxAttempts) {
      await ctx.flows.end(flow);
      flowEvent(ctx, 'login.failed', flow, { phone, reason: 'wrong-codes' });
      return {
        kind: 'failed',
        flow,
        error: new SamlStatusError(SamlStatus.Responder, SamlStatus.AuthnFailed, 'too many wrong codes'),
      };
    }
    const left = ctx.settings.otpMaxAttempts - wrong;
    return {
      kind: 'invalid',
      flow,
      problems: { code: { key: 'code.wrong', vars: { count: left } } },
      values,
    };
  }
  // Single use: of racing submits only one records the code as used, and only that one gets an identity.
  if (!(await ctx.store.setIfAbsent(flowKeys.codeUsed(flow.id), 1, ctx.settings.flowTtlSeconds))) {
    throw new FlowError('finished', 'code already used');
  }
  const done = transition(flow, { kind: 'code-verified' }, ctx.now());
  if (!done.ok || done.flow.step !== 'done') throw new FlowError('finished', 'login already finished');
  // Independent writes, made together (one round trip on Redis): the flow ends and the number's failures clear.
  await Promise.all([ctx.flows.finish(done.flow), ctx.limits.clearFailures(phone)]);
  flowEvent(ctx, 'otp.verified', flow, { phone });
  return {
    kind: 'completed',
    flow: done.flow,
    identity: { phone, givenName: flow.givenName, familyName: flow.familyName },
  };
}
