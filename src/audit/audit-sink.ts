// Where audit lines go: their own file (AUDIT_LOG_FILE), else stdout beside the log lines.

import { closeSync, openSync, writeSync } from 'node:fs';

export interface AuditSink {
  write(line: string): void;
  close(): void;
}

/**
 * A file is opened for appending and written synchronously, so a line is complete on disk before the step's
 * answer leaves (one write per line: O_APPEND keeps lines of several processes whole). Without a file, lines go
 * to `logStream` (tests) or stdout; `logStream` undefined with logs switched off means nowhere.
 */
export function auditSink(
  file: string | undefined,
  logStream: { write(line: string): void } | undefined | null,
): AuditSink {
  if (file !== undefined) {
    const fd = openSync(file, 'a', 0o640);
    let open = true;
    return {
      write: (line) => {
        if (open) writeSync(fd, line);
      },
      close: () => {
        if (open) closeSync(fd);
        open = false;
      },
    };
  }
  const stream = logStream === null ? undefined : (logStream ?? process.stdout);
  return { write: (line) => stream?.write(line), close: () => {} };
}
