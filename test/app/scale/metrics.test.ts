import { existsSync } from "node:fs";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { pushPayload, sendWebhook, startAppProcess } from "../../../scripts/app-process.js";
import { StandInRepo, startGitHubStandIn } from "../../../scripts/github-standin.js";
import { PORTFOLIO } from "../../fixtures/github/portfolio.js";

/**
 * Metrics of the built app as `npm start` runs it, with its audits in a job
 * thread: the thread counts its audits and GitHub responses and sends them to
 * the main thread, whose registry /metrics serves. `npm test` builds first.
 */
type AppProcess = Awaited<ReturnType<typeof startAppProcess>>;
type StandIn = Awaited<ReturnType<typeof startGitHubStandIn>>;

let app: AppProcess | undefined;
let gh: StandIn | undefined;

beforeAll(() => {
  if (!existsSync(new URL("../../../dist/app/server.js", import.meta.url))) throw new Error("dist/app/server.js is missing: run `npm run build` first");
});
afterEach(async () => {
  if (app && app.child.exitCode === null && app.child.signalCode === null) await app.kill("SIGKILL");
  await gh?.close();
  app = gh = undefined;
});

function sample(text: string, name: string, labels = ""): number | undefined {
  const line = text.split("\n").find((l) => l.startsWith(`${name}${labels} `));
  return line === undefined ? undefined : Number(line.split(" ")[1]);
}

describe("metrics with job threads (npm start)", () => {
  it("counts the threads' audits, durations and GitHub responses in the main thread's /metrics, and logs each audit", { timeout: 120_000 }, async () => {
    const repos = [0, 1].map((i) => new StandInRepo({ owner: `user${i}`, repo: `api${i}`, installationId: 300 + i, files: PORTFOLIO }));
    gh = await startGitHubStandIn({ repos, latencyMs: 5 });
    app = await startAppProcess({ githubHost: gh.host, env: { SKILLPROOF_THREADS: "2" }, logLevel: "info" });
    const metrics = async () => (await fetch(`${app!.url}/metrics`)).text();

    const before = await metrics();
    expect(sample(before, "skillproof_audits_total", '{outcome="reported"}')).toBeUndefined();
    for (const r of repos) expect((await sendWebhook(app.url, "push", pushPayload(r))).status).toBe(200);

    const deadline = Date.now() + 90_000;
    let text = before;
    while ((sample(text, "skillproof_audits_total", '{outcome="reported"}') ?? 0) < 2) {
      if (Date.now() > deadline) throw new Error(`audits not counted:\n${text}\n${app.output.slice(-3000)}`);
      await new Promise((r) => setTimeout(r, 100));
      text = await metrics();
    }
    expect(sample(text, "skillproof_audit_duration_seconds_count", '{outcome="reported"}')).toBe(2);
    expect(sample(text, "skillproof_audits_total", '{outcome="error"}')).toBeUndefined();
    // Each installation's token, each audit's check run and report issue were created (201), in the threads.
    expect(sample(text, "skillproof_github_requests_total", '{status="201"}')).toBe(6);
    expect(sample(text, "skillproof_github_requests_total", '{status="200"}')).toBeGreaterThanOrEqual(4);
    expect(sample(text, "skillproof_queue_depth")).toBe(0);

    const lines = app.output
      .split("\n")
      .filter((l) => l.startsWith("{"))
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .filter((l) => l.msg === "skillproof: audit done");
    expect(lines.map((l) => l.repo).sort()).toEqual(["user0/api0", "user1/api1"]);
    for (const l of lines) {
      expect(l).toMatchObject({ outcome: "reported", purpose: "default", conclusion: expect.any(String), score: expect.any(Number), durationMs: expect.any(Number), delivery: expect.any(String) });
      expect([300, 301]).toContain(l.installation);
    }
  });
});
