// What the table says about variable names: which are ours, which may come from `<NAME>_FILE`, which prefixes we own.

import { ALL_SETTINGS, SECTIONS } from './table.ts';

/** Settings that hold a secret (a URL may carry a password or token): each may instead be `<NAME>_FILE`. */
export const SECRET_SETTINGS: readonly string[] = ALL_SETTINGS.filter((s) => s.secret === true)
  .map((s) => s.name)
  .sort();

/** Prefixes of variables that belong to us; an unknown one with such a prefix is a typo worth stopping for. */
export const OWN_PREFIXES: readonly string[] = SECTIONS.flatMap((section) => section.prefixes);

const FIXED_NAMES: ReadonlySet<string> = new Set([
  ...ALL_SETTINGS.filter((s) => s.pattern === undefined).map((s) => s.name),
  ...SECRET_SETTINGS.map((name) => `${name}_FILE`),
]);
const FAMILIES: readonly RegExp[] = ALL_SETTINGS.flatMap((s) => (s.pattern === undefined ? [] : [s.pattern]));

/** Every variable of `env` that is one of our settings, with every fixed setting name (for suggestions). */
export function knownNames(env: Record<string, string | undefined>): ReadonlySet<string> {
  const family = Object.keys(env).filter((key) => FAMILIES.some((pattern) => pattern.test(key)));
  return new Set([...FIXED_NAMES, ...family]);
}
