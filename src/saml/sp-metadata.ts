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
} from './dom.ts';
import { parseXmlStrict } from './xml-guard.ts';
import { Ns, SAML_PROTOCOL } from './urn.ts';

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
}

/** A trusted SP as the IdP uses it. */
export interface ServiceProviderEntry {
  readonly entityId: string;
  /** all ACS, any binding, in document order */
  readonly acs: readonly AcsEndpoint[];
  /** base64 DER; KeyDescriptor use="signing" or no use */
  readonly signingCerts: readonly string[];
  /** xs:boolean: "1"/"true" */
  readonly authnRequestsSigned: boolean;
  readonly wantAssertionsSigned: boolean;
  readonly nameIdFormats: readonly string[];
  readonly sloEndpoints: readonly { binding: string; url: string; responseUrl?: string }[];
  /** mdui:DisplayName (prefer en), else Organization, else entityID host */
  readonly displayName: string;
  /** mdui:Logo */
  readonly logoUrl?: string;
  /** from optional sidecar <file>.json next to <file>.xml */
  readonly settings: SpSettings;
  readonly sourceFile: string;
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

function pickLang(elements: readonly Element[]): string | undefined {
  const withText = elements.filter((e) => text(e) !== '');
  const en = withText.find((e) => (e.getAttributeNS(Ns.xml, 'lang') ?? '').toLowerCase().startsWith('en'));
  const chosen = en ?? withText[0];
  return chosen === undefined ? undefined : text(chosen);
}

function readUiInfo(sso: Element): { displayName?: string; logoUrl?: string } {
  const extensions = optionalChild(sso, Ns.metadata, 'Extensions');
  const ui = extensions === undefined ? undefined : childrenNamed(extensions, Ns.mdui, 'UIInfo')[0];
  if (ui === undefined) return {};
  const displayName = pickLang(childrenNamed(ui, Ns.mdui, 'DisplayName'));
  const logo = childrenNamed(ui, Ns.mdui, 'Logo')
    .map(text)
    .find((u) => /^https?:\/\//i.test(u));
  return { displayName, logoUrl: logo };
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
    authnRequestsSigned:
      xsBoolean(attr(sso, 'AuthnRequestsSigned'), `${entityId}: AuthnRequestsSigned`) ?? false,
    wantAssertionsSigned:
      xsBoolean(attr(sso, 'WantAssertionsSigned'), `${entityId}: WantAssertionsSigned`) ?? false,
    nameIdFormats: Object.freeze(childrenNamed(sso, Ns.metadata, 'NameIDFormat').map(text)),
    sloEndpoints: Object.freeze(slo),
    displayName: ui.displayName ?? orgName ?? entityHost(entityId),
    ...(ui.logoUrl === undefined ? {} : { logoUrl: ui.logoUrl }),
    settings: DEFAULT_SP_SETTINGS,
    sourceFile,
  };
  if (entry.acs.length === 0)
    throw new Error(`${entityId}: the SPSSODescriptor lists no AssertionConsumerService`);
  if (entry.authnRequestsSigned && entry.signingCerts.length === 0) {
    throw new Error(`${entityId}: AuthnRequestsSigned is on but no signing certificate is listed`);
  }
  return Object.freeze(entry);
}

function collectEntities(node: Element, out: Element[]): void {
  for (const child of elementChildren(node)) {
    if (isElement(child, Ns.metadata, 'EntityDescriptor')) out.push(child);
    else if (isElement(child, Ns.metadata, 'EntitiesDescriptor')) collectEntities(child, out);
  }
}

/** Parse one metadata document (used by load, tests and later a CLI). Throws Error with a clear message. */
export function parseSpMetadata(xml: string, sourceFile: string): ServiceProviderEntry[] {
  const root = parseXmlStrict(xml).documentElement;
  if (isElement(root, Ns.metadata, 'EntityDescriptor')) {
    const entry = readEntity(root, sourceFile);
    if (entry === undefined) throw new Error('the EntityDescriptor has no SAML 2.0 SPSSODescriptor');
    return [entry];
  }
  if (isElement(root, Ns.metadata, 'EntitiesDescriptor')) {
    const descriptors: Element[] = [];
    collectEntities(root, descriptors);
    const entries = descriptors
      .map((ed) => readEntity(ed, sourceFile))
      .filter((e): e is ServiceProviderEntry => e !== undefined);
    if (entries.length === 0) throw new Error('the EntitiesDescriptor holds no SAML 2.0 SPSSODescriptor');
    const seen = new Set<string>();
    for (const e of entries) {
      if (seen.has(e.entityId)) throw new Error(`${e.entityId} is described twice`);
      seen.add(e.entityId);
    }
    return entries;
  }
  throw new Error('the root element is not a SAML 2.0 metadata EntityDescriptor or EntitiesDescriptor');
}

/** Reads a sidecar settings file's JSON text; throws Error naming the bad key. */
export function parseSpSettings(json: string): SpSettings {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    throw new Error('the settings file is not valid JSON');
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw new Error('the settings file must hold an object');
  const obj = raw as Record<string, unknown>;
  for (const key of Object.keys(obj)) {
    if (key !== 'eids' && key !== 'defaultLocale')
      throw new Error(`unknown setting "${key}" (known: eids, defaultLocale)`);
  }
  let eids = DEFAULT_SP_SETTINGS.eids;
  if (obj.eids !== undefined) {
    if (
      !Array.isArray(obj.eids) ||
      obj.eids.length === 0 ||
      !obj.eids.every((e) => typeof e === 'string' && /^[a-z0-9_:-]{1,64}$/i.test(e))
    ) {
      throw new Error('"eids" must be a non-empty list of eID names such as "nets_sms"');
    }
    eids = Object.freeze([...(obj.eids as string[])]);
  }
  if (
    obj.defaultLocale !== undefined &&
    (typeof obj.defaultLocale !== 'string' || !/^[a-z]{2}([_-][A-Za-z]{2})?$/.test(obj.defaultLocale))
  ) {
    throw new Error('"defaultLocale" must be a locale such as "nb" or "en_GB"');
  }
  return Object.freeze({
    eids,
    ...(obj.defaultLocale === undefined ? {} : { defaultLocale: obj.defaultLocale as string }),
  });
}
