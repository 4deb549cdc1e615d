import type { AnyJob } from "../jobs/types.js";
import type { EnqueueResult, JobQueue } from "./types.js";

/**
 * An in-process job queue with a concurrency limit, coalescing by key and a
 * fair order across groups (installations).
 *
 * A job's key names what it audits ("owner/repo#default", "owner/repo#pull:12"):
 * a job enqueued while another with the same key is still waiting replaces it
 * (so five quick pushes audit only the newest commit), and two jobs with the
 * same key never run at once (the newer one waits for the running one).
 *
 * Fair order (start-time fair queueing, as `bull.ts` does in Redis): a job's
 * turn is one after its group's last turn, but never before the round now
 * being served (the turn of the latest job started); the lowest turn starts
 * first, ties in arrival order. So groups alternate, and an installation with
 * 500 jobs waiting delays another installation's first job by at most one
 * start, not by 500.
 * Nothing survives a restart: GitHub's "Re-run" buttons are the recovery path.
 */
export type Job = () => Promise<void>;

interface Waiting {
  key: string;
  group: string;
  turn: number;
  /** Arrival order, for ties. */
  seq: number;
  job: Job;
}

export class AuditQueue {
  /** Waiting jobs by group, each group's in arrival order (so in turn order). */
  private readonly groups = new Map<string, Map<string, Waiting>>();
  private readonly waiting = new Map<string, Waiting>();
  /** Each group's latest turn handed out. */
  private readonly lastTurn = new Map<string, number>();
  /** The turn of the latest job started. */
  private round = 0;
  private seq = 0;
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
    this.groups.clear();
    this.pump();
    return dropped;
  }

  /** Jobs of one `group` take turns with the other groups' (default: one group, plain arrival order). */
  enqueue(key: string, job: Job, group = ""): EnqueueResult {
    if (this.stopped) throw new Error("the queue is stopped");
    const replaced = this.remove(key);
    // A replaced job takes the newer one's place in line: its group's next turn.
    const turn = Math.max(this.round, (this.lastTurn.get(group) ?? 0) + 1);
    this.lastTurn.set(group, turn);
    const entry: Waiting = { key, group, turn, seq: this.seq++, job };
    let jobs = this.groups.get(group);
    if (!jobs) this.groups.set(group, (jobs = new Map()));
    jobs.set(key, entry);
    this.waiting.set(key, entry);
    this.pump();
    return replaced ? "replaced" : "queued";
  }

  /** Resolves when nothing is waiting or running (at once if already idle). */
  onIdle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private remove(key: string): boolean {
    const entry = this.waiting.get(key);
    if (!entry) return false;
    this.waiting.delete(key);
    const jobs = this.groups.get(entry.group)!;
    jobs.delete(key);
    if (jobs.size === 0) {
      this.groups.delete(entry.group);
      // A group with nothing waiting and its turns behind the round would get the round anyway.
      if ((this.lastTurn.get(entry.group) ?? 0) < this.round) this.lastTurn.delete(entry.group);
    }
    return true;
  }

  private isIdle(): boolean {
    return this.waiting.size === 0 && this.running.size === 0;
  }

  /** The startable job with the lowest turn: each group's first one whose key is not running. */
  private next(): Waiting | undefined {
    let best: Waiting | undefined;
    for (const jobs of this.groups.values()) {
      for (const entry of jobs.values()) {
        if (this.running.has(entry.key)) continue;
        if (!best || entry.turn < best.turn || (entry.turn === best.turn && entry.seq < best.seq)) best = entry;
        break;
      }
    }
    return best;
  }

  private pump(): void {
    while (this.running.size < this.concurrency) {
      const next = this.next();
      if (!next) break;
      this.round = Math.max(this.round, next.turn);
      this.remove(next.key);
      this.running.add(next.key);
      void this.run(next.key, next.job);
    }
    if (this.isIdle()) {
      // No job holds a turn: the count starts over.
      this.round = 0;
      this.lastTurn.clear();
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

/** The in-process `JobQueue`: jobs run through `run`, coalesced by key in an `AuditQueue`, installations taking turns. */
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
    const run = async () => {
      if (this.waitingJobs.get(job.key) === job) this.waitingJobs.delete(job.key);
      await this.run(job);
    };
    // Turns are taken installation by installation.
    return this.queue.enqueue(job.key, run, String(job.installationId));
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
