import { Redis } from "ioredis";
import type { WriteLanes } from "./laneFetch.js";

/**
 * A rate lane shared by every replica through Redis: each request reserves
 * the next free slot of its key (at least `spacingMs` after the previous
 * slot) and waits for it, then claims its release, which succeeds only when
 * the previous release of the key is `spacingMs` old (on Redis's clock).
 *
 * Why two steps: a process whose event loop is busy (a CPU-bound audit in the
 * same job thread) can wake up late from its wait, after the next request's
 * slot, and the two would then go out together. The reservation orders the
 * requests and keeps the waits short; the claim makes the spacing hold
 * between actual releases, whoever is late.
 *
 * Why this and not a limiter library: the lane must guarantee a minimum gap
 * between two requests of one installation across processes. Two tiny Lua
 * calls do it atomically, on Redis's clock (replicas' clocks may differ), with
 * no polling and no client registry, and the keys expire by themselves a
 * spacing after their last slot. Bottleneck's Redis datastore, which this
 * replaces, registers each limiter as a client and expects its own error
 * strings back from Lua; Redis 7 prefixes them with "ERR ", so its
 * re-registration never ran and requests failed with `ERR UNKNOWN_CLIENT`
 * (finding 12). rate-limiter-flexible's RateLimiterRedis counts points in a
 * window and answers "retry in n ms": as a spacing lane every waiting request
 * would poll, and replicas would race for each freed window.
 */
const NOW = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local spacing = tonumber(ARGV[1])
`;

/** KEYS: the last reserved slot, the last release. Returns the wait until this request's slot, in ms. */
const RESERVE_SLOT = `${NOW}
local slot = now
local tail = tonumber(redis.call('GET', KEYS[1]))
if tail and tail + spacing > slot then slot = tail + spacing end
local released = tonumber(redis.call('GET', KEYS[2]))
if released and released + spacing > slot then slot = released + spacing end
redis.call('SET', KEYS[1], slot, 'PX', slot - now + spacing)
return slot - now
`;

/** KEYS: the last reserved slot, the last release. Returns 0 when released now, else the wait until a release may be claimed. */
const CLAIM_RELEASE = `${NOW}
local released = tonumber(redis.call('GET', KEYS[2]))
if released and released + spacing > now then return released + spacing - now end
redis.call('SET', KEYS[2], now, 'PX', spacing)
return 0
`;

/** When Redis does not answer: how often and how patiently a request tries to reserve its slot. */
export interface LaneRetryPolicy {
  /** Tries before the request fails (as a transient error, so the job is run again later). */
  tries: number;
  /** Wait after the first failed try; each next wait doubles, up to `maxDelayMs`. */
  firstDelayMs: number;
  maxDelayMs: number;
}

/** About 30 s of patience: a Redis restart or fail-over, not an outage (the job queue retries after that). */
export const DEFAULT_LANE_RETRY: LaneRetryPolicy = { tries: 10, firstDelayMs: 250, maxDelayMs: 5_000 };

/** The lane could not be reached after every try. Transient: the job queue runs the job again later. */
export class LaneUnavailableError extends Error {
  readonly transient = true;
  constructor(lane: string, tries: number, cause: unknown) {
    super(`skillproof: the shared ${lane} lane (Redis) did not answer after ${tries} tries: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = "LaneUnavailableError";
  }
}

type Warn = (message: string) => void;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class RedisLanes implements WriteLanes {
  readonly #redis: Redis;
  readonly #prefix: string;
  readonly #retry: LaneRetryPolicy;

  /**
   * `redis`: a connection of its own, for the lanes alone; its commands
   * should fail rather than wait forever while Redis is away (see
   * openLaneRedis), since the lanes retry themselves and say so in the log.
   */
  constructor(redis: Redis, options: { prefix: string; retry?: LaneRetryPolicy }) {
    this.#redis = redis;
    this.#prefix = options.prefix;
    this.#retry = options.retry ?? DEFAULT_LANE_RETRY;
  }

  /**
   * Waits for this request's slot in lane `name` of `key` (an installation):
   * at least `spacingMs` after the slot before it, whichever replica took it.
   * A Redis error is retried with backoff; after the last try it throws
   * LaneUnavailableError. The request is never sent without its slot.
   */
  async waitForSlot(name: string, key: string, spacingMs: number, warn: Warn): Promise<void> {
    // One hash tag, so both keys live on one node of a Redis Cluster.
    const base = `${this.#prefix}:lane:{${name}:${key}}`;
    const keys = [`${base}:slot`, `${base}:released`];
    const run = (script: string) => this.#retrying(name, key, warn, async () => Number(await this.#redis.eval(script, keys.length, ...keys, spacingMs)));
    let waitMs = await run(RESERVE_SLOT);
    do {
      if (waitMs > 0) await sleep(waitMs);
      waitMs = await run(CLAIM_RELEASE);
    } while (waitMs > 0);
  }

  /** Runs one lane call, again after a Redis error (with backoff), and gives up transiently after the last try. */
  async #retrying(name: string, key: string, warn: Warn, call: () => Promise<number>): Promise<number> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await call();
      } catch (err) {
        if (attempt >= this.#retry.tries) throw new LaneUnavailableError(name, attempt, err);
        const delay = Math.min(this.#retry.firstDelayMs * 2 ** (attempt - 1), this.#retry.maxDelayMs);
        warn(`skillproof: shared ${name} lane of installation ${key} unavailable (${err instanceof Error ? err.message : String(err)}), try ${attempt + 1} of ${this.#retry.tries} in ${delay} ms`);
        await sleep(delay);
      }
    }
  }

  close(): Promise<void> {
    return this.#redis.quit().then(
      () => undefined,
      () => this.#redis.disconnect(),
    );
  }
}

/**
 * The lanes' connection: fails a command after one reconnection attempt and
 * after 5 s without an answer, instead of queueing it until Redis is back
 * (ioredis's default), so a request waiting for its slot is retried by
 * waitForSlot, with a log line, and given up (transiently) at some point.
 */
export function openLaneRedis(url: string, onError: (err: Error) => void): Redis {
  const redis = new Redis(url, { maxRetriesPerRequest: 1, commandTimeout: 5_000, lazyConnect: true });
  redis.on("error", onError);
  return redis;
}
