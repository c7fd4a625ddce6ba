// Settings table, operations section: log, graceful shutdown, metrics listener, audit trail.

import { computed, setting, text, wholeNumber } from '../setting.ts';
import { HOST } from './server.ts';

export const OPERATIONS = {
  logLevel: setting({ name: 'LOG_LEVEL', parse: text, default: 'info', doc: 'pino log level' }),
  shutdownDelaySeconds: setting({
    name: 'SHUTDOWN_DELAY_SECONDS',
    parse: wholeNumber(0, 300),
    default: 0,
    doc:
      'after `SIGTERM`, how long `/readyz` answers 503 while every request is still served, before the listener ' +
      'closes (a second signal ends it early); see [Health probes](operations.md#health-probes)',
  }),
  shutdownTimeoutSeconds: setting({
    name: 'SHUTDOWN_TIMEOUT_SECONDS',
    parse: wholeNumber(1, 600),
    default: 10,
    doc: 'then how long requests in flight may take before the process exits anyway',
  }),
  metricsPort: setting<number | undefined>({
    name: 'METRICS_PORT',
    parse: wholeNumber(0, 65535),
    default: undefined,
    defaultText: 'unset: no metrics',
    doc:
      'port of the Prometheus listener (`GET /metrics`); must differ from `PORT`: the public port never serves ' +
      'metrics',
  }),
  metricsHost: setting({
    name: 'METRICS_HOST',
    parse: text,
    default: computed(({ value }) => value(HOST)),
    defaultText: '`HOST`',
    doc: 'interface of the metrics listener',
  }),
  auditLogFile: setting<string | undefined>({
    name: 'AUDIT_LOG_FILE',
    parse: text,
    default: undefined,
    defaultText: 'unset: stdout',
    doc:
      'file the audit trail is appended to (see [Audit trail](operations.md#audit-trail)); unset, audit lines go ' +
      'to stdout with the log',
  }),
};
