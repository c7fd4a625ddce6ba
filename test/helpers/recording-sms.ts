// An SMS provider for tests that keeps every message it is asked to deliver, and can be told to fail.

import type { SmsFailure, SmsMessage, SmsProvider } from '../../src/sms/sms-provider.ts';
import { SmsError } from '../../src/sms/sms-provider.ts';

export class RecordingSmsProvider implements SmsProvider {
  readonly name = 'recording';
  readonly sent: SmsMessage[] = [];
  /** When set, the next sends fail with this failure. */
  failWith: SmsFailure | undefined;

  async send(message: SmsMessage): Promise<void> {
    if (this.failWith !== undefined) throw new SmsError(this.failWith, 'told to fail');
    this.sent.push(message);
  }

  /** The code in the last message to `to` (the `#123456` of its last line). */
  lastCode(to?: string): string {
    const messages = to === undefined ? this.sent : this.sent.filter((m) => m.to === to);
    const last = messages.at(-1);
    const match = last === undefined ? null : /#(\d{6})\s*$/.exec(last.text);
    if (match === null) throw new Error(`no code sent${to === undefined ? '' : ` to ${to}`}`);
    return match[1] as string;
  }
}
