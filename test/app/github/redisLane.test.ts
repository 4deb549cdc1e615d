import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { pino } from "pino";
import { Probot } from "probot";
import { afterEach, describe, expect, it } from "vitest";
import { laneFetch } from "../../../src/app/github/laneFetch.js";
import { createSkillproofOctokit, installationClient } from "../../../src/app/github/lanes.js";
import { isTransient } from "../../../src/app/github/octokit.js";
import { LaneUnavailableError, openLaneRedis, RedisLanes } from "../../../src/app/github/redisLane.js";
import { TEST_PRIVATE_KEY } from "../../fixtures/app/keys.js";
import { useNock } from "../../helpers/nock.js";
import { loopbackGitHub, type LoopbackGitHub } from "./loopbackGitHub.js";

/**
 * The shared write lane when Redis goes away: a write waiting for its slot is
 * retried until Redis answers again, and sent then, never dropped; a Redis
 * that stays away ends the request as a transient error (the job queue runs
 * the job again), and nothing is sent without a slot.
 */
useNock({ allowLoopback: true });

/** A redis-server on a fixed loopback port, so it can be stopped and started again where the lane's connection looks for it. */
class RestartableRedis {
  #child: ChildProcess | undefined;
  readonly #dir = mkdtempSync(join(tmpdir(), "skillproof-lane-redis-"));
  constructor(readonly port: number) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    const child = spawn("redis-server", ["--port", String(this.port), "--bind", "127.0.0.1", "--dir", this.#dir, "--save", "", "--appendonly", "no"], { stdio: ["ignore", "pipe", "pipe"] });
    this.#child = child;
    await new Promise<void>((resolve, reject) => {
      let output = "";
      child.stdout!.on("data", (d: Buffer) => {
        output += d.toString();
        if (output.includes("Ready to accept connections")) resolve();
      });
      child.on("exit", () => reject(new Error(`redis-server exited at start:\n${output}`)));
      child.on("error", reject);
    });
  }

  async stop(): Promise<void> {
    const child = this.#child;
    this.#child = undefined;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((r) => child.once("exit", r));
    child.kill("SIGTERM");
    await exited;
  }

  async dispose(): Promise<void> {
    await this.stop();
    rmSync(this.#dir, { recursive: true, force: true });
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

/** A Probot whose clients take their write lane from `lanes`, logging to `lines`. */
function probotWith(lanes: RedisLanes, gh: LoopbackGitHub, lines: string[]): Probot {
  const log = pino({ level: "warn" }, new Writable({ write: (chunk: Buffer, _enc, done) => (lines.push(chunk.toString()), done()) }));
  return new Probot({ appId: 1, privateKey: TEST_PRIVATE_KEY, Octokit: createSkillproofOctokit({ lanes: () => lanes }), log, baseUrl: gh.url });
}

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const clean of cleanups.splice(0).reverse()) await clean();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(what: string, done: () => boolean): Promise<void> {
  for (let i = 0; !done(); i++) {
    if (i > 400) throw new Error(`timed out waiting until ${what}`);
    await sleep(25);
  }
}

describe("shared write lane in Redis", () => {
  it("a write made while Redis is down is retried, and sent once Redis is back", { timeout: 30_000 }, async () => {
    const redis = new RestartableRedis(await freePort());
    await redis.start();
    const gh = await loopbackGitHub();
    const connectionErrors: Error[] = [];
    const lanes = new RedisLanes(openLaneRedis(redis.url, (err) => connectionErrors.push(err)), { prefix: "lane-test", retry: { tries: 1000, firstDelayMs: 50, maxDelayMs: 200 } });
    cleanups.push(() => redis.dispose(), () => gh.close(), () => lanes.close());
    const lines: string[] = [];
    const octokit = await installationClient(probotWith(lanes, gh, lines), 21);
    const write = () => octokit.rest.checks.create({ owner: "o21", repo: "r", name: "Skillproof", head_sha: "a".repeat(40) });

    // A first write while Redis is up takes its slot and goes out.
    await write();
    expect(gh.arrivals).toHaveLength(1);

    await redis.stop();
    const second = write();
    // The lane keeps trying (and says so), and the write waits: nothing reaches GitHub without a slot.
    await until("the lane has retried three times", () => lines.filter((l) => l.includes("shared write lane of installation 21 unavailable")).length >= 3);
    expect(gh.arrivals).toHaveLength(1);

    await redis.start();
    const { data } = await second;
    expect(data.id).toBe(2);
    expect(gh.arrivals).toHaveLength(2);
    expect(connectionErrors.length).toBeGreaterThan(0);
  });

  it("gives up after its last try with a transient error, and sends nothing", { timeout: 30_000 }, async () => {
    // No redis-server on that port at all.
    const lanes = new RedisLanes(openLaneRedis(`redis://127.0.0.1:${await freePort()}`, () => {}), { prefix: "lane-test", retry: { tries: 3, firstDelayMs: 20, maxDelayMs: 20 } });
    cleanups.push(() => lanes.close());
    const warnings: string[] = [];
    const sent: string[] = [];
    const inner: typeof fetch = async (input, init) => (sent.push(`${init?.method} ${String(input)}`), new Response("{}"));
    const fetchInLane = laneFetch(inner, { lanes, id: "22", log: { warn: (m) => warnings.push(m) } });

    const err = await fetchInLane("http://127.0.0.1:1/repos/o/r/check-runs", { method: "POST" }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(LaneUnavailableError);
    expect(String((err as Error).message)).toMatch(/shared write lane \(Redis\) did not answer after 3 tries/);
    // Octokit turns it into a RequestError with status 500 (its plugin-retry tries again); either way the job queue runs the job again later.
    expect(isTransient(err)).toBe(true);
    expect(sent).toEqual([]);
    expect(warnings.filter((w) => w.includes("shared write lane of installation 22 unavailable"))).toHaveLength(2);
    // Reads never wait for the lane.
    await fetchInLane("http://127.0.0.1:1/repos/o/r/git/trees/abc", { method: "GET" });
    expect(sent).toEqual(["GET http://127.0.0.1:1/repos/o/r/git/trees/abc"]);
  });

  it("spaces releases of one key across connections (replicas), by Redis's clock, and keeps other keys apart", { timeout: 30_000 }, async () => {
    const redis = new RestartableRedis(await freePort());
    await redis.start();
    const replicas = [0, 1].map(() => new RedisLanes(openLaneRedis(redis.url, () => {}), { prefix: "lane-test" }));
    cleanups.push(() => redis.dispose(), ...replicas.map((l) => () => l.close()));
    const released: Array<{ key: string; at: number }> = [];
    const take = (lanes: RedisLanes, key: string) => lanes.waitForSlot("write", key, 300, () => {}).then(() => released.push({ key, at: performance.now() }));
    await Promise.all([0, 1, 2, 3, 4, 5].map((i) => take(replicas[i % 2]!, i < 4 ? "a" : "b")));
    const a = released.filter((r) => r.key === "a").map((r) => r.at);
    const gaps = a.slice(1).map((t, i) => t - a[i]!);
    expect(gaps).toHaveLength(3);
    // Releases are 300 ms apart on Redis's clock; this process notes them after its own event loop gets to them.
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(250);
    // Key "b" did not queue behind "a": both of its releases came before a's last.
    const b = released.filter((r) => r.key === "b").map((r) => r.at);
    expect(Math.max(...b)).toBeLessThan(a[3]!);
  });
});
