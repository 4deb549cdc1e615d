import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import type { Logger } from "probot";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AnyJob } from "../../../src/app/jobs/types.js";
import { BullJobQueue } from "../../../src/app/queue/bull.js";
import { AuditQueue, MemoryJobQueue } from "../../../src/app/queue/memory.js";
import type { JobQueue } from "../../../src/app/queue/types.js";
import { readScaleSettings } from "../../../src/app/settings.js";
import { startRedis, type TestRedis } from "../../helpers/redis.js";

const CONCURRENCY = 4;
const tick = (ms = 5) => new Promise((r) => setTimeout(r, ms));
const silent = { info() {}, warn() {}, error() {}, debug() {}, child: () => silent } as unknown as Logger;

const audit = (installationId: number, owner: string, repo: string): AnyJob => ({
  kind: "audit",
  key: `${owner}/${repo}#default`,
  installationId,
  deliveryId: randomUUID(),
  input: { owner, repo, sha: "s1", purpose: "default" },
});

/** Records the order jobs start in; every job waits on one gate, so the first `CONCURRENCY` fill the queue and hold it. */
function recorder() {
  const started: string[] = [];
  let open!: () => void;
  const gate = new Promise<void>((r) => (open = r));
  return {
    started,
    open,
    run: async (job: AnyJob) => {
      started.push(job.key);
      await gate;
    },
  };
}

/**
 * Installation A floods the queue with 500 jobs, then installation B asks
 * for one: B's job must be among the first `CONCURRENCY + 1` to start
 * (the running ones, then B), not behind A's 500.
 */
async function floodThenOne(queue: JobQueue, rec: ReturnType<typeof recorder>): Promise<void> {
  for (let i = 0; i < 500; i++) await queue.enqueue(audit(1, "acme", `repo-${i}`));
  while (rec.started.length < CONCURRENCY) await tick();
  await queue.enqueue(audit(2, "bob", "app"));
  rec.open();
  while (!rec.started.includes("bob/app#default") && rec.started.length < 501) await tick();
  expect(rec.started.indexOf("bob/app#default")).toBeGreaterThanOrEqual(0);
  expect(rec.started.indexOf("bob/app#default")).toBeLessThan(CONCURRENCY + 1);
  await queue.onIdle();
  // Nothing lost or run twice on the way.
  expect(rec.started).toHaveLength(501);
  expect(new Set(rec.started).size).toBe(501);
}

describe("fair order across installations, in-process queue", () => {
  it("a second installation's job starts next, not after the first one's 500", async () => {
    const rec = recorder();
    const queue = new MemoryJobQueue(new AuditQueue(CONCURRENCY), rec.run);
    await floodThenOne(queue, rec);
  });

  it("installations alternate while both have work, and a key still never runs twice at once", async () => {
    const q = new AuditQueue(1);
    const order: string[] = [];
    const job = (name: string) => async () => {
      order.push(name);
      await tick(1);
    };
    for (let i = 0; i < 3; i++) q.enqueue(`a${i}`, job(`a${i}`), "A");
    for (let i = 0; i < 3; i++) q.enqueue(`b${i}`, job(`b${i}`), "B");
    q.enqueue("c0", job("c0"), "C");
    await q.onIdle();
    // a0 starts as it arrives; B and C then get the turn A just had, before A's second.
    expect(order).toEqual(["a0", "b0", "c0", "a1", "b1", "a2", "b2"]);
  });

  it("a replaced job runs its newest version, at its installation's next turn", async () => {
    const q = new AuditQueue(1);
    const order: string[] = [];
    const job = (name: string) => async () => {
      order.push(name);
      await tick(1);
    };
    q.enqueue("a/x", job("a/x@1"), "A");
    q.enqueue("a/y", job("a/y@1"), "A");
    q.enqueue("b/x", job("b/x@1"), "B");
    expect(q.enqueue("a/y", job("a/y@2"), "A")).toBe("replaced");
    await q.onIdle();
    expect(order).toEqual(["a/x@1", "b/x@1", "a/y@2"]);
  });
});

describe("fair order across installations, Redis queue (BullMQ)", () => {
  let redis: TestRedis;
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    await redis.stop();
  });

  it("a second installation's job starts next, not after the first one's 500", async () => {
    const rec = recorder();
    const connection = new Redis(redis.url, { maxRetriesPerRequest: null });
    const settings = { ...readScaleSettings({}), redisUrl: redis.url, redisPrefix: `t-${randomUUID()}`, concurrency: CONCURRENCY };
    const queue = new BullJobQueue({ redis: connection, settings, log: silent, run: rec.run });
    await queue.start();
    try {
      await floodThenOne(queue, rec);
    } finally {
      await queue.close(1_000);
      connection.disconnect();
    }
  }, 60_000);
});
