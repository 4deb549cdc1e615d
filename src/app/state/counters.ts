import type { Redis } from "ioredis";

/**
 * Named integer counters that expire, shared by whatever holds the app's
 * state (this process, or Redis for several replicas): what the command caps
 * count with. Every change renews the key's time to live, so a counter that
 * nobody touches any more (a leaked slot) goes away by itself.
 */
export interface Counters {
  /** Adds `by` (may be negative) and returns the new value; a missing key counts from 0. The value never goes below 0. */
  add(key: string, by: number, ttlMs: number): Promise<number>;
}

/** `Counters` in this process (one instance), bounded in size: the oldest keys go first. */
export class MemoryCounters implements Counters {
  private readonly values = new Map<string, { value: number; expires: number }>();

  constructor(
    private readonly max = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  async add(key: string, by: number, ttlMs: number): Promise<number> {
    const now = this.now();
    const held = this.values.get(key);
    const before = held && held.expires > now ? held.value : 0;
    const value = Math.max(0, before + by);
    this.values.delete(key);
    this.values.set(key, { value, expires: now + ttlMs });
    while (this.values.size > this.max) this.values.delete(this.values.keys().next().value!);
    return value;
  }
}

/** INCRBY, floor at 0, PEXPIRE: one script, so two replicas never read the same value. */
const ADD = `local v = redis.call("INCRBY", KEYS[1], ARGV[1])
if v < 0 then v = 0; redis.call("SET", KEYS[1], 0) end
redis.call("PEXPIRE", KEYS[1], ARGV[2])
return v`;

/** `Counters` in Redis: shared by every replica. */
export class RedisCounters implements Counters {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  async add(key: string, by: number, ttlMs: number): Promise<number> {
    return Number(await this.redis.eval(ADD, 1, this.prefix + key, String(by), String(Math.max(1, Math.round(ttlMs)))));
  }
}
