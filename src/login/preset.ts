// Reads E-Ident's `presetid` parameter (docs/contract.md §2, the seed's "Preset phone number and/or name") into locked values.

import { normaliseName } from './names.ts';

/** Values the SP preset; each present field is locked on the identify step. The phone is syntax-checked only. */
export interface Preset {
  readonly phone?: string;
  readonly familyName?: string;
  readonly givenName?: string;
}

/** Why a presetid cannot be used; the SP hears it as a Requester status. */
export type PresetProblem = 'empty' | 'too-long' | 'malformed' | 'bad-phone' | 'bad-name' | 'name-too-long';

/** Longest presetid read (two 100-character names, a phone number, separators and Base64 growth fit well within). */
const MAX_LENGTH = 600;

/** `+`, then 6–15 digits (E.164 allows at most 15 digits including the country code). */
const PHONE = /^\+\d{6,15}$/;

type Parsed = { ok: true; preset: Preset } | { ok: false; reason: PresetProblem };

const BASE64 = /^(?:[A-Za-z0-9+/]+={0,2}|[A-Za-z0-9_-]+={0,2})$/;

function parseName(text: string): Parsed {
  const parts = text.split(',');
  if (parts.length !== 2) return { ok: false, reason: parts.length < 2 ? 'malformed' : 'bad-name' };
  const family = normaliseName(parts[0] ?? '');
  const given = normaliseName(parts[1] ?? '');
  if (!family.ok || !given.ok) {
    const tooLong =
      (!family.ok && family.reason === 'too-long') || (!given.ok && given.reason === 'too-long');
    return { ok: false, reason: tooLong ? 'name-too-long' : 'bad-name' };
  }
  return { ok: true, preset: { familyName: family.value, givenName: given.value } };
}

/**
 * The seed's three forms: `+4612345678`, `Svenson, Anton Erik` (space after the comma optional), and both
 * separated by one space. A leading space before a digit is the `+` a non-encoded URL turned into a space.
 */
function parsePlain(raw: string): Parsed {
  if (/\p{Cc}/u.test(raw)) return { ok: false, reason: 'malformed' };
  const text = (/^ \d/.test(raw) ? `+${raw.slice(1)}` : raw).trimEnd();
  if (text.trim() === '') return { ok: false, reason: 'empty' };
  if (!text.startsWith('+')) return parseName(text);
  const space = text.indexOf(' ');
  const phone = space === -1 ? text : text.slice(0, space);
  if (!PHONE.test(phone)) return { ok: false, reason: 'bad-phone' };
  if (space === -1) return { ok: true, preset: { phone } };
  const name = parseName(text.slice(space + 1));
  return name.ok ? { ok: true, preset: { phone, ...name.preset } } : name;
}

/** Standard or URL-safe Base64 (padding optional) that decodes to valid UTF-8; else undefined. */
function decodeBase64(raw: string): string | undefined {
  // A '+' of standard Base64 in a non-encoded URL arrives as a space.
  const text = raw.replaceAll(' ', '+');
  if (text.length < 4 || text.length % 4 === 1 || !BASE64.test(text)) return undefined;
  const bytes = Buffer.from(text.replaceAll('-', '+').replaceAll('_', '/'), 'base64');
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    return undefined;
  }
}

/**
 * docs/contract.md §2 presetid. If the plain form does not parse but its Base64 decoding does, the decoded value is
 * used. Names are normalised with normaliseName; the phone is only checked for syntax here (SMS rules are
 * phone.ts's, applied by the login service).
 */
export function parsePresetId(
  raw: string,
): { ok: true; preset: Preset } | { ok: false; reason: PresetProblem } {
  if (raw.length > MAX_LENGTH) return { ok: false, reason: 'too-long' };
  const plain = parsePlain(raw);
  if (plain.ok || plain.reason === 'empty') return plain;
  const decoded = decodeBase64(raw);
  if (decoded !== undefined) {
    const fromBase64 = parsePlain(decoded);
    if (fromBase64.ok) return fromBase64;
  }
  return plain;
}
