// Normalises a person's name part (given names or family name) as typed or preset, and refuses unsafe text.

/** Longest name part accepted, in characters (code points) after normalisation. */
export const NAME_MAX_LENGTH = 100;

/** Raw input longer than this is refused before any work is done on it. */
const RAW_MAX_LENGTH = 1000;

/**
 * Control, format (incl. bidi overrides U+202A–U+202E, isolates U+2066–U+2069, zero-width characters), surrogate,
 * private-use and unassigned code points. Line/paragraph separators count as whitespace instead.
 */
const FORBIDDEN = /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}]/u;

/** Whitespace collapsed to one space: every Unicode space and the ASCII tab/line controls a paste can bring. */
const WHITESPACE = /[\p{Zs}\p{Zl}\p{Zp}\t\n\v\f\r]+/gu;

export type NameProblem = 'required' | 'too-long' | 'invalid';

/**
 * NFC, trimmed, inner whitespace collapsed to one space. Refused: empty (`required`), over NAME_MAX_LENGTH code
 * points (`too-long`), any control/format/unassigned character or no letter at all (`invalid`). The seed does not
 * validate names further, so any script, digits and punctuation are kept as typed.
 */
export function normaliseName(raw: string): { ok: true; value: string } | { ok: false; reason: NameProblem } {
  if (raw.length > RAW_MAX_LENGTH) return { ok: false, reason: 'too-long' };
  const value = raw.normalize('NFC').replace(WHITESPACE, ' ').trim();
  if (value === '') return { ok: false, reason: 'required' };
  if (FORBIDDEN.test(value)) return { ok: false, reason: 'invalid' };
  if (!/\p{L}/u.test(value)) return { ok: false, reason: 'invalid' };
  if ([...value].length > NAME_MAX_LENGTH) return { ok: false, reason: 'too-long' };
  return { ok: true, value };
}
