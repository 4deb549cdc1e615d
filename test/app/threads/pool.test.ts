import type { Logger } from "probot";
import { afterEach, describe, expect, it } from "vitest";
import { isTransient } from "../../../src/app/github/octokit.js";
import type { AnyJob } from "../../../src/app/jobs/types.js";
import { readScaleSettings } from "../../../src/app/settings.js";
import { JobStoppedError, JobThreadPool, youngGenerationMb } from "../../../src/app/threads/pool.js";

/**
 * The pool with a stand-in thread entry (fakeThread.mjs), whose jobs get
 * stuck on the CPU or eat memory on demand: what a hostile repository does
 * to a real audit. A stuck job's thread is terminated, a thread out of memory
 * dies alone, and the jobs that shared the thread are not lost.
 */

const ENTRY = new URL("./fakeThread.mjs", import.meta.url);
const lines: string[] = [];
const log = {
  info: (_o: unknown, msg?: string) => lines.push(`info ${msg}`),
  warn: (_o: unknown, msg?: string) => lines.push(`warn ${msg}`),
  error: (_o: unknown, msg?: string) => lines.push(`error ${msg}`),
  child: () => log,
} as unknown as Logger;

const pools: JobThreadPool[] = [];
afterEach(async () => {
  for (const p of pools.splice(0)) await p.close();
  lines.length = 0;
});

function pool(opts: { rerunLost: number; memoryMb?: number }): JobThreadPool {
  const settings = { ...readScaleSettings({}), auditTimeoutMs: 100, threadMemoryMb: opts.memoryMb ?? 256 };
  const p = new JobThreadPool(1, settings, log, { rerunLost: opts.rerunLost }, ENTRY);
  pools.push(p);
  return p;
}

function job(key: string, installationId = 1): AnyJob {
  return { kind: "audit", key, installationId, deliveryId: `d-${key}`, input: { owner: "o", repo: key, sha: "a".repeat(40), purpose: "default" } };
}

const settle = (p: Promise<void>) => p.then(() => "done" as const, (err: unknown) => err);

describe("JobThreadPool: budgets", () => {
  it("terminates a thread stuck past the job's budget, fails that job as out of time, and runs its other jobs again on a new thread", { timeout: 20_000 }, async () => {
    const p = pool({ rerunLost: 1 });
    await p.ready();
    const other = settle(p.run(job("other", 2), 1));
    const stuck = settle(p.run(job("spin", 3), 1));
    const err = await stuck;
    expect(err).toBeInstanceOf(JobStoppedError);
    expect((err as JobStoppedError).why).toEqual({ kind: "time", budgetMs: 100 });
    expect(isTransient(err)).toBe(false);
    // The job that shared the thread ran again, on the new one.
    expect(await other).toBe("done");
    expect(lines).toContain("info skillproof: job lost with its thread, run again");
    // The new thread takes jobs.
    expect(await settle(p.run(job("after"), 1))).toBe("done");
  });

  it("with a queue that retries (rerunLost 0), fails the thread's jobs as transient, and names the stuck one when it comes back", { timeout: 20_000 }, async () => {
    const p = pool({ rerunLost: 0 });
    await p.ready();
    const other = settle(p.run(job("other", 2), 1));
    const stuck = settle(p.run(job("spin", 3), 1));
    // Both were past their budget when the stuck thread was ended: neither can be named yet.
    for (const lost of [await other, await stuck]) {
      expect(lost).not.toBeInstanceOf(JobStoppedError);
      expect(isTransient(lost)).toBe(true);
    }
    // The queue's retries: the innocent job runs, the stuck one (a suspect now) is named.
    expect(await settle(p.run(job("other", 2), 2))).toBe("done");
    const err = await settle(p.run(job("spin", 3), 2));
    expect(err).toBeInstanceOf(JobStoppedError);
    expect((err as JobStoppedError).why.kind).toBe("time");
  });

  it("names a stuck job alone on its thread at once", { timeout: 20_000 }, async () => {
    const p = pool({ rerunLost: 1 });
    await p.ready();
    const err = await settle(p.run(job("spin"), 1));
    expect(err).toBeInstanceOf(JobStoppedError);
    expect(await settle(p.run(job("after"), 1))).toBe("done");
  });
});

describe("JobThreadPool: memory", () => {
  it("runs threads with resourceLimits: a job that eats memory kills its thread only, and is named", { timeout: 30_000 }, async () => {
    const p = pool({ rerunLost: 1, memoryMb: 32 });
    await p.ready();
    const err = await settle(p.run(job("hog"), 1));
    expect(err).toBeInstanceOf(JobStoppedError);
    expect((err as JobStoppedError).why).toEqual({ kind: "memory", limitMb: 32 });
    expect(lines).toContain("error skillproof: job thread ran out of memory");
    expect(await settle(p.run(job("after"), 1))).toBe("done");
  });

  it("with other jobs on the thread, runs the suspects again one by one: the innocent one finishes, the hog is named", { timeout: 30_000 }, async () => {
    const p = pool({ rerunLost: 1, memoryMb: 32 });
    await p.ready();
    const innocent = settle(p.run(job("innocent", 2), 1));
    const hog = settle(p.run(job("hog", 3), 1));
    expect(await innocent).toBe("done");
    const err = await hog;
    expect(err).toBeInstanceOf(JobStoppedError);
    expect((err as JobStoppedError).why.kind).toBe("memory");
  });

  it("sizes the young generation from the old one, within V8's usual range", () => {
    expect(youngGenerationMb(1024)).toBe(64);
    expect(youngGenerationMb(256)).toBe(16);
    expect(youngGenerationMb(32)).toBe(4);
  });
});
