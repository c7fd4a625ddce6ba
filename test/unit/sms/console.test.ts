// The console SMS provider: shows the number and the whole message through its write function.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConsoleSmsProvider } from '../../../src/sms/console.ts';
import { SmsError } from '../../../src/sms/sms-provider.ts';

describe('ConsoleSmsProvider', () => {
  it('writes one block with the number and every line of the text', async () => {
    const written: string[] = [];
    const provider = new ConsoleSmsProvider({ write: (line) => written.push(line) });
    assert.equal(provider.name, 'console');
    await provider.send({ to: '+4741234567', text: 'Your code is 123456.\n\n@idp.example.com #123456' });
    assert.equal(written.length, 1);
    const [block = ''] = written;
    assert.ok(block.startsWith('SMS to +4741234567:'));
    assert.ok(block.includes('Your code is 123456.'));
    assert.ok(block.includes('@idp.example.com #123456'));
  });

  it('refuses an already aborted send as temporary', async () => {
    const written: string[] = [];
    const provider = new ConsoleSmsProvider({ write: (line) => written.push(line) });
    await assert.rejects(
      provider.send({ to: '+4741234567', text: 'x' }, AbortSignal.abort()),
      (error: unknown) => error instanceof SmsError && error.failure === 'temporary',
    );
    assert.deepEqual(written, []);
  });
});
