// The demo service provider: a separate SP application (samlify in the SP role) served beside the IdP for development.

import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as samlify from 'samlify';
import { generateKeyPair } from '../saml/keys/keys.ts';
import { parseXmlStrict } from '../saml/xml/xml-guard.ts';

// samlify insists on a schema validator; the demo reads only our own responses, so the strict parser is enough.
samlify.setSchemaValidator({
  validate: async (xml: string) => {
    parseXmlStrict(xml);
    return 'valid';
  },
});

/** Where the demo SP lives, derived from the IdP's BASE_URL. */
export interface DemoSpSettings {
  readonly baseUrl: string;
  readonly devKeyDir: string;
  readonly spMetadataDir: string;
}

export const DEMO_METADATA_FILE = 'demo-sp.xml';

/** Request IDs the demo remembers at most, for its InResponseTo check. */
export const MAX_PENDING_REQUESTS = 1000;

/** The demo service's name in each language the IdP speaks (plain text: no markup to escape). */
const DEMO_DISPLAY_NAMES: Readonly<Record<string, string>> = {
  en: 'Demo service',
  nb: 'Demotjeneste',
  sv: 'Demotjänst',
  da: 'Demotjeneste',
  fi: 'Esittelypalvelu',
};

export interface DemoLoginOptions {
  readonly binding: 'redirect' | 'post';
  readonly signed: boolean;
  readonly relayState: string;
}

/** What the demo shows after a login: verified attributes and the checks it made. */
export interface DemoResult {
  readonly ok: boolean;
  readonly status?: string;
  readonly nameId?: string;
  readonly attributes: Record<string, string>;
  readonly inResponseTo?: string;
  readonly inResponseToKnown: boolean;
  readonly error?: string;
}

function demoKeys(devKeyDir: string): { privateKeyPem: string; certPem: string } {
  const keyFile = join(devKeyDir, 'demo-sp.key');
  const certFile = join(devKeyDir, 'demo-sp.crt');
  if (existsSync(keyFile) && existsSync(certFile)) {
    return { privateKeyPem: readFileSync(keyFile, 'utf8'), certPem: readFileSync(certFile, 'utf8') };
  }
  mkdirSync(devKeyDir, { recursive: true, mode: 0o700 });
  const pair = generateKeyPair('nets-sms-idp demo SP');
  writeFileSync(keyFile, pair.privateKeyPem, { mode: 0o600 });
  writeFileSync(certFile, pair.certPem);
  return pair;
}

export class DemoSp {
  readonly entityId: string;
  readonly acsUrl: string;
  readonly #unsigned: samlify.ServiceProviderInstance;
  readonly #signing: samlify.ServiceProviderInstance;
  readonly #idp: samlify.IdentityProviderInstance;
  readonly #idpForSigned: samlify.IdentityProviderInstance;
  /** Request IDs this demo sent, to check InResponseTo (in memory: the demo is a one-process tool). */
  readonly #pending = new Map<string, number>();

  constructor(settings: DemoSpSettings, idpMetadataXml: string) {
    this.entityId = `${settings.baseUrl}/demo/metadata`;
    this.acsUrl = `${settings.baseUrl}/demo/acs`;
    const keys = demoKeys(settings.devKeyDir);
    const common = {
      entityID: this.entityId,
      assertionConsumerService: [
        { Binding: samlify.Constants.namespace.binding.post, Location: this.acsUrl },
      ],
      signingCert: keys.certPem,
      privateKey: keys.privateKeyPem,
      wantAssertionsSigned: true,
      wantMessageSigned: true,
      requestSignatureAlgorithm: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
      nameIDFormat: ['urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified'],
    };
    this.#unsigned = samlify.ServiceProvider({ ...common, authnRequestsSigned: false });
    this.#signing = samlify.ServiceProvider({
      ...common,
      authnRequestsSigned: true,
      // samlify's default places the signature after a Response's Issuer; a request has its own.
      signatureConfig: {
        prefix: 'ds',
        location: {
          reference: "/*[local-name(.)='AuthnRequest']/*[local-name(.)='Issuer']",
          action: 'after',
        },
      },
    });
    this.#idp = samlify.IdentityProvider({ metadata: idpMetadataXml });
    // samlify refuses to sign unless the IdP it talks to says it wants signed requests, so the signing SP gets a
    // view of our metadata with that flag set; the IdP verifies any signature it receives either way.
    this.#idpForSigned = samlify.IdentityProvider({
      metadata: idpMetadataXml.replace('WantAuthnRequestsSigned="false"', 'WantAuthnRequestsSigned="true"'),
    });
  }

  /** Our metadata as the IdP's admin would register it: unsigned requests allowed, signed ones verified. */
  metadataXml(): string {
    // samlify writes no mdui; the IdP's pages name the service from mdui:DisplayName (metadata-ui §2.1.2).
    const names = Object.entries(DEMO_DISPLAY_NAMES)
      .map(([lang, name]) => `<mdui:DisplayName xml:lang="${lang}">${name}</mdui:DisplayName>`)
      .join('');
    const ui = `<Extensions><mdui:UIInfo xmlns:mdui="urn:oasis:names:tc:SAML:metadata:ui">${names}</mdui:UIInfo></Extensions>`;
    return this.#unsigned.getMetadata().replace(/(<(?:md:)?SPSSODescriptor\b[^>]*>)/, `$1${ui}`);
  }

  /** A login request: the URL to redirect to, or the form to post. */
  createLogin(
    options: DemoLoginOptions,
  ): { url: string } | { action: string; fields: Record<string, string> } {
    const context = options.signed
      ? this.#signing.createLoginRequest(this.#idpForSigned, options.binding, {
          relayState: options.relayState,
        })
      : this.#unsigned.createLoginRequest(this.#idp, options.binding, { relayState: options.relayState });
    this.#remember(context.id);
    if (options.binding === 'redirect') return { url: context.context };
    const post = context as unknown as { entityEndpoint: string; context: string };
    const fields: Record<string, string> = { SAMLRequest: post.context };
    if (options.relayState !== '') fields.RelayState = options.relayState;
    return { action: post.entityEndpoint, fields };
  }

  #remember(id: string): void {
    const now = Date.now();
    for (const [old, at] of this.#pending) if (now - at > 30 * 60_000) this.#pending.delete(old);
    // Anyone can ask /demo/login for requests: past the cap the oldest is forgotten, so memory stays bounded.
    for (const old of this.#pending.keys()) {
      if (this.#pending.size < MAX_PENDING_REQUESTS) break;
      this.#pending.delete(old);
    }
    this.#pending.set(id, now);
  }

  /** Verifies a posted SAMLResponse (signature by the IdP's metadata cert, audience, times) and reads it. */
  async readResponse(body: Record<string, string>): Promise<DemoResult> {
    const status = /StatusCode Value="([^"]+)"/.exec(
      Buffer.from(body.SAMLResponse ?? '', 'base64').toString('utf8'),
    );
    try {
      const result = await this.#unsigned.parseLoginResponse(this.#idp, 'post', { body });
      const extract = result.extract as {
        nameID?: string;
        attributes?: Record<string, string | string[]>;
        response?: { inResponseTo?: string };
      };
      const inResponseTo = extract.response?.inResponseTo;
      const known = inResponseTo !== undefined && this.#pending.delete(inResponseTo);
      const attributes: Record<string, string> = {};
      for (const [k, v] of Object.entries(extract.attributes ?? {}))
        attributes[k] = Array.isArray(v) ? v.join(', ') : v;
      return { ok: true, nameId: extract.nameID, attributes, inResponseTo, inResponseToKnown: known };
    } catch (error) {
      return {
        ok: false,
        status: status?.[1],
        attributes: {},
        inResponseToKnown: false,
        error: error instanceof Error ? error.message : String(error),
      };
    }
  }
}

/** Writes the demo SP's metadata into SP_METADATA_DIR (git-ignored) so the IdP trusts it like any other SP. */
export function writeDemoMetadata(settings: DemoSpSettings, idpMetadataXml: string): DemoSp {
  const demo = new DemoSp(settings, idpMetadataXml);
  mkdirSync(settings.spMetadataDir, { recursive: true });
  const file = join(settings.spMetadataDir, DEMO_METADATA_FILE);
  const xml = demo.metadataXml();
  if (!existsSync(file) || readFileSync(file, 'utf8') !== xml) writeFileSync(file, xml);
  return demo;
}

export function newRelayState(): string {
  return `demo-${randomBytes(6).toString('hex')}`;
}
