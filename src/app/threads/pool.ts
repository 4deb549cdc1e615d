import { Worker } from "node:worker_threads";
import type { Logger } from "probot";
import type { AnyJob } from "../jobs/types.js";
import type { ScaleSettings } from "../settings.js";
import type { JobReply, JobRequest, ThreadCounts } from "./messages.js";

interface Pending {
  resolve: () => void;
  reject: (err: Error) => void;
}

interface Slot {
  worker: Worker;
  pending: Map<number, Pending>;
  ready: Promise<void>;
}

/**
 * Worker threads that run jobs, so the main thread only answers webhooks and
 * schedules. A job goes to the thread of its installation (installation id
 * modulo the pool size): one installation's rate lane and issue locks live in
 * one thread. A thread that dies fails its running jobs and is replaced.
 */
export class JobThreadPool {
  private readonly slots: Slot[] = [];
  private nextId = 1;
  private closing = false;

  constructor(
    size: number,
    private readonly settings: ScaleSettings,
    private readonly log: Logger,
    /** Receives what a thread counted (audits, GitHub responses) with each reply, for the main thread's metrics. */
    private readonly onCounts: (counts: ThreadCounts) => void = () => {},
  ) {
    for (let i = 0; i < size; i++) this.slots.push(this.spawn(i));
  }

  /** Resolves when every thread has compiled the rules and can take jobs. */
  async ready(): Promise<void> {
    await Promise.all(this.slots.map((s) => s.ready));
  }

  run(job: AnyJob, attempt: number): Promise<void> {
    const slot = this.slots[job.installationId % this.slots.length]!;
    const id = this.nextId++;
    return new Promise<void>((resolve, reject) => {
      slot.pending.set(id, { resolve, reject });
      slot.worker.postMessage({ id, job, attempt } satisfies JobRequest);
    });
  }

  async close(): Promise<void> {
    this.closing = true;
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }

  private spawn(index: number): Slot {
    const worker = new Worker(new URL("./thread.js", import.meta.url), { workerData: { settings: this.settings } });
    const pending = new Map<number, Pending>();
    let markReady!: () => void;
    let failReady!: (err: Error) => void;
    const ready = new Promise<void>((resolve, reject) => {
      markReady = resolve;
      failReady = reject;
    });
    worker.on("message", (reply: JobReply) => {
      if ("ready" in reply) return markReady();
      this.onCounts(reply.counts);
      const p = pending.get(reply.id);
      if (!p) return;
      pending.delete(reply.id);
      if (reply.ok) p.resolve();
      else p.reject(Object.assign(new Error(reply.error.message), reply.error.status !== undefined ? { status: reply.error.status } : {}, reply.error.code ? { code: reply.error.code } : {}));
    });
    worker.on("error", (err) => this.log.error({ err, thread: index }, "skillproof: job thread crashed"));
    worker.on("exit", (code) => {
      failReady(new Error(`job thread ${index} exited with code ${code} before it was ready`));
      for (const p of pending.values()) p.reject(Object.assign(new Error(`job thread ${index} exited (code ${code}) while running the job`), { transient: true }));
      pending.clear();
      if (!this.closing) this.slots[index] = this.spawn(index);
    });
    return { worker, pending, ready };
  }
}
