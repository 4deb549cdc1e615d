import type { AnyJob } from "../jobs/types.js";

/**
 * What the handlers enqueue into: the in-process queue (`memory.ts`, one instance,
 * the default) or BullMQ on Redis (`bull.ts`, REDIS_URL: durable, shared by replicas).
 * Both coalesce by `job.key` (a waiting job is replaced by a newer one with
 * the same key) and never run two jobs with one key at once.
 */
export interface JobQueue {
  readonly concurrency: number;
  readonly kind: "memory" | "redis";
  enqueue(job: AnyJob): Promise<EnqueueResult>;
  /** Jobs waiting or running (with Redis: in the shared queue, all replicas together). */
  depth(): Promise<number>;
  /** Resolves when nothing is waiting or running (tests). */
  onIdle(): Promise<void>;
  /** Stops taking jobs, lets running ones finish within `graceMs`, then releases resources. */
  close(graceMs?: number): Promise<void>;
}

export type EnqueueResult = "queued" | "replaced";
