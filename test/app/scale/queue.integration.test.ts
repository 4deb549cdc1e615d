import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import type { Logger } from "probot";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { BullJobQueue } from "../../../src/app/queue/bull.js";
import type { AnyJob } from "../../../src/app/jobs/types.js";
import { RedisKeyedMutex, RedisOnceKeys } from "../../../src/app/state/redis.js";
import { readScaleSettings, type ScaleSettings } from "../../../src/app/settings.js";
import { startRedis, type TestRedis } from "../../helpers/redis.js";

let redis: TestRedis;
const open: Array<{ close(): Promise<void> } | Redis> = [];

beforeAll(async () => {
  redis = await startRedis();
});
afterEach(async () => {
  for (const o of open.splice(0)) {
    if (o instanceof Redis) o.disconnect();
    else await o.close();
  }
});
afterAll(async () => {
  await redis.stop();
});

const tick = (ms = 20) => new Promise((r) => setTimeout(r, ms));

interface LogLine {
  level: string;
  fields: Record<string, unknown>;
  msg: string;
}

function recordingLog(lines: LogLine[]): Logger {
  const at = (level: string) => (fields: unknown, msg?: string) => {
    lines.push(typeof fields === "string" ? { level, fields: {}, msg: fields } : { level, fields: fields as Record<string, unknown>, msg: msg ?? "" });
  };
  const log = { info: at("info"), warn: at("warn"), error: at("error"), debug: at("debug"), child: () => log };
  return log as unknown as Logger;
}

function connection(): Redis {
  const c = new Redis(redis.url, { maxRetriesPerRequest: null });
  open.push(c);
  return c;
}

/** A BullMQ queue on its own prefix (one per test), running `run` for each job. */
async function queue(prefix: string, run: (job: AnyJob, attempt: number) => Promise<void>, over: Partial<ScaleSettings> = {}, lines: LogLine[] = []): Promise<BullJobQueue> {
  const settings: ScaleSettings = { ...readScaleSettings({}), redisUrl: redis.url, redisPrefix: prefix, concurrency: 4, backoffMs: 50, lockMs: 2000, stalledIntervalMs: 1000, ...over };
  const q = new BullJobQueue({ redis: connection(), settings, log: recordingLog(lines), run });
  await q.start();
  open.push(q);
  return q;
}

const audit = (repo: string, sha: string, deliveryId = randomUUID()): AnyJob => ({
  kind: "audit",
  key: `alice/${repo}#default`,
  installationId: 7,
  deliveryId,
  input: { owner: "alice", repo, sha, purpose: "default" },
});
const shaOf = (job: AnyJob) => (job.kind === "audit" ? job.input.sha : "?");

describe("the Redis queue (BullMQ)", () => {
  it("coalesces by key: a waiting job is replaced by the newest, a job added while one runs runs after it, never two at once", async () => {
    const ran: string[] = [];
    let running = 0;
    let peak = 0;
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const q = await queue(`t-${randomUUID()}`, async (job) => {
      peak = Math.max(peak, ++running);
      ran.push(`start ${shaOf(job)}`);
      if (shaOf(job) === "a1") await gate;
      await tick();
      ran.push(`end ${shaOf(job)}`);
      running--;
    });
    expect(await q.enqueue(audit("api", "a1"))).toBe("queued");
    while (!ran.includes("start a1")) await tick(5);
    // a1 runs; a2 becomes the next job, then a3 and a4 replace it while it waits.
    await q.enqueue(audit("api", "a2"));
    await q.enqueue(audit("api", "a3"));
    expect(await q.enqueue(audit("api", "a4"))).toBe("replaced");
    release();
    await q.onIdle();
    expect(ran).toEqual(["start a1", "end a1", "start a4", "end a4"]);
    expect(peak).toBe(1);
  });

  it("runs other keys side by side, up to the concurrency", async () => {
    let running = 0;
    let peak = 0;
    const q = await queue(`t-${randomUUID()}`, async () => {
      peak = Math.max(peak, ++running);
      await tick(80);
      running--;
    }, { concurrency: 3 });
    for (const repo of ["a", "b", "c", "d", "e", "f"]) await q.enqueue(audit(repo, "s1"));
    await q.onIdle();
    expect(peak).toBe(3);
  });

  it("two workers on one Redis (two replicas) never run one key at once, and run the newest commit last", async () => {
    const prefix = `t-${randomUUID()}`;
    const ran: string[] = [];
    let running = 0;
    let peak = 0;
    const run = async (job: AnyJob) => {
      peak = Math.max(peak, ++running);
      ran.push(shaOf(job));
      await tick(30);
      running--;
    };
    const a = await queue(prefix, run);
    const b = await queue(prefix, run);
    for (let i = 1; i <= 8; i++) {
      await (i % 2 ? a : b).enqueue(audit("api", `c${i}`));
      await tick(10);
    }
    await a.onIdle();
    await b.onIdle();
    expect(peak).toBe(1);
    expect(ran.at(-1)).toBe("c8");
    expect(ran.length).toBeLessThan(8);
  });

  it("retries GitHub 5xx and network errors with exponential backoff, then succeeds", async () => {
    const times: number[] = [];
    const attempts: number[] = [];
    const q = await queue(`t-${randomUUID()}`, async (_job, attempt) => {
      times.push(Date.now());
      attempts.push(attempt);
      if (times.length === 1) throw Object.assign(new Error("Bad Gateway"), { status: 502 });
      if (times.length === 2) throw Object.assign(new Error("socket hang up"), { code: "ECONNRESET" });
    }, { backoffMs: 100 });
    await q.enqueue(audit("api", "s1"));
    await q.onIdle();
    expect(attempts).toEqual([1, 2, 3]);
    // Exponential: the second wait is at least twice the first's base delay.
    expect(times[1]! - times[0]!).toBeGreaterThanOrEqual(100);
    expect(times[2]! - times[1]!).toBeGreaterThanOrEqual(200);
  });

  it("does not retry a 4xx or a bug, and logs the failure with the delivery id", async () => {
    const lines: LogLine[] = [];
    let runs = 0;
    const q = await queue(`t-${randomUUID()}`, async () => {
      runs++;
      throw Object.assign(new Error("Not Found"), { status: 404 });
    }, {}, lines);
    await q.enqueue(audit("api", "s1", "delivery-404"));
    await q.onIdle();
    await tick(50);
    expect(runs).toBe(1);
    const failed = lines.find((l) => l.msg === "skillproof: job failed");
    expect(failed?.level).toBe("error");
    expect(failed?.fields).toMatchObject({ delivery: "delivery-404", job: "alice/api#default" });
  });

  it("gives up after the configured attempts on a lasting 5xx", async () => {
    let runs = 0;
    const q = await queue(`t-${randomUUID()}`, async () => {
      runs++;
      throw Object.assign(new Error("Service Unavailable"), { status: 503 });
    }, { attempts: 3, backoffMs: 10 });
    await q.enqueue(audit("api", "s1"));
    await q.onIdle();
    expect(runs).toBe(3);
  });
});

describe("shared state in Redis", () => {
  it("claims a key once across two connections (deliveries, commits audited lately)", async () => {
    const prefix = `t-${randomUUID()}:delivery:`;
    const a = new RedisOnceKeys(connection(), prefix, 60_000);
    const b = new RedisOnceKeys(connection(), prefix, 60_000);
    const results = await Promise.all([a.claim("d1"), b.claim("d1"), a.claim("d1"), b.claim("d2")]);
    expect(results.filter((x, i) => i < 3 && x)).toHaveLength(1);
    expect(results[3]).toBe(true);
  });

  it("the report-issue lock serialises sections across processes and releases only its own lease", async () => {
    const prefix = `t-${randomUUID()}:lock:`;
    const a = new RedisKeyedMutex(connection(), prefix);
    const b = new RedisKeyedMutex(connection(), prefix);
    const log: string[] = [];
    const section = (m: RedisKeyedMutex, name: string) =>
      m.run("alice/api", async () => {
        log.push(`in ${name}`);
        await tick(40);
        log.push(`out ${name}`);
      });
    await Promise.all([section(a, "1"), section(b, "2"), section(a, "3"), section(b, "4")]);
    for (let i = 0; i < log.length; i += 2) expect(log[i]!.slice(3)).toBe(log[i + 1]!.slice(4));

    // A holder whose lease ran out must not delete the next holder's lock.
    const client = connection();
    const short = new RedisKeyedMutex(client, prefix, 100);
    let second = false;
    await short.run("alice/web", async () => {
      await client.pexpire(`${prefix}alice/web`, 1); // the lease lapses mid-section
      await tick(20);
      await client.set(`${prefix}alice/web`, "someone-else", "PX", 10_000);
      second = true;
    });
    expect(second).toBe(true);
    expect(await client.get(`${prefix}alice/web`)).toBe("someone-else");
  });
});
