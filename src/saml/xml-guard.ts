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
 * Parses a complete document. Refuses any DOCTYPE/ENTITY declaration (DESIGN.md §4), any warning or
 * error the parser reports, and a document without a root element.
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
  return doc;
}
