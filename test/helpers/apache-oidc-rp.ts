// Apache httpd with mod_auth_openidc (Debian's libapache2-mod-auth-openidc) as an independent relying party: a
// protected page that prints the claims the module received, on a free loopback port.

import { type ChildProcess, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

const APACHE = '/usr/sbin/apache2';
const MODULES = '/usr/lib/apache2/modules';

/** Why the Apache RP cannot run here, or undefined when it can (CI installs it: .ci/run). */
export function modAuthOpenidcMissing(): string | undefined {
  if (!existsSync(APACHE)) return 'apache2 is not installed';
  if (!existsSync(join(MODULES, 'mod_auth_openidc.so')))
    return 'libapache2-mod-auth-openidc is not installed';
  return undefined;
}

export interface ApacheRp {
  /** http://localhost:<port>/protected/ */
  readonly protectedUrl: string;
  readonly redirectUri: string;
  errorLog(): string;
  stop(): Promise<void>;
}

export async function startApacheRp(opts: {
  port: number;
  issuer: string;
  clientId: string;
  secret: string;
}): Promise<ApacheRp> {
  const dir = mkdtempSync(join(tmpdir(), 'nsi-apache-'));
  chmodSync(dir, 0o755);
  const docs = join(dir, 'htdocs');
  mkdirSync(join(docs, 'protected'), { recursive: true });
  writeFileSync(
    join(docs, 'protected', 'index.shtml'),
    'pid=<!--#echo var="OIDC_CLAIM_pid" -->;name=<!--#echo var="OIDC_CLAIM_name" -->;amr=<!--#echo var="OIDC_CLAIM_amr" -->\n',
  );
  const origin = `http://localhost:${opts.port}`;
  const redirectUri = `${origin}/protected/redirect_uri`;
  const user = process.getuid?.() === 0 ? 'User www-data\nGroup www-data\n' : '';
  writeFileSync(
    join(dir, 'httpd.conf'),
    `ServerRoot ${dir}
Listen 127.0.0.1:${opts.port}
ServerName localhost
PidFile ${dir}/httpd.pid
ErrorLog ${dir}/error.log
LogLevel warn
${user}LoadModule mpm_prefork_module ${MODULES}/mod_mpm_prefork.so
LoadModule authz_core_module ${MODULES}/mod_authz_core.so
LoadModule authn_core_module ${MODULES}/mod_authn_core.so
LoadModule authz_user_module ${MODULES}/mod_authz_user.so
LoadModule mime_module ${MODULES}/mod_mime.so
LoadModule include_module ${MODULES}/mod_include.so
LoadModule dir_module ${MODULES}/mod_dir.so
LoadModule auth_openidc_module ${MODULES}/mod_auth_openidc.so
TypesConfig /etc/mime.types
DocumentRoot ${docs}
DirectoryIndex index.shtml
<Directory ${docs}>
  Options +Includes
  AddType text/html .shtml
  AddOutputFilter INCLUDES .shtml
  Require all granted
</Directory>
OIDCProviderMetadataURL ${opts.issuer}/.well-known/openid-configuration
OIDCClientID ${opts.clientId}
OIDCClientSecret ${opts.secret}
OIDCRedirectURI ${redirectUri}
OIDCCryptoPassphrase ${opts.secret}
OIDCScope "openid profile"
OIDCPKCEMethod S256
OIDCAuthRequestParams amr_values=nets_sms&ui_locales=en
OIDCPassClaimsAs environment
OIDCCookieSameSite On
<Location /protected>
  AuthType openid-connect
  Require valid-user
</Location>
`,
  );
  const child: ChildProcess = spawn(APACHE, ['-X', '-f', join(dir, 'httpd.conf')], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const errorLog = () => {
    try {
      return stderr + readFileSync(join(dir, 'error.log'), 'utf8');
    } catch {
      return stderr;
    }
  };
  let exited = false;
  child.once('exit', () => {
    exited = true;
  });
  for (let i = 0; i < 100; i++) {
    if (exited) {
      const log = errorLog();
      rmSync(dir, { recursive: true, force: true });
      throw new Error(`apache2 exited: ${log}`);
    }
    const up = await fetch(`${origin}/`).then(
      () => true,
      () => false,
    );
    if (up) break;
    await sleep(100);
  }
  return {
    protectedUrl: `${origin}/protected/`,
    redirectUri,
    errorLog,
    async stop() {
      if (!exited) {
        const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
        child.kill('SIGTERM');
        await gone;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
