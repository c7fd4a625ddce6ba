// The nets_sms login: turns a pending request into an identity through steps 1, 2a–2d and 3 of the seed.

import { FlowError, loggable, SamlStatus, SamlStatusError } from '../errors.ts';
import type { Locale } from '../i18n/index.ts';
import type { SmsProvider } from '../sms/sms-provider.ts';
import type { Store } from '../store/store.ts';
import { flowEvent, type LoginContext, type LoginSettings } from './context.ts';
import { Deliveries } from './delivery.ts';
import { type ChooseMethodFlow, codeSecondsLeft, type Flow, resendWaitSeconds, transition } from './flow.ts';
import { FlowStore } from './flow-store.ts';
import type { FlowTombstones } from './flow-tombstone.ts';
import { Limits } from './limits.ts';
import type { Form, Outcome } from './outcome.ts';
import { identify, resend } from './send-code.ts';
import { type StartInput, startFlow } from './start-flow.ts';
import { verify } from './verify-code.ts';

export { NETS_SMS } from './flow.ts';
export type { LoginSettings } from './context.ts';
export type { Form, Outcome, Problem, Problems } from './outcome.ts';
export { phoneCountryFor, readForcedEid, type StartInput } from './start-flow.ts';

export interface LoginDeps {
  readonly store: Store;
  readonly sms: SmsProvider;
  readonly settings: LoginSettings;
  /** Key for code hashes and derivation; the same in every IdP process. */
  readonly secret: string;
  /** Logs authentication events; phone numbers arrive masked. */
  readonly onEvent?: (event: string, fields: Record<string, unknown>) => void;
  readonly now?: () => number;
}

/** What the code page shows. */
export interface CodeStatus {
  readonly attemptsLeft: number;
  readonly resendWait: number;
  readonly sendsLeft: number;
  /** Seconds until the code expires; 0 when it has. */
  readonly codeSecondsLeft: number;
  /** A delivery receipt said the last SMS did not reach the phone. */
  readonly deliveryFailed: boolean;
}

/** The login's entry points for http/: start, load, one POST of a step, the code page's status, SMS receipts. */
export class LoginService {
  readonly #ctx: LoginContext;

  constructor(deps: LoginDeps) {
    const now = deps.now ?? Date.now;
    this.#ctx = {
      store: deps.store,
      flows: new FlowStore(deps.store, deps.settings.flowTtlSeconds, now),
      limits: new Limits(deps.store, deps.settings, deps.secret),
      deliveries: new Deliveries(deps.store),
      sms: deps.sms,
      settings: deps.settings,
      secret: deps.secret,
      now,
      onEvent: deps.onEvent ?? (() => {}),
    };
  }

  get settings(): LoginSettings {
    return this.#ctx.settings;
  }

  /** What is left of expired flows: the way back to their SP (flow-tombstone.ts). */
  get tombstones(): FlowTombstones {
    return this.#ctx.flows.tombstones;
  }

  /**
   * Opens a flow for a trusted request. Throws SamlStatusError (Requester) for a preset or eID choice the IdP
   * cannot use, so the SP hears why (docs/contract.md §4).
   */
  start(input: StartInput): Promise<Flow> {
    return startFlow(this.#ctx, input);
  }

  /** The flow, or FlowError('expired') when it is gone. */
  load(flowId: string): Promise<Flow> {
    return this.#ctx.flows.load(flowId);
  }

  /** Shows the flow in another of our languages from now on (the person chose it on the page). */
  async changeLocale(flow: Flow, locale: Locale): Promise<Flow> {
    if (flow.locale === locale) return flow;
    const next = transition(flow, { kind: 'change-locale', locale }, this.#ctx.now());
    if (!next.ok) return flow;
    // Only over the flow as it was read: a racing request may have finished it or changed its step since.
    if (await this.#ctx.flows.saveIf(flow, next.flow)) return next.flow;
    return (await this.#ctx.flows.read(flow.id)) ?? flow;
  }

  /** What the code page shows: attempts left, resend wait, sends left. */
  async codeStatus(flow: Flow): Promise<CodeStatus> {
    const { limits, deliveries, settings } = this.#ctx;
    const [wrong, sends, delivery] = await Promise.all([
      limits.wrongCodes(flow.id),
      limits.sendsUsed(flow.id),
      deliveries.get(flow.id),
    ]);
    const now = this.#ctx.now();
    return {
      attemptsLeft: Math.max(0, settings.otpMaxAttempts - wrong),
      resendWait: resendWaitSeconds(flow, settings.otpResendCooldownSeconds, now),
      sendsLeft: Math.max(0, settings.otpMaxSendsPerFlow - sends),
      codeSecondsLeft: codeSecondsLeft(flow, now),
      deliveryFailed: Deliveries.lastFailed(delivery),
    };
  }

  /**
   * Handles one POST of the flow's forms. A POST for another step than the current one only redirects to the
   * current step (docs/design.md §1.3); `action=cancel` ends the flow with AuthnFailed everywhere.
   */
  async submit(flow: Flow, form: Form, clientIp: string): Promise<Outcome> {
    const ctx = this.#ctx;
    if (flow.step === 'done') throw new FlowError('finished', 'login already finished');
    if (form.action === 'cancel') {
      await ctx.flows.end(flow);
      flowEvent(ctx, 'login.cancelled', flow, {});
      return {
        kind: 'failed',
        flow,
        error: new SamlStatusError(SamlStatus.Responder, SamlStatus.AuthnFailed, 'cancel'),
      };
    }
    if (form.step !== flow.step) return { kind: 'redirect', flow };
    switch (flow.step) {
      case 'choose-method':
        return this.#chooseMethod(flow, form);
      case 'identify':
        return identify(ctx, flow, form, clientIp);
      case 'verify-code':
        if (form.action === 'change-phone') return this.#changePhone(flow);
        return form.action === 'resend' ? resend(ctx, flow, clientIp) : verify(ctx, flow, form);
    }
  }

  /** Step 1: this method goes on to step 2; another offered eID ends the flow with NoSupportedIDP. */
  async #chooseMethod(flow: ChooseMethodFlow, form: Form): Promise<Outcome> {
    const eid = form.eid;
    const chosen =
      eid === undefined ? undefined : transition(flow, { kind: 'choose-method', eid }, this.#ctx.now());
    if (chosen?.ok === true) {
      await this.#ctx.flows.save(chosen.flow);
      return { kind: 'redirect', flow: chosen.flow };
    }
    if (eid !== undefined && flow.offeredEids.includes(eid)) {
      await this.#ctx.flows.end(flow);
      return {
        kind: 'failed',
        flow,
        error: new SamlStatusError(
          SamlStatus.Responder,
          SamlStatus.NoSupportedIDP,
          'the requested eID is handled elsewhere',
          `eID ${loggable(eid)}`,
        ),
      };
    }
    return { kind: 'invalid', flow, problems: { form: { key: 'choose.required' } }, values: {} };
  }

  /**
   * "Wrong number?" on step 3, only when the number was typed (a preset one is locked): back to step 2 with the
   * names kept. The code sent is dropped; the sends it cost still count against the flow's limit.
   */
  async #changePhone(flow: Flow): Promise<Outcome> {
    const next = transition(flow, { kind: 'change-phone' }, this.#ctx.now());
    if (!next.ok) return { kind: 'redirect', flow };
    // A code verified (or a flow ended) since this copy was read must not be undone by going back to step 2.
    if (!(await this.#ctx.flows.saveIf(flow, next.flow))) return { kind: 'redirect', flow };
    flowEvent(this.#ctx, 'login.phone_changed', flow, { phone: flow.phone });
    return { kind: 'redirect', flow: next.flow };
  }

  /**
   * A gateway's authenticated delivery receipt for one of our attempts: recorded against its flow while the flow is
   * still in progress, so the code page can say the SMS did not arrive and the next resend avoids that gateway.
   */
  async recordReceipt(receipt: {
    provider: string;
    reference: string;
    messageId?: string;
    state: 'delivered' | 'failed';
  }): Promise<boolean> {
    const { provider, reference, messageId, state } = receipt;
    const { deliveries, flows } = this.#ctx;
    const flowId = await deliveries.flowOf(reference);
    const flow = flowId === undefined ? undefined : await flows.read(flowId);
    if (flow === undefined || flow.step === 'done') return false;
    if (!(await deliveries.receipt(flow.id, provider, reference, messageId, state))) return false;
    flowEvent(this.#ctx, 'sms.receipt', flow, { provider, state, phone: flow.phone });
    return true;
  }
}
