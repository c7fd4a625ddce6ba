// Sends the SMS carrying a flow's code and keeps the flow's delivery record (delivery.ts) in step with each attempt:
// which gateway took it, or failed, and whether that gateway may still deliver it.

import { type SmsProvider, SmsError } from '../sms/sms-provider.ts';
import { Deliveries, type DeliveryRecord } from './delivery.ts';

export interface CodeSend {
  readonly flowId: string;
  readonly phone: string;
  readonly text: string;
  /** Our reference for this attempt (receipts come back with it). */
  readonly ref: string;
  /** The code's nonce and expiry, kept when the attempt is uncertain so a retry sends the same code. */
  readonly nonce: string;
  readonly expiresAt: number;
  readonly now: number;
  /** The delivery record before this attempt. */
  readonly record: DeliveryRecord;
  /** How long the record is kept (the flow's lifetime). */
  readonly ttlSeconds: number;
}

export type CodeSendOutcome =
  | { readonly sent: true }
  | {
      readonly sent: false;
      readonly failure: string;
      readonly provider: string;
      readonly numberAtFault: boolean;
    };

export async function sendCodeSms(
  sms: SmsProvider,
  deliveries: Deliveries,
  send: CodeSend,
): Promise<CodeSendOutcome> {
  const { flowId, phone, ref, ttlSeconds } = send;
  try {
    const result = await sms.send({
      to: phone,
      text: send.text,
      reference: ref,
      ttlSeconds: Math.max(1, Math.ceil((send.expiresAt - send.now) / 1000)),
      avoid: Deliveries.avoid(send.record),
    });
    const provider = result?.provider ?? sms.name;
    await deliveries.add(
      flowId,
      { ref, provider, messageId: result?.messageId, outcome: 'accepted' },
      ttlSeconds,
    );
    return { sent: true };
  } catch (error) {
    const failure = error instanceof SmsError ? error.failure : 'temporary';
    const uncertain = !(error instanceof SmsError) || error.processed === 'maybe';
    const provider = (error instanceof SmsError ? error.provider : undefined) ?? sms.name;
    const keep = uncertain ? { nonce: send.nonce, phone, expiresAt: send.expiresAt } : send.record.pending;
    await deliveries.add(
      flowId,
      { ref, provider, outcome: uncertain ? 'uncertain' : 'failed' },
      ttlSeconds,
      keep,
    );
    // "Check the number" only where the number is the likely cause: a gateway's own refusal (credentials, credit,
    // sender) is the operator's to fix. The generic webhook's 4xx stays permanent as docs/contract.md §5 defines it.
    const numberAtFault = failure === 'invalid-number' || (failure === 'permanent' && provider === 'webhook');
    return { sent: false, failure, provider, numberAtFault };
  }
}
