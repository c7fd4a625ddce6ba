// Admin JSON files (SP sidecars, remote sources) read against a small table of fields: every problem is listed.

import type { Parsed } from './setting.ts';

/** One key of a JSON file: how its value is checked, and what an absent key means. */
export interface FileField<T> {
  readonly check: (value: unknown, key: string) => Parsed<T>;
  readonly default: T;
  /** An absent key is checked too (as undefined), so its check names it as missing. */
  readonly required?: boolean;
}

export type FieldTable = Readonly<Record<string, FileField<unknown>>>;

/** What a file's fields yield, absent keys at their defaults. */
export type FieldValues<Table extends FieldTable> = {
  readonly [Key in keyof Table]: Table[Key] extends FileField<infer T> ? T : never;
};

/** Every field of `object`, and every problem: unknown keys (by `unknownKey`) and values their field refuses. */
export function readFields<Table extends FieldTable>(
  object: Readonly<Record<string, unknown>>,
  table: Table,
  unknownKey: (key: string, known: string) => string,
): { values: FieldValues<Table>; problems: string[] } {
  const known = Object.keys(table);
  const problems = Object.keys(object)
    .filter((key) => !known.includes(key))
    .map((key) => unknownKey(key, known.join(', ')));
  const entries = Object.entries(table).map(([key, field]): [string, unknown] => {
    const raw = object[key];
    if (raw === undefined && field.required !== true) return [key, field.default];
    const checked = field.check(raw, key);
    if ('value' in checked) return [key, checked.value];
    problems.push(checked.problem);
    return [key, field.default];
  });
  // Keys without a value stay out, so a file reads back as written. Each value was made by its own field (or is
  // that field's default), so it has that field's type.
  const values = Object.fromEntries(entries.filter(([, value]) => value !== undefined)) as FieldValues<Table>;
  return { values, problems };
}

/** The value as a JSON object, or undefined for anything else. */
export function asObject(value: unknown): Readonly<Record<string, unknown>> | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  return Object.fromEntries(Object.entries(value));
}

/** How one value is checked; `key` names it in the problem. */
export type Check<T> = (value: unknown, key: string) => Parsed<T>;

/** A key with a default. */
export const field = <T>(check: Check<T>, fallback: T): FileField<T> => ({ check, default: fallback });

/** A key that must be given; `placeholder` stands in while its problem is reported. */
export const required = <T>(check: Check<T>, placeholder: T): FileField<T> => ({
  check,
  default: placeholder,
  required: true,
});

/** A key that may be left out. */
export const optional = <T>(check: Check<T>): FileField<T | undefined> => ({ check, default: undefined });

/** true or false. */
export const isBoolean: Check<boolean> = (value, key) =>
  typeof value === 'boolean' ? { value } : { problem: `"${key}" must be true or false` };

/** A whole number from `min` to `max`. */
export function wholeNumber(min: number, max: number): Check<number> {
  return (value, key) =>
    typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max
      ? { value }
      : { problem: `"${key}" must be a whole number from ${min} to ${max}` };
}

/** One of a few words; `problem` says which. */
export function oneWord<const W extends string>(words: readonly W[], problem: string): Check<W> {
  const isWord = (value: unknown): value is W =>
    typeof value === 'string' && (words as readonly string[]).includes(value);
  return (value) => (isWord(value) ? { value } : { problem });
}

/** A string that `test` accepts; `problem` says what is wanted. */
export function textMatching(test: (value: string) => boolean, problem: string): Check<string> {
  return (value) => (typeof value === 'string' && test(value) ? { value } : { problem });
}

/** A list of strings that each pass `test` (with `nonEmpty`, at least one), frozen. */
export function listOf(
  test: (item: string) => boolean,
  problem: string,
  nonEmpty = false,
): Check<readonly string[]> {
  return (value) => {
    if (!Array.isArray(value) || (nonEmpty && value.length === 0)) return { problem };
    const items = value.filter((item): item is string => typeof item === 'string' && test(item));
    return items.length === value.length ? { value: Object.freeze(items) } : { problem };
  };
}
