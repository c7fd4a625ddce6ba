// One POST to a gateway with undici: deadlines, a capped answer, and transport errors classified (failure.ts).

import { request } from 'undici';
import { transportFailure } from '../failure.ts';

/** The most of an answer we read; gateway answers are a few hundred bytes. */
const ANSWER_LIMIT = 64 * 1024;

export interface GatewayAnswer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly text: string;
}

export interface GatewayRequest {
  readonly provider: string;
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  readonly timeoutMs: number;
}

/** POSTs and reads the answer; a request that gets no answer throws a classified SmsError. */
export async function postToGateway(req: GatewayRequest, signal?: AbortSignal): Promise<GatewayAnswer> {
  const timeout = AbortSignal.timeout(req.timeoutMs);
  const combined = signal === undefined ? timeout : AbortSignal.any([signal, timeout]);
  try {
    const response = await request(req.url, {
      method: 'POST',
      headers: req.headers,
      body: req.body,
      headersTimeout: req.timeoutMs,
      bodyTimeout: req.timeoutMs,
      signal: combined,
    });
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of response.body) {
      const buffer = chunk as Buffer;
      if (size + buffer.length > ANSWER_LIMIT) {
        chunks.push(buffer.subarray(0, ANSWER_LIMIT - size));
        response.body.destroy();
        break;
      }
      chunks.push(buffer);
      size += buffer.length;
    }
    return {
      status: response.statusCode,
      headers: response.headers,
      text: Buffer.concat(chunks).toString('utf8'),
    };
  } catch (error) {
    throw transportFailure(req.provider, error, timeout.aborted);
  }
}

/** `Basic base64(user:password)`. */
export function basicAuth(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
}
