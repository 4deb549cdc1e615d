import { describe, expect, it } from "vitest";
import { pushPayload, sendWebhook, startAppProcess } from "../../scripts/app-process.js";
import { StandInRepo, startGitHubStandIn } from "../../scripts/github-standin.js";
import { PORTFOLIO } from "../fixtures/github/portfolio.js";
import { sleep, until, useBuiltApp } from "../helpers/builtApp.js";

/**
 * Finding 3 (app side): no audit had a time budget. A repository that takes
 * long to audit held its job forever, another installation's push on the same
 * job thread got no check run, and with SKILLPROOF_THREADS=0 the app stopped
 * answering. Here the slow repository is one whose tarball GitHub (the
 * loopback stand-in) answers only after 60 s, far past a 5 s budget: it must
 * get a completed "ran out of time" check run, never be retried, and another
 * installation's push on the same app must get its normal check run, with the
 * process up throughout. Through the built app (`npm start`'s server.js).
 */

const { running, standIns } = useBuiltApp();

const completed = (repo: StandInRepo) => repo.checkRuns.filter((c) => c.head_sha === repo.head && c.status === "completed");
const runs = (list: StandInRepo[]) => JSON.stringify(list.map((r) => ({ repo: r.fullName, runs: r.checkRuns.map((c) => ({ conclusion: c.conclusion, title: c.output?.title })) })));

const SLOW_TARBALL_MS = 60_000;

for (const threads of ["0", "1"]) {
  describe(`an audit past its budget, SKILLPROOF_THREADS=${threads}`, () => {
    it("gets a completed 'ran out of time' check run, is not retried, and another installation's push is audited as usual", { timeout: 90_000 }, async () => {
      const slow = new StandInRepo({ owner: "slowco", repo: "huge", installationId: 901, files: PORTFOLIO });
      const other = new StandInRepo({ owner: "otherco", repo: "api", installationId: 902, files: PORTFOLIO });
      const gh = await startGitHubStandIn({
        repos: [slow, other],
        latencyMs: (_method: string, path: string) => (path.startsWith("/api/v3/repos/slowco/huge/tarball/") ? SLOW_TARBALL_MS : 5),
      });
      standIns.push(gh);
      // One job thread (or none) and a short budget: the slow audit and the other installation's share the thread.
      const app = await startAppProcess({ githubHost: gh.host, env: { SKILLPROOF_THREADS: threads, SKILLPROOF_AUDIT_TIMEOUT_MS: "5000" }, logLevel: "info" });
      running.push(app);

      expect((await sendWebhook(app.url, "push", pushPayload(slow))).status).toBe(200);
      await until("the slow tarball is asked for", () => gh.log.some((e) => e.path.startsWith("/api/v3/repos/slowco/huge/tarball/")), 20_000, () => app.output.slice(-3000));
      expect((await sendWebhook(app.url, "push", pushPayload(other))).status).toBe(200);

      await until("both repositories have a completed check run", () => completed(slow).length > 0 && completed(other).length > 0, 30_000, () => `${runs([slow, other])}\n${app.output.slice(-4000)}`);
      const [timedOut] = completed(slow);
      expect(timedOut).toMatchObject({ conclusion: "timed_out", external_id: "default" });
      expect(timedOut.output.title).toBe("Audit ran out of time (5 s budget)");
      expect(timedOut.output.summary).toContain("SKILLPROOF_AUDIT_TIMEOUT_MS");
      expect(timedOut.actions).toEqual([expect.objectContaining({ identifier: "rerun" })]);
      // The other installation's audit is an ordinary report.
      expect(completed(other)[0]!.output.title).toMatch(/^Skills score \d+\/100/);

      // The app is still up and still answers; the slow repository is not audited again (no retry, no second check run).
      await sleep(1500);
      expect(app.child.exitCode).toBeNull();
      expect((await fetch(`${app.url}/ping`)).status).toBe(200);
      expect(slow.checkRuns).toHaveLength(1);
      expect(other.checkRuns).toHaveLength(1);
      expect(gh.log.filter((e) => e.path.startsWith("/api/v3/repos/slowco/huge/tarball/"))).toHaveLength(1);
      expect(app.output).not.toMatch(/out of memory|uncaught/i);
      // Counted as what it was: an audit stopped by its budget, not an error of GitHub's or ours.
      const metrics = await (await fetch(`${app.url}/metrics`)).text();
      expect(metrics).toMatch(/^skillproof_audits_total\{outcome="timed-out"\} 1$/m);
      expect(metrics).not.toMatch(/^skillproof_audits_total\{outcome="error"\}/m);
    });
  });
}

describe("a job thread out of memory", () => {
  it("dies alone: the process lives, the audit gets an 'ran out of memory' check run, the thread is replaced and audits the next push", { timeout: 120_000 }, async () => {
    // Many large text files: reading them needs far more than the thread's 64 MB.
    const files: Record<string, string> = { ...PORTFOLIO };
    const line = `const value = "${"x".repeat(100)}";\n`;
    for (let i = 0; i < 120; i++) files[`src/generated/module${i}.ts`] = line.repeat(4_000);
    const big = new StandInRepo({ owner: "bigco", repo: "monolith", installationId: 911, files });
    const other = new StandInRepo({ owner: "otherco", repo: "api", installationId: 912, files: PORTFOLIO });
    const gh = await startGitHubStandIn({ repos: [big, other], latencyMs: 5 });
    standIns.push(gh);
    const app = await startAppProcess({ githubHost: gh.host, env: { SKILLPROOF_THREADS: "1", SKILLPROOF_THREAD_MEMORY_MB: "64" }, logLevel: "info" });
    running.push(app);

    expect((await sendWebhook(app.url, "push", pushPayload(big))).status).toBe(200);
    await until("the big repository has a completed check run", () => completed(big).length > 0, 60_000, () => `${runs([big])}\n${app.output.slice(-4000)}`);
    const [oom] = completed(big);
    expect(oom).toMatchObject({ conclusion: "failure", external_id: "default" });
    expect(oom.output.title).toBe("Audit ran out of memory (64 MB limit)");
    expect(app.output).toContain("skillproof: job thread ran out of memory");

    // The process lives, and a new thread audits the next installation's push.
    expect(app.child.exitCode).toBeNull();
    expect((await sendWebhook(app.url, "push", pushPayload(other))).status).toBe(200);
    await until("the other repository has a completed check run", () => completed(other).length > 0, 60_000, () => `${runs([other])}\n${app.output.slice(-4000)}`);
    expect(completed(other)[0]!.output.title).toMatch(/^Skills score \d+\/100/);
    expect(app.child.exitCode).toBeNull();
    expect(big.checkRuns).toHaveLength(1);
  });
});
