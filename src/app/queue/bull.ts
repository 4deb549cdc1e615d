import { Queue, UnrecoverableError, Worker, type Job as BullJob } from "bullmq";
import type { Redis } from "ioredis";
import type { Logger } from "probot";
import { isTransient } from "../github/octokit.js";
import type { AnyJob } from "../jobs/types.js";
import type { EnqueueResult, JobQueue } from "./types.js";
import type { ScaleSettings } from "../settings.js";

const QUEUE_NAME = "jobs";

/** Deletes the newest-job record only if it is still the job that just ran (a newer one may have arrived meanwhile). */
const DELETE_IF_SAME = `if redis.call("GET", KEYS[1]) == ARGV[1] then return redis.call("DEL", KEYS[1]) else return 0 end`;

/** BullMQ's highest priority number (its lowest priority). */
const PRIORITY_LIMIT = 2 ** 21 - 1;

/**
 * An installation's turn for its next job (start-time fair queueing): one
 * after its own last turn, but never before the round now being served
 * (the turn of the latest job started). Jobs are ordered by turn (BullMQ
 * priority), so installations alternate however many jobs one of them queued.
 * With nothing waiting, running or delayed, no job holds a turn, so the
 * count starts over; a queue that is never empty for two million starts
 * serves the rest at the last turn, in arrival order.
 * KEYS: round, turns (hash installation → last turn), wait, paused, active, prioritized, delayed.
 * ARGV: installation id, highest turn.
 */
const TAKE_TURN = `
if redis.call("LLEN", KEYS[3]) + redis.call("LLEN", KEYS[4]) + redis.call("LLEN", KEYS[5]) + redis.call("ZCARD", KEYS[6]) + redis.call("ZCARD", KEYS[7]) == 0 then
  redis.call("DEL", KEYS[1], KEYS[2])
end
local round = tonumber(redis.call("GET", KEYS[1]) or "0")
local last = tonumber(redis.call("HGET", KEYS[2], ARGV[1]) or "0")
local turn = math.min(math.max(round, last + 1), tonumber(ARGV[2]))
redis.call("HSET", KEYS[2], ARGV[1], turn)
return turn`;

/** A job starts: the round served is now its turn (never moving back, as a retried job's older turn comes round again). */
const SERVE_TURN = `if tonumber(ARGV[1]) > tonumber(redis.call("GET", KEYS[1]) or "0") then redis.call("SET", KEYS[1], ARGV[1]) end return 1`;

export interface BullJobQueueOptions {
  redis: Redis;
  settings: ScaleSettings;
  log: Logger;
  /** Runs one job; `attempt` is 1 for a first run. Throws to fail it (retried when transient). */
  run: (job: AnyJob, attempt: number) => Promise<void>;
}

/**
 * The durable `JobQueue`: BullMQ on Redis.
 *
 * Coalescing: each enqueue stores the job as the newest for its key
 * (`<prefix>:newest:<key>`) and adds a BullMQ job deduplicated by that key
 * with `keepLastIfActive`. So a key has at most one waiting and one running
 * job on all replicas together; a waiting job runs whatever is newest when it
 * starts, and a job added while one runs becomes the next one after it. The
 * newest record is deleted only after a run succeeds (or fails for good), so
 * a job whose process was killed is found stalled and runs it again.
 *
 * Fair order: BullMQ's open-source queue has no per-group round-robin, so
 * each job gets a turn from its installation's own count (`TAKE_TURN`) as its
 * BullMQ priority, and workers always take the lowest turn waiting. An
 * installation that queued 500 jobs holds turns 1..500; another's first job
 * gets the turn now being served and starts next. Retries and stalled jobs
 * keep their turn; all of it lives in Redis, shared by replicas.
 */
export class BullJobQueue implements JobQueue {
  readonly kind = "redis" as const;
  readonly concurrency: number;
  private readonly queue: Queue;
  private readonly worker: Worker;
  private readonly newestPrefix: string;
  private readonly roundKey: string;
  private readonly turnsKey: string;

  constructor(private readonly opts: BullJobQueueOptions) {
    const { redis, settings } = opts;
    this.concurrency = settings.concurrency;
    this.newestPrefix = `${settings.redisPrefix}:newest:`;
    this.roundKey = `${settings.redisPrefix}:fair:round`;
    this.turnsKey = `${settings.redisPrefix}:fair:turns`;
    this.queue = new Queue(QUEUE_NAME, { connection: redis, prefix: settings.redisPrefix });
    this.worker = new Worker(QUEUE_NAME, (job, token) => this.process(job, token), {
      connection: redis,
      prefix: settings.redisPrefix,
      concurrency: settings.concurrency,
      lockDuration: settings.lockMs,
      stalledInterval: settings.stalledIntervalMs,
      maxStalledCount: settings.maxStalledCount,
      autorun: false,
    });
    this.worker.on("failed", (job, err) => {
      opts.log.error({ err, delivery: job?.data.deliveryId, job: job?.data.key, attempts: job?.attemptsMade }, "skillproof: job failed");
    });
    this.worker.on("error", (err) => opts.log.error({ err }, "skillproof: queue worker error"));
  }

  /** Starts taking jobs (also the stalled ones a killed process left behind). */
  async start(): Promise<void> {
    void this.worker.run().catch((err) => this.opts.log.error({ err }, "skillproof: queue worker stopped"));
    await this.worker.waitUntilReady();
  }

  async enqueue(job: AnyJob): Promise<EnqueueResult> {
    const { redis, settings } = this.opts;
    const previous = await redis.set(this.newestPrefix + job.key, JSON.stringify(job), "GET");
    // A job coalesced into a waiting one spends its turn too: only its own installation waits longer for it.
    const turn = await this.takeTurn(job.installationId);
    await this.queue.add(job.kind, job, {
      priority: turn,
      deduplication: { id: job.key, keepLastIfActive: true },
      attempts: settings.attempts,
      backoff: { type: "exponential", delay: settings.backoffMs },
      removeOnComplete: { age: 3600, count: 1000 },
      removeOnFail: { age: 24 * 3600 },
    });
    return previous === null ? "queued" : "replaced";
  }

  private async takeTurn(installationId: number): Promise<number> {
    const k = this.queue.keys;
    const keys = [this.roundKey, this.turnsKey, k.wait!, k.paused!, k.active!, k.prioritized!, k.delayed!];
    return Number(await this.opts.redis.eval(TAKE_TURN, keys.length, ...keys, String(installationId), String(PRIORITY_LIMIT)));
  }

  private async process(bull: BullJob<AnyJob>, _token?: string): Promise<void> {
    const { redis, settings } = this.opts;
    if (bull.opts.priority) await redis.eval(SERVE_TURN, 1, this.roundKey, String(bull.opts.priority));
    const newestKey = this.newestPrefix + bull.data.key;
    const newest = await redis.get(newestKey);
    // Nothing newer than what an earlier job of this key already ran.
    if (newest === null) return;
    const job = JSON.parse(newest) as AnyJob;
    try {
      await this.opts.run(job, bull.attemptsStarted);
    } catch (err) {
      const retry = isTransient(err) && bull.attemptsMade + 1 < settings.attempts;
      if (!retry) await redis.eval(DELETE_IF_SAME, 1, newestKey, newest);
      if (!isTransient(err)) throw new UnrecoverableError(err instanceof Error ? err.message : String(err));
      throw err;
    }
    await redis.eval(DELETE_IF_SAME, 1, newestKey, newest);
  }

  async depth(): Promise<number> {
    const counts = await this.queue.getJobCounts("wait", "active", "delayed", "prioritized");
    return Object.values(counts).reduce((a, b) => a + b, 0);
  }

  /** Polls until no job of this prefix waits, runs or is due for a retry. */
  async onIdle(): Promise<void> {
    for (;;) {
      const counts = await this.queue.getJobCounts("wait", "active", "delayed", "prioritized");
      if (Object.values(counts).every((n) => n === 0)) return;
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  /**
   * Stops taking jobs and waits for the running ones within `graceMs`. A job
   * still running then is left to the lock: another worker (or this one after
   * a restart) finds it stalled and runs it again.
   */
  async close(graceMs = 30_000): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const graceUp = new Promise<"timeout">((r) => (timer = setTimeout(() => r("timeout"), graceMs)));
    const done = await Promise.race([this.worker.close().then(() => "closed" as const), graceUp]);
    clearTimeout(timer);
    if (done === "timeout") {
      this.opts.log.warn("skillproof: shutdown grace ran out; running jobs will be run again by a worker once their lock expires");
      await this.worker.close(true).catch(() => {});
    }
    await this.queue.close();
  }
}
