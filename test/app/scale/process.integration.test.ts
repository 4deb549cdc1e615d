import { existsSync } from "node:fs";
import { randomUUID } from "node:crypto";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { pushPayload, sendWebhook, startAppProcess } from "../../../scripts/app-process.js";
import { StandInRepo, startGitHubStandIn } from "../../../scripts/github-standin.js";
import { parseMarker } from "../../../src/app/publish/reportIssue.js";
import { PORTFOLIO } from "../../fixtures/github/portfolio.js";
import { startRedis, type TestRedis } from "../../helpers/redis.js";

/**
 * The built app as an operator runs it (`node dist/app/server.js`, what
 * `npm start` runs), driven over HTTP with signed webhooks against the
 * loopback GitHub stand-in. `npm test` builds first.
 */

type AppProcess = Awaited<ReturnType<typeof startAppProcess>>;
type StandIn = Awaited<ReturnType<typeof startGitHubStandIn>>;

let redis: TestRedis;
const running: AppProcess[] = [];
const standIns: StandIn[] = [];

beforeAll(async () => {
  if (!existsSync(new URL("../../../dist/app/server.js", import.meta.url))) throw new Error("dist/app/server.js is missing: run `npm run build` first");
  redis = await startRedis();
});
afterEach(async () => {
  for (const app of running.splice(0)) if (app.child.exitCode === null && app.child.signalCode === null) await app.kill("SIGKILL");
  for (const gh of standIns.splice(0)) await gh.close();
});
afterAll(async () => {
  await redis.stop();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Repositories each on its own installation, so their rate lanes run side by side. */
function repos(n: number, firstInstallation = 100): StandInRepo[] {
  return Array.from({ length: n }, (_, i) => new StandInRepo({ owner: `user${i}`, repo: `api${i}`, installationId: firstInstallation + i, files: PORTFOLIO }));
}

async function standIn(list: StandInRepo[]): Promise<StandIn> {
  const gh = await startGitHubStandIn({ repos: list, latencyMs: 5 });
  standIns.push(gh);
  return gh;
}

async function app(gh: StandIn, env: Record<string, string>): Promise<AppProcess> {
  // One job thread each: the threaded path is exercised, and two apps start quickly on two cores.
  const a = await startAppProcess({ githubHost: gh.host, env: { SKILLPROOF_THREADS: "1", ...env }, logLevel: "info" });
  running.push(a);
  return a;
}

const completed = (repo: StandInRepo, sha = repo.head) => repo.checkRuns.filter((c) => c.head_sha === sha && c.status === "completed");
const inProgress = (list: StandInRepo[]) => list.flatMap((r) => r.checkRuns.filter((c) => c.status !== "completed"));

async function until(what: string, done: () => boolean, timeoutMs: number, diagnose: () => string = () => ""): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}\n${diagnose()}`);
    await sleep(50);
  }
}

/**
 * Short job locks make a killed worker's jobs come back quickly; too short and
 * a busy event loop (two apps and the tests on two cores) misses a renewal
 * and a live job is run twice, so the replica test keeps a longer one.
 */
function redisEnv(prefix: string, lockMs = 3000): Record<string, string> {
  return {
    REDIS_URL: redis.url,
    SKILLPROOF_REDIS_PREFIX: prefix,
    SKILLPROOF_JOB_LOCK_MS: String(lockMs),
    SKILLPROOF_STALLED_INTERVAL_MS: "500",
    SKILLPROOF_RETRY_DELAY_MS: "200",
  };
}

function checkSuitePayload(repo: StandInRepo, sha: string): object {
  return {
    action: "requested",
    check_suite: { id: 1, head_sha: sha, head_branch: repo.defaultBranch, pull_requests: [], head_commit: { id: sha, timestamp: "2024-05-01T10:00:00Z" } },
    repository: { id: 1, name: repo.repo, full_name: repo.fullName, owner: { login: repo.owner }, default_branch: repo.defaultBranch, archived: false, size: 10 },
    sender: { login: "monalisa", id: 1, type: "User" },
    installation: { id: repo.installationId },
  };
}

describe("restarts with Redis", () => {
  it("SIGKILL during a burst, start again: every repository gets its completed check run, none stays in progress", { timeout: 150_000 }, async () => {
    const list = repos(10);
    const gh = await standIn(list);
    const env = { ...redisEnv(`kill-${randomUUID()}`), SKILLPROOF_CONCURRENCY: "4" };
    const first = await app(gh, env);
    for (const r of list) expect((await sendWebhook(first.url, "push", pushPayload(r))).status).toBe(200);
    await until("an audit is under way", () => list.some((r) => r.checkRuns.length > 0), 30_000, () => first.output);
    await first.kill("SIGKILL");
    // The kill interrupted the burst: some repositories have no completed check run yet.
    expect(list.filter((r) => completed(r).length > 0).length).toBeLessThan(list.length);

    const second = await app(gh, env);
    await until(
      "every repository has a completed check run and none is in progress",
      () => list.every((r) => completed(r).length > 0 && r.issues.length > 0) && inProgress(list).length === 0,
      120_000,
      () => `${JSON.stringify(list.map((r) => r.checkRuns.map((c) => `${c.id}:${c.status}`)))}\n${second.output.slice(-4000)}`,
    );
    for (const r of list) expect(r.issues).toHaveLength(1);
    expect(gh.unhandled).toEqual([]);
  });
});

describe("two replicas on one Redis", () => {
  it("audit each commit once and write exactly one report issue per repository, with deliveries split and redelivered", { timeout: 150_000 }, async () => {
    const list = repos(6, 200);
    const gh = await standIn(list);
    const env = { ...redisEnv(`replicas-${randomUUID()}`, 15_000), SKILLPROOF_CONCURRENCY: "4" };
    const [a, b] = await Promise.all([app(gh, env), app(gh, env)]);
    const first = new Map(list.map((r) => [r, r.head]));
    // Commit 1: pushed to A, redelivered to B, and its check suite announced to B.
    for (const r of list) {
      const push = await sendWebhook(a!.url, "push", pushPayload(r));
      expect((await sendWebhook(b!.url, "push", pushPayload(r), push.id)).status).toBe(200);
      expect((await sendWebhook(b!.url, "check_suite", checkSuitePayload(r, r.head))).status).toBe(200);
    }
    // Commit 2, the other way round, while commit 1's audits run.
    for (const r of list) {
      r.addCommit({ ...PORTFOLIO, "docs/adr/0001-record.md": "# Use ADRs\n\nStatus: accepted\n" }, { date: "2024-05-02T10:00:00Z" });
      const push = await sendWebhook(b!.url, "push", pushPayload(r));
      expect((await sendWebhook(a!.url, "push", pushPayload(r), push.id)).status).toBe(200);
    }
    // An audit completes its check run first and writes the report issue after it, one write-lane
    // spacing (WRITE_SPACING_MS, 1.5 s) later at least: a completed check run does not mean its issue
    // is written yet. So the wait also covers the newest report and every audit's end ("audit done"
    // is logged after the issue write; each audit that published a check run logs it once).
    const auditsDone = () => [a!, b!].reduce((n, p) => n + (p.output.match(/skillproof: audit done/g) ?? []).length, 0);
    const checkRuns = () => list.reduce((n, r) => n + r.checkRuns.length, 0);
    await until(
      "every repository's newest commit has a completed check run and its report issue, and every audit has ended",
      () =>
        list.every((r) => completed(r).length > 0 && r.issues[0]?.body.includes(`commit=${r.head}`)) &&
        inProgress(list).length === 0 &&
        auditsDone() >= checkRuns(),
      120_000,
      () => `${JSON.stringify(list.map((r) => r.issues.map((i) => parseMarker(i.body))))}\n${a!.output.slice(-3000)}\n${b!.output.slice(-3000)}`,
    );
    await sleep(1500); // anything still queued by mistake (an older commit's audit overwriting the issue) would show up now
    for (const r of list) {
      const perCommit = new Map<string, number>();
      for (const c of r.checkRuns) perCommit.set(c.head_sha, (perCommit.get(c.head_sha) ?? 0) + 1);
      expect(perCommit.get(r.head)).toBe(1);
      expect(perCommit.get(first.get(r)!) ?? 0).toBeLessThanOrEqual(1);
      expect(r.issues).toHaveLength(1);
      expect(r.issues[0]!.body).toContain(`commit=${r.head}`);
    }
    // Both replicas took part in the work.
    const byInstance = [a!, b!].map((p) => (p.output.match(/skillproof: audit done/g) ?? []).length);
    expect(byInstance.every((n) => n > 0)).toBe(true);
    expect(gh.unhandled).toEqual([]);
  });
});

describe("SIGTERM without Redis", () => {
  it("stops taking webhooks, finishes the running audits and completes their check runs, then exits", { timeout: 90_000 }, async () => {
    const list = repos(4, 300);
    // Slow answers keep the audits running when the signal comes.
    const gh = await startGitHubStandIn({ repos: list, latencyMs: 300 });
    standIns.push(gh);
    const app1 = await app(gh, { SKILLPROOF_CONCURRENCY: "2", SKILLPROOF_SHUTDOWN_GRACE_MS: "40000" });
    const touched = (r: StandInRepo) => gh.log.some((e) => e.installationId === r.installationId);
    for (const r of list) expect((await sendWebhook(app1.url, "push", pushPayload(r))).status).toBe(200);
    await until("two audits are under way", () => list.filter(touched).length === 2, 30_000, () => app1.output);
    const running = list.filter((r) => touched(r) && completed(r).length === 0);
    expect(running.length).toBeGreaterThan(0);

    app1.child.kill("SIGTERM");
    await sleep(300);
    const late = await sendWebhook(app1.url, "push", pushPayload(list[0]!)).then(
      (r) => r.status,
      () => "refused",
    );
    expect(late).not.toBe(200);

    const exit = await app1.exited;
    expect(exit).toEqual({ code: 0, signal: null });
    // Every audit running at the signal finished and completed its check run.
    for (const r of running) expect(completed(r)).toHaveLength(1);
    expect(inProgress(list)).toEqual([]);
    // The audits that had not started are named in the log, so an operator can re-run them.
    const dropped = list.filter((r) => !touched(r));
    expect(dropped.length).toBeGreaterThan(0);
    for (const r of dropped) expect(app1.output).toMatch(new RegExp(`"job":"${r.fullName}#default"[^\n]*queued job dropped`));
    // The shutdown itself is logged as JSON lines too, not as free text.
    expect(app1.output).toMatch(/\{[^\n]*"signal":"SIGTERM"[^\n]*"graceMs":40000[^\n]*\}/);
    expect(app1.output).toMatch(/\{[^\n]*"msg":"skillproof: stopped"[^\n]*\}/);
  });
});
