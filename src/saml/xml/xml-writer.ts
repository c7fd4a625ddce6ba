// Builds XML text from a small element tree; every attribute value and text is escaped here, never concatenated raw.

/** An element to write. `name` is a trusted qualified name from our code; values and text are escaped. */
export interface XmlElement {
  readonly name: string;
  readonly attrs?: Readonly<Record<string, string | undefined>>;
  readonly children?: readonly XmlChild[];
}

/** Text, an element, or nothing (`undefined`/`false` are skipped, so optional parts read naturally). */
export type XmlChild = XmlElement | string | undefined | false;

/** Shorthand for an XmlElement; attributes whose value is undefined are left out. */
export function el(
  name: string,
  attrs?: Readonly<Record<string, string | undefined>>,
  children?: readonly XmlChild[],
): XmlElement {
  return { name, attrs, children };
}

// Characters XML 1.0 forbids (§2.2), lone surrogates included; they are dropped rather than written.
const NOT_XML_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/**
 * Text that no escaping changes, in the writer or in canonical form: no markup or quote characters, no control
 * characters, no surrogates (astral characters take the full path), no U+FFFE/U+FFFF. Most values are like this.
 */
export const PLAIN_XML_TEXT = /^[\u0020\u0021\u0023-\u0025\u0027-\u003B\u003D\u003F-\uD7FF\uE000-\uFFFD]*$/;

/** Escapes text content. CR is normalised to LF as a parser would, so signed text survives a round trip. */
export function escapeText(value: string): string {
  if (PLAIN_XML_TEXT.test(value)) return value;
  return value
    .replace(NOT_XML_CHAR, '')
    .replace(/\r\n?/g, '\n')
    .replace(/[&<>]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : '&gt;'));
}

/** Escapes an attribute value; whitespace other than space becomes a character reference (XML 1.0 §3.3.3). */
export function escapeAttr(value: string): string {
  if (PLAIN_XML_TEXT.test(value)) return value;
  return value.replace(NOT_XML_CHAR, '').replace(/[&<>"\t\n\r]/g, (c) => {
    switch (c) {
      case '&':
        return '&amp;';
      case '<':
        return '&lt;';
      case '>':
        return '&gt;';
      case '"':
        return '&quot;';
      default:
        return `&#${c.charCodeAt(0)};`;
    }
  });
}

function write(node: XmlElement, out: string[]): void {
  out.push('<', node.name);
  for (const [key, value] of Object.entries(node.attrs ?? {})) {
    if (value !== undefined) out.push(' ', key, '="', escapeAttr(value), '"');
  }
  const children = (node.children ?? []).filter(
    (c): c is XmlElement | string => c !== undefined && c !== false,
  );
  if (children.length === 0) {
    out.push('/>');
    return;
  }
  out.push('>');
  for (const child of children) {
    if (typeof child === 'string') out.push(escapeText(child));
    else write(child, out);
  }
  out.push('</', node.name, '>');
}

/** Serialises a tree, optionally with the UTF-8 XML declaration. */
export function renderXml(root: XmlElement, opts: { declaration?: boolean } = {}): string {
  const out: string[] = opts.declaration ? ['<?xml version="1.0" encoding="UTF-8"?>'] : [];
  write(root, out);
  return out.join('');
}
