// docs/settings.md shows the code's settings table: a setting added, renamed or changed in src/config/settings/
// without `npm run docs:settings` fails here.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import {
  settingsTableMarkdown,
  TABLE_END,
  TABLE_START,
  withSettingsTable,
} from '../../../src/config/docs-table.ts';
import { ALL_SETTINGS } from '../../../src/config/table.ts';

const docs = readFileSync(join(import.meta.dirname, '../../../docs/settings.md'), 'utf8');

test('the table in docs/settings.md is the one the code makes (run `npm run docs:settings`)', () => {
  const start = docs.indexOf(TABLE_START);
  const end = docs.indexOf(TABLE_END);
  assert.ok(start >= 0 && end > start, 'docs/settings.md keeps its table markers');
  assert.equal(docs.slice(start, end + TABLE_END.length), settingsTableMarkdown());
});

test('every setting has its row; secrets name their _FILE form', () => {
  const table = settingsTableMarkdown();
  for (const setting of ALL_SETTINGS) {
    const variable =
      setting.secret === true ? `\`${setting.name}\` / \`${setting.name}_FILE\`` : `\`${setting.name}\``;
    assert.ok(table.includes(`\n| ${variable} |`), setting.name);
  }
  assert.match(table, /\| `OTP_MAX_ATTEMPTS` \| `5` \| 1 to 5 \|/);
});

test('the prose around the table is kept when the table is written', () => {
  const before = 'intro\n\n';
  const after = '\n\nmore prose\n';
  const written = withSettingsTable(`${before}${TABLE_START}\nold rows\n${TABLE_END}${after}`, 'NEW');
  assert.equal(written, `${before}NEW${after}`);
  assert.throws(() => withSettingsTable('no markers', 'NEW'), /no settings table markers/);
});
