// What every CLI command gets: output streams, environment, a metadata fetcher and the clock; and the exit codes.

import type { MetadataFetcher } from '../saml/metadata/remote-metadata.ts';

/** The world a command runs in; tests give their own. */
export interface CliIo {
  /** writes to standard output (text is written as given; add the newline) */
  readonly out: (text: string) => void;
  /** writes to standard error */
  readonly err: (text: string) => void;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** relative paths in arguments and settings are read from here */
  readonly cwd: string;
  readonly fetcher: MetadataFetcher;
  readonly now: () => Date;
}

/** Exit codes for scripts: 0 all good, 1 problems found (nothing changed when a change was asked), 2 usage. */
export const Exit = { ok: 0, problems: 1, usage: 2 } as const;
export type ExitCode = (typeof Exit)[keyof typeof Exit];

/** A command line that cannot be run as given; reported with the command's usage, exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** A problem or a warning a command found. */
export interface Finding {
  readonly level: 'error' | 'warning';
  /** the file, URL or setting it concerns */
  readonly source: string;
  readonly entityId?: string;
  readonly message: string;
}

/** Writes `value` as indented JSON followed by a newline. */
export function printJson(io: CliIo, value: unknown): void {
  io.out(`${JSON.stringify(value, null, 2)}\n`);
}

/** One line per finding, errors first: `error  <source>: <entityID>: <message>`. */
export function formatFindings(findings: readonly Finding[]): string {
  const sorted = [...findings].sort((a, b) => (a.level === b.level ? 0 : a.level === 'error' ? -1 : 1));
  return sorted
    .map(
      (f) =>
        `${f.level === 'error' ? 'error  ' : 'warning'}  ${f.source}: ${f.entityId ? `${f.entityId}: ` : ''}${f.message}\n`,
    )
    .join('');
}
