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

export type EnqueueResult = "queued" | "replaced";

export class AuditQueue {
  private readonly waiting = new Map<string, Job>();
  private readonly running = new Set<string>();
  private idleWaiters: Array<() => void> = [];

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

  enqueue(key: string, job: Job): EnqueueResult {
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

/** One-at-a-time sections per key (issue writes per repository). */
export class KeyedMutex {
  private readonly tails = new Map<string, Promise<void>>();

  async run<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    let release!: () => void;
    const mine = new Promise<void>((r) => (release = r));
    const tail = previous.then(() => mine);
    this.tails.set(key, tail);
    await previous;
    try {
      return await fn();
    } finally {
      release();
      if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }
}

/** Remembers recent keys for a while, bounded in size (redelivered webhooks, just-audited commits). */
export class RecentSet {
  private readonly seen = new Map<string, number>();

  constructor(
    private readonly ttlMs: number,
    private readonly max = 5000,
    private readonly now: () => number = Date.now,
  ) {}

  has(key: string): boolean {
    const at = this.seen.get(key);
    if (at === undefined) return false;
    if (this.now() - at > this.ttlMs) {
      this.seen.delete(key);
      return false;
    }
    return true;
  }

  add(key: string): void {
    this.seen.delete(key);
    this.seen.set(key, this.now());
    while (this.seen.size > this.max) this.seen.delete(this.seen.keys().next().value!);
  }

  delete(key: string): void {
    this.seen.delete(key);
  }
}
