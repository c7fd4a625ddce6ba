// Writes the settings table of docs/settings.md from src/config/settings/ (`npm run docs:settings`).

import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { settingsTableMarkdown, withSettingsTable } from '../src/config/docs-table.ts';

const file = join(import.meta.dirname, '../docs/settings.md');
writeFileSync(file, withSettingsTable(readFileSync(file, 'utf8'), settingsTableMarkdown()));
console.log(`${file}: settings table written`);
