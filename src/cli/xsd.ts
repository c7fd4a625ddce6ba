// Validates a metadata document against the OASIS SAML 2.0 metadata schema with xmllint, when xmllint is there.

import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** Where Debian's simplesamlphp package installs the OASIS schemas (docs/design.md §4). */
export const DEFAULT_SCHEMA_DIR = '/usr/share/simplesamlphp/schemas';

const METADATA_SCHEMA = 'saml-schema-metadata-2.0.xsd';

/** The outcome of a schema check; `skipped` says why it could not be made. */
export type SchemaResult =
  | { readonly status: 'valid' }
  | { readonly status: 'invalid'; readonly detail: string }
  | { readonly status: 'skipped'; readonly detail: string };

/** Runs `xmllint --nonet --noout --schema <dir>/saml-schema-metadata-2.0.xsd -` on `xml`. */
export function validateMetadataSchema(xml: string, schemaDir = DEFAULT_SCHEMA_DIR): Promise<SchemaResult> {
  const schema = join(schemaDir, METADATA_SCHEMA);
  if (!existsSync(schema)) {
    return Promise.resolve({
      status: 'skipped',
      detail: `${schema} not found (Debian: apt-get install simplesamlphp, or --schemas DIR)`,
    });
  }
  return new Promise((resolve) => {
    const child = spawn('xmllint', ['--nonet', '--noout', '--schema', schema, '-'], {
      stdio: ['pipe', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      if (stderr.length < 20_000) stderr += chunk;
    });
    child.on('error', (err: NodeJS.ErrnoException) => {
      resolve({
        status: 'skipped',
        detail:
          err.code === 'ENOENT'
            ? 'xmllint not found (Debian: apt-get install libxml2-utils)'
            : `xmllint failed to run (${err.message})`,
      });
    });
    child.on('close', (code) => {
      if (code === 0) return resolve({ status: 'valid' });
      if (code === null) return;
      const lines = stderr
        .split('\n')
        .map((l) => l.replace(/^-:/, 'line '))
        .filter((l) => l.trim() !== '' && !/ fails to validate$/.test(l));
      resolve({ status: 'invalid', detail: lines.slice(0, 20).join('\n') || `xmllint exit code ${code}` });
    });
    child.stdin.on('error', () => {});
    child.stdin.end(xml);
  });
}
