// A real SimpleSAMLphp 1.19 service provider (Debian's package, PHP's built-in server) in a temp folder, for e2e tests.

import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './http-idp.ts';
import type { TestKeys } from './saml-sp.ts';

/** Where Debian installs SimpleSAMLphp. */
export const SIMPLESAMLPHP_DIR = '/usr/share/simplesamlphp';

/** One `saml:SP` authentication source (authsources.php). */
export interface SspSource {
  /** The source id, as in `authenticate.php?as=<name>`. */
  readonly name: string;
  /** Signs AuthnRequests (`sign.authnrequest`) and logout messages (`sign.logout`) with this key pair. */
  readonly keys?: TestKeys;
  /** `signature.algorithm` for what it signs; SimpleSAMLphp's default is RSA-SHA256. */
  readonly signatureAlgorithm?: string;
  /**
   * `NameIDPolicy` of the source: a Format URI, `null` for SimpleSAMLphp's default (transient), or `false` for no
   * NameIDPolicy element at all.
   */
  readonly nameIdPolicy?: string | null | false;
}

/** Is PHP with the extensions SimpleSAMLphp needs (dom, openssl, zlib) and SimpleSAMLphp itself on this machine? */
export async function simpleSamlPhpMissing(): Promise<string | undefined> {
  try {
    readFileSync(join(SIMPLESAMLPHP_DIR, 'www', 'module.php'));
  } catch {
    return `SimpleSAMLphp is not installed in ${SIMPLESAMLPHP_DIR} (Debian package simplesamlphp)`;
  }
  const modules = await run('php', ['-m']).catch(() => undefined);
  if (modules === undefined) return 'php is not installed (Debian package php-cli)';
  const have = new Set(modules.split('\n').map((m) => m.trim().toLowerCase()));
  const lacking = ['dom', 'openssl', 'zlib'].filter((m) => !have.has(m));
  return lacking.length === 0 ? undefined : `php lacks ${lacking.join(', ')} (Debian package php-xml)`;
}

/** The environment PHP runs with: SimpleSAMLphp reads its configuration from `configDir`. */
function phpEnv(configDir: string): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH ?? '/usr/bin:/bin', SIMPLESAMLPHP_CONFIG_DIR: configDir };
}

function run(
  file: string,
  args: readonly string[],
  env?: NodeJS.ProcessEnv,
  input?: string,
): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(file, args, { env, timeout: 10_000 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${file} ${args.join(' ')}: ${error.message}\n${stdout}${stderr}`));
      else resolve(stdout);
    });
    if (input !== undefined) child.stdin?.end(input);
  });
}

/** A PHP file that takes its whole value from a JSON file beside it, so the tests can change it between requests. */
const jsonShim = (variable: string, json: string) =>
  `<?php\n$${variable} = json_decode(file_get_contents(__DIR__ . '/${json}'), true, 512, JSON_THROW_ON_ERROR);\n`;

/** Reads an IdP's metadata XML on stdin with SimpleSAMLphp's own parser; prints its saml20-idp-remote entries. */
const METADATA_CONVERTER = `<?php
require '${SIMPLESAMLPHP_DIR}/lib/_autoload.php';
$out = [];
foreach (\\SimpleSAML\\Metadata\\SAMLParser::parseDescriptorsString(stream_get_contents(STDIN)) as $id => $entity) {
    $out[$id] = $entity->getMetadata20IdP();
}
echo json_encode($out, JSON_THROW_ON_ERROR | JSON_UNESCAPED_SLASHES);
`;

/** A running SimpleSAMLphp SP: `php -S 127.0.0.1:<port>` over its www folder with a config folder of its own. */
export class SimpleSamlPhpSp {
  /** `http://127.0.0.1:<port>`. */
  readonly baseUrl: string;
  readonly #dir: string;
  readonly #removeDir: () => void;
  readonly #idpEntityId: string;
  readonly #sources: readonly SspSource[];
  readonly #child: ChildProcess;
  readonly #exited: Promise<void>;
  readonly #killChild: () => void;
  #output = '';

  private constructor(
    options: { idpEntityId: string; sources: readonly SspSource[] },
    dir: string,
    removeDir: () => void,
    port: number,
  ) {
    this.#dir = dir;
    this.#removeDir = removeDir;
    this.#idpEntityId = options.idpEntityId;
    this.#sources = options.sources;
    this.baseUrl = `http://127.0.0.1:${port}`;
    this.#writeConfig();
    const child = spawn('php', ['-S', `127.0.0.1:${port}`, '-t', join(SIMPLESAMLPHP_DIR, 'www')], {
      env: phpEnv(join(dir, 'config')),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.#child = child;
    this.#exited = new Promise((resolve) => child.once('exit', () => resolve()));
    child.stdout?.on('data', (chunk: Buffer) => this.#keep(chunk));
    child.stderr?.on('data', (chunk: Buffer) => this.#keep(chunk));
    // Whatever ends the test process, the PHP server goes with it.
    this.#killChild = () => child.kill('SIGKILL');
    process.once('exit', this.#killChild);
  }

  /**
   * Writes a config folder (sessions, logs and metadata in it too) with one `saml:SP` source per entry of `sources`,
   * all trusting `idpEntityId`, and starts PHP's built-in server on a free port of 127.0.0.1.
   */
  static async start(options: {
    idpEntityId: string;
    sources: readonly SspSource[];
  }): Promise<SimpleSamlPhpSp> {
    const missing = await simpleSamlPhpMissing();
    if (missing !== undefined) throw new Error(missing);
    if (options.sources.length === 0) throw new Error('at least one source');
    const dir = mkdtempSync(join(tmpdir(), 'nsi-ssp-'));
    const removeDir = () => rmSync(dir, { recursive: true, force: true });
    process.once('exit', removeDir);
    try {
      for (const sub of ['config', 'metadata', 'sessions', 'log', 'tmp', 'data', 'keys']) {
        mkdirSync(join(dir, sub));
      }
      for (let attempt = 1; ; attempt++) {
        const sp = new SimpleSamlPhpSp(options, dir, removeDir, await freePort());
        try {
          await sp.#waitUntilUp();
          return sp;
        } catch (error) {
          await sp.#kill();
          // Another process took the port between freePort() and php -S: pick again.
          if (/Address already in use/i.test(sp.#output) && attempt < 5) continue;
          throw error;
        }
      }
    } catch (error) {
      removeDir();
      process.removeListener('exit', removeDir);
      throw error;
    }
  }

  /** The SP's entityID for `source` (SimpleSAMLphp's default: its metadata URL). */
  entityId(source: string): string {
    return `${this.baseUrl}/module.php/saml/sp/metadata.php/${encodeURIComponent(source)}`;
  }

  /** The page that starts a login at `source` and, once logged in, lists the attributes and the NameID. */
  loginUrl(source: string): string {
    return `${this.baseUrl}/module.php/core/authenticate.php?as=${encodeURIComponent(source)}`;
  }

  /** The page that starts Single Logout from `source`. */
  logoutUrl(source: string): string {
    return `${this.loginUrl(source)}&logout`;
  }

  /** The SP metadata XML SimpleSAMLphp publishes for `source`. */
  async metadata(source: string): Promise<string> {
    const response = await fetch(this.entityId(source), { signal: AbortSignal.timeout(5000) });
    const xml = await response.text();
    if (response.status !== 200 || !xml.includes('EntityDescriptor')) {
      throw new Error(
        `no SP metadata for ${source} (${response.status}): ${xml.slice(0, 500)}\n${this.log()}`,
      );
    }
    return xml;
  }

  /**
   * Trusts the IdP whose metadata XML this is, converted by SimpleSAMLphp's own parser (SAMLParser) into
   * saml20-idp-remote; `ssoQuery` (e.g. `?forcepkivendor=nets_sms`) is appended to every SingleSignOnService
   * Location, as an admin configuring E-Ident parameters on the SSO URL would do; `edit` may change the entry further.
   */
  async trustIdp(
    metadataXml: string,
    options: { ssoQuery?: string; edit?: (entry: Record<string, unknown>) => void } = {},
  ): Promise<void> {
    const converter = join(this.#dir, 'tmp', 'idp-metadata.php');
    writeFileSync(converter, METADATA_CONVERTER);
    const json = await run('php', [converter], phpEnv(join(this.#dir, 'config')), metadataXml);
    const entries = JSON.parse(json) as Record<string, Record<string, unknown> | null>;
    const entry = entries[this.#idpEntityId];
    if (entry === undefined || entry === null) {
      throw new Error(`SimpleSAMLphp found no SAML 2.0 IdP ${this.#idpEntityId} in: ${json.slice(0, 500)}`);
    }
    const query = options.ssoQuery ?? '';
    const sso = entry.SingleSignOnService as { Location: string }[];
    entry.SingleSignOnService = sso.map((e) => ({ ...e, Location: `${e.Location}${query}` }));
    options.edit?.(entry);
    writeFileSync(join(this.#dir, 'metadata', 'idp-remote.json'), JSON.stringify(entries));
  }

  /** The saml20-idp-remote entry of the trusted IdP, as SimpleSAMLphp uses it. */
  idpRemote(): Record<string, unknown> {
    const entries = JSON.parse(readFileSync(join(this.#dir, 'metadata', 'idp-remote.json'), 'utf8'));
    return entries[this.#idpEntityId] as Record<string, unknown>;
  }

  /** SimpleSAMLphp's log and PHP's own output so far (for failure messages). */
  log(): string {
    let log = '';
    try {
      log = readFileSync(join(this.#dir, 'log', 'simplesamlphp.log'), 'utf8');
    } catch {}
    const lastLines = log.split('\n').slice(-60).join('\n');
    return `--- simplesamlphp.log\n${lastLines}\n--- php -S\n${this.#output.slice(-3000)}`;
  }

  /** Stops the PHP server and removes the temp folder. */
  async stop(): Promise<void> {
    await this.#kill();
    this.#removeDir();
    process.removeListener('exit', this.#removeDir);
  }

  #keep(chunk: Buffer): void {
    this.#output = (this.#output + chunk.toString('utf8')).slice(-20_000);
  }

  async #kill(): Promise<void> {
    if (this.#child.exitCode === null && this.#child.signalCode === null) this.#child.kill('SIGTERM');
    await this.#exited;
    process.removeListener('exit', this.#killChild);
  }

  async #waitUntilUp(): Promise<void> {
    const deadline = Date.now() + 10_000;
    for (;;) {
      if (this.#child.exitCode !== null) throw new Error(`php -S exited: ${this.#output}`);
      try {
        await this.metadata((this.#sources[0] as SspSource).name);
        return;
      } catch (error) {
        if (Date.now() > deadline) throw error;
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  #writeConfig(): void {
    const dir = this.#dir;
    const config = {
      baseurlpath: `${this.baseUrl}/`,
      certdir: join(dir, 'keys'),
      loggingdir: join(dir, 'log'),
      datadir: join(dir, 'data'),
      tempdir: join(dir, 'tmp'),
      metadatadir: join(dir, 'metadata'),
      'metadata.sources': [{ type: 'flatfile', directory: join(dir, 'metadata') }],
      secretsalt: randomBytes(24).toString('hex'),
      'auth.adminpassword': randomBytes(24).toString('hex'),
      technicalcontact_name: 'Test SP',
      technicalcontact_email: 'sp@example.org',
      timezone: 'UTC',
      'enable.saml20-idp': false,
      'enable.shib13-idp': false,
      'admin.checkforupdates': false,
      'module.enable': { core: true, saml: true },
      'store.type': 'phpsession',
      'session.phpsession.savepath': join(dir, 'sessions'),
      'session.cookie.secure': false,
      'session.cookie.samesite': null,
      'language.cookie.secure': false,
      'language.cookie.samesite': null,
      'logging.handler': 'file',
      'logging.logfile': 'simplesamlphp.log',
      'logging.level': 7,
      showerrors: true,
      errorreporting: false,
      production: false,
    };
    const sources: Record<string, unknown> = {};
    for (const source of this.#sources) {
      // validate.logout: LogoutRequests and LogoutResponses from the IdP must carry a signature that verifies.
      const entry: Record<string, unknown> = {
        0: 'saml:SP',
        entityID: this.entityId(source.name),
        idp: this.#idpEntityId,
        'validate.logout': true,
      };
      if (source.keys !== undefined) {
        const key = join(dir, 'keys', `${source.name}.key`);
        const cert = join(dir, 'keys', `${source.name}.crt`);
        writeFileSync(key, source.keys.privateKeyPem, { mode: 0o600 });
        writeFileSync(cert, source.keys.certPem);
        Object.assign(entry, {
          privatekey: key,
          certificate: cert,
          'sign.authnrequest': true,
          'sign.logout': true,
        });
      }
      if (source.signatureAlgorithm !== undefined) entry['signature.algorithm'] = source.signatureAlgorithm;
      if (source.nameIdPolicy !== undefined) entry.NameIDPolicy = source.nameIdPolicy;
      sources[source.name] = entry;
    }
    writeFileSync(join(dir, 'config', 'config.json'), JSON.stringify(config));
    writeFileSync(join(dir, 'config', 'config.php'), jsonShim('config', 'config.json'));
    writeFileSync(join(dir, 'config', 'authsources.json'), JSON.stringify(sources));
    writeFileSync(join(dir, 'config', 'authsources.php'), jsonShim('config', 'authsources.json'));
    writeFileSync(join(dir, 'metadata', 'idp-remote.json'), '{}');
    writeFileSync(join(dir, 'metadata', 'saml20-idp-remote.php'), jsonShim('metadata', 'idp-remote.json'));
  }
}

/** What SimpleSAMLphp's status page (`authenticate.php?as=…` once logged in) shows about the session. */
export interface SspStatusPage {
  /** The attributes SimpleSAMLphp accepted, from the page's AuthData. */
  readonly attributes: Readonly<Record<string, readonly string[]>>;
  /** The "SAML Subject" table: NameId, Format, NameQualifier, SPNameQualifier. */
  readonly subject: Readonly<Record<string, string>>;
  /** The page's AuthData (saml:sp:IdP, saml:sp:AuthnContext, saml:sp:SessionIndex, …). */
  readonly authData: Readonly<Record<string, unknown>>;
}

/** Decodes what PHP's htmlspecialchars writes. */
function phpUnescape(s: string): string {
  return s
    .replace(/&quot;/g, '"')
    .replace(/&#0?39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/** Reads the status page; undefined when the page is not one (an error page, a login page). */
export function readStatusPage(html: string): SspStatusPage | undefined {
  const json = /<pre>([\s\S]*?)<\/pre>/.exec(html)?.[1];
  const subjectTable = html.split('<h2>SAML Subject</h2>')[1]?.split('</table>')[0];
  if (json === undefined || subjectTable === undefined) return undefined;
  const authData = JSON.parse(phpUnescape(json)) as Record<string, unknown>;
  const subject: Record<string, string> = {};
  for (const row of subjectTable.matchAll(
    /<code>([^<]*)<\/code><\/td><td class="attrvalue">([^<]*)<\/td>/g,
  )) {
    subject[phpUnescape(row[1] as string)] = phpUnescape(row[2] as string);
  }
  const attributes = (authData.Attributes ?? {}) as Record<string, string[]>;
  return { attributes, subject, authData };
}
