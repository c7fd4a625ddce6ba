// `client add|list|remove|check`: OpenID Connect clients as files in OIDC_CLIENTS_DIR
// (docs/oidc-client-admins.md "Register a client").

import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import Provider from 'oidc-provider';
import { type OidcClient, readClientFile } from '../oidc/client-registry.ts';
import { type Command, type CommandArgs, pathArg, wantsJson } from './command.ts';
import { type CliIo, Exit, type Finding, formatFindings, printJson, UsageError } from './io.ts';

/** The clients folder: --dir, else OIDC_CLIENTS_DIR, else metadata/oidc (as the IdP reads it). */
function clientsDir(args: CommandArgs, io: CliIo): string {
  const dir = args.values.dir;
  return pathArg(io, typeof dir === 'string' ? dir : io.env.OIDC_CLIENTS_DIR || 'metadata/oidc');
}

async function jsonFiles(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir)).filter((f) => f.endsWith('.json')).sort();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
}

/** The provider's own check of the client metadata (the schema it applies when a client is used). */
async function schemaProblem(client: OidcClient): Promise<string | undefined> {
  const provider = new Provider('https://check.invalid/oidc', {
    subjectTypes: ['public', 'pairwise'],
    clientAuthMethods: ['client_secret_basic', 'client_secret_post', 'private_key_jwt', 'none'],
    features: {
      backchannelLogout: { enabled: true },
      rpInitiatedLogout: { enabled: true },
      encryption: { enabled: true },
    },
  });
  try {
    await (provider.Client as unknown as { validate(m: unknown): Promise<void> }).validate(client.metadata);
    return undefined;
  } catch (err) {
    const e = err as { error_description?: string; message: string };
    return e.error_description ?? e.message;
  }
}

/** Every problem of every file, as findings (errors) plus advice (warnings). */
async function checkFolder(dir: string): Promise<{ clients: OidcClient[]; findings: Finding[] }> {
  const clients: OidcClient[] = [];
  const findings: Finding[] = [];
  const seen = new Map<string, string>();
  for (const file of await jsonFiles(dir)) {
    const { client, problems } = readClientFile(dir, file);
    for (const message of problems) findings.push({ level: 'error', source: file, message });
    if (client === undefined) continue;
    const schema = await schemaProblem(client);
    if (schema !== undefined)
      findings.push({ level: 'error', source: file, entityId: client.clientId, message: schema });
    const earlier = seen.get(client.clientId);
    if (earlier !== undefined)
      findings.push({
        level: 'error',
        source: file,
        entityId: client.clientId,
        message: `client_id also in ${earlier}`,
      });
    seen.set(client.clientId, file);
    const raw = JSON.parse(await readFile(join(dir, file), 'utf8')) as Record<string, unknown>;
    if (typeof raw.client_secret === 'string')
      findings.push({
        level: 'warning',
        source: file,
        entityId: client.clientId,
        message: 'the secret is in the file: prefer client_secret_file (0600) or private_key_jwt',
      });
    const backchannel = client.metadata.backchannel_logout_uri;
    if (typeof backchannel === 'string' && !backchannel.startsWith('https:'))
      findings.push({
        level: 'warning',
        source: file,
        entityId: client.clientId,
        message: `backchannel_logout_uri ${backchannel} is not https: reached only with OIDC_ALLOW_PRIVATE_OUTBOUND`,
      });
    clients.push(client);
  }
  return { clients, findings };
}

function summary(c: OidcClient) {
  const m = c.metadata;
  return {
    clientId: c.clientId,
    name: c.displayName,
    file: c.file,
    authMethod: (m.token_endpoint_auth_method as string | undefined) ?? 'client_secret_basic',
    redirectUris: m.redirect_uris as string[],
    scope: (m.scope as string | undefined) ?? 'openid profile phone',
    subjectType: (m.subject_type as string | undefined) ?? 'pairwise',
    backchannelLogout: (m.backchannel_logout_uri as string | undefined) ?? null,
    eids: c.eids,
  };
}

export const clientAddCommand: Command = {
  name: 'client add',
  usage: '<file.json> [--generate-secret]',
  summary: 'validate an OIDC client file and copy it into the clients folder as <client_id>.json',
  options: { 'generate-secret': { type: 'boolean' } },
  positionals: [1, 1],
  async run(args, io) {
    const dir = clientsDir(args, io);
    const source = pathArg(io, args.positionals[0] as string);
    let json: Record<string, unknown>;
    try {
      json = JSON.parse(await readFile(source, 'utf8')) as Record<string, unknown>;
    } catch (err) {
      throw new UsageError(`${source}: ${(err as Error).message}`);
    }
    let secret: string | undefined;
    if (args.values['generate-secret'] === true) {
      secret = randomBytes(32).toString('base64url');
      json = { ...json, client_secret: secret };
      delete json.client_secret_file;
    }
    const id = typeof json.client_id === 'string' ? json.client_id : '';
    if (!/^[A-Za-z0-9._~-]{1,100}$/.test(id)) throw new UsageError('the file needs a usable client_id');
    const target = join(dir, `${id}.json`);
    if (existsSync(target)) {
      io.err(`client ${id} is already registered (${target}); remove it first\n`);
      return Exit.problems;
    }
    await mkdir(dir, { recursive: true });
    // Checked where it will live (client_secret_file is read relative to the folder); the IdP only reads *.json.
    const staging = `${target}.new`;
    await writeFile(staging, `${JSON.stringify(json, null, 2)}\n`, { mode: 0o600 });
    const { client, problems } = readClientFile(dir, `${id}.json.new`);
    const schema = client === undefined ? undefined : await schemaProblem(client);
    if (client === undefined || schema !== undefined) {
      await rm(staging, { force: true });
      const findings = [...problems, ...(schema === undefined ? [] : [schema])].map(
        (message): Finding => ({ level: 'error', source: source, message }),
      );
      if (wantsJson(args)) printJson(io, { added: false, findings });
      else io.err(formatFindings(findings));
      return Exit.problems;
    }
    await rename(staging, target);
    if (wantsJson(args))
      printJson(io, { added: true, client: summary({ ...client, file: `${id}.json` }), secret });
    else
      io.out(
        `added ${id} as ${target}\n${secret === undefined ? '' : `client_secret (shown once; give it to the client's admin): ${secret}\n`}`,
      );
    return Exit.ok;
  },
};

export const clientListCommand: Command = {
  name: 'client list',
  usage: '',
  summary: 'the registered OIDC clients',
  options: {},
  positionals: [0, 0],
  async run(args, io) {
    const { clients } = await checkFolder(clientsDir(args, io));
    if (wantsJson(args)) {
      printJson(io, clients.map(summary));
      return Exit.ok;
    }
    for (const c of clients.map(summary))
      io.out(
        `${c.clientId} — ${c.name}\n  file      ${c.file}\n  auth      ${c.authMethod}\n  scope     ${c.scope}\n  sub       ${c.subjectType}\n` +
          c.redirectUris.map((u) => `  redirect  ${u}\n`).join('') +
          (c.backchannelLogout === null ? '' : `  logout    ${c.backchannelLogout}\n`),
      );
    if (clients.length === 0) io.out('no OIDC clients registered\n');
    return Exit.ok;
  },
};

export const clientRemoveCommand: Command = {
  name: 'client remove',
  usage: '<client_id>',
  summary: 'take an OIDC client out (deletes its file; the running IdP stops accepting it)',
  options: {},
  positionals: [1, 1],
  async run(args, io) {
    const dir = clientsDir(args, io);
    const id = args.positionals[0] as string;
    const { clients } = await checkFolder(dir);
    const client = clients.find((c) => c.clientId === id);
    if (client === undefined) {
      io.err(`no client ${id} in ${dir}\n`);
      return Exit.problems;
    }
    await rm(join(dir, client.file));
    if (wantsJson(args)) printJson(io, { removed: id, file: client.file });
    else io.out(`removed ${id} (${client.file})\n`);
    return Exit.ok;
  },
};

export const clientCheckCommand: Command = {
  name: 'client check',
  usage: '',
  summary: 'every problem of the OIDC client files (exit 1 when any is an error)',
  options: {},
  positionals: [0, 0],
  async run(args, io) {
    const { clients, findings } = await checkFolder(clientsDir(args, io));
    if (wantsJson(args)) printJson(io, { clients: clients.length, findings });
    else
      io.out(findings.length === 0 ? `${clients.length} client(s), no problems\n` : formatFindings(findings));
    return findings.some((f) => f.level === 'error') ? Exit.problems : Exit.ok;
  },
};
