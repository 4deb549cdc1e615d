import type { Probot } from "probot";
import type { AnyJob } from "./jobs/types.js";
import { MemoryJobQueue, type AuditQueue } from "./queue/memory.js";
import type { JobQueue } from "./queue/types.js";
import type { ScaleSettings } from "./settings.js";
import { MemoryOnceKeys, RecentSet } from "./state/memory.js";
import type { OnceKeys } from "./state/types.js";

const HOUR = 60 * 60 * 1000;

/** What deliveries and jobs share (the queue and the "seen lately" sets), and how to let go of it. */
export interface Backend {
  queue: JobQueue;
  /** Delivery ids already handled (also comment ids: a command runs once). */
  deliveries: OnceKeys;
  /** "owner/repo@sha#purpose" audited lately. */
  recentAudits: OnceKeys;
  close(): Promise<void>;
}

/** Runs one job; `attempt` is 1 for a first run. Throws to fail it. */
export type RunJob = (job: AnyJob, attempt: number) => Promise<void>;

/** Everything in this process (one instance): nothing survives a restart, nothing is retried. */
export function openMemoryBackend(app: Probot, queue: AuditQueue, runner: RunJob): Backend {
  const run = async (job: AnyJob): Promise<void> => {
    try {
      await runner(job, 1);
    } catch (err) {
      // Nothing retries in this mode: the check run's "Re-run audit" button is the way back.
      app.log.error({ err, delivery: job.deliveryId, job: job.key }, "skillproof: job failed");
    }
  };
  const jobs = new MemoryJobQueue(queue, run, (job) =>
    app.log.warn({ delivery: job.deliveryId, job: job.key, kind: job.kind }, "skillproof: shutting down, queued job dropped (re-run it from GitHub, or use REDIS_URL)"),
  );
  return {
    queue: jobs,
    deliveries: new MemoryOnceKeys(new RecentSet(24 * HOUR, 10_000)),
    recentAudits: new MemoryOnceKeys(new RecentSet(HOUR / 6, 10_000)),
    close: async () => {},
  };
}

/**
 * Everything in Redis (REDIS_URL): BullMQ, so work survives restarts and
 * replicas share it. ioredis and BullMQ are loaded only here: the embedded
 * mode never touches them.
 */
export async function openRedisBackend(app: Probot, settings: ScaleSettings, run: RunJob): Promise<Backend> {
  const { Redis } = await import("ioredis");
  const { BullJobQueue } = await import("./queue/bull.js");
  const { RedisOnceKeys } = await import("./state/redis.js");
  // BullMQ needs maxRetriesPerRequest: null (its blocking commands wait as long as they must).
  const redis = new Redis(settings.redisUrl!, { maxRetriesPerRequest: null, lazyConnect: true });
  redis.on("error", (err) => app.log.error({ err }, "skillproof: Redis connection error"));
  await redis.connect();
  const prefix = settings.redisPrefix;
  const queue = new BullJobQueue({ redis, settings, log: app.log, run });
  await queue.start();
  return {
    queue,
    deliveries: new RedisOnceKeys(redis, `${prefix}:delivery:`, 24 * HOUR),
    recentAudits: new RedisOnceKeys(redis, `${prefix}:audited:`, HOUR / 6),
    async close() {
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}
