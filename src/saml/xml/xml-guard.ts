// Parses untrusted XML safely: no DTD of any kind (XXE, entity expansion), no parse error tolerated.

import { DOMParser } from '@xmldom/xmldom';

/** The XML cannot be accepted; the message names the problem without echoing the document. */
export class XmlRejectedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'XmlRejectedError';
  }
}

// Any markup declaration other than a comment or CDATA section: <!DOCTYPE, <!ENTITY, <!ELEMENT, <!ATTLIST, ...
const MARKUP_DECLARATION = /<!(?!--|\[CDATA\[)/;

/**
 * Parses a complete document. Refuses any DOCTYPE/ENTITY declaration (docs/design.md §4), any warning or
 * error the parser reports, undeclared namespace prefixes, and a document without a root element.
 */
export function parseXmlStrict(xml: string): Document {
  if (MARKUP_DECLARATION.test(xml))
    throw new XmlRejectedError('XML with a DOCTYPE or other markup declaration');
  const problems: string[] = [];
  const report = (level: string) => (message: string) => {
    problems.push(`${level}: ${String(message).split('\n')[0]}`);
  };
  const doc = new DOMParser({
    errorHandler: { warning: report('warning'), error: report('error'), fatalError: report('fatal') },
  }).parseFromString(xml, 'text/xml');
  if (problems.length > 0) throw new XmlRejectedError(`XML is not well-formed (${problems[0]})`);
  if (!doc?.documentElement) throw new XmlRejectedError('XML has no root element');
  assertNamespacesBound(doc.documentElement);
  return doc;
}

/** Namespaces in XML §5: every prefix used must be declared; the parser would give such nodes no namespace. */
function assertNamespacesBound(root: Element): void {
  const stack: Element[] = [root];
  for (let e = stack.pop(); e !== undefined; e = stack.pop()) {
    if (e.prefix && !e.namespaceURI) throw new XmlRejectedError('XML uses an undeclared namespace prefix');
    for (const a of Array.from(e.attributes)) {
      if (a.prefix && a.prefix !== 'xmlns' && !a.namespaceURI) {
        throw new XmlRejectedError('XML uses an undeclared namespace prefix');
      }
    }
    for (let c = e.firstChild; c !== null; c = c.nextSibling) if (c.nodeType === 1) stack.push(c as Element);
  }
}
