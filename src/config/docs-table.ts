// The settings table of docs/settings.md, made from the code's table: one table per section.

import { ComputedDefault, type Setting } from './setting.ts';
import { SECTIONS, type Section, settingsOf } from './table.ts';

export const TABLE_START =
  '<!-- settings table: made from src/config/settings/ by `npm run docs:settings`; edit it there -->';
export const TABLE_END = '<!-- end of settings table -->';

const cell = (text: string): string => text.replaceAll('|', '\\|');

/** The default as the docs show it: `—` for none. */
function defaultText(setting: Setting<unknown>): string {
  if (setting.defaultText !== undefined) return setting.defaultText;
  const fallback = setting.default;
  if (fallback === undefined || fallback === '' || fallback instanceof ComputedDefault) return '—';
  if (Array.isArray(fallback)) return fallback.length === 0 ? '—' : `\`${fallback.join(',')}\``;
  return `\`${String(fallback)}\``;
}

/** The variable; a secret shows its `<NAME>_FILE` form too. */
const variable = (s: Setting<unknown>): string =>
  s.secret === true ? `\`${s.name}\` / \`${s.name}_FILE\`` : `\`${s.name}\``;

function sectionTable(section: Section): string {
  const rows = settingsOf(section).map(
    (s) => `| ${variable(s)} | ${cell(defaultText(s))} | ${cell(s.values ?? '')} | ${cell(s.doc)} |`,
  );
  return [
    `### ${section.title}`,
    '',
    '| variable | default | values | meaning |',
    '|---|---|---|---|',
    ...rows,
  ].join('\n');
}

/** Every section's table, between the markers. */
export function settingsTableMarkdown(): string {
  return [TABLE_START, ...SECTIONS.map(sectionTable), TABLE_END].join('\n\n');
}

/** `markdown` with the part between the markers (markers included) replaced by `table`. */
export function withSettingsTable(markdown: string, table: string): string {
  const start = markdown.indexOf(TABLE_START);
  const end = markdown.indexOf(TABLE_END);
  if (start < 0 || end < start) throw new Error('docs/settings.md has no settings table markers');
  return markdown.slice(0, start) + table + markdown.slice(end + TABLE_END.length);
}
