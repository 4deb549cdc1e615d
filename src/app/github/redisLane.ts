import { Redis } from "ioredis";

/**
 * A rate lane shared by every replica through Redis: each request reserves
 * the next free slot of its key (at least `spacingMs` after the previous
 * slot) and waits for it.
 *
 * Why a slot reservation and not a limiter library: the lane must guarantee a
 * minimum gap between two requests of one installation, across processes.
 * One Lua call reserves the slot atomically, on Redis's clock (replicas'
 * clocks may differ), and returns how long to wait: one round trip per
 * request, requests released in the order they asked, no polling, no client
 * registry. The key expires by itself once its last slot has passed by a
 * spacing. Bottleneck's Redis datastore, which this replaces, registers each
 * limiter as a client and expects its own error strings back from Lua; Redis 7
 * prefixes them with "ERR ", so its re-registration never ran and requests
 * failed with `ERR UNKNOWN_CLIENT` (finding 12). rate-limiter-flexible's
 * RedisLimiter counts points in a window and answers "retry in n ms"; as a
 * spacing lane it would poll, and replicas would race for each freed window.
 */
const RESERVE_SLOT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local spacing = tonumber(ARGV[1])
local slot = now
local last = tonumber(redis.call('GET', KEYS[1]))
if last and last + spacing > now then slot = last + spacing end
redis.call('SET', KEYS[1], slot, 'PX', slot - now + spacing)
return slot - now
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

export class RedisLanes {
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
    const redisKey = `${this.#prefix}:lane:${name}:${key}`;
    for (let attempt = 1; ; attempt++) {
      let waitMs: number;
      try {
        waitMs = Number(await this.#redis.eval(RESERVE_SLOT, 1, redisKey, spacingMs));
      } catch (err) {
        if (attempt >= this.#retry.tries) throw new LaneUnavailableError(name, attempt, err);
        const delay = Math.min(this.#retry.firstDelayMs * 2 ** (attempt - 1), this.#retry.maxDelayMs);
        warn(`skillproof: shared ${name} lane of installation ${key} unavailable (${err instanceof Error ? err.message : String(err)}), try ${attempt + 1} of ${this.#retry.tries} in ${delay} ms`);
        await sleep(delay);
        continue;
      }
      if (waitMs > 0) await sleep(waitMs);
      return;
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
