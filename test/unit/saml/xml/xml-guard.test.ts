// Untrusted XML parsing: DTDs of any kind and any parser complaint are refused.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DOMParser } from '@xmldom/xmldom';
import { parseXmlStrict, XmlRejectedError } from '../../../../src/saml/xml/xml-guard.ts';

/** What the bare parser complains about; an empty list means it would accept the document. */
function bareParserProblems(xml: string): string[] {
  const problems: string[] = [];
  const report = (message: string) => {
    problems.push(String(message));
  };
  const doc = new DOMParser({
    errorHandler: { warning: report, error: report, fatalError: report },
  }).parseFromString(xml, 'text/xml');
  if (!doc?.documentElement) problems.push('no root');
  return problems;
}

describe('parseXmlStrict', () => {
  test('parses a well-formed document with comments and CDATA', () => {
    const doc = parseXmlStrict('<?xml version="1.0"?><!-- c --><a><![CDATA[x<y]]></a>');
    assert.equal(doc.documentElement?.textContent, 'x<y');
  });

  // Each of these is a document the parser itself accepts without complaint, so only the DTD guard refuses it.
  for (const [name, xml] of [
    ['a DOCTYPE', '<!DOCTYPE a><a/>'],
    ['an external entity', '<!DOCTYPE a [<!ENTITY x SYSTEM "file:///etc/passwd">]><a/>'],
    ['an external DTD', '<!DOCTYPE a SYSTEM "http://evil.example/x.dtd"><a/>'],
    ['a parameter entity', '<!DOCTYPE a [<!ENTITY % p SYSTEM "http://evil.example/x.dtd"> %p;]><a/>'],
    ['a markup declaration inside an element', '<a><!ELEMENT a ANY></a>'],
  ] as const) {
    test(`refuses ${name} because it declares markup (the bare parser would accept it)`, () => {
      assert.deepEqual(
        bareParserProblems(xml),
        [],
        'the fixture must pass the parser, or the guard is not what refuses it',
      );
      assert.throws(() => parseXmlStrict(xml), {
        name: 'XmlRejectedError',
        message: 'XML with a DOCTYPE or other markup declaration',
      });
    });
  }

  test('refuses an entity that is declared and used, before the parser sees it', () => {
    assert.throws(() => parseXmlStrict('<!DOCTYPE a [<!ENTITY x SYSTEM "file:///etc/passwd">]><a>&x;</a>'), {
      message: 'XML with a DOCTYPE or other markup declaration',
    });
  });

  for (const [name, xml, reason] of [
    ['an undeclared entity', '<a>&x;</a>', /^XML is not well-formed/],
    ['two roots', '<a/><b/>', /^XML is not well-formed/],
    ['an unclosed element', '<a><b></a>', /^XML is not well-formed/],
    ['an unbound prefix', '<x:a/>', /^XML uses an undeclared namespace prefix$/],
    ['an unbound attribute prefix', '<a x:b="1"/>', /^XML uses an undeclared namespace prefix$/],
    ['no element at all', '   ', /^XML (is not well-formed|has no root element)/],
  ] as const) {
    test(`refuses ${name}`, () => {
      assert.throws(
        () => parseXmlStrict(xml),
        (error: unknown) => {
          assert.ok(error instanceof XmlRejectedError);
          assert.match(error.message, reason);
          return true;
        },
      );
    });
  }
});
