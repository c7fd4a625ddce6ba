// Second section of the benchmark: whole logins through the app in this process (app.inject, an SMS provider that
// records codes), with every store call counted: calls and round trips per login, bytes stored per flow.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp } from '../src/app.ts';
import { loadConfig } from '../src/config/config.ts';
import { MemoryStore } from '../src/store/memory.ts';
import { RedisStore } from '../src/store/redis.ts';
import type { Store } from '../src/store/store.ts';
import { BrowserClient, injectTransport } from '../test/helpers/browser-client.ts';
import { RecordingSmsProvider } from '../test/helpers/recording-sms.ts';
import { startRedisServer } from '../test/helpers/redis-server.ts';
import { authnRequestXml, createTestSp, redirectQuery } from '../test/helpers/saml-sp.ts';

const WARMUP = 50;

/**
 * Counts every store call, the round trips they need (calls issued while others are in flight share one: ioredis
 * writes them together), and the bytes each write stores.
 */
class CountingStore implements Store {
  calls = 0;
  roundTrips = 0;
  #inFlight = 0;
  readonly bytesByKey = new Map<string, number>();
  readonly #inner: Store;
  constructor(inner: Store) {
    this.#inner = inner;
  }
  #count<T>(p: Promise<T>): Promise<T> {
    this.calls += 1;
    if (this.#inFlight === 0) this.roundTrips += 1;
    this.#inFlight += 1;
    return p.finally(() => {
      this.#inFlight -= 1;
    });
  }
  #note(key: string, value: unknown): void {
    this.bytesByKey.set(key, Buffer.byteLength(key) + Buffer.byteLength(JSON.stringify(value)));
  }
  get<T>(key: string) {
    return this.#count(this.#inner.get<T>(key));
  }
  set(key: string, value: unknown, ttl: number) {
    this.#note(key, value);
    return this.#count(this.#inner.set(key, value, ttl));
  }
  setIfAbsent(key: string, value: unknown, ttl: number) {
    this.#note(key, value);
    return this.#count(this.#inner.setIfAbsent(key, value, ttl));
  }
  replaceIf(key: string, expected: unknown, value: unknown, ttl: number) {
    this.#note(key, value);
    return this.#count(this.#inner.replaceIf(key, expected, value, ttl));
  }
  take<T>(key: string) {
    return this.#count(this.#inner.take<T>(key));
  }
  delete(key: string) {
    return this.#count(this.#inner.delete(key));
  }
  increment(key: string, ttl: number) {
    this.#note(key, 1);
    return this.#count(this.#inner.increment(key, ttl));
  }
  ttl(key: string) {
    return this.#count(this.#inner.ttl(key));
  }
  ping() {
    return this.#inner.ping();
  }
  close() {
    return this.#inner.close();
  }
}

async function run(label: string, inner: Store, logins: number): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'nsi-bench-'));
  const sp = createTestSp();
  const { mkdirSync, writeFileSync } = await import('node:fs');
  mkdirSync(join(dir, 'sp'));
  writeFileSync(join(dir, 'sp', 'sp.xml'), sp.metadataXml);
  const config = loadConfig({
    BASE_URL: 'https://idp.example.test',
    SP_METADATA_DIR: join(dir, 'sp'),
    DEV_KEY_DIR: join(dir, 'keys'),
    DEMO_SP: 'false',
    IDP_SECRET: 'bench-secret-0123456789-0123456789-abcdef',
    // Limits high enough that the benchmark measures the login, not the rate limiter.
    SMS_MAX_PER_PHONE: '1000',
    SMS_MAX_PER_IP: '100000',
    SMS_MAX_GLOBAL: '10000000',
    FLOW_MAX_PER_IP: '1000000',
  });
  const store = new CountingStore(inner);
  const sms = new RecordingSmsProvider();
  const app = await buildApp(config, { store, sms, logger: false });
  await app.ready();

  const login = async (i: number): Promise<void> => {
    const phone = `+4791${String(i % 1_000_000).padStart(6, '0')}`;
    const xml = authnRequestXml({ issuer: sp.entityId, destination: 'https://idp.example.test/saml/sso' });
    const client = new BrowserClient(injectTransport(app, { 'accept-language': 'nb' }));
    await client.go('GET', `/saml/sso?${redirectQuery(xml, { relayState: 'bench' })}`);
    await client.submit({ given_name: 'Kari', family_name: 'Nordmann', phone });
    await client.submit({ code: sms.lastCode(phone) });
    if (!client.page?.html.includes('name="SAMLResponse"')) throw new Error('login did not finish');
  };

  for (let i = 0; i < WARMUP; i++) await login(i);
  store.calls = 0;
  store.roundTrips = 0;
  store.bytesByKey.clear();
  // Keys still live after the logins (counters, replay IDs, finished flows, sessions): what fills a memory store.
  const liveBefore = inner instanceof MemoryStore ? inner.size : undefined;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  for (let i = 0; i < logins; i++) await login(WARMUP + i);
  const wall = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;

  const flowRecords = [...store.bytesByKey].filter(([k]) => k.endsWith(':flow')).map(([, b]) => b);
  const perFlowKeys = [...store.bytesByKey].filter(([k]) => k.startsWith('{'));
  const flows = new Set(perFlowKeys.map(([k]) => k.slice(0, k.indexOf('}') + 1)));
  const perFlowBytes = perFlowKeys.reduce((sum, [, b]) => sum + b, 0) / Math.max(flows.size, 1);
  const maxFlow = Math.max(...flowRecords);

  console.log(`\n${label}`);
  console.log(`  logins                      ${logins}`);
  console.log(`  store calls / login         ${(store.calls / logins).toFixed(1)}`);
  console.log(
    `  store round trips / login   ${(store.roundTrips / logins).toFixed(1)} (concurrent calls share one)`,
  );
  console.log(`  flow record, largest        ${maxFlow} bytes`);
  console.log(`  all keys of one flow        ${perFlowBytes.toFixed(0)} bytes (goal: under 1 KB)`);
  if (liveBefore !== undefined && inner instanceof MemoryStore) {
    const perLogin = (inner.size - liveBefore) / logins;
    console.log(`  live keys left / login      ${perLogin.toFixed(1)} (the memory store holds 1,000,000)`);
  }
  console.log(`  wall time / login           ${((wall / logins) * 1000).toFixed(2)} ms`);
  console.log(`  CPU time / login            ${((cpuSeconds / logins) * 1000).toFixed(2)} ms`);
  console.log(`  logins / s of one core      ${(logins / cpuSeconds).toFixed(0)} (by CPU time)`);
  console.log(`  heap used after             ${(process.memoryUsage().heapUsed / 1048576).toFixed(1)} MiB`);
  await app.close();
  rmSync(dir, { recursive: true, force: true });
}

/** Runs `logins` logins on a memory store and on a Redis store (a redis-server of its own) and prints the counts. */
export async function inProcessSection(logins: number): Promise<void> {
  console.log(
    `\nIn process (app.inject, store calls counted): ${logins} logins each after ${WARMUP} warm-up`,
  );
  const memory = new MemoryStore();
  await run('memory store', memory, logins);
  await memory.close();
  const redis = await startRedisServer();
  const redisStore = new RedisStore({ url: redis.url });
  try {
    await run(`redis store (redis-server on 127.0.0.1:${redis.port})`, redisStore, logins);
  } finally {
    await redisStore.close();
    await redis.stop();
  }
}
