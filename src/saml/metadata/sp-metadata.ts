// Reads SP metadata (an EntityDescriptor or EntitiesDescriptor) into registry entries, tolerating real-SP quirks.

import { X509Certificate } from 'node:crypto';
import {
  attr,
  childrenNamed,
  descendants,
  elementChildren,
  isElement,
  optionalChild,
  text,
  xsBoolean,
  xsDateTime,
} from '../xml/dom.ts';
import { parseXmlStrict } from '../xml/xml-guard.ts';
import { Ns, SAML_PROTOCOL } from '../urn.ts';

/** One AssertionConsumerService of an SP (SAML metadata §2.4.4). */
export interface AcsEndpoint {
  readonly url: string;
  readonly index: number | undefined;
  readonly isDefault: boolean;
  readonly binding: string;
}

/** What SAML metadata cannot express, read from the optional sidecar `<file>.json`. */
export interface SpSettings {
  /** eIDs offered to this SP (default ['nets_sms']) */
  readonly eids: readonly string[];
  readonly defaultLocale?: string;
  /** true: encrypt (a KeyDescriptor without `use` will do); false: never; unset: when a use="encryption" key is listed */
  readonly encryptAssertions?: boolean;
  /** Content encryption to use instead of the one chosen from the SP's md:EncryptionMethod list. */
  readonly encryptionAlgorithm?: 'aes256-gcm' | 'aes128-gcm' | 'aes256-cbc' | 'aes128-cbc';
  /** Unsolicited Responses (`/saml/idp-initiated`) to this SP; off unless true. */
  readonly idpInitiated?: boolean;
  /** Which IdP key signs for this SP during a key rollover; unset follows IDP_SIGN_WITH. */
  readonly signingKey?: 'current' | 'next';
  /** Attributes this SP may receive at most (names of docs/contract.md §4); unset: all, or what its metadata requests. */
  readonly attributes?: readonly string[];
}

/** An SP key usable for encrypting to it (metadata §2.4.1.1) and the algorithms listed with it. */
export interface EncryptionKey {
  /** base64 DER */
  readonly certBase64: string;
  /** md:EncryptionMethod Algorithm values, in document order */
  readonly methods: readonly string[];
  /** true for use="encryption", false for a KeyDescriptor without `use` */
  readonly explicit: boolean;
}

/** A RequestedAttribute of an AttributeConsumingService (metadata §2.4.4.2). */
export interface RequestedAttribute {
  readonly name: string;
  readonly nameFormat: string | undefined;
  readonly isRequired: boolean;
}

/** An AttributeConsumingService of an SP (metadata §2.4.4.1). */
export interface AttributeService {
  readonly index: number;
  readonly isDefault: boolean | undefined;
  readonly requested: readonly RequestedAttribute[];
}

/** A trusted SP as the IdP uses it. */
export interface ServiceProviderEntry {
  readonly entityId: string;
  /** all ACS, any binding, in document order */
  readonly acs: readonly AcsEndpoint[];
  /** base64 DER; KeyDescriptor use="signing" or no use */
  readonly signingCerts: readonly string[];
  /** KeyDescriptor use="encryption" or no use */
  readonly encryptionKeys: readonly EncryptionKey[];
  /** AttributeConsumingService elements, in document order */
  readonly attributeServices: readonly AttributeService[];
  /** xs:boolean: "1"/"true" */
  readonly authnRequestsSigned: boolean;
  readonly wantAssertionsSigned: boolean;
  readonly nameIdFormats: readonly string[];
  readonly sloEndpoints: readonly { binding: string; url: string; responseUrl?: string }[];
  /** mdui:DisplayName (prefer en), else Organization, else entityID host */
  readonly displayName: string;
  /** mdui:DisplayName by primary language subtag (`nb`, `sv`, …), for pages in that language */
  readonly displayNames?: Readonly<Record<string, string>>;
  /** mdui:Logo: an http(s) URL or a `data:image/…` URI */
  readonly logoUrl?: string;
  /** from optional sidecar <file>.json next to <file>.xml */
  readonly settings: SpSettings;
  readonly sourceFile: string;
  /** the earliest validUntil of the descriptor and its groups; past it the SP is not trusted */
  readonly validUntil?: Date;
}

/** Settings an SP gets without a sidecar file. */
export const DEFAULT_SP_SETTINGS: SpSettings = Object.freeze({ eids: Object.freeze(['nets_sms']) });

function httpUrl(value: string | undefined, what: string): string {
  if (value === undefined || value.trim() === '') throw new Error(`${what} has no Location`);
  const v = value.trim();
  let u: URL;
  try {
    u = new URL(v);
  } catch {
    throw new Error(`${what} Location is not a URL`);
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') throw new Error(`${what} Location must be http(s)`);
  return v;
}

function readAcs(sso: Element, entityId: string): AcsEndpoint[] {
  return childrenNamed(sso, Ns.metadata, 'AssertionConsumerService').map((e) => {
    const what = `${entityId}: AssertionConsumerService`;
    const rawIndex = attr(e, 'index');
    let index: number | undefined;
    if (rawIndex !== undefined) {
      if (!/^\s*\d{1,5}\s*$/.test(rawIndex) || Number(rawIndex) > 65535) {
        throw new Error(`${what} index is not an unsignedShort`);
      }
      index = Number(rawIndex);
    }
    return Object.freeze({
      url: httpUrl(attr(e, 'Location'), what),
      index,
      isDefault: xsBoolean(attr(e, 'isDefault'), `${what} isDefault`) ?? false,
      binding: (attr(e, 'Binding') ?? '').trim(),
    });
  });
}

function readSigningCerts(sso: Element, entityId: string): string[] {
  const certs: string[] = [];
  for (const kd of childrenNamed(sso, Ns.metadata, 'KeyDescriptor')) {
    const use = attr(kd, 'use')?.trim();
    if (use !== undefined && use !== 'signing') continue;
    for (const c of descendants(kd, Ns.dsig, 'X509Certificate')) {
      const b64 = (c.textContent ?? '').replace(/\s+/g, '');
      try {
        new X509Certificate(Buffer.from(b64, 'base64'));
      } catch {
        throw new Error(`${entityId}: a KeyDescriptor holds an X509Certificate that cannot be read`);
      }
      if (!certs.includes(b64)) certs.push(b64);
    }
  }
  return certs;
}

function readEncryptionKeys(sso: Element, entityId: string): EncryptionKey[] {
  const keys: EncryptionKey[] = [];
  for (const kd of childrenNamed(sso, Ns.metadata, 'KeyDescriptor')) {
    const use = attr(kd, 'use')?.trim();
    if (use !== undefined && use !== 'encryption') continue;
    const methods = childrenNamed(kd, Ns.metadata, 'EncryptionMethod')
      .map((m) => (attr(m, 'Algorithm') ?? '').trim())
      .filter((m) => m !== '');
    for (const c of descendants(kd, Ns.dsig, 'X509Certificate')) {
      const certBase64 = (c.textContent ?? '').replace(/\s+/g, '');
      try {
        new X509Certificate(Buffer.from(certBase64, 'base64'));
      } catch {
        throw new Error(`${entityId}: a KeyDescriptor holds an X509Certificate that cannot be read`);
      }
      keys.push(
        Object.freeze({ certBase64, methods: Object.freeze(methods), explicit: use === 'encryption' }),
      );
    }
  }
  return keys;
}

function readAttributeServices(sso: Element, entityId: string): AttributeService[] {
  return childrenNamed(sso, Ns.metadata, 'AttributeConsumingService').map((e) => {
    const what = `${entityId}: AttributeConsumingService`;
    const rawIndex = attr(e, 'index') ?? '';
    if (!/^\s*\d{1,5}\s*$/.test(rawIndex) || Number(rawIndex) > 65535) {
      throw new Error(`${what} index is missing or not an unsignedShort`);
    }
    const requested = childrenNamed(e, Ns.metadata, 'RequestedAttribute').map((r) => {
      const name = (attr(r, 'Name') ?? '').trim();
      if (name === '') throw new Error(`${what}: a RequestedAttribute has no Name`);
      return Object.freeze({
        name,
        nameFormat: attr(r, 'NameFormat')?.trim(),
        isRequired: xsBoolean(attr(r, 'isRequired'), `${what} RequestedAttribute isRequired`) ?? false,
      });
    });
    return Object.freeze({
      index: Number(rawIndex),
      isDefault: xsBoolean(attr(e, 'isDefault'), `${what} isDefault`),
      requested: Object.freeze(requested),
    });
  });
}

function pickLang(elements: readonly Element[]): string | undefined {
  const withText = elements.filter((e) => text(e) !== '');
  const en = withText.find((e) => (e.getAttributeNS(Ns.xml, 'lang') ?? '').toLowerCase().startsWith('en'));
  const chosen = en ?? withText[0];
  return chosen === undefined ? undefined : text(chosen);
}

function readUiInfo(sso: Element): {
  displayName?: string;
  displayNames?: Record<string, string>;
  logoUrl?: string;
} {
  const extensions = optionalChild(sso, Ns.metadata, 'Extensions');
  const ui = extensions === undefined ? undefined : childrenNamed(extensions, Ns.mdui, 'UIInfo')[0];
  if (ui === undefined) return {};
  const displayName = pickLang(childrenNamed(ui, Ns.mdui, 'DisplayName'));
  const displayNames: Record<string, string> = {};
  for (const e of childrenNamed(ui, Ns.mdui, 'DisplayName')) {
    const lang = (e.getAttributeNS(Ns.xml, 'lang') ?? '').toLowerCase().split(/[-_]/)[0] ?? '';
    if (/^[a-z]{2,3}$/.test(lang) && text(e) !== '' && !Object.hasOwn(displayNames, lang))
      displayNames[lang] = text(e);
  }
  const logo = childrenNamed(ui, Ns.mdui, 'Logo')
    .map(text)
    .find((u) => /^(https?:\/\/|data:image\/)/i.test(u));
  return { displayName, displayNames: Object.freeze(displayNames), logoUrl: logo };
}

function entityHost(entityId: string): string {
  try {
    const host = new URL(entityId).hostname;
    return host === '' ? entityId : host;
  } catch {
    return entityId;
  }
}

function isSaml2Sp(sso: Element): boolean {
  return (attr(sso, 'protocolSupportEnumeration') ?? '').split(/\s+/).includes(SAML_PROTOCOL);
}

function readEntity(ed: Element, sourceFile: string): ServiceProviderEntry | undefined {
  const entityId = (attr(ed, 'entityID') ?? '').trim();
  if (entityId === '') throw new Error('an EntityDescriptor has no entityID');
  if (entityId.length > 1024)
    throw new Error('an entityID is longer than 1024 characters (SAML core §8.3.6)');
  const sso = childrenNamed(ed, Ns.metadata, 'SPSSODescriptor').find(isSaml2Sp);
  if (sso === undefined) return undefined;

  const ui = readUiInfo(sso);
  const org = optionalChild(ed, Ns.metadata, 'Organization');
  const orgName =
    org === undefined
      ? undefined
      : (pickLang(childrenNamed(org, Ns.metadata, 'OrganizationDisplayName')) ??
        pickLang(childrenNamed(org, Ns.metadata, 'OrganizationName')));

  const slo = childrenNamed(sso, Ns.metadata, 'SingleLogoutService').map((e) => {
    const what = `${entityId}: SingleLogoutService`;
    const responseLocation = attr(e, 'ResponseLocation');
    return Object.freeze({
      binding: (attr(e, 'Binding') ?? '').trim(),
      url: httpUrl(attr(e, 'Location'), what),
      ...(responseLocation === undefined
        ? {}
        : { responseUrl: httpUrl(responseLocation, `${what} Response`) }),
    });
  });

  const entry: ServiceProviderEntry = {
    entityId,
    acs: Object.freeze(readAcs(sso, entityId)),
    signingCerts: Object.freeze(readSigningCerts(sso, entityId)),
    encryptionKeys: Object.freeze(readEncryptionKeys(sso, entityId)),
    attributeServices: Object.freeze(readAttributeServices(sso, entityId)),
    authnRequestsSigned:
      xsBoolean(attr(sso, 'AuthnRequestsSigned'), `${entityId}: AuthnRequestsSigned`) ?? false,
    wantAssertionsSigned:
      xsBoolean(attr(sso, 'WantAssertionsSigned'), `${entityId}: WantAssertionsSigned`) ?? false,
    nameIdFormats: Object.freeze(childrenNamed(sso, Ns.metadata, 'NameIDFormat').map(text)),
    sloEndpoints: Object.freeze(slo),
    displayName: ui.displayName ?? orgName ?? entityHost(entityId),
    ...(ui.displayNames === undefined ? {} : { displayNames: ui.displayNames }),
    ...(ui.logoUrl === undefined ? {} : { logoUrl: ui.logoUrl }),
    settings: DEFAULT_SP_SETTINGS,
    sourceFile,
    ...validUntilOf(ed),
  };
  if (entry.acs.length === 0)
    throw new Error(`${entityId}: the SPSSODescriptor lists no AssertionConsumerService`);
  if (entry.authnRequestsSigned && entry.signingCerts.length === 0) {
    throw new Error(`${entityId}: AuthnRequestsSigned is on but no signing certificate is listed`);
  }
  return Object.freeze(entry);
}

/** The earliest validUntil of the descriptor and the groups around it (metadata §2.3.1: past it, do not use). */
function validUntilOf(ed: Element): { validUntil?: Date } {
  let earliest: Date | undefined;
  for (let node: Node | null = ed; node !== null && node.nodeType === 1; node = node.parentNode) {
    const raw = attr(node as Element, 'validUntil');
    if (raw === undefined) continue;
    const until = xsDateTime(raw);
    if (until === undefined) throw new Error(`validUntil "${raw.slice(0, 40)}" is not an xs:dateTime`);
    if (earliest === undefined || until < earliest) earliest = until;
  }
  return earliest === undefined ? {} : { validUntil: earliest };
}

function collectEntities(node: Element, out: Element[]): void {
  for (const child of elementChildren(node)) {
    if (isElement(child, Ns.metadata, 'EntityDescriptor')) out.push(child);
    else if (isElement(child, Ns.metadata, 'EntitiesDescriptor')) collectEntities(child, out);
  }
}

/** Parse one metadata document (used by load, tests and later a CLI). Throws Error with a clear message. */
export function parseSpMetadata(
  xml: string,
  sourceFile: string,
  /** Given, an SP of an EntitiesDescriptor that cannot be used is reported here and left out, as federations
   * expect (one broken member must not take the others down); not given, it fails the whole document. */
  onSkipped?: (message: string) => void,
): ServiceProviderEntry[] {
  const root = parseXmlStrict(xml).documentElement;
  if (isElement(root, Ns.metadata, 'EntityDescriptor')) {
    const entry = readEntity(root, sourceFile);
    if (entry === undefined) throw new Error('the EntityDescriptor has no SAML 2.0 SPSSODescriptor');
    return [entry];
  }
  if (isElement(root, Ns.metadata, 'EntitiesDescriptor')) {
    const descriptors: Element[] = [];
    collectEntities(root, descriptors);
    const entries: ServiceProviderEntry[] = [];
    const seen = new Set<string>();
    for (const ed of descriptors) {
      try {
        const entry = readEntity(ed, sourceFile);
        if (entry === undefined) continue;
        if (seen.has(entry.entityId)) throw new Error(`${entry.entityId} is described twice`);
        seen.add(entry.entityId);
        entries.push(entry);
      } catch (err) {
        if (onSkipped === undefined) throw err;
        onSkipped(`left out: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
    if (entries.length === 0)
      throw new Error('the EntitiesDescriptor holds no usable SAML 2.0 SPSSODescriptor');
    return entries;
  }
  throw new Error('the root element is not a SAML 2.0 metadata EntityDescriptor or EntitiesDescriptor');
}
