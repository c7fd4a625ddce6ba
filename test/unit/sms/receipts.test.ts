// Receipt checks per vendor: a known-answer vector for Twilio's signature, the URL-token path (46elks, and Sinch
// without a webhook secret), and which statuses count as delivered, failed or not final.

import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { describe, it } from 'node:test';
import { Elks46Receipts } from '../../../src/sms/receipts/elks46.ts';
import { GatewayApiReceipts } from '../../../src/sms/receipts/gatewayapi.ts';
import type { ReceiptRequest } from '../../../src/sms/receipts/receipt.ts';
import { receiptUrlFor } from '../../../src/sms/receipts/receipt-url.ts';
import { SinchReceipts } from '../../../src/sms/receipts/sinch.ts';
import { TwilioReceipts, twilioSignedData } from '../../../src/sms/receipts/twilio.ts';

const KEY = 'receipt-key-0123456789';
const request = (url: string, rawBody: string, headers: Record<string, string> = {}): ReceiptRequest => ({
  url,
  query: new URL(url).searchParams,
  headers,
  rawBody,
});

describe('Twilio receipts', () => {
  it("matches Twilio's documented example signature", () => {
    // Twilio's security documentation: auth token 12345, this URL and these parameters.
    const params = new URLSearchParams({
      CallSid: 'CA1234567890ABCDE',
      Caller: '+14158675309',
      Digits: '1234',
      From: '+14158675309',
      To: '+18005551212',
    });
    const data = twilioSignedData('https://mycompany.com/myapp.php?foo=1&bar=2', params);
    assert.equal(createHmac('sha1', '12345').update(data).digest('base64'), 'RSOYDt4T1cUTdK1PDd93/VVr8B8=');
  });

  it('accepts the signature over the URL with its default port spelt out; statuses map to our states', () => {
    const url = 'https://idp.example.com/sms/receipts/twilio?ref=abcdefgh12&t=x';
    const check = new TwilioReceipts('token');
    for (const [status, state] of [
      ['delivered', 'delivered'],
      ['undelivered', 'failed'],
      ['failed', 'failed'],
      ['sent', 'pending'],
    ] as const) {
      const params = new URLSearchParams({ MessageSid: 'SM1', MessageStatus: status });
      const signedUrl = 'https://idp.example.com:443/sms/receipts/twilio?ref=abcdefgh12&t=x';
      const signature = createHmac('sha1', 'token')
        .update(twilioSignedData(signedUrl, params))
        .digest('base64');
      const result = check.check(request(url, params.toString(), { 'x-twilio-signature': signature }));
      assert.deepEqual(result, { ok: true, receipt: { reference: 'abcdefgh12', messageId: 'SM1', state } });
    }
  });

  it('refuses everything when only an API key (no Auth Token) is configured', () => {
    const result = new TwilioReceipts(undefined).check(
      request('https://idp.example.com/sms/receipts/twilio?ref=abcdefgh12', 'MessageStatus=failed', {
        'x-twilio-signature': 'AAAA',
      }),
    );
    assert.equal(result.ok, false);
  });
});

describe('receipt URL tokens (46elks, Sinch without a webhook secret)', () => {
  const url = receiptUrlFor('https://idp.example.com', KEY, '46elks')('abcdefgh12');

  it('46elks: the token of this gateway and reference is accepted', () => {
    const result = new Elks46Receipts(KEY).check(request(url, 'id=s1&status=failed'));
    assert.deepEqual(result, {
      ok: true,
      receipt: { reference: 'abcdefgh12', messageId: 's1', state: 'failed' },
    });
  });

  it("46elks: another gateway's token, another reference, or no token is refused", () => {
    const sinchUrl = receiptUrlFor('https://idp.example.com', KEY, 'sinch')('abcdefgh12');
    const swapped = new URL(url);
    swapped.searchParams.set('ref', 'abcdefgh13');
    const noToken = new URL(url);
    noToken.searchParams.delete('t');
    const check = new Elks46Receipts(KEY);
    assert.deepEqual(check.check(request(sinchUrl.replace('/sinch', '/46elks'), 'status=failed')), {
      ok: false,
      status: 403,
      reason: 'receipt token mismatch',
    });
    assert.equal((check.check(request(swapped.href, 'status=failed')) as { status: number }).status, 403);
    assert.equal((check.check(request(noToken.href, 'status=failed')) as { status: number }).status, 401);
  });

  it('Sinch without a webhook secret: the token must match client_reference', () => {
    const sinchUrl = receiptUrlFor('https://idp.example.com', KEY, 'sinch')('abcdefgh12');
    const check = new SinchReceipts(undefined, KEY);
    const body = (ref: string) =>
      JSON.stringify({
        type: 'recipient_delivery_report_sms',
        batch_id: 'b1',
        status: 'Expired',
        client_reference: ref,
      });
    assert.deepEqual(check.check(request(sinchUrl, body('abcdefgh12'))), {
      ok: true,
      receipt: { reference: 'abcdefgh12', messageId: 'b1', state: 'failed' },
    });
    assert.equal((check.check(request(sinchUrl, body('other-ref-1'))) as { status: number }).status, 403);
  });

  it('Sinch with a webhook secret: the HMAC headers are required even when the URL token is right', () => {
    const sinchUrl = receiptUrlFor('https://idp.example.com', KEY, 'sinch')('abcdefgh12');
    const raw = JSON.stringify({ batch_id: 'b1', status: 'Delivered', client_reference: 'abcdefgh12' });
    const check = new SinchReceipts('secret', KEY);
    assert.equal((check.check(request(sinchUrl, raw)) as { status: number }).status, 401);
    const signature = createHmac('sha256', 'secret').update(`${raw}.n1.1700000000`).digest('base64');
    const signed = request(sinchUrl, raw, {
      'x-sinch-webhook-signature': signature,
      'x-sinch-webhook-signature-nonce': 'n1',
      'x-sinch-webhook-signature-timestamp': '1700000000',
    });
    assert.deepEqual(check.check(signed), {
      ok: true,
      receipt: { reference: 'abcdefgh12', messageId: 'b1', state: 'delivered' },
    });
  });
});

describe('GatewayAPI receipts', () => {
  const raw = JSON.stringify({
    event_id: 'e1',
    event: { msg_id: 'm1', reference: 'abcdefgh12', status: 'ENROUTE' },
  });
  const signature = `v1=${createHmac('sha256', 'whsec').update(raw).digest('hex')}`;

  it('a signed non-final status is pending (nothing to record)', () => {
    const result = new GatewayApiReceipts('whsec').check(
      request('https://idp/sms/receipts/gatewayapi', raw, { signature }),
    );
    assert.deepEqual(result, {
      ok: true,
      receipt: { reference: 'abcdefgh12', messageId: 'm1', state: 'pending' },
    });
  });

  it('one changed byte, or no secret configured, is refused', () => {
    const check = new GatewayApiReceipts('whsec');
    assert.equal(
      (check.check(request('https://idp/x', `${raw} `, { signature })) as { status: number }).status,
      403,
    );
    const unconfigured = new GatewayApiReceipts(undefined).check(
      request('https://idp/x', raw, { signature }),
    );
    assert.equal((unconfigured as { status: number }).status, 403);
  });
});
