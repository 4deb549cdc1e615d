import { randomUUID } from "node:crypto";
import { Writable } from "node:stream";
import { pino } from "pino";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { SkillproofApp } from "../../src/app/index.js";
import { pushPayload } from "../fixtures/app/events.js";
import { AppFake } from "../fixtures/app/fakeGitHub.js";
import { testsUseRedis } from "../fixtures/app/harness.js";
import { PORTFOLIO } from "../fixtures/github/portfolio.js";
import { serveApp } from "../helpers/appServer.js";
import { startRedis, type TestRedis } from "../helpers/redis.js";
import { useNock } from "../helpers/nock.js";

/**
 * The app as Probot's server runs it: /metrics on the app's own server next
 * to /ping, a push delivered as GitHub would (signed POST to the webhook
 * path), the audit run by the real handler and job, the metrics scraped over
 * HTTP. GitHub is nock; the app's server is a real loopback server.
 */
const SECRET = "metrics-test-secret";

interface Running {
  url: string;
  app: SkillproofApp;
  logs: Array<Record<string, unknown>>;
  deliver(name: string, payload: object, id?: string): Promise<number>;
  stop(): Promise<void>;
}

let running: Running | undefined;
/** The Redis pass of `npm test` (SKILLPROOF_TEST_REDIS=1) runs these on the BullMQ queue. */
let redis: TestRedis | undefined;

useNock({ allowLoopback: true });
beforeAll(async () => {
  if (testsUseRedis) redis = await startRedis();
});
// Registered after useNock, so (hooks run last-in, first-out) the app stops before the mocks are checked.
afterEach(async () => {
  await running?.stop();
  running = undefined;
});
afterAll(async () => {
  await redis?.stop();
});

async function serve(): Promise<Running> {
  const logs: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString().split("\n")) if (line.trim()) logs.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  const served = await serveApp({ secret: SECRET, log: pino({ level: "info" }, sink), ...(redis ? { redisUrl: redis.url } : {}) });
  return { url: served.url, app: served.app, logs, deliver: served.deliver, stop: served.stop };
}

async function scrape(url: string): Promise<string> {
  const res = await fetch(`${url}/metrics`);
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toMatch(/^text\/plain/);
  return res.text();
}

function sample(text: string, name: string, labels = ""): number | undefined {
  const line = text.split("\n").find((l) => l.startsWith(`${name}${labels} `));
  return line === undefined ? undefined : Number(line.split(" ")[1]);
}

describe("GET /metrics on the app's server", () => {
  it("counts an audit by outcome, its duration and GitHub's answers by status; /ping stays the health check", async () => {
    running = await serve();
    const { url } = running;
    expect((await fetch(`${url}/ping`)).status).toBe(200);

    const before = await scrape(url);
    expect(sample(before, "skillproof_audits_total", '{outcome="reported"}')).toBeUndefined();
    expect(sample(before, "skillproof_queue_depth")).toBe(0);
    expect(sample(before, "skillproof_github_requests_total", '{status="201"}')).toBeUndefined();
    expect(before).toContain("process_resident_memory_bytes");

    const gh = new AppFake();
    const commit = gh.commit(PORTFOLIO);
    gh.serveToken().serveTrees().serveTarballs().serveOrgConfig().serveChecks().serveIssues();
    expect(await running.deliver("push", pushPayload(commit.commitSha))).toBe(200);
    await running.app.queue!.onIdle();

    const after = await scrape(url);
    expect(sample(after, "skillproof_audits_total", '{outcome="reported"}')).toBe(1);
    expect(sample(after, "skillproof_audit_duration_seconds_count", '{outcome="reported"}')).toBe(1);
    expect(sample(after, "skillproof_audit_duration_seconds_sum", '{outcome="reported"}')).toBeGreaterThan(0);
    expect(sample(after, "skillproof_queue_depth")).toBe(0);
    // The installation token, the check run and the report issue (POSTs answered 201); the tree, tarball and issue list (GETs).
    expect(sample(after, "skillproof_github_requests_total", '{status="201"}')).toBe(3);
    expect(sample(after, "skillproof_github_requests_total", '{status="200"}')).toBeGreaterThanOrEqual(3);
    // The org config is absent: a 404 is an answer, counted as such.
    expect(sample(after, "skillproof_github_requests_total", '{status="404"}')).toBe(1);
    expect(gh.checkRuns).toHaveLength(1);
  });

  it("counts an invalid config as such, not as an error", async () => {
    running = await serve();
    const gh = new AppFake();
    const commit = gh.commit({ ...PORTFOLIO, ".github/skillproof.yml": "threshold: [oops\n" });
    gh.serveToken().serveTrees().serveTarballs().serveChecks();
    expect(await running.deliver("push", pushPayload(commit.commitSha))).toBe(200);
    await running.app.queue!.onIdle();
    const text = await scrape(running.url);
    expect(sample(text, "skillproof_audits_total", '{outcome="invalid-config"}')).toBe(1);
    expect(sample(text, "skillproof_audits_total", '{outcome="error"}')).toBeUndefined();
    expect(gh.completion().conclusion).toBe("failure");
  });
});

describe("the audit's log line", () => {
  it("carries the delivery, installation, repository, commit, duration, outcome, conclusion and score", async () => {
    running = await serve();
    const gh = new AppFake();
    const commit = gh.commit(PORTFOLIO);
    gh.serveToken().serveTrees().serveTarballs().serveOrgConfig().serveChecks().serveIssues();
    const delivery = randomUUID();
    const payload = pushPayload(commit.commitSha);
    expect(await running.deliver("push", payload, delivery)).toBe(200);
    await running.app.queue!.onIdle();

    const lines = running.logs.filter((l) => l.msg === "skillproof: audit done");
    expect(lines).toHaveLength(1);
    const line = lines[0]!;
    expect(line).toMatchObject({
      level: 30,
      delivery,
      installation: (payload as { installation: { id: number } }).installation.id,
      repo: "Codertocat/Hello-World",
      sha: commit.commitSha,
      purpose: "default",
      outcome: "reported",
      conclusion: "neutral",
      checkRun: gh.checkRuns[0]!.id,
      issue: "created",
    });
    expect(typeof line.durationMs).toBe("number");
    expect(line.durationMs as number).toBeGreaterThanOrEqual(0);
    expect(typeof line.score).toBe("number");
  });
});
