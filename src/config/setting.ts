// The shape of one setting in the table (src/config/settings/) and the parsers its value goes through.

/** The environment as the process got it (or with each `<NAME>_FILE` secret read into `<NAME>`). */
export type Env = Record<string, string | undefined>;

/** A parsed value, or the one problem that stops the start (it names the setting, never a secret's value). */
export type Parsed<T> = { readonly value: T } | { readonly problem: string };

/** Turns a non-empty raw value into T; `name` is the variable, for the problem text. */
export type Parser<T> = (raw: string, name: string) => Parsed<T>;

/** What a default computed from other settings may read: other settings' values, and the environment. */
export interface DefaultContext {
  readonly value: <U>(setting: Setting<U>) => U;
  readonly env: Env;
}

/** A default that depends on other settings (`SMS_MAX_PER_PHONE_DAY` on `SMS_MAX_PER_PHONE`) or the platform. */
export class ComputedDefault<T> {
  readonly compute: (context: DefaultContext) => T;
  constructor(compute: (context: DefaultContext) => T) {
    this.compute = compute;
  }
}

/** Declares a computed default; docs/settings.md then needs the setting's `defaultText`. */
export const computed = <T>(compute: (context: DefaultContext) => T): ComputedDefault<T> =>
  new ComputedDefault(compute);

/** One setting: its variable, how it is read, its default, and what docs/settings.md says of it. */
export interface Setting<T> {
  /** The environment variable (`SMS_SENDER_<CC>` for a family that `pattern` matches). */
  readonly name: string;
  /** For a family of variables, one per country or the like: the names it covers. */
  readonly pattern?: RegExp;
  readonly parse: Parser<T>;
  /** Used when the variable is unset or empty, or its value is refused. */
  readonly default: T | ComputedDefault<T>;
  /** The default as docs/settings.md shows it; needed when it is computed or not a plain value. */
  readonly defaultText?: string;
  /** The values accepted, as docs/settings.md shows them (numbers: their bounds). */
  readonly values?: string;
  /** May instead be given as `<NAME>_FILE`, a file holding the value (container secrets); never printed. */
  readonly secret?: boolean;
  /** The meaning column of docs/settings.md. */
  readonly doc: string;
}

/** A parser that records its accepted values for the docs table. */
interface Described<T> extends Parser<T> {
  readonly values?: string;
}

/** A section of the table: the Config field each setting fills, and the setting. */
export type SettingTable = Readonly<Record<string, Setting<unknown>>>;

/** The values a section of the table yields. */
export type Values<Table extends SettingTable> = {
  readonly [Field in keyof Table]: Table[Field] extends Setting<infer T> ? T : never;
};

/** Declares a setting; a whole-number or one-of parser brings its accepted values for the docs. */
export function setting<T>(spec: Setting<T>): Setting<T> {
  const parser: Parser<T> | Described<T> = spec.parse;
  const values = 'values' in parser ? parser.values : undefined;
  return values === undefined || spec.values !== undefined ? spec : { ...spec, values };
}

function described<T>(values: string, parser: Parser<T>): Described<T> {
  return Object.assign(parser, { values });
}

/** The raw value as written. */
export const text: Parser<string> = (raw) => ({ value: raw });

/** A whole number from `min` to `max`. */
export function wholeNumber(min: number, max: number): Parser<number> {
  return described<number>(`${min} to ${max}`, (raw, name) => {
    if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
      return { problem: `${name} must be a whole number from ${min} to ${max} (got "${raw}")` };
    }
    return { value: Number(raw) };
  });
}

/** true/1/yes/on or false/0/no/off, any case. */
export const flag: Parser<boolean> = described<boolean>('`true` or `false`', (raw, name) => {
  if (/^(true|1|yes|on)$/i.test(raw)) return { value: true };
  if (/^(false|0|no|off)$/i.test(raw)) return { value: false };
  return { problem: `${name} must be true or false (got "${raw}")` };
});

/** One of a few words, exactly as written. */
export function oneOf<const W extends string>(words: readonly W[]): Parser<W> {
  const isWord = (raw: string): raw is W => (words as readonly string[]).includes(raw);
  const listed = `${words.slice(0, -1).join(', ')} or ${words.at(-1)}`;
  return described<W>(words.map((w) => `\`${w}\``).join(', '), (raw, name) =>
    isWord(raw) ? { value: raw } : { problem: `${name} must be ${listed} (got "${raw}")` },
  );
}

/** At least `min` characters. */
export function atLeast(min: number): Parser<string> {
  return (raw, name) =>
    raw.length < min ? { problem: `${name} must be at least ${min} characters` } : { value: raw };
}

/** A comma-separated list, items trimmed, blanks dropped. */
export const list: Parser<readonly string[]> = (raw) => ({ value: listSetting(raw) });

/** A comma-separated setting as a list, blanks dropped. */
export function listSetting(raw: string): readonly string[] {
  return Object.freeze(
    raw
      .split(',')
      .map((item) => item.trim())
      .filter((item) => item !== ''),
  );
}
