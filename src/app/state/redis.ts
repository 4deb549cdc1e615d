import { randomUUID } from "node:crypto";
import type { Redis } from "ioredis";
import { KeyedMutex } from "./memory.js";
import type { OnceKeys } from "./types.js";

/** `OnceKeys` in Redis: one SET NX PX per claim, so two replicas never both win. */
export class RedisOnceKeys implements OnceKeys {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly ttlMs: number,
  ) {}

  async claim(key: string): Promise<boolean> {
    return (await this.redis.set(this.prefix + key, "1", "PX", this.ttlMs, "NX")) === "OK";
  }
}

/** Deletes or extends the lock only while it still holds our token (never someone else's after our lease ran out). */
const RELEASE = `if redis.call("GET", KEYS[1]) == ARGV[1] then return redis.call("DEL", KEYS[1]) else return 0 end`;
const EXTEND = `if redis.call("GET", KEYS[1]) == ARGV[1] then return redis.call("PEXPIRE", KEYS[1], ARGV[2]) else return 0 end`;

/**
 * One-at-a-time sections per key across processes: SET NX PX with a random
 * token, renewed while the section runs, released only by its holder. Local
 * callers queue in-process first (the base class), so one process polls Redis
 * for a key at most once at a time (a KeyedMutex, which it extends).
 */
export class RedisKeyedMutex extends KeyedMutex {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly leaseMs = 30_000,
    private readonly waitMs = 120_000,
  ) {
    super();
  }

  override run<T>(key: string, fn: () => Promise<T>): Promise<T> {
    return super.run(key, () => this.held(key, fn));
  }

  private async held<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const name = this.prefix + key;
    const token = randomUUID();
    const deadline = Date.now() + this.waitMs;
    let pause = 20;
    while ((await this.redis.set(name, token, "PX", this.leaseMs, "NX")) !== "OK") {
      if (Date.now() > deadline) throw new Error(`timed out waiting for the lock on ${key}`);
      await new Promise((r) => setTimeout(r, pause));
      pause = Math.min(pause * 2, 500);
    }
    const renew = setInterval(() => void this.redis.eval(EXTEND, 1, name, token, String(this.leaseMs)).catch(() => {}), this.leaseMs / 3);
    try {
      return await fn();
    } finally {
      clearInterval(renew);
      await this.redis.eval(RELEASE, 1, name, token).catch(() => {});
    }
  }
}
