// How the driver loads the IdP: a closed loop (a fixed number of users, each starting the next login as soon as
// its last one ends) to find the throughput, or a paced open loop (logins started at a fixed rate) for latency.

import { type LoginDriver, type LoginTiming, type PreparedRequest, STEPS } from './login-driver.ts';

/** Bounds of one run: whichever comes first. */
export interface Bounds {
  readonly logins: number;
  readonly seconds: number;
}

/** Every login's timing from one run. */
export interface RunResult {
  readonly logins: number;
  readonly wallSeconds: number;
  readonly timings: readonly LoginTiming[];
  /** Why logins failed (a refused page, a reset connection, a Response that did not verify), in order. */
  readonly failures: readonly string[];
}

/** Verifies the first Response of a run and then one in `VERIFY_EVERY`. */
const VERIFY_EVERY = 50;

/** Numbers users so each run's logins get numbers (phone, address) no earlier run used. */
let nextUser = 0;

async function timed(
  driver: LoginDriver,
  bounds: Bounds,
  requests: PreparedRequest[],
  pace: (started: number, t0: number) => Promise<void>,
  users: number,
): Promise<RunResult> {
  const timings: LoginTiming[] = [];
  const failures: string[] = [];
  const t0 = performance.now();
  const end = t0 + bounds.seconds * 1000;
  let started = 0;
  const more = () => started < bounds.logins && started < requests.length && performance.now() < end;
  const user = async (): Promise<void> => {
    while (more()) {
      await pace(started, t0);
      if (!more()) return;
      const i = started++;
      const n = nextUser++;
      // A failed login is counted and reported (the run exits non-zero), not measured; the others go on.
      await driver.login(requests[i] as PreparedRequest, n, i % VERIFY_EVERY === 0).then(
        (timing) => timings.push(timing),
        (error: unknown) => failures.push(error instanceof Error ? error.message : String(error)),
      );
    }
  };
  await Promise.all(Array.from({ length: users }, user));
  return { logins: timings.length, wallSeconds: (performance.now() - t0) / 1000, timings, failures };
}

/** `users` browsers logging in back to back. */
export function closedLoop(
  driver: LoginDriver,
  bounds: Bounds,
  requests: PreparedRequest[],
  users: number,
): Promise<RunResult> {
  return timed(driver, bounds, requests, async () => {}, users);
}

/** Logins started `perSecond` apart on a schedule, as many in flight as needed (up to `maxInFlight`). */
export function pacedLoop(
  driver: LoginDriver,
  bounds: Bounds,
  requests: PreparedRequest[],
  perSecond: number,
  maxInFlight = 64,
): Promise<RunResult> {
  const gapMs = 1000 / perSecond;
  let claimed = 0;
  const pace = async (started: number, t0: number): Promise<void> => {
    // Each user waits for the slot after the last one claimed; a late slot starts at once.
    const slot = Math.max(claimed, started);
    claimed = slot + 1;
    const wait = t0 + slot * gapMs - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
  };
  return timed(driver, bounds, requests, pace, maxInFlight);
}

/** The q-quantile (0..1) of ascending `sorted`, nearest rank. */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] as number;
}

/** p50/p95/p99 in ms of the whole login and of each step. */
export function latencies(timings: readonly LoginTiming[]): { name: string; p: [number, number, number] }[] {
  const pick = (values: number[]) => {
    values.sort((a, b) => a - b);
    return [quantile(values, 0.5), quantile(values, 0.95), quantile(values, 0.99)] as [
      number,
      number,
      number,
    ];
  };
  return [
    { name: 'login', p: pick(timings.map((t) => t.total)) },
    ...STEPS.map((name, i) => ({ name, p: pick(timings.map((t) => t.steps[i] as number)) })),
  ];
}
