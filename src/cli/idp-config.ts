// The IdP's own configuration and keys for the commands that need them (metadata, keys status).

import { type Config, ConfigError, keyRingSettings, loadConfig } from '../config/config.ts';
import { type KeyRing, loadKeyRing } from '../saml/keys/key-ring.ts';
import { type CliIo, UsageError } from './io.ts';

/** The Config the server would build from the same environment; its problems are a usage error (exit 2). */
export function cliConfig(io: CliIo): Config {
  try {
    return loadConfig(io.env);
  } catch (err) {
    if (err instanceof ConfigError) throw new UsageError(err.message);
    throw err;
  }
}

/** The key ring the server would load (the dev pair is generated on first use, as `npm start` does). */
export function cliKeyRing(config: Config): Promise<KeyRing> {
  return loadKeyRing(keyRingSettings(config));
}
