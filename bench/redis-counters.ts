// What redis-server itself counts, read around a run: commands processed, socket reads (pipelined commands
// arrive in one read, so this is close to the round trips the IdP made) and memory in use.

import { Redis } from 'ioredis';

export interface RedisCounters {
  readonly commands: number;
  readonly reads: number;
  readonly usedBytes: number;
}

function field(info: string, name: string): number {
  const value = new RegExp(`^${name}:(\\d+)`, 'm').exec(info)?.[1];
  if (value === undefined) throw new Error(`redis INFO has no ${name}`);
  return Number(value);
}

/** A reader of the counters of the redis-server on 127.0.0.1:`port`; its own INFO calls are subtracted. */
export async function redisCounters(
  port: number,
): Promise<{ read(): Promise<RedisCounters>; close(): Promise<void> }> {
  const client = new Redis({ host: '127.0.0.1', port, lazyConnect: true });
  await client.connect();
  let own = 0;
  return {
    async read() {
      const info = await client.info();
      own += 1;
      return {
        commands: field(info, 'total_commands_processed') - own,
        reads: field(info, 'total_reads_processed') - own,
        usedBytes: field(info, 'used_memory'),
      };
    },
    async close() {
      await client.quit();
    },
  };
}
