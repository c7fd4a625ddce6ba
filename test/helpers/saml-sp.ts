// A test service provider: metadata, key pairs, AuthnRequests on both bindings (signed or not, any quirk), XSD checks.

import { execFile } from 'node:child_process';
import { createPrivateKey, sign, X509Certificate } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateRawSync } from 'node:zlib';
import { SignedXml } from 'xml-crypto';
import type { SsoHttpInput } from '../../src/saml/inbound/bindings.ts';
import { generateKeyPair } from '../../src/saml/keys/keys.ts';
import { Alg, Binding, Ns } from '../../src/saml/urn.ts';
import { samlTime } from '../../src/saml/values.ts';
import { el, renderXml, type XmlChild } from '../../src/saml/xml/xml-writer.ts';

/** The IdP SSO endpoint used by the helpers' defaults. */
export const TEST_SSO_URL = 'https://idp.example.org/saml/sso';

/** A key pair with the certificate also as base64 DER (what metadata carries). */
export interface TestKeys {
  readonly privateKeyPem: string;
  readonly certPem: string;
  readonly certBase64: string;
}

const keyCache = new Map<string, TestKeys>();

/** A key pair for `name`, generated once per process and reused (RSA generation is slow). */
export function testKeys(name = 'test-sp'): TestKeys {
  let keys = keyCache.get(name);
  if (keys === undefined) {
    const pair = generateKeyPair(name);
    keys = { ...pair, certBase64: new X509Certificate(pair.certPem).raw.toString('base64') };
    keyCache.set(name, keys);
  }
  return keys;
}

/** One AssertionConsumerService to put in metadata; `isDefault` may be any string to test xs:boolean. */
export interface TestAcs {
  readonly url: string;
  readonly binding?: string;
  readonly index?: number;
  readonly isDefault?: boolean | string;
}

/** Everything spMetadataXml can vary. */
export interface SpMetadataOptions {
  readonly entityId: string;
  readonly acs?: readonly TestAcs[];
  /** base64 DER certificates, each in its own KeyDescriptor */
  readonly signingCerts?: readonly string[];
  /** KeyDescriptor use: 'signing' (default), 'encryption', or 'none' for no use attribute */
  readonly keyUse?: 'signing' | 'encryption' | 'none';
  /** written as given, so '1'/'0' can be tested */
  readonly authnRequestsSigned?: boolean | string;
  readonly wantAssertionsSigned?: boolean | string;
  readonly nameIdFormats?: readonly string[];
  /** mdui:DisplayName per xml:lang */
  readonly displayNames?: Readonly<Record<string, string>>;
  readonly logoUrl?: string;
  readonly organizationDisplayName?: string;
  readonly slo?: readonly { binding: string; url: string; responseUrl?: string }[];
  /** text of an XML comment put before the root element */
  readonly leadingComment?: string;
}

function asXsBoolean(v: boolean | string | undefined): string | undefined {
  return v === undefined ? undefined : String(v);
}

function entityDescriptor(o: SpMetadataOptions, declareNs: boolean): ReturnType<typeof el> {
  const acs = o.acs ?? [{ url: `${o.entityId.replace(/\/+$/, '')}/acs`, index: 0 }];
  const ui =
    o.displayNames !== undefined || o.logoUrl !== undefined
      ? el('md:Extensions', {}, [
          el('mdui:UIInfo', { 'xmlns:mdui': Ns.mdui }, [
            ...Object.entries(o.displayNames ?? {}).map(([lang, name]) =>
              el('mdui:DisplayName', { 'xml:lang': lang }, [name]),
            ),
            o.logoUrl !== undefined && el('mdui:Logo', { height: '60', width: '80' }, [o.logoUrl]),
          ]),
        ])
      : undefined;
  const children: XmlChild[] = [
    ui,
    ...(o.signingCerts ?? []).map((cert) =>
      el('md:KeyDescriptor', { use: o.keyUse === 'none' ? undefined : (o.keyUse ?? 'signing') }, [
        el('ds:KeyInfo', { 'xmlns:ds': Ns.dsig }, [
          el('ds:X509Data', {}, [el('ds:X509Certificate', {}, [cert])]),
        ]),
      ]),
    ),
    ...(o.slo ?? []).map((s) =>
      el('md:SingleLogoutService', { Binding: s.binding, Location: s.url, ResponseLocation: s.responseUrl }),
    ),
    ...(o.nameIdFormats ?? []).map((f) => el('md:NameIDFormat', {}, [f])),
    ...acs.map((a, i) =>
      el('md:AssertionConsumerService', {
        Binding: a.binding ?? Binding.post,
        Location: a.url,
        index: a.index === undefined ? (o.acs === undefined ? String(i) : undefined) : String(a.index),
        isDefault: asXsBoolean(a.isDefault),
      }),
    ),
  ];
  return el(
    'md:EntityDescriptor',
    { 'xmlns:md': declareNs ? Ns.metadata : undefined, entityID: o.entityId },
    [
      el(
        'md:SPSSODescriptor',
        {
          AuthnRequestsSigned: asXsBoolean(o.authnRequestsSigned),
          WantAssertionsSigned: asXsBoolean(o.wantAssertionsSigned),
          protocolSupportEnumeration: Ns.protocol,
        },
        children,
      ),
      o.organizationDisplayName !== undefined &&
        el('md:Organization', {}, [
          el('md:OrganizationName', { 'xml:lang': 'en' }, [o.organizationDisplayName]),
          el('md:OrganizationDisplayName', { 'xml:lang': 'en' }, [o.organizationDisplayName]),
          el('md:OrganizationURL', { 'xml:lang': 'en' }, ['https://example.org/']),
        ]),
    ],
  );
}

/** An SP EntityDescriptor document. Without `acs`, one HTTP-POST ACS at `<entityId>/acs`, index 0. */
export function spMetadataXml(o: SpMetadataOptions): string {
  const comment =
    o.leadingComment === undefined ? '' : `<!-- ${o.leadingComment.replace(/--/g, '- -')} -->\n`;
  return `<?xml version="1.0" encoding="UTF-8"?>\n${comment}${renderXml(entityDescriptor(o, true))}`;
}

/** An EntitiesDescriptor holding several SPs. */
export function entitiesMetadataXml(sps: readonly SpMetadataOptions[]): string {
  return renderXml(
    el(
      'md:EntitiesDescriptor',
      { 'xmlns:md': Ns.metadata, Name: 'test-federation' },
      sps.map((o) => entityDescriptor(o, false)),
    ),
    { declaration: true },
  );
}

/** A ready test SP: entityID, its first ACS, its keys and metadata. */
export interface TestSp {
  readonly entityId: string;
  readonly acsUrl: string;
  readonly keys: TestKeys;
  readonly metadata: SpMetadataOptions;
  readonly metadataXml: string;
}

/** A test SP with one signing key and a POST ACS; any metadata option can be overridden. */
export function createTestSp(overrides: Partial<SpMetadataOptions> & { keyName?: string } = {}): TestSp {
  const entityId = overrides.entityId ?? 'https://sp.example.org/shibboleth';
  const keys = testKeys(overrides.keyName ?? 'test-sp');
  const acsUrl = 'https://sp.example.org/Shibboleth.sso/SAML2/POST';
  const metadata: SpMetadataOptions = {
    entityId,
    acs: [{ url: acsUrl, index: 1 }],
    signingCerts: [keys.certBase64],
    ...overrides,
  };
  return {
    entityId,
    acsUrl: metadata.acs?.[0]?.url ?? acsUrl,
    keys,
    metadata,
    metadataXml: spMetadataXml(metadata),
  };
}

/** What authnRequestXml can vary; `null` leaves an attribute or element out. */
export interface AuthnRequestOptions {
  readonly issuer: string | null;
  readonly id?: string | null;
  readonly version?: string;
  /** default: now */
  readonly issueInstant?: Date | string | null;
  /** default TEST_SSO_URL */
  readonly destination?: string | null;
  readonly acsUrl?: string;
  readonly acsIndex?: number | string;
  readonly attributeServiceIndex?: number | string;
  readonly forceAuthn?: boolean | string;
  readonly isPassive?: boolean | string;
  /** NameIDPolicy Format; undefined → a NameIDPolicy without Format (as Shibboleth sends), null → no NameIDPolicy */
  readonly nameIdFormat?: string | null;
  readonly spNameQualifier?: string;
  readonly protocolBinding?: string | null;
  readonly subjectNameId?: string;
  readonly requestedAuthnContext?: { readonly comparison?: string; readonly classRefs: readonly string[] };
}

let counter = 0;

/** A fresh request ID. */
export function newRequestId(): string {
  counter += 1;
  return `_req${process.pid}x${Date.now().toString(36)}x${counter}`;
}

/** An AuthnRequest document (no XML declaration), escaped by the IdP's own writer. */
export function authnRequestXml(o: AuthnRequestOptions): string {
  const issueInstant =
    o.issueInstant === null
      ? undefined
      : typeof o.issueInstant === 'string'
        ? o.issueInstant
        : samlTime(o.issueInstant ?? new Date());
  return renderXml(
    el(
      'samlp:AuthnRequest',
      {
        'xmlns:samlp': Ns.protocol,
        'xmlns:saml': Ns.assertion,
        ID: o.id === null ? undefined : (o.id ?? newRequestId()),
        Version: o.version ?? '2.0',
        IssueInstant: issueInstant,
        Destination: o.destination === null ? undefined : (o.destination ?? TEST_SSO_URL),
        AssertionConsumerServiceURL: o.acsUrl,
        AssertionConsumerServiceIndex: o.acsIndex === undefined ? undefined : String(o.acsIndex),
        AttributeConsumingServiceIndex:
          o.attributeServiceIndex === undefined ? undefined : String(o.attributeServiceIndex),
        ForceAuthn: asXsBoolean(o.forceAuthn),
        IsPassive: asXsBoolean(o.isPassive),
        ProtocolBinding: o.protocolBinding === undefined ? Binding.post : (o.protocolBinding ?? undefined),
      },
      [
        o.issuer !== null && el('saml:Issuer', {}, [o.issuer]),
        o.subjectNameId !== undefined &&
          el('saml:Subject', {}, [
            el('saml:NameID', { Format: 'urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified' }, [
              o.subjectNameId,
            ]),
          ]),
        o.nameIdFormat !== null &&
          el('samlp:NameIDPolicy', {
            AllowCreate: '1',
            Format: o.nameIdFormat,
            SPNameQualifier: o.spNameQualifier,
          }),
        o.requestedAuthnContext !== undefined &&
          el(
            'samlp:RequestedAuthnContext',
            { Comparison: o.requestedAuthnContext.comparison },
            o.requestedAuthnContext.classRefs.map((c) => el('saml:AuthnContextClassRef', {}, [c])),
          ),
      ],
    ),
  );
}

/** How to sign on the Redirect binding. */
export interface RedirectSigning {
  readonly privateKeyPem: string;
  /** default RSA-SHA256 */
  readonly sigAlg?: string;
}

const HASH_OF: Record<string, string> = {
  [Alg.rsaSha1]: 'sha1',
  [Alg.rsaSha256]: 'sha256',
  [Alg.rsaSha512]: 'sha512',
};

/** The raw query of an HTTP-Redirect request (SAML bindings §3.4.4): deflated, base64, URL-encoded, maybe signed. */
export function redirectQuery(
  xml: string,
  opts: { relayState?: string; sign?: RedirectSigning; extra?: Readonly<Record<string, string>> } = {},
): string {
  const parts = [
    `SAMLRequest=${encodeURIComponent(deflateRawSync(Buffer.from(xml, 'utf8')).toString('base64'))}`,
  ];
  if (opts.relayState !== undefined) parts.push(`RelayState=${encodeURIComponent(opts.relayState)}`);
  if (opts.sign !== undefined) {
    const sigAlg = opts.sign.sigAlg ?? Alg.rsaSha256;
    parts.push(`SigAlg=${encodeURIComponent(sigAlg)}`);
    const signature = sign(
      HASH_OF[sigAlg] ?? 'sha256',
      Buffer.from(parts.join('&')),
      createPrivateKey(opts.sign.privateKeyPem),
    );
    parts.push(`Signature=${encodeURIComponent(signature.toString('base64'))}`);
  }
  for (const [k, v] of Object.entries(opts.extra ?? {}))
    parts.push(`${encodeURIComponent(k)}=${encodeURIComponent(v)}`);
  return parts.join('&');
}

/** How to sign an XML message (enveloped signature, as on the POST binding). */
export interface XmlSigning {
  readonly privateKeyPem: string;
  readonly certPem?: string;
  /** default RSA-SHA256 */
  readonly signatureAlgorithm?: string;
  /** default SHA-256 */
  readonly digestAlgorithm?: string;
  /** where the signature goes; default right after the root's Issuer */
  readonly location?: { reference: string; action: 'append' | 'prepend' | 'before' | 'after' };
  /** what the Reference covers; default the root element */
  readonly referenceXpath?: string;
}

/** Adds an enveloped ds:Signature to the message with xml-crypto. */
export function signXml(xml: string, s: XmlSigning): string {
  const sig = new SignedXml({
    privateKey: s.privateKeyPem,
    publicCert: s.certPem,
    signatureAlgorithm: s.signatureAlgorithm ?? Alg.rsaSha256,
    canonicalizationAlgorithm: Alg.excC14n,
  });
  sig.addReference({
    xpath: s.referenceXpath ?? '/*',
    transforms: [Alg.envelopedSignature, Alg.excC14n],
    digestAlgorithm: s.digestAlgorithm ?? Alg.sha256,
  });
  sig.computeSignature(xml, {
    prefix: 'ds',
    location: s.location ?? { reference: "/*/*[local-name(.)='Issuer']", action: 'after' },
  });
  return sig.getSignedXml();
}

/** The form of an HTTP-POST request (SAML bindings §3.5.4), optionally signed first. */
export function postForm(
  xml: string,
  opts: { relayState?: string; sign?: XmlSigning } = {},
): Record<string, string> {
  const body = opts.sign === undefined ? xml : signXml(xml, opts.sign);
  return {
    SAMLRequest: Buffer.from(body, 'utf8').toString('base64'),
    ...(opts.relayState === undefined ? {} : { RelayState: opts.relayState }),
  };
}

/** An SsoHttpInput for the Redirect binding. */
export function redirectInput(rawQuery: string, endpointUrl = TEST_SSO_URL): SsoHttpInput {
  return { binding: 'redirect', rawQuery, form: {}, endpointUrl };
}

/** An SsoHttpInput for the POST binding. */
export function postInput(
  form: Readonly<Record<string, string | string[] | undefined>>,
  opts: { rawQuery?: string; endpointUrl?: string } = {},
): SsoHttpInput {
  return {
    binding: 'post',
    rawQuery: opts.rawQuery ?? '',
    form,
    endpointUrl: opts.endpointUrl ?? TEST_SSO_URL,
  };
}

/** Where Debian's simplesamlphp package keeps the OASIS SAML 2.0 schemas. */
export const SCHEMA_DIR = '/usr/share/simplesamlphp/schemas';

/** Runs `xmllint --nonet --noout --schema <SCHEMA_DIR/schemaFile>`; rejects with xmllint's output when invalid. */
export async function validateWithXsd(xml: string, schemaFile: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'xsd-'));
  const file = join(dir, 'doc.xml');
  try {
    await writeFile(file, xml);
    return await new Promise<string>((resolve, reject) => {
      execFile(
        'xmllint',
        ['--nonet', '--noout', '--schema', join(SCHEMA_DIR, schemaFile), file],
        (err, stdout, stderr) => {
          const output = `${stdout}${stderr}`;
          if (err) reject(new Error(`schema validation failed:\n${output}`));
          else resolve(output);
        },
      );
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
