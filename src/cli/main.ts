// The admin command line (`nets-sms-idp …`): metadata exchange, SP registration and checks, signing keys.

import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { fetchMetadata } from '../http/fetch-metadata.ts';
import { listSetting } from '../config/setting.ts';
import { metadataCommand } from './cmd-metadata.ts';
import { keysGenerateCommand, keysStatusCommand } from './cmd-keys.ts';
import { spCheckCommand, spListCommand, spRemoveCommand } from './cmd-sp.ts';
import { spAddCommand } from './cmd-sp-add.ts';
import {
  clientAddCommand,
  clientCheckCommand,
  clientListCommand,
  clientRemoveCommand,
} from './cmd-client.ts';
import { smsCheckCommand, smsSendCommand } from './cmd-sms.ts';
import { type Command, COMMON_OPTIONS } from './command.ts';
import { type CliIo, Exit, UsageError } from './io.ts';

/** Every command, in the order `--help` lists them. */
export const COMMANDS: readonly Command[] = [
  metadataCommand,
  spAddCommand,
  spListCommand,
  spRemoveCommand,
  spCheckCommand,
  clientAddCommand,
  clientListCommand,
  clientRemoveCommand,
  clientCheckCommand,
  keysGenerateCommand,
  keysStatusCommand,
  smsCheckCommand,
  smsSendCommand,
];

const PROGRAM = 'nets-sms-idp';

function usage(): string {
  const lines = COMMANDS.map((c) => `  ${PROGRAM} ${c.name} ${c.usage}\n      ${c.summary}`);
  return (
    `usage:\n${lines.join('\n')}\n\n` +
    'Every command takes --json (one JSON document on stdout) and --dir DIR (the SP folder; default\n' +
    '$SP_METADATA_DIR, else metadata/sp; for `client` commands the OIDC clients folder, default $OIDC_CLIENTS_DIR,\n' +
    'else metadata/oidc). Settings come from the environment (and ./.env) as for `npm start`.\n' +
    'Exit codes: 0 all good, 1 problems found (nothing was changed), 2 usage or configuration error.\n'
  );
}

function commandUsage(command: Command): string {
  return `usage: ${PROGRAM} ${command.name} ${command.usage}\n  ${command.summary}\n`;
}

/** Runs one command line; returns the exit code. Never throws for a problem an admin can fix. */
export async function run(argv: readonly string[], io: CliIo): Promise<number> {
  const words = argv.filter((a) => !a.startsWith('-')).slice(0, 2);
  const command =
    COMMANDS.find((c) => c.name === words.join(' ')) ?? COMMANDS.find((c) => c.name === words[0]);
  if (command === undefined) {
    const helpOnly = argv.length === 0 || argv.every((a) => a === '--help' || a === '-h');
    (helpOnly ? io.out : io.err)(`${helpOnly ? '' : `unknown command: ${argv.join(' ')}\n\n`}${usage()}`);
    return helpOnly ? Exit.ok : Exit.usage;
  }
  const rest = [...argv];
  for (const word of command.name.split(' ')) rest.splice(rest.indexOf(word), 1);
  try {
    const parsed = parseArgs({
      args: rest,
      options: { ...COMMON_OPTIONS, ...command.options },
      allowPositionals: true,
      strict: true,
    });
    if (parsed.values.help === true) {
      io.out(commandUsage(command));
      return Exit.ok;
    }
    const [min, max] = command.positionals;
    if (parsed.positionals.length < min || parsed.positionals.length > max) {
      throw new UsageError(
        max === 0
          ? 'this command takes no arguments'
          : `expected ${min === max ? min : `${min}–${max}`} argument(s)`,
      );
    }
    return await command.run(
      {
        values: parsed.values as Record<string, string | boolean | undefined>,
        positionals: parsed.positionals,
      },
      io,
    );
  } catch (err) {
    const e = err as Error & { code?: string };
    if (err instanceof UsageError || e.code?.startsWith('ERR_PARSE_ARGS')) {
      io.err(`${e.message}\n${commandUsage(command)}`);
      return Exit.usage;
    }
    io.err(`${PROGRAM} ${command.name}: ${e.message}\n`);
    return Exit.problems;
  }
}

/** The real world: process streams, environment (with ./.env, as `npm start` reads it), clock and HTTP. */
export function processIo(): CliIo {
  if (existsSync('.env')) process.loadEnvFile('.env');
  return {
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
    env: process.env,
    cwd: process.cwd(),
    // The running IdP's address rules: a private host only when OUTBOUND_PRIVATE_HOSTS names it.
    fetcher: (url, opts) =>
      fetchMetadata(url, {
        allowedHosts: listSetting(process.env.OUTBOUND_PRIVATE_HOSTS ?? ''),
        ...opts,
      }),
    now: () => new Date(),
  };
}

if (import.meta.main) {
  process.exitCode = await run(process.argv.slice(2), processIo());
}
