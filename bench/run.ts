// `npm run bench`: complete SP-initiated logins over real HTTP against the IdP in its own process (pinned to one
// core), on the memory store and on Redis, next to the machine's floor measured in the same run; then the
// in-process section with store calls counted. Not a test: it asserts nothing, it measures.
//
//   npm run bench -- [--store memory|redis|both] [--logins N] [--seconds S] [--users N] [--in-process N]
//                    [--set NAME=VALUE]... [--cpu-prof DIR] [--soak N] [--idps N]

import { availableParallelism, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { startRedisServer, type RedisServer } from '../test/helpers/redis-server.ts';
import { type Floor, floorMsPerLogin, measureFloor } from './floor.ts';
import type { ProbeAnswer } from './idp-probe.ts';
import { type IdpUnderTest, startIdp } from './idp-under-test.ts';
import { inProcessSection } from './in-process.ts';
import { LoginDriver, STEPS } from './login-driver.ts';
import { closedLoop, latencies, pacedLoop, type RunResult } from './load.ts';
import { coreOf, pinning } from './pinned.ts';
import { SmsSink } from './sms-sink.ts';
import { redisCounters, type RedisCounters } from './redis-counters.ts';

const { values: args } = parseArgs({
  options: {
    store: { type: 'string', default: 'both' },
    logins: { type: 'string', default: '2000' },
    seconds: { type: 'string', default: '15' },
    users: { type: 'string', default: '8' },
    'in-process': { type: 'string', default: '400' },
    'cpu-prof': { type: 'string' },
    set: { type: 'string', multiple: true, default: [] },
    soak: { type: 'string' },
    /** IdP processes on one Redis, each on its own core; every login's steps go through all of them. */
    idps: { type: 'string', default: '1' },
  },
});
const LOGINS = Number(args.logins);
const SECONDS = Number(args.seconds);
const USERS = Number(args.users);
const IDPS = Number(args.idps);
const WARMUP = 300;
const REQUESTS_PER_LOGIN = STEPS.length;
// Several processes share state only through Redis: with --idps the memory store is left out.
const stores = args.store === 'both' ? (IDPS > 1 ? ['redis'] : ['memory', 'redis']) : [args.store as string];
if (!(IDPS >= 1) || (IDPS > 1 && stores.includes('memory'))) {
  throw new Error('--idps wants a whole number, and more than 1 only on the redis store');
}
const MiB = 1048576;
/** `--set NAME=VALUE`: IdP settings for this run (e.g. LOG_LEVEL=warn), on top of the benchmark's own. */
const SETTINGS = Object.fromEntries(
  (args.set as string[]).map((pair) => {
    const eq = pair.indexOf('=');
    if (eq < 1) throw new Error(`--set wants NAME=VALUE, got ${pair}`);
    return [pair.slice(0, eq), pair.slice(eq + 1)];
  }),
);

const fmt = (n: number, digits = 2) => (Number.isFinite(n) ? n.toFixed(digits) : 'n/a');
const line = (label: string, value: string) => console.log(`  ${label.padEnd(34)}${value}`);

/** The IdPs, their gateway, the driver and (for Redis) a redis-server, started together and stopped together. */
async function withIdp<T>(
  store: string,
  run: (idps: readonly IdpUnderTest[], driver: LoginDriver, redis?: RedisServer) => Promise<T>,
) {
  const sink = await SmsSink.start();
  const redis = store === 'redis' ? await startRedisServer() : undefined;
  const idps: IdpUnderTest[] = [];
  try {
    const env = { ...SETTINGS, ...(redis === undefined ? {} : { REDIS_URL: redis.url }) };
    for (let i = 0; i < IDPS; i++) {
      const sharing = idps[0]?.files;
      idps.push(
        await startIdp({ smsUrl: sink.url, env, cpuProfileDir: args['cpu-prof'], sharing, core: coreOf(i) }),
      );
    }
    const first = idps[0] as IdpUnderTest;
    const driver = new LoginDriver({
      origins: idps.map((idp) => idp.origin),
      connections: USERS * 8,
      sp: first.sp,
      idp: first.idp,
      sink,
    });
    try {
      return await run(idps, driver, redis);
    } finally {
      await driver.close();
    }
  } finally {
    // The first process owns the shared files: it stops last.
    for (const idp of idps.reverse()) await idp.stop();
    await redis?.stop();
    await sink.close();
  }
}

/** CPU, heap and RSS of all the IdP processes together. */
async function usageOf(idps: readonly IdpUnderTest[]): Promise<ProbeAnswer> {
  const answers = await Promise.all(idps.map((idp) => idp.usage()));
  return {
    cpuMicros: answers.reduce((sum, a) => sum + a.cpuMicros, 0),
    heapUsedBytes: answers.reduce((sum, a) => sum + a.heapUsedBytes, 0),
    rssBytes: answers.reduce((sum, a) => sum + a.rssBytes, 0),
  };
}

/** Failed logins are printed with the first reasons, and make the benchmark exit non-zero. */
function reportFailures(what: string, result: RunResult): void {
  if (result.failures.length === 0) return;
  process.exitCode = 1;
  const reasons = [...new Set(result.failures)].slice(0, 3).map((r) => r.slice(0, 200));
  line(`FAILED logins (${what})`, `${result.failures.length}: ${reasons.join(' | ')}`);
}

function printLatencies(title: string, result: RunResult): void {
  console.log(`  ${title}`);
  console.log(`    ${'ms'.padEnd(18)}${'p50'.padStart(8)}${'p95'.padStart(8)}${'p99'.padStart(8)}`);
  for (const { name, p } of latencies(result.timings)) {
    console.log(`    ${name.padEnd(18)}${p.map((v) => fmt(v).padStart(8)).join('')}`);
  }
}

async function throughput(store: string, floorOf: (idp: IdpUnderTest) => Promise<Floor>): Promise<void> {
  await withIdp(store, async (idps, driver, redis) => {
    const idp = idps[0] as IdpUnderTest;
    const floor = await floorOf(idp);
    const warmup = await closedLoop(driver, { logins: WARMUP, seconds: 60 }, driver.prepare(WARMUP), USERS);
    const requests = driver.prepare(LOGINS);
    const counters = redis === undefined ? undefined : await redisCounters(redis.port);
    const before = await usageOf(idps);
    const r0: RedisCounters | undefined = await counters?.read();
    const saturated = await closedLoop(driver, { logins: LOGINS, seconds: SECONDS }, requests, USERS);
    const r1 = await counters?.read();
    await counters?.close();
    const after = await usageOf(idps);
    const perSecond = saturated.logins / saturated.wallSeconds;
    const cpuMs = (after.cpuMicros - before.cpuMicros) / 1000 / saturated.logins;
    const half = driver.prepare(Math.ceil((perSecond / 2) * (SECONDS / 2)) + 1);
    const halfLoad = await pacedLoop(driver, { logins: half.length, seconds: SECONDS }, half, perSecond / 2);
    const floorMs = floorMsPerLogin(floor, REQUESTS_PER_LOGIN);

    const pids = idps.map((i) => i.pid).join(', ');
    const cores = idps.map((_, i) => coreOf(i)).join(', ');
    console.log(
      `\n${store} store${redis === undefined ? '' : ` (redis-server ${redis.url})`}, IdP pid ${pids}` +
        (idps.length > 1 ? ` on cores ${cores}, every login's steps spread over all ${idps.length}` : ''),
    );
    line('logins (closed loop)', `${saturated.logins} in ${fmt(saturated.wallSeconds)} s, ${USERS} users`);
    line(
      'logins / s',
      `${fmt(perSecond, 0)}  (${fmt((perSecond * floorMs) / 1000)} of the floor's ${fmt(1000 / floorMs, 0)})`,
    );
    line('IdP CPU / login', `${fmt(cpuMs)} ms  (${fmt(cpuMs / floorMs, 1)}× the floor's ${fmt(floorMs)} ms)`);
    line('logins / s of one core (by CPU)', fmt(1000 / cpuMs, 0));
    line(
      'IdP heap / RSS after',
      `${fmt(after.heapUsedBytes / MiB, 1)} / ${fmt(after.rssBytes / MiB, 1)} MiB`,
    );
    if (r0 !== undefined && r1 !== undefined) {
      const n = saturated.logins;
      line('redis commands / login', fmt((r1.commands - r0.commands) / n, 1));
      line('redis socket reads / login', `${fmt((r1.reads - r0.reads) / n, 1)} (≈ round trips)`);
      line('redis memory / login', `${fmt((r1.usedBytes - r0.usedBytes) / n, 0)} bytes (keys still live)`);
    }
    line('Responses verified by node-saml', `${driver.verified} (1 in 50, every run's first)`);
    reportFailures('warm-up', warmup);
    reportFailures('closed loop', saturated);
    reportFailures('half load', halfLoad);
    printLatencies('latency, closed loop (saturated)', saturated);
    printLatencies(
      `latency at half load (${fmt(perSecond / 2, 0)} logins/s started on a schedule)`,
      halfLoad,
    );
    console.log(
      `    bare request p50 ${fmt(floor.requestP50Ms)} ms, p99 ${fmt(floor.requestP99Ms)} ms (floor, saturated)`,
    );
  });
}

async function soak(store: string, total: number): Promise<void> {
  await withIdp(store, async ([idp], driver) => {
    if (idp === undefined) return;
    console.log(`\nsoak: ${total} logins on the ${store} store, IdP pid ${idp.pid}; heap after a full GC`);
    const start = await idp.heap();
    line('before', `heap ${fmt(start.heapUsedBytes / MiB, 1)} MiB, RSS ${fmt(start.rssBytes / MiB, 1)} MiB`);
    const CHUNK = 1000;
    let done = 0;
    let t0 = performance.now();
    while (done < total) {
      const n = Math.min(CHUNK, total - done);
      const result = await closedLoop(driver, { logins: n, seconds: 3600 }, driver.prepare(n), USERS);
      reportFailures('soak', result);
      done += n; // attempted: failures are reported above, and must not make the soak run forever
      if (done % 10_000 === 0 || done >= total) {
        const h = await idp.heap();
        const rate = (done % 10_000 === 0 ? 10_000 : done % 10_000) / ((performance.now() - t0) / 1000);
        line(
          `after ${done}`,
          `heap ${fmt(h.heapUsedBytes / MiB, 1)} MiB, RSS ${fmt(h.rssBytes / MiB, 1)} MiB, ${fmt(rate, 0)} logins/s`,
        );
        t0 = performance.now();
      }
    }
  });
}

console.log(`nets-sms-idp benchmark, Node ${process.version}; measured processes ${pinning()}`);
if (args.soak !== undefined) {
  for (const store of args.store === 'both' ? ['memory'] : stores) await soak(store, Number(args.soak));
} else {
  // Measured again beside each store's run: on a shared machine the floor moves as much as the IdP does.
  const floorOf = async (idp: IdpUnderTest) => {
    const floor = await measureFloor(idp.keyFile, USERS, 20_000);
    const load = loadavg().map((l) => l.toFixed(1));
    console.log(
      `\nfloor (same core, same run; load average ${load.join(' ')} on ${availableParallelism()} cores)`,
    );
    line(
      'RSA-2048 signatures / s',
      `${fmt(floor.signaturesPerSecond, 0)} (${fmt(floor.cpuMsPerSignature, 3)} ms CPU each, the IdP's key)`,
    );
    line(
      'bare Fastify route requests / s',
      `${fmt(floor.requestsPerSecond, 0)} (${fmt(floor.cpuMsPerRequest, 3)} ms CPU each)`,
    );
    line(
      'floor per login',
      `${fmt(floorMsPerLogin(floor, REQUESTS_PER_LOGIN))} ms CPU (2 signatures + ${REQUESTS_PER_LOGIN} requests)`,
    );
    return floor;
  };
  for (const store of stores) await throughput(store, floorOf);
  if (Number(args['in-process']) > 0) await inProcessSection(Number(args['in-process']));
}
