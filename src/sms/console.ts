// The development SMS provider: prints each message to the log instead of sending it (the default, docs/contract.md §1).

import { SmsError, type SmsMessage, type SmsProvider } from './sms-provider.ts';

/**
 * Shows the whole message, full number included: its purpose is to let a developer read the code. Never use it
 * where the log is shared with people who must not see codes.
 */
export class ConsoleSmsProvider implements SmsProvider {
  readonly name = 'console';
  readonly #write: (line: string) => void;

  /** `write` receives one block of text per message; the default writes it to stdout. */
  constructor(opts: { write?: (line: string) => void } = {}) {
    this.#write = opts.write ?? ((line) => process.stdout.write(`${line}\n`));
  }

  async send(message: SmsMessage, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) throw new SmsError('temporary', 'send aborted', { cause: signal.reason });
    const body = message.text
      .split('\n')
      .map((line) => `  | ${line}`)
      .join('\n');
    this.#write(`SMS to ${message.to}:\n${body}`);
  }
}
