// A local metadata publisher for tests: serves documents over HTTP or HTTPS (127.0.0.1, a test CA), honours
// If-None-Match, counts requests; and signs metadata the way a federation operator does (enveloped, root ID).

import {
  createServer as createHttpServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { samlTime } from '../../src/saml/values.ts';
import { signXml, type TestKeys, testKeys } from './saml-sp.ts';
import { testCa } from './test-ca.ts';

/** What one path answers. */
export interface Route {
  status?: number;
  body?: string;
  etag?: string;
  /** wait this long before answering (timeouts) */
  delayMs?: number;
}

/** An HTTP(S) server on 127.0.0.1 with a mutable route table. */
export class MetadataServer {
  readonly routes = new Map<string, Route>();
  /** requests received per path, with the status answered */
  readonly hits: { path: string; status: number }[] = [];
  readonly #server: Server;
  #origin = '';
  /** the CA that signed the server certificate (HTTPS only), to give the fetcher as its CA */
  readonly tlsCertPem: string | undefined;

  private constructor(server: Server, tlsCertPem: string | undefined) {
    this.#server = server;
    this.tlsCertPem = tlsCertPem;
  }

  /** Starts on a free port; with `tls`, HTTPS with a certificate for IP 127.0.0.1 from a test CA. */
  static async start(opts: { tls?: boolean } = {}): Promise<MetadataServer> {
    let instance: MetadataServer | undefined;
    const handler = (request: IncomingMessage, response: ServerResponse) => {
      if (instance !== undefined) void instance.#handle(request, response);
    };
    const ca = opts.tls === true ? testCa(['IP:127.0.0.1']) : undefined;
    const server: Server =
      ca === undefined
        ? createHttpServer(handler)
        : createHttpsServer({ key: ca.keyPem, cert: ca.certPem }, handler);
    instance = new MetadataServer(server, ca?.caCertPem);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    const { port } = server.address() as AddressInfo;
    instance.#origin = `${ca === undefined ? 'http' : 'https'}://127.0.0.1:${port}`;
    return instance;
  }

  /** The URL of `path` on this server. */
  url(path: string): string {
    return `${this.#origin}${path}`;
  }

  /** Requests to `path` so far. */
  count(path: string, status?: number): number {
    return this.hits.filter((h) => h.path === path && (status === undefined || h.status === status)).length;
  }

  async close(): Promise<void> {
    this.#server.closeAllConnections?.();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  async #handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = (request.url ?? '/').split('?')[0] ?? '/';
    const route = this.routes.get(path);
    if (route?.delayMs !== undefined) await new Promise((r) => setTimeout(r, route.delayMs));
    let status = route === undefined ? 404 : (route.status ?? 200);
    if (status === 200 && route?.etag !== undefined && request.headers['if-none-match'] === route.etag)
      status = 304;
    this.hits.push({ path, status });
    response.statusCode = status;
    if (route?.etag !== undefined) response.setHeader('etag', route.etag);
    response.setHeader('content-type', 'application/samlmetadata+xml');
    response.end(status === 200 ? (route?.body ?? '') : '');
  }
}

/** The federation operator's signing key in these tests. */
export const federationKeys = (): TestKeys => testKeys('federation-signer');

/** Gives the root element an ID and validUntil (a week ahead unless given; `null`: none) and a cacheDuration when
 * asked, as signed federation metadata carries. */
export function withRootAttributes(
  xml: string,
  attrs: { id?: string; validUntil?: Date | null; cacheDuration?: string },
): string {
  const validUntil =
    attrs.validUntil === undefined ? new Date(Date.now() + 7 * 86_400_000) : attrs.validUntil;
  const extra = [
    `ID="${attrs.id ?? '_md1'}"`,
    validUntil === null ? '' : `validUntil="${samlTime(validUntil)}"`,
    attrs.cacheDuration === undefined ? '' : `cacheDuration="${attrs.cacheDuration}"`,
  ]
    .filter((a) => a !== '')
    .join(' ');
  return xml.replace(/<md:(EntitiesDescriptor|EntityDescriptor)\s/, (m) => `${m}${extra} `);
}

/** Signs the root with an enveloped signature as its first child (metadata schema order), RSA-SHA256. */
export function signMetadata(xml: string, keys: TestKeys = federationKeys()): string {
  return signXml(xml, {
    privateKeyPem: keys.privateKeyPem,
    certPem: keys.certPem,
    referenceXpath: '/*',
    location: { reference: '/*', action: 'prepend' },
  });
}
