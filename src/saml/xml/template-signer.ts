// Signs element trees we built ourselves without parsing them: exclusive c14n computed from the tree, one RSA sign.
// Several times faster than parse → XPath → canonicalise → re-serialise (docs/design.md §5), and the same bytes a verifier
// canonicalises (xml-exc-c14n §3; XML-DSig §6.6.4 enveloped transform).

import { createHash, sign } from 'node:crypto';
import type { IdpKeys } from '../keys/keys.ts';
import { Alg, Ns } from '../urn.ts';
import { el, PLAIN_XML_TEXT, type XmlChild, type XmlElement } from './xml-writer.ts';

// Same character rules as the writer, so canonical text equals what a parser reads back from our output.
const NOT_XML_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

function c14nText(value: string): string {
  if (PLAIN_XML_TEXT.test(value)) return value;
  return value
    .replace(NOT_XML_CHAR, '')
    .replace(/\r\n?/g, '\n')
    .replace(/[&<>]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : '&gt;'));
}

function c14nAttr(value: string): string {
  if (PLAIN_XML_TEXT.test(value)) return value;
  return value
    .replace(NOT_XML_CHAR, '')
    .replace(/[&<"\t\n\r]/g, (c) =>
      c === '&'
        ? '&amp;'
        : c === '<'
          ? '&lt;'
          : c === '"'
            ? '&quot;'
            : `&#x${c.charCodeAt(0).toString(16).toUpperCase()};`,
    );
}

function prefixOf(qname: string): string {
  const colon = qname.indexOf(':');
  return colon === -1 ? '' : qname.slice(0, colon);
}

function localOf(qname: string): string {
  return qname.slice(qname.indexOf(':') + 1);
}

/** The namespace declarations an element carries (`xmlns:p` attributes), prefix → URI. */
export function declaredNamespaces(node: XmlElement): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(node.attrs ?? {})) {
    if (value !== undefined && key.startsWith('xmlns:')) out.set(key.slice(6), value);
  }
  return out;
}

function liveChildren(node: XmlElement): (XmlElement | string)[] {
  return (node.children ?? []).filter((c): c is XmlElement | string => c !== undefined && c !== false);
}

interface C14nAttr {
  readonly uri: string;
  readonly local: string;
  readonly qname: string;
  readonly value: string;
}

// Namespace URI first, then local name (xml-exc-c14n via c14n §4.2); no two attributes of one element tie.
const byNamespaceThenName = (a: C14nAttr, b: C14nAttr) =>
  a.uri === b.uri ? (a.local < b.local ? -1 : 1) : a.uri < b.uri ? -1 : 1;

/**
 * Writes `node` in exclusive canonical form. `inScope`: prefixes declared by ancestors in the tree; `rendered`:
 * those an output ancestor already wrote. Both maps are shared down the tree and copied only where an element
 * changes them (most elements declare nothing and reuse their parent's), since this runs for every element
 * signed.
 */
function canonicalInto(
  node: XmlElement,
  inScope: ReadonlyMap<string, string>,
  rendered: ReadonlyMap<string, string>,
  out: string[],
): void {
  const entries = node.attrs === undefined ? [] : Object.entries(node.attrs);
  let scope = inScope;
  for (const [key, value] of entries) {
    if (value === undefined || !key.startsWith('xmlns:')) continue;
    if (scope === inScope) scope = new Map(inScope);
    (scope as Map<string, string>).set(key.slice(6), value);
  }
  const elementPrefix = prefixOf(node.name);
  if (elementPrefix === '') throw new Error(`canonical form needs prefixed element names (${node.name})`);
  const used = [elementPrefix];
  const attrs: C14nAttr[] = [];
  for (const [qname, value] of entries) {
    if (value === undefined || qname.startsWith('xmlns')) continue;
    const p = prefixOf(qname);
    if (p !== '' && p !== 'xml' && !used.includes(p)) used.push(p);
    const uri = p === '' ? '' : p === 'xml' ? Ns.xml : (scope.get(p) ?? '');
    attrs.push({ uri, local: localOf(qname), qname, value });
  }
  if (used.length > 1) used.sort();
  let nextRendered = rendered;
  out.push('<', node.name);
  for (const p of used) {
    const uri = scope.get(p);
    if (uri === undefined) throw new Error(`undeclared prefix ${p} on ${node.name}`);
    if (rendered.get(p) !== uri) {
      out.push(' xmlns:', p, '="', c14nAttr(uri), '"');
      if (nextRendered === rendered) nextRendered = new Map(rendered);
      (nextRendered as Map<string, string>).set(p, uri);
    }
  }
  if (attrs.length > 1) attrs.sort(byNamespaceThenName);
  for (const a of attrs) out.push(' ', a.qname, '="', c14nAttr(a.value), '"');
  out.push('>');
  for (const child of node.children ?? []) {
    if (child === undefined || child === false) continue;
    if (typeof child === 'string') out.push(c14nText(child));
    else canonicalInto(child, scope, nextRendered, out);
  }
  out.push('</', node.name, '>');
}

/**
 * Exclusive canonical form (no comments, empty InclusiveNamespaces) of `node` as the apex of the signed subset.
 * `inScope` are the namespaces its ancestors declare.
 */
export function canonicalXml(node: XmlElement, inScope: ReadonlyMap<string, string> = new Map()): string {
  const out: string[] = [];
  canonicalInto(node, inScope, new Map(), out);
  return out.join('');
}

/**
 * Returns `node` with an enveloped ds:Signature (RSA-SHA256, SHA-256, exclusive c14n) inserted right after its
 * Issuer child, as the SAML schema orders it. `node` must carry its ID attribute; `inScope` as for canonicalXml.
 */
export function signElement(
  node: XmlElement,
  keys: IdpKeys,
  inScope: ReadonlyMap<string, string> = new Map(),
): XmlElement {
  const id = node.attrs?.ID;
  if (id === undefined) throw new Error(`${node.name} has no ID to sign`);
  const digest = createHash('sha256').update(canonicalXml(node, inScope), 'utf8').digest('base64');
  const signedInfo = el('ds:SignedInfo', {}, [
    el('ds:CanonicalizationMethod', { Algorithm: Alg.excC14n }),
    el('ds:SignatureMethod', { Algorithm: Alg.rsaSha256 }),
    el('ds:Reference', { URI: `#${id}` }, [
      el('ds:Transforms', {}, [
        el('ds:Transform', { Algorithm: Alg.envelopedSignature }),
        el('ds:Transform', { Algorithm: Alg.excC14n }),
      ]),
      el('ds:DigestMethod', { Algorithm: Alg.sha256 }),
      el('ds:DigestValue', {}, [digest]),
    ]),
  ]);
  const signatureScope = new Map(inScope);
  for (const [p, uri] of declaredNamespaces(node)) signatureScope.set(p, uri);
  signatureScope.set('ds', Ns.dsig);
  const signatureValue = sign(
    'sha256',
    Buffer.from(canonicalXml(signedInfo, signatureScope), 'utf8'),
    keys.privateKey,
  );
  const signature = el('ds:Signature', { 'xmlns:ds': Ns.dsig }, [
    signedInfo,
    el('ds:SignatureValue', {}, [signatureValue.toString('base64')]),
    el('ds:KeyInfo', {}, [el('ds:X509Data', {}, [el('ds:X509Certificate', {}, [keys.certBase64])])]),
  ]);
  const children = liveChildren(node);
  const issuerAt = children.findIndex((c) => typeof c !== 'string' && localOf(c.name) === 'Issuer');
  const withSignature: XmlChild[] = [...children];
  withSignature.splice(issuerAt + 1, 0, signature);
  return { ...node, children: withSignature };
}
