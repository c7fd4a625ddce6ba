// Loaded into the benchmarked IdP process with `--import`: answers the benchmark's questions over the IPC channel
// (CPU time and heap of this process), so the IdP itself needs no stats endpoint. Nothing here runs per request.

/** What the benchmark asks. `heap` collects garbage first when Node runs with --expose-gc. */
export type ProbeQuestion = { readonly ask: 'usage' } | { readonly ask: 'heap' };

/** What the process answers. */
export interface ProbeAnswer {
  readonly cpuMicros: number;
  readonly heapUsedBytes: number;
  readonly rssBytes: number;
}

const gc = (globalThis as { gc?: () => void }).gc;

if (process.send !== undefined) {
  process.on('message', (question: ProbeQuestion) => {
    if (question.ask === 'heap') gc?.();
    const cpu = process.cpuUsage();
    const memory = process.memoryUsage();
    const answer: ProbeAnswer = {
      cpuMicros: cpu.user + cpu.system,
      heapUsedBytes: memory.heapUsed,
      rssBytes: memory.rss,
    };
    process.send?.(answer);
  });
  // The channel must not keep the IdP alive on its own once it shuts down.
  process.channel?.unref();
}
