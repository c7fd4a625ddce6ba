// A TLS terminator in front of a plain-HTTP server, as the reverse proxy in front of the IdP in production: https on
// 127.0.0.1 under a host name the browser maps there, with a certificate from the test CA that the browser is told to
// trust by its key.

import { createHash, createPublicKey } from 'node:crypto';
import { connect } from 'node:net';
import { createServer, type Server } from 'node:tls';
import { testCa } from './test-ca.ts';

export class TlsFront {
  /** https://<host>:<port> */
  readonly origin: string;
  /** base64 SHA-256 of the certificate's SubjectPublicKeyInfo, for Chromium's --ignore-certificate-errors-spki-list. */
  readonly spkiHash: string;
  readonly #server: Server;
  readonly #sockets: Set<{ destroy(): void }>;

  private constructor(origin: string, spkiHash: string, server: Server, sockets: Set<{ destroy(): void }>) {
    this.origin = origin;
    this.spkiHash = spkiHash;
    this.#server = server;
    this.#sockets = sockets;
  }

  /** Listens on `port` of 127.0.0.1 and passes each decrypted connection to 127.0.0.1:`targetPort`. */
  static async start(host: string, port: number, targetPort: number): Promise<TlsFront> {
    const keys = testCa([`DNS:${host}`]);
    const sockets = new Set<{ destroy(): void }>();
    const server = createServer({ key: keys.keyPem, cert: keys.certPem }, (socket) => {
      const upstream = connect(targetPort, '127.0.0.1');
      sockets.add(socket).add(upstream);
      socket.on('close', () => sockets.delete(socket));
      upstream.on('close', () => sockets.delete(upstream));
      socket.pipe(upstream).pipe(socket);
      socket.on('error', () => upstream.destroy());
      upstream.on('error', () => socket.destroy());
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    const spki = createPublicKey(keys.certPem).export({ type: 'spki', format: 'der' });
    const hash = createHash('sha256').update(spki).digest('base64');
    return new TlsFront(`https://${host}:${port}`, hash, server, sockets);
  }

  /** Chromium flags that send `host` to 127.0.0.1 and accept this certificate there. */
  chromiumArgs(host: string): string[] {
    return [
      `--host-resolver-rules=MAP ${host} 127.0.0.1`,
      `--ignore-certificate-errors-spki-list=${this.spkiHash}`,
    ];
  }

  async close(): Promise<void> {
    for (const socket of this.#sockets) socket.destroy();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }
}
