// Entry point: environment → Config → app → listen; graceful shutdown on SIGTERM/SIGINT.

import { existsSync } from 'node:fs';
import { buildApp } from './app.ts';
import { ConfigError, loadConfig } from './config/config.ts';

if (existsSync('.env')) process.loadEnvFile('.env');

/** Settings that cannot be used end the start with their message and exit code 2, not a stack trace. */
function configProblem(error: unknown): never {
  if (error instanceof ConfigError) {
    process.stderr.write(`${error.message}\n`);
    process.exit(2);
  }
  throw error;
}

let config: ReturnType<typeof loadConfig>;
try {
  config = loadConfig(process.env);
} catch (error) {
  configProblem(error);
}

const app = await buildApp(config).catch(configProblem);
await app.listen({ port: config.server.port, host: config.server.host });
app.log.info(
  { entityId: `${config.server.baseUrl}/saml/metadata`, sms: config.sms.smsProvider },
  'nets-sms-idp ready',
);

let stopping = false;
let endDelay = () => {};
const stop = async (signal: string) => {
  if (stopping) {
    // A second signal (an operator's second Ctrl-C) does not wait out the rest of the delay.
    app.log.info({ signal }, 'shutting down: delay cut short');
    endDelay();
    return;
  }
  stopping = true;
  // Readiness goes first, so load balancers stop sending here while this process still answers what they sent.
  app.startDraining();
  app.log.info(
    { signal, delaySeconds: config.operations.shutdownDelaySeconds },
    'shutting down: finishing requests in flight',
  );
  const force = setTimeout(
    () => process.exit(1),
    (config.operations.shutdownDelaySeconds + config.operations.shutdownTimeoutSeconds) * 1000,
  );
  force.unref();
  await new Promise<void>((resolve) => {
    endDelay = resolve;
    setTimeout(resolve, config.operations.shutdownDelaySeconds * 1000);
  });
  // A request answered during close leaves a keep-alive connection behind; close such idle ones as they appear.
  const sweep = setInterval(() => app.server.closeIdleConnections(), 50);
  await app.close();
  clearInterval(sweep);
  process.exit(0);
};
process.on('SIGTERM', () => void stop('SIGTERM'));
process.on('SIGINT', () => void stop('SIGINT'));
