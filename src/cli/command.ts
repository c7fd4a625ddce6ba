// The shape of a CLI command and the options and helpers every command shares.

import { isAbsolute, resolve } from 'node:path';
import type { ParseArgsOptionsConfig } from 'node:util';
import { type CliIo, type ExitCode, UsageError } from './io.ts';

/** Parsed options (by long name) and positional arguments. */
export interface CommandArgs {
  readonly values: Readonly<Record<string, string | boolean | undefined>>;
  readonly positionals: readonly string[];
}

/** One command such as `sp add`. */
export interface Command {
  /** the words that select it, e.g. 'sp add' */
  readonly name: string;
  /** arguments after the name, e.g. '<file|url> [--name NAME]' */
  readonly usage: string;
  readonly summary: string;
  /** its own options; --json, --dir and --help are added to every command */
  readonly options: ParseArgsOptionsConfig;
  /** how many positional arguments it takes */
  readonly positionals: readonly [min: number, max: number];
  run(args: CommandArgs, io: CliIo): Promise<ExitCode>;
}

/** Options every command takes. */
export const COMMON_OPTIONS: ParseArgsOptionsConfig = {
  json: { type: 'boolean' },
  dir: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
};

/** A path argument resolved against the command's working directory. */
export function pathArg(io: CliIo, path: string): string {
  return isAbsolute(path) ? path : resolve(io.cwd, path);
}

/** The SP folder: --dir, else SP_METADATA_DIR, else metadata/sp (as the IdP reads it). */
export function spDir(args: CommandArgs, io: CliIo): string {
  const dir = args.values.dir;
  return pathArg(io, typeof dir === 'string' ? dir : io.env.SP_METADATA_DIR || 'metadata/sp');
}

/** A string option, or undefined. */
export function stringOption(args: CommandArgs, name: string): string | undefined {
  const v = args.values[name];
  return typeof v === 'string' ? v : undefined;
}

/** A whole-number option within [min, max], or the fallback; anything else is a usage error. */
export function intOption(
  args: CommandArgs,
  name: string,
  fallback: number,
  min: number,
  max: number,
): number {
  const raw = stringOption(args, name);
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
    throw new UsageError(`--${name} must be a whole number from ${min} to ${max}`);
  }
  return Number(raw);
}

/** True when --json was given. */
export function wantsJson(args: CommandArgs): boolean {
  return args.values.json === true;
}
