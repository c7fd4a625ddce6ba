// What every gateway adapter does with its own request: POST it, turn a non-2xx answer into a classified SmsError
// with the vendor's own reading, and take the message id from the field the vendor names.

import { field, parseJson, retryAfterSeconds } from '../failure.ts';
import type { SendResult, SmsError, SmsMessage } from '../sms-provider.ts';
import type { GatewayOptions } from './gateway-options.ts';
import { postToGateway } from './http.ts';

/** A vendor's reading of a failed answer: status, body text and Retry-After seconds. */
export type ClassifyAnswer = (status: number, text: string, retryAfter?: number) => SmsError;

export interface Submission {
  readonly provider: string;
  readonly url: string;
  readonly authorization: string;
  /** Form fields go as application/x-www-form-urlencoded, an object as JSON. */
  readonly body: URLSearchParams | Readonly<Record<string, unknown>>;
  readonly timeoutMs: number;
  readonly classify: ClassifyAnswer;
  /** The field of the success answer that holds the vendor's message id. */
  readonly idField: string;
}

export async function submitSms(submission: Submission, signal?: AbortSignal): Promise<SendResult> {
  const { provider, body } = submission;
  const isForm = body instanceof URLSearchParams;
  const answer = await postToGateway(
    {
      provider,
      url: submission.url,
      headers: {
        authorization: submission.authorization,
        'content-type': isForm ? 'application/x-www-form-urlencoded' : 'application/json',
        accept: 'application/json',
      },
      body: isForm ? body.toString() : JSON.stringify(body),
      timeoutMs: submission.timeoutMs,
    },
    signal,
  );
  if (answer.status < 200 || answer.status >= 300) {
    throw submission.classify(answer.status, answer.text, retryAfterSeconds(answer.headers['retry-after']));
  }
  const id = field(parseJson(answer.text), submission.idField);
  return { provider, messageId: typeof id === 'string' ? id : undefined };
}

/** This attempt's receipt URL, when receipts are on and the message has a reference. */
export function receiptUrlOf(options: GatewayOptions, message: SmsMessage): string | undefined {
  return message.reference === undefined ? undefined : options.receiptUrl?.(message.reference);
}
