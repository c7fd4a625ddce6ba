// A service provider built with @node-saml/node-saml 5 that listens on real HTTP: it logs users in at its ACS, takes
// and answers LogoutRequests at its SLO endpoint, and starts logins (either binding) and logouts of its own,
// keeping sessions as an app would.

import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { inflateRawSync } from 'node:zlib';
import {
  type CacheItem,
  type CacheProvider,
  generateServiceProviderMetadata,
  type Profile,
  type RacComparison,
  SAML,
  type SamlConfig,
} from '@node-saml/node-saml';
import type { TestKeys } from './saml-sp.ts';

const UNSPECIFIED = 'urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified';
const MOBILE_ONE_FACTOR = 'urn:oasis:names:tc:SAML:2.0:ac:classes:MobileOneFactorUnregistered';

/** What a login asks for, as node-saml options (each is an SP configuration a real deployment could have). */
export interface LoginOptions {
  readonly forceAuthn?: boolean;
  readonly passive?: boolean;
  readonly identifierFormat?: string;
  readonly authnContext?: readonly string[];
  readonly racComparison?: RacComparison;
  readonly binding?: 'HTTP-Redirect' | 'HTTP-POST';
}

/** The IdP as node-saml is told about it. */
export interface IdpForSp {
  readonly ssoUrl: string;
  readonly sloUrl: string;
  readonly entityId: string;
  readonly certPem: string;
}

/** A LogoutResponse the SP received at its SLO endpoint, as it arrived and as node-saml judged it. */
export interface ReceivedLogoutResponse {
  readonly xml: string;
  readonly relayState: string | undefined;
  readonly accepted: boolean;
  readonly error: string | undefined;
}

/** node-saml's request-ID cache, shared by the SP's configurations so each accepts the others' InResponseTo. */
class SharedCache implements CacheProvider {
  readonly #items = new Map<string, CacheItem>();
  async saveAsync(key: string, value: string): Promise<CacheItem | null> {
    if (this.#items.has(key)) return null;
    const item = { value, createdAt: Date.now() };
    this.#items.set(key, item);
    return item;
  }
  async getAsync(key: string): Promise<string | null> {
    return this.#items.get(key)?.value ?? null;
  }
  async removeAsync(key: string | null): Promise<string | null> {
    const value = key === null ? undefined : this.#items.get(key)?.value;
    if (key !== null) this.#items.delete(key);
    return value ?? null;
  }
}

function readBody(request: IncomingMessage): Promise<Record<string, string>> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (c: Buffer) => chunks.push(c));
    request.on('end', () =>
      resolve(Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString()))),
    );
    request.on('error', reject);
  });
}

function decode(value: string): string {
  const bytes = Buffer.from(value, 'base64');
  return (bytes[0] === 0x3c ? bytes : inflateRawSync(bytes)).toString('utf8');
}

/** One SP on 127.0.0.1: `/acs`, `/slo` (its SingleLogoutService, on `sloBinding`), `/login-post` and `/logout`. */
export class NodeSamlHttpSp {
  readonly name: string;
  readonly keys: TestKeys;
  readonly sloBinding: 'HTTP-Redirect' | 'HTTP-POST';
  /** Logged-in users by this SP's session cookie. */
  readonly sessions = new Map<string, Profile>();
  /** LogoutRequests from the IdP that this SP acted on, and whose sessions it ended. */
  readonly logoutRequests: Profile[] = [];
  readonly logoutResponses: ReceivedLogoutResponse[] = [];
  /** IDs of the LogoutRequests this SP sent (SP-initiated logouts). */
  readonly sentLogoutRequestIds: string[] = [];
  /** The last ACS visit that did not log anyone in: node-saml's error, or 'not logged in' for NoPassive. */
  lastRefusal: string | undefined;
  #server: Server;
  #origin = '';
  #idp: IdpForSp | undefined;
  readonly #cache = new SharedCache();

  private constructor(name: string, keys: TestKeys, sloBinding: 'HTTP-Redirect' | 'HTTP-POST') {
    this.name = name;
    this.keys = keys;
    this.sloBinding = sloBinding;
    this.#server = createServer((request, response) => {
      this.#handle(request, response).catch((error: Error) => {
        response.writeHead(500, { 'content-type': 'text/plain' }).end(error.message);
      });
    });
  }

  /** Starts listening on a free port of 127.0.0.1 (the IdP needs the URLs for the SP's metadata). */
  static async start(
    name: string,
    keys: TestKeys,
    sloBinding: 'HTTP-Redirect' | 'HTTP-POST',
  ): Promise<NodeSamlHttpSp> {
    const sp = new NodeSamlHttpSp(name, keys, sloBinding);
    await new Promise<void>((resolve) => sp.#server.listen(0, '127.0.0.1', resolve));
    sp.#origin = `http://127.0.0.1:${(sp.#server.address() as AddressInfo).port}`;
    return sp;
  }

  get entityId(): string {
    return `${this.#origin}/${this.name}`;
  }
  get acsUrl(): string {
    return `${this.#origin}/acs`;
  }
  get sloUrl(): string {
    return `${this.#origin}/slo`;
  }
  get logoutUrl(): string {
    return `${this.#origin}/logout`;
  }
  /** A page of the SP that starts a login on the HTTP-POST binding: node-saml's self-submitting form. */
  get postLoginUrl(): string {
    return `${this.#origin}/login-post`;
  }
  /** The name of this SP's session cookie (cookies of 127.0.0.1 are shared by every port). */
  get cookieName(): string {
    return `${this.name}_sid`;
  }

  /** Metadata from node-saml's generator; its SingleLogoutService is HTTP-POST, switched to Redirect if asked. */
  metadata(): string {
    const xml = generateServiceProviderMetadata({
      issuer: this.entityId,
      callbackUrl: this.acsUrl,
      logoutCallbackUrl: this.sloUrl,
      identifierFormat: UNSPECIFIED,
      wantAssertionsSigned: true,
      privateKey: this.keys.privateKeyPem,
      publicCerts: this.keys.certPem,
      signatureAlgorithm: 'sha256',
    });
    return this.sloBinding === 'HTTP-POST'
      ? xml
      : xml.replace(
          /(<SingleLogoutService Binding=")urn:oasis:names:tc:SAML:2\.0:bindings:HTTP-POST/,
          '$1urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect',
        );
  }

  /** Points the SP at the IdP (after the IdP is up: its certificate comes from its metadata). */
  trust(idp: IdpForSp): void {
    this.#idp = idp;
  }

  /** A node-saml instance for one configuration; they share the request-ID cache. `signingKey` replaces the
   * SP's own key (to forge its messages); `inResponseTo` relaxes node-saml's InResponseTo check. */
  saml(
    options: LoginOptions = {},
    overrides: { signingKey?: string; inResponseTo?: 'always' | 'ifPresent' } = {},
  ): SAML {
    const idp = this.#idp;
    if (idp === undefined) throw new Error('trust() the IdP first');
    const config: SamlConfig = {
      entryPoint: idp.ssoUrl,
      logoutUrl: idp.sloUrl,
      idpCert: idp.certPem,
      idpIssuer: idp.entityId,
      issuer: this.entityId,
      callbackUrl: this.acsUrl,
      audience: this.entityId,
      identifierFormat: options.identifierFormat ?? UNSPECIFIED,
      authnContext: [...(options.authnContext ?? [MOBILE_ONE_FACTOR])],
      racComparison: options.racComparison ?? 'exact',
      forceAuthn: options.forceAuthn ?? false,
      passive: options.passive ?? false,
      authnRequestBinding: options.binding ?? 'HTTP-Redirect',
      wantAssertionsSigned: true,
      wantAuthnResponseSigned: true,
      validateInResponseTo: (overrides.inResponseTo ?? 'always') as SamlConfig['validateInResponseTo'],
      signatureAlgorithm: 'sha256',
      digestAlgorithm: 'sha256',
      privateKey: overrides.signingKey ?? this.keys.privateKeyPem,
      cacheProvider: this.#cache,
    };
    return new SAML(config);
  }

  /** Where a browser goes to log in with these options (HTTP-Redirect binding). */
  loginUrl(options: LoginOptions = {}): Promise<string> {
    return this.saml(options).getAuthorizeUrlAsync(`${this.name}-relay`, undefined, {});
  }

  /** The profile of the session in a Cookie header, if this SP has one. */
  sessionOf(cookieHeader: string | undefined): Profile | undefined {
    const sid = new RegExp(`(?:^|;\\s*)${this.cookieName}=([^;]+)`).exec(cookieHeader ?? '')?.[1];
    return sid === undefined ? undefined : this.sessions.get(sid);
  }

  /** Stops listening (a broken SP); `restart` is not offered: a stopped SP stays down. */
  async stop(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  async #handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', this.#origin);
    const rawQuery = url.search.slice(1);
    const query = Object.fromEntries(url.searchParams);
    const body = request.method === 'POST' ? await readBody(request) : {};
    const send = (status: number, text: string, headers: Record<string, string> = {}): void => {
      response.writeHead(status, { 'content-type': 'text/html; charset=utf-8', ...headers }).end(text);
    };

    if (url.pathname === '/acs' && request.method === 'POST') {
      // Each visit records its own outcome: a refusal must not outlive the login that follows it.
      this.lastRefusal = undefined;
      try {
        const { profile } = await this.saml().validatePostResponseAsync(body);
        if (profile === null) {
          this.lastRefusal = 'not logged in';
          return send(200, '<p>not logged in</p>');
        }
        const sid = randomBytes(12).toString('hex');
        this.sessions.set(sid, profile);
        return send(200, `<p>logged in as ${profile.nameID}</p>`, {
          'set-cookie': `${this.cookieName}=${sid}; Path=/; HttpOnly`,
        });
      } catch (error) {
        // A status error's message holds the StatusMessage; its xmlStatus holds the codes.
        const status = (error as { xmlStatus?: string }).xmlStatus ?? '';
        this.lastRefusal = `${(error as Error).message} ${status}`;
        return send(403, `<p>refused: ${(error as Error).message}</p>`);
      }
    }

    if (url.pathname === '/login-post') {
      const form = await this.saml({ binding: 'HTTP-POST' }).getAuthorizeFormAsync(`${this.name}-relay`);
      return send(200, form);
    }

    if (url.pathname === '/logout') {
      const cookie = request.headers.cookie;
      const profile = this.sessionOf(cookie);
      if (profile === undefined) return send(400, '<p>no session</p>');
      for (const [sid, p] of this.sessions) if (p === profile) this.sessions.delete(sid);
      const location = await this.saml().getLogoutUrlAsync(profile, `${this.name}-logout-relay`, {});
      const sent = decode(new URL(location).searchParams.get('SAMLRequest') ?? '');
      this.sentLogoutRequestIds.push(/\bID="([^"]+)"/.exec(sent)?.[1] ?? '');
      return send(302, '', { location });
    }

    if (url.pathname === '/slo') {
      const message = { ...query, ...body };
      if (message.SAMLRequest !== undefined) {
        const { profile } =
          request.method === 'POST'
            ? await this.saml().validatePostRequestAsync(message)
            : await this.saml().validateRedirectAsync(message, rawQuery);
        if (profile === null) return send(400, '<p>not a LogoutRequest</p>');
        this.logoutRequests.push(profile);
        for (const [sid, p] of this.sessions) {
          if (p.nameID === profile.nameID && p.sessionIndex === profile.sessionIndex)
            this.sessions.delete(sid);
        }
        const location = await this.saml().getLogoutResponseUrlAsync(
          profile,
          message.RelayState ?? '',
          {},
          true,
        );
        return send(302, '', { location });
      }
      if (message.SAMLResponse !== undefined) {
        const xml = decode(message.SAMLResponse);
        try {
          // node-saml 5.1 looks for InResponseTo on a Response only, so on POST it cannot check a LogoutResponse's:
          // there it checks the signature and issuer, and the tests compare InResponseTo themselves.
          if (request.method === 'POST') {
            await this.saml({}, { inResponseTo: 'ifPresent' }).validatePostResponseAsync(message);
          } else await this.saml().validateRedirectAsync(message, rawQuery);
          this.logoutResponses.push({
            xml,
            relayState: message.RelayState,
            accepted: true,
            error: undefined,
          });
          return send(200, '<p>logged out</p>');
        } catch (error) {
          const text = (error as Error).message;
          this.logoutResponses.push({ xml, relayState: message.RelayState, accepted: false, error: text });
          return send(400, `<p>refused: ${text}</p>`);
        }
      }
    }
    return send(404, '<p>not found</p>');
  }
}
