// The environment before it becomes a Config: secrets read from `<NAME>_FILE`, the platform's own variables told
// apart from typos of our settings (which stop the start with the nearest known name).

import { readFileSync } from 'node:fs';
import { closest, distance } from 'fastest-levenshtein';

type Env = Record<string, string | undefined>;

/**
 * Variables a platform puts into every process beside the services it links, which share our prefixes when a
 * Service is called `redis`, `sms` or `idp`: Kubernetes service links (`REDIS_SERVICE_HOST`,
 * `REDIS_SERVICE_PORT[_<name>]`, `REDIS_PORT=tcp://…`, `REDIS_PORT_6379_TCP[_ADDR|_PORT|_PROTO]`) and the same
 * shapes from Docker's legacy links.
 */
const PLATFORM_VARIABLE =
  /^[A-Z][A-Z0-9_]*_(SERVICE_HOST|SERVICE_PORT(_[A-Z0-9_]+)?|PORT|PORT_\d{1,5}_(TCP|UDP|SCTP)(_(ADDR|PORT|PROTO))?)$/;

/** A service-link variable of the platform, never one of our settings. */
export function isPlatformVariable(name: string): boolean {
  return PLATFORM_VARIABLE.test(name);
}

/** The known setting nearest to a misspelt one, when it is near enough to be the likely intent. */
export function nearestSetting(name: string, known: Iterable<string>): string | undefined {
  const candidates = [...known];
  if (candidates.length === 0) return undefined;
  const best = closest(name, candidates);
  // A third of the name may differ: catches swapped, missing and doubled letters, not unrelated names.
  return distance(name, best) <= Math.max(2, Math.floor(name.length / 3)) ? best : undefined;
}

/**
 * Problems with variable names: an unknown one with one of our prefixes is a typo (with a suggestion), unless
 * it is the platform's. `known` holds every setting name, `_FILE` variants included.
 */
export function unknownSettingProblems(
  env: Env,
  known: ReadonlySet<string>,
  ownPrefixes: readonly string[],
): string[] {
  const problems: string[] = [];
  for (const key of Object.keys(env)) {
    if (known.has(key) || isPlatformVariable(key)) continue;
    if (!ownPrefixes.some((prefix) => key.startsWith(prefix))) continue;
    const suggestion = nearestSetting(key, known);
    problems.push(
      `${key} is not a setting this IdP knows${suggestion === undefined ? '' : ` (did you mean ${suggestion}?)`}`,
    );
  }
  return problems;
}

/**
 * The environment with each `<NAME>_FILE` of a secret setting replaced by `<NAME>` holding the file's content
 * (one trailing newline removed, as `echo` and editors leave one). Both at once, or an unreadable file, is a
 * problem; the file's path is named, never its content.
 */
export function withSecretFiles(env: Env, secrets: Iterable<string>): { env: Env; problems: string[] } {
  const out: Env = { ...env };
  const problems: string[] = [];
  for (const name of secrets) {
    const file = env[`${name}_FILE`];
    if (file === undefined || file === '') continue;
    delete out[`${name}_FILE`];
    if (env[name] !== undefined && env[name] !== '') {
      problems.push(`${name} and ${name}_FILE are both set; set only one`);
      continue;
    }
    try {
      out[name] = readFileSync(file, 'utf8').replace(/\r?\n$/, '');
    } catch (error) {
      problems.push(
        `${name}_FILE: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
      );
    }
  }
  return { env: out, problems };
}
