import { Worker } from "node:worker_threads";
import type { Logger } from "probot";
import type { AnyJob } from "../jobs/types.js";
import type { OutOfBudget } from "../publish/timedOut.js";
import type { ScaleSettings } from "../settings.js";
import type { JobReply, JobRequest, ThreadCounts } from "./messages.js";

/**
 * How long past its budget a job may run in its thread before the thread is
 * terminated. The thread enforces the budget itself (the audit's reads are
 * aborted, the engine stops between units of work) and publishes its own
 * "ran out of time" check run; this is for work that cannot stop itself (a
 * pattern match stuck on one file), and it costs the thread's other jobs.
 */
export const TERMINATE_GRACE_MS = 2_000;

/**
 * A job stopped by the pool before it could report: its thread ran past the
 * job's budget and was terminated, or died of running out of memory. Not
 * transient: run again it would end the same way (so BullMQ fails it for good).
 */
export class JobStoppedError extends Error {
  readonly code = "ERR_JOB_STOPPED";
  readonly transient = false;
  constructor(readonly why: OutOfBudget) {
    super(why.kind === "time" ? `the job ran past its ${why.budgetMs} ms budget; its thread was terminated` : `the job's thread ran out of memory (${why.limitMb} MB)`);
    this.name = "JobStoppedError";
  }
}

/** Young-generation size for an old generation of `oldMb`: V8's own default is 16–64 MB on 64-bit. */
export function youngGenerationMb(oldMb: number): number {
  return Math.max(4, Math.min(64, Math.round(oldMb / 16)));
}

interface Pending {
  job: AnyJob;
  attempt: number;
  resolve: () => void;
  reject: (err: Error) => void;
  /** Times this run was lost with a thread that died under it (another job's timeout, out of memory). */
  lost: number;
  /** When the thread was handed the job (Date.now()); its budget counts from there. */
  postedAt?: number;
  timer?: NodeJS.Timeout;
}

interface Slot {
  index: number;
  worker: Worker;
  pending: Map<number, Pending>;
  ready: Promise<void>;
  /** Why the pool ended this thread, or how it died: decides what its jobs are told. */
  ended?: "timeout" | "memory";
}

export interface JobThreadPoolOptions {
  /** Receives what a thread counted (audits, GitHub responses) with each reply, for the main thread's metrics. */
  onCounts?: (counts: ThreadCounts) => void;
  /**
   * How many times a job lost with its thread (terminated for another job's
   * budget, or dead of memory) is run again here, on the new thread. 1 in
   * memory mode (nothing else retries); 0 with BullMQ, which retries the
   * transient error with its back-off, on any replica.
   */
  rerunLost?: number;
}

/**
 * Worker threads that run jobs, so the main thread only answers webhooks and
 * schedules. A job goes to the thread of its installation (installation id
 * modulo the pool size): one installation's rate lane and issue locks live in
 * one thread.
 *
 * Bounded work: each thread runs with `resourceLimits` (SKILLPROOF_THREAD_MEMORY_MB),
 * so a job that needs too much memory kills its thread, not the process; and
 * a job still running `TERMINATE_GRACE_MS` after its budget
 * (SKILLPROOF_AUDIT_TIMEOUT_MS) gets its thread terminated. Either way the
 * thread is replaced at once, the stopped job fails with `JobStoppedError`
 * (the caller says so on GitHub), and the thread's other jobs are run again
 * (`rerunLost`) or failed as transient, never lost.
 *
 * Who is to blame: a thread stuck on the CPU or out of memory cannot say
 * which of its jobs did it. The blamable ones (out of memory: all its jobs;
 * stuck: those past their budget) are named when there is one, or when one
 * was blamable before (a suspect); otherwise they become suspects and are run
 * again one at a time (`rerunLost`), or failed as transient for the queue to
 * retry. A job that was not blamable is run again or failed as transient.
 */
export class JobThreadPool {
  private readonly slots: Slot[] = [];
  private nextId = 1;
  private closing = false;
  private readonly onCounts: (counts: ThreadCounts) => void;
  private readonly rerunLost: number;
  /** Suspects are run again one after the other, so a second death names one job. */
  private suspectTurn: Promise<void> = Promise.resolve();
  /** Jobs blamable for an earlier death of their thread (by `identity`), oldest first; bounded. */
  private readonly suspects = new Set<string>();

  constructor(
    size: number,
    private readonly settings: ScaleSettings,
    private readonly log: Logger,
    options: JobThreadPoolOptions = {},
    /** The thread's entry module (tests give their own). */
    private readonly entry: URL = new URL("./thread.js", import.meta.url),
  ) {
    this.onCounts = options.onCounts ?? (() => {});
    this.rerunLost = options.rerunLost ?? 0;
    for (let i = 0; i < size; i++) this.slots.push(this.spawn(i));
  }

  /** Resolves when every thread has compiled the rules and can take jobs. */
  async ready(): Promise<void> {
    await Promise.all(this.slots.map((s) => s.ready));
  }

  run(job: AnyJob, attempt: number): Promise<void> {
    return new Promise<void>((resolve, reject) => this.post({ job, attempt, resolve, reject, lost: 0 }));
  }

  async close(): Promise<void> {
    this.closing = true;
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }

  /** Hands the job to its installation's thread once that thread is ready; its budget starts then. */
  private post(p: Pending): void {
    const slot = this.slots[p.job.installationId % this.slots.length]!;
    const id = this.nextId++;
    slot.pending.set(id, p);
    slot.ready.then(
      () => {
        if (slot.pending.get(id) !== p) return;
        p.postedAt = Date.now();
        p.timer = setTimeout(() => this.outOfTime(slot, id), this.settings.auditTimeoutMs + TERMINATE_GRACE_MS);
        slot.worker.postMessage({ id, job: p.job, attempt: p.attempt } satisfies JobRequest);
      },
      () => {}, // The thread died before it was ready: its exit handles the pending jobs.
    );
  }

  /** A job ran past its budget and the thread did not end it: terminate the thread (its exit sorts out the jobs), start another. */
  private outOfTime(slot: Slot, id: number): void {
    const p = slot.pending.get(id);
    if (!p || slot.ended) return;
    slot.ended = "timeout";
    this.log.warn({ thread: slot.index, job: p.job.key, installation: p.job.installationId, budgetMs: this.settings.auditTimeoutMs }, "skillproof: job ran out of time, terminating its thread");
    void slot.worker.terminate();
  }

  private spawn(index: number): Slot {
    const limitMb = this.settings.threadMemoryMb;
    const worker = new Worker(this.entry, {
      workerData: { settings: this.settings },
      resourceLimits: { maxOldGenerationSizeMb: limitMb, maxYoungGenerationSizeMb: youngGenerationMb(limitMb) },
    });
    const pending = new Map<number, Pending>();
    let markReady!: () => void;
    let failReady!: (err: Error) => void;
    const ready = new Promise<void>((resolve, reject) => {
      markReady = resolve;
      failReady = reject;
    });
    ready.catch(() => {}); // pool.ready() reports it; a job posted meanwhile is handled by the exit.
    const slot: Slot = { index, worker, pending, ready };
    worker.on("message", (reply: JobReply) => {
      if ("ready" in reply) return markReady();
      this.onCounts(reply.counts);
      const p = pending.get(reply.id);
      if (!p) return;
      pending.delete(reply.id);
      clearTimeout(p.timer);
      if (reply.ok) p.resolve();
      else p.reject(Object.assign(new Error(reply.error.message), reply.error.status !== undefined ? { status: reply.error.status } : {}, reply.error.code ? { code: reply.error.code } : {}));
    });
    worker.on("error", (err) => {
      if ((err as { code?: unknown }).code === "ERR_WORKER_OUT_OF_MEMORY") {
        slot.ended ??= "memory";
        this.log.error({ thread: index, limitMb, jobs: [...pending.values()].map((p) => p.job.key) }, "skillproof: job thread ran out of memory");
      } else this.log.error({ err, thread: index }, "skillproof: job thread crashed");
    });
    worker.on("exit", (code) => {
      failReady(new Error(`job thread ${index} exited with code ${code} before it was ready`));
      const lost = [...pending.values()];
      pending.clear();
      if (!this.closing) this.slots[index] = this.spawn(index);
      const now = Date.now();
      const pastBudget = (p: Pending) => p.postedAt !== undefined && now - p.postedAt >= this.settings.auditTimeoutMs + TERMINATE_GRACE_MS;
      const blamable = slot.ended === "memory" ? lost : slot.ended === "timeout" ? lost.filter(pastBudget) : [];
      const why: OutOfBudget = slot.ended === "memory" ? { kind: "memory", limitMb } : { kind: "time", budgetMs: this.settings.auditTimeoutMs };
      for (const p of lost) {
        clearTimeout(p.timer);
        const blamed = blamable.includes(p);
        if (blamed && (blamable.length === 1 || this.suspects.has(identity(p.job)))) {
          this.suspects.delete(identity(p.job));
          p.reject(new JobStoppedError(why));
        } else {
          if (blamed) this.suspect(p.job);
          this.lost(p, index, code, blamed);
        }
      }
    });
    return slot;
  }

  private suspect(job: AnyJob): void {
    this.suspects.add(identity(job));
    if (this.suspects.size > 1000) this.suspects.delete(this.suspects.values().next().value!);
  }

  /** A job whose thread ended under it, not named: run again here (a suspect in its turn), or failed as transient. */
  private lost(p: Pending, index: number, code: number, suspect: boolean): void {
    if (this.closing || p.lost >= this.rerunLost) {
      p.reject(Object.assign(new Error(`job thread ${index} exited (code ${code}) while running the job`), { transient: true }));
      return;
    }
    const again: Pending = { job: p.job, attempt: p.attempt + 1, resolve: p.resolve, reject: p.reject, lost: p.lost + 1 };
    this.log.info({ thread: index, job: p.job.key, installation: p.job.installationId, suspect }, "skillproof: job lost with its thread, run again");
    if (!suspect) return this.post(again);
    this.suspectTurn = this.suspectTurn.then(
      () =>
        new Promise<void>((settled) => {
          this.post({ ...again, resolve: () => (settled(), p.resolve()), reject: (err) => (settled(), p.reject(err)) });
        }),
    );
  }
}

/** What a job is, across its runs: its key and, for an audit, its commit. */
function identity(job: AnyJob): string {
  return `${job.kind}:${job.key}:${job.kind === "audit" ? job.input.sha : ""}`;
}
