// Fetches SP metadata over HTTP(S) with undici: timeouts, a size cap, at most 3 redirects, conditional requests, and
// only public addresses (every hop checked at connect time) unless the admin named the host (outbound.ts).

import { interceptors, request } from 'undici';
import type { FetchedMetadata, MetadataFetcher } from '../saml/metadata/remote-metadata.ts';
import { outboundAgent } from './outbound.ts';

const ACCEPT = 'application/samlmetadata+xml, application/xml;q=0.9, text/xml;q=0.8, */*;q=0.1';

function header(headers: Record<string, string | string[] | undefined>, name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function describe(err: unknown): string {
  const e = err as { code?: string; message?: string; cause?: { code?: string; message?: string } };
  const detail = e.cause?.message ?? e.message ?? String(err);
  const code = e.cause?.code ?? e.code;
  return code !== undefined && !detail.includes(code) ? `${detail} (${code})` : detail;
}

/** A MetadataFetcher on undici.request. One connection per fetch, closed afterwards: fetches are rare and a CLI must
 * not be kept alive by idle sockets. A `caPem` replaces the public CAs for that fetch. */
export const fetchMetadata: MetadataFetcher = async (url, opts): Promise<FetchedMetadata> => {
  const agent = outboundAgent({
    allowedHosts: opts.allowedHosts ?? [],
    timeoutMs: opts.timeoutMs,
    ...(opts.caPem === undefined ? {} : { caPem: opts.caPem }),
  });
  const dispatcher = agent.compose(interceptors.redirect({ maxRedirections: 3 }));
  const signal = AbortSignal.timeout(opts.timeoutMs * 2);
  try {
    let response: Awaited<ReturnType<typeof request>>;
    try {
      response = await request(url, {
        method: 'GET',
        dispatcher,
        signal,
        headers: {
          accept: ACCEPT,
          ...(opts.etag === undefined ? {} : { 'if-none-match': opts.etag }),
          ...(opts.lastModified === undefined ? {} : { 'if-modified-since': opts.lastModified }),
        },
      });
    } catch (err) {
      throw new Error(`cannot be fetched: ${describe(err)}`);
    }
    const { statusCode, headers, body } = response;
    if (statusCode === 304) {
      await body.dump();
      return { status: 'not-modified' };
    }
    if (statusCode !== 200) {
      await body.dump();
      throw new Error(`the server answered HTTP ${statusCode}`);
    }
    const length = Number(header(headers, 'content-length') ?? Number.NaN);
    if (length > opts.maxBytes) {
      await body.dump();
      throw new Error(`the document is larger than ${opts.maxBytes} bytes`);
    }
    const chunks: Buffer[] = [];
    let size = 0;
    try {
      for await (const chunk of body) {
        size += (chunk as Buffer).length;
        if (size > opts.maxBytes) {
          body.destroy();
          throw new Error(`the document is larger than ${opts.maxBytes} bytes`);
        }
        chunks.push(chunk as Buffer);
      }
    } catch (err) {
      throw err instanceof Error && err.message.startsWith('the document') ? err : new Error(describe(err));
    }
    return {
      status: 'ok',
      body: Buffer.concat(chunks).toString('utf8'),
      etag: header(headers, 'etag'),
      lastModified: header(headers, 'last-modified'),
    };
  } finally {
    await agent.close().catch(() => {});
  }
};
