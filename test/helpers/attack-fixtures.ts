// Reads a fixture of test/fixtures/attacks and fills in its placeholders (that folder's README.md) with fresh values.

import { readFileSync } from 'node:fs';
import { samlTime } from '../../src/saml/values.ts';
import { newRequestId } from './saml-sp.ts';

const FIXTURES = new URL('../fixtures/attacks/', import.meta.url);

/** The raw text of a fixture (outer whitespace trimmed). */
export function attackFixture(name: string): string {
  return readFileSync(new URL(name, FIXTURES), 'utf8').trim();
}

/** The fixture with `{{ID}}`, `{{NOW}}` and the given values filled in. */
export function fillAttack(name: string, values: Readonly<Record<string, string>>): string {
  const all: Record<string, string> = { ID: newRequestId(), NOW: samlTime(new Date()), ...values };
  return attackFixture(name).replace(/\{\{([A-Z_]+)\}\}/g, (whole, key: string) => all[key] ?? whole);
}
