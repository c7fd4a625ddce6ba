// Small readers over an xmldom tree: namespaced children, attributes, xs:boolean and xs:dateTime values.

import { XmlRejectedError } from './xml-guard.ts';

/** The element children of a node, in document order. */
export function elementChildren(node: Node): Element[] {
  const out: Element[] = [];
  for (let c = node.firstChild; c !== null; c = c.nextSibling) {
    if (c.nodeType === 1) out.push(c as Element);
  }
  return out;
}

/** True when the element has this namespace and local name. */
export function isElement(node: Element, ns: string, localName: string): boolean {
  return node.namespaceURI === ns && node.localName === localName;
}

/** Element children with this namespace and local name. */
export function childrenNamed(node: Node, ns: string, localName: string): Element[] {
  return elementChildren(node).filter((e) => isElement(e, ns, localName));
}

/** The single child with this name, or undefined; more than one is a structural error. */
export function optionalChild(node: Node, ns: string, localName: string): Element | undefined {
  const found = childrenNamed(node, ns, localName);
  if (found.length > 1) throw new XmlRejectedError(`more than one ${localName} element`);
  return found[0];
}

/** Every descendant element with this namespace (or any, with '*') and local name. */
export function descendants(node: Document | Element, ns: string, localName: string): Element[] {
  return Array.from(node.getElementsByTagNameNS(ns, localName));
}

/** An attribute value, or undefined when the attribute is absent (not the empty string). */
export function attr(node: Element, name: string): string | undefined {
  return node.hasAttribute(name) ? node.getAttribute(name)! : undefined;
}

/** The element's text with surrounding whitespace trimmed; all text nodes count, comments do not. */
export function text(node: Element): string {
  return (node.textContent ?? '').trim();
}

/** Reads an xs:boolean ("true", "false", "1", "0", whitespace collapsed); undefined when absent. */
export function xsBoolean(value: string | undefined, what: string): boolean | undefined {
  if (value === undefined) return undefined;
  const v = value.trim();
  if (v === 'true' || v === '1') return true;
  if (v === 'false' || v === '0') return false;
  throw new XmlRejectedError(`${what} is not an xs:boolean`);
}

const DATE_TIME = /^-?\d{4,}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)?$/;

/**
 * Reads an xs:dateTime. SAML core §1.3.3 wants UTC; a value without a zone is read as UTC.
 * Returns undefined for anything that is not a valid date-time.
 */
export function xsDateTime(value: string): Date | undefined {
  const v = value.trim();
  const m = DATE_TIME.exec(v);
  if (m === null) return undefined;
  const ms = Date.parse(m[2] === undefined ? `${v}Z` : v);
  return Number.isNaN(ms) ? undefined : new Date(ms);
}
