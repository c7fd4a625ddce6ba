// The XML writer escapes every value so a parser reads back exactly what was written.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { el, escapeAttr, escapeText, renderXml } from '../../../../src/saml/xml/xml-writer.ts';
import { parseXmlStrict } from '../../../../src/saml/xml/xml-guard.ts';

describe('xml-writer', () => {
  test('attributes and text round-trip through a parser, markup and whitespace included', () => {
    const attr = 'a&b<c>"d\'\te\nf';
    const text = 'x & y < z > w "q" \'s\'';
    const xml = renderXml(el('r', { v: attr }, [el('t', {}, [text])]));
    const root = parseXmlStrict(xml).documentElement!;
    assert.equal(root.getAttribute('v'), attr);
    assert.equal(root.firstChild?.textContent, text);
  });

  test('an injected element in a value stays text', () => {
    const xml = renderXml(el('r', {}, ['</r><evil/>']));
    const root = parseXmlStrict(xml).documentElement!;
    assert.equal(root.childNodes.length, 1);
    assert.equal(root.textContent, '</r><evil/>');
  });

  test('characters XML 1.0 forbids are dropped; CR in text becomes LF', () => {
    assert.equal(escapeText('a\u0000b\u0007c\uFFFEd\uD800e'), 'abcde');
    assert.equal(escapeText('a\r\nb\rc'), 'a\nb\nc');
    assert.equal(escapeAttr('a\r\n'), 'a&#13;&#10;');
  });

  test('each character that needs work is found alone in an otherwise plain value (no shortcut skips it)', () => {
    // One special character at a time, amid text the writer leaves as it is.
    const cases: [string, string, string][] = [
      ['&', '&amp;', '&amp;'],
      ['<', '&lt;', '&lt;'],
      ['>', '&gt;', '&gt;'],
      ['"', '"', '&quot;'],
      ['\t', '\t', '&#9;'],
      ['\r', '\n', '&#13;'],
      ['\uFFFF', '', ''],
      ['\uDC00', '', ''],
      ['\u{1D11E}', '\u{1D11E}', '\u{1D11E}'],
    ];
    for (const [raw, text, attr] of cases) {
      assert.equal(escapeText(`Kari ${raw} Nordmann`), `Kari ${text} Nordmann`, JSON.stringify(raw));
      assert.equal(escapeAttr(`Kari ${raw} Nordmann`), `Kari ${attr} Nordmann`, JSON.stringify(raw));
    }
    assert.equal(escapeAttr("æøå 'Zoë' +47 412 34 567"), "æøå 'Zoë' +47 412 34 567");
  });

  test('undefined attributes and false/undefined children are left out; empty elements self-close', () => {
    assert.equal(
      renderXml(el('a', { x: undefined, y: '1' }, [false, undefined, el('b')])),
      '<a y="1"><b/></a>',
    );
  });

  test('the declaration is optional', () => {
    assert.equal(renderXml(el('a'), { declaration: true }), '<?xml version="1.0" encoding="UTF-8"?><a/>');
  });
});
