// Checks an SP metadata document before it is registered: the OASIS schema, the IdP's own parser and rules, the
// signature when a signer certificate is given, validUntil, and certificates.

import { attr, elementChildren, isElement, xsDateTime } from '../saml/xml/dom.ts';
import { MetadataSignatureError, verifyMetadataSignature } from '../saml/metadata/metadata-signature.ts';
import { parseSpMetadata, type ServiceProviderEntry } from '../saml/metadata/sp-metadata.ts';
import { Ns } from '../saml/urn.ts';
import { parseXmlStrict } from '../saml/xml/xml-guard.ts';
import { describeSp, spFindings } from './describe.ts';
import type { Finding } from './io.ts';
import { type SchemaResult, validateMetadataSchema } from './xsd.ts';

/** What `sp add` learned about a document. */
export interface Validation {
  /** the SPs it describes (empty when it cannot be read) */
  readonly entries: readonly ServiceProviderEntry[];
  readonly schema: SchemaResult;
  /** 'verified' with a signer certificate, else whether the document carries a signature at all */
  readonly signature: 'verified' | 'present, not checked' | 'none';
  readonly findings: readonly Finding[];
}

function hasRootSignature(xml: string): boolean {
  try {
    const root = parseXmlStrict(xml).documentElement!;
    return elementChildren(root).some((e) => isElement(e, Ns.dsig, 'Signature'));
  } catch {
    return false;
  }
}

/** validUntil of the root and of each EntityDescriptor: past is an error, within `days` a warning. */
export function validUntilFindings(xml: string, source: string, now: Date, days: number): Finding[] {
  const findings: Finding[] = [];
  const visit = (node: Element) => {
    const until = attr(node, 'validUntil');
    const date = until === undefined ? undefined : xsDateTime(until);
    const entityId = attr(node, 'entityID');
    const at = { source, ...(entityId === undefined ? {} : { entityId }) };
    if (until !== undefined && date === undefined) {
      findings.push({ level: 'error', ...at, message: `validUntil "${until}" is not an xs:dateTime` });
    } else if (date !== undefined && date.getTime() <= now.getTime()) {
      findings.push({ level: 'error', ...at, message: `the metadata expired at ${until} (validUntil)` });
    } else if (date !== undefined && date.getTime() - now.getTime() < days * 86_400_000) {
      findings.push({ level: 'warning', ...at, message: `the metadata expires at ${until} (validUntil)` });
    }
    for (const child of elementChildren(node)) {
      if (
        isElement(child, Ns.metadata, 'EntityDescriptor') ||
        isElement(child, Ns.metadata, 'EntitiesDescriptor')
      ) {
        visit(child);
      }
    }
  };
  try {
    visit(parseXmlStrict(xml).documentElement!);
  } catch {
    // parseSpMetadata reports a document that does not parse
  }
  return findings;
}

/**
 * Validates `xml` (from `source`, a file or URL). With `signerCerts` the root signature must verify and the SPs
 * are read from the signed content only. Errors mean the document must not be registered; warnings do not.
 */
export async function validateSpDocument(
  xml: string,
  source: string,
  opts: { now: Date; days: number; schemaDir?: string; signerCerts?: readonly string[] },
): Promise<Validation> {
  const findings: Finding[] = [];
  const schema = await validateMetadataSchema(xml, opts.schemaDir);
  if (schema.status === 'invalid') {
    findings.push({
      level: 'error',
      source,
      message: `not valid against the SAML metadata schema:\n${schema.detail}`,
    });
  } else if (schema.status === 'skipped') {
    findings.push({ level: 'warning', source, message: `schema check skipped: ${schema.detail}` });
  }
  let content = xml;
  let signature: Validation['signature'] = hasRootSignature(xml) ? 'present, not checked' : 'none';
  if (opts.signerCerts !== undefined) {
    try {
      content = verifyMetadataSignature(xml, opts.signerCerts);
      signature = 'verified';
    } catch (err) {
      const kind = err instanceof MetadataSignatureError ? err.kind : 'bad-signature';
      findings.push({ level: 'error', source, message: `signature ${kind}: ${(err as Error).message}` });
      return { entries: [], schema, signature, findings };
    }
  }
  let entries: ServiceProviderEntry[] = [];
  try {
    entries = parseSpMetadata(content, source);
  } catch (err) {
    findings.push({ level: 'error', source, message: (err as Error).message });
  }
  for (const entry of entries) {
    findings.push(...spFindings(describeSp(entry, source, opts.now), entry, opts.days, 'warning'));
  }
  findings.push(...validUntilFindings(content, source, opts.now, opts.days));
  return { entries, schema, signature, findings };
}
