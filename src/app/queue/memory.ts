import type { AnyJob } from "../jobs/types.js";
import type { EnqueueResult, JobQueue } from "./types.js";

/**
 * An in-process job queue with a concurrency limit and coalescing by key.
 *
 * A job's key names what it audits ("owner/repo#default", "owner/repo#pull:12"):
 * a job enqueued while another with the same key is still waiting replaces it
 * (so five quick pushes audit only the newest commit), and two jobs with the
 * same key never run at once (the newer one waits for the running one).
 * Nothing survives a restart: GitHub's "Re-run" buttons are the recovery path.
 */
export type Job = () => Promise<void>;

export class AuditQueue {
  private readonly waiting = new Map<string, Job>();
  private readonly running = new Set<string>();
  private idleWaiters: Array<() => void> = [];
  private stopped = false;

  constructor(
    readonly concurrency = 4,
    private readonly onError: (key: string, err: unknown) => void = () => {},
  ) {
    if (!Number.isInteger(concurrency) || concurrency < 1) throw new RangeError(`concurrency must be a positive integer, got ${concurrency}`);
  }

  /** Jobs waiting to start. */
  get size(): number {
    return this.waiting.size;
  }

  /** Jobs running now. */
  get pending(): number {
    return this.running.size;
  }

  /**
   * Starts no further jobs (shutdown): returns the keys of the waiting ones,
   * which are dropped; `onIdle` then resolves when the running ones are done.
   */
  stop(): string[] {
    this.stopped = true;
    const dropped = [...this.waiting.keys()];
    this.waiting.clear();
    this.pump();
    return dropped;
  }

  enqueue(key: string, job: Job): EnqueueResult {
    if (this.stopped) throw new Error("the queue is stopped");
    const replaced = this.waiting.delete(key);
    // Re-inserted at the end: a replaced job takes the newer one's place in line.
    this.waiting.set(key, job);
    this.pump();
    return replaced ? "replaced" : "queued";
  }

  /** Resolves when nothing is waiting or running (at once if already idle). */
  onIdle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private isIdle(): boolean {
    return this.waiting.size === 0 && this.running.size === 0;
  }

  private pump(): void {
    for (const [key, job] of this.waiting) {
      if (this.running.size >= this.concurrency) break;
      if (this.running.has(key)) continue;
      this.waiting.delete(key);
      this.running.add(key);
      void this.run(key, job);
    }
    if (this.isIdle()) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const w of waiters) w();
    }
  }

  private async run(key: string, job: Job): Promise<void> {
    try {
      await job();
    } catch (err) {
      this.onError(key, err);
    } finally {
      this.running.delete(key);
      this.pump();
    }
  }
}

/** The in-process `JobQueue`: jobs run through `run`, coalesced by key in an `AuditQueue`. */
export class MemoryJobQueue implements JobQueue {
  readonly kind = "memory" as const;
  /** The job each waiting key will run, to say what a shutdown dropped. */
  private readonly waitingJobs = new Map<string, AnyJob>();

  constructor(
    readonly queue: AuditQueue,
    private readonly run: (job: AnyJob) => Promise<void>,
    private readonly onDropped: (job: AnyJob) => void = () => {},
  ) {}

  get concurrency(): number {
    return this.queue.concurrency;
  }

  async enqueue(job: AnyJob): Promise<EnqueueResult> {
    this.waitingJobs.set(job.key, job);
    return this.queue.enqueue(job.key, async () => {
      if (this.waitingJobs.get(job.key) === job) this.waitingJobs.delete(job.key);
      await this.run(job);
    });
  }

  async depth(): Promise<number> {
    return this.queue.size + this.queue.pending;
  }

  onIdle(): Promise<void> {
    return this.queue.onIdle();
  }

  async close(graceMs = 30_000): Promise<void> {
    for (const key of this.queue.stop()) {
      const job = this.waitingJobs.get(key);
      if (job) this.onDropped(job);
    }
    this.waitingJobs.clear();
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.queue.onIdle(), new Promise<void>((r) => (timer = setTimeout(r, graceMs)))]);
    clearTimeout(timer);
  }
}
