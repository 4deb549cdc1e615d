import nock from "nock";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { pushPayload } from "../fixtures/app/events.js";
import { API } from "../fixtures/app/fakeGitHub.js";
import { expectedReport, setupAppTests } from "../fixtures/app/harness.js";
import { PORTFOLIO, withConfig } from "../fixtures/app/repos.js";
import { TARBALL_MAX_SIZE_KB } from "../../src/sources/github/open.js";
import { ProbotOctokit, type Logger } from "probot";
import { KeyedMutex } from "../../src/app/state/memory.js";
import { runAudit } from "../../src/app/audit/runAudit.js";
import { ruleSet } from "../fixtures/app/harness.js";

/** A push of a repository GitHub says is larger than the tarball threshold: read through the tree and GraphQL. */
function bigRepo<P extends { repository: { size: number } }>(payload: P): P {
  payload.repository.size = TARBALL_MAX_SIZE_KB + 1;
  return payload;
}

const t = setupAppTests({ beforeAll, beforeEach, afterEach, afterAll, expect });

describe("a bad config", () => {
  it("a YAML error fails the check run with file, line and column, annotates the line, and leaves the issue alone", async () => {
    const commit = t.gh.commit(withConfig(PORTFOLIO, "ignore:\n  - docs/**\nthreshold: [60\n"));
    t.gh.serveToken().serveTrees().serveTarballs().serveChecks();
    await t.app.deliverAndWait("push", pushPayload(commit.commitSha));
    const done = t.gh.completion();
    expect(done.conclusion).toBe("failure");
    expect(done.output.title).toMatch(/^Invalid config: \.github\/skillproof\.yml:\d+:\d+$/);
    expect(done.output.summary).toContain("- **File:** `.github/skillproof.yml`");
    expect(done.output.summary).toContain("YAML syntax error");
    expect(done.output.annotations).toEqual([expect.objectContaining({ path: ".github/skillproof.yml", annotation_level: "failure" })]);
    expect(t.gh.requests.some((r) => r.includes("/issues"))).toBe(false);
  });

  it("an unknown rule id says which one and suggests the closest", async () => {
    const commit = t.gh.commit(withConfig(PORTFOLIO, "disable:\n  - containers/multistage\n"));
    t.gh.serveToken().serveTrees().serveTarballs().serveChecks();
    await t.app.deliverAndWait("push", pushPayload(commit.commitSha));
    const done = t.gh.completion();
    expect(done.conclusion).toBe("failure");
    expect(done.output.title).toBe("Invalid config: .github/skillproof.yml:2:5");
    expect(done.output.summary).toContain('unknown rule id "containers/multistage" (did you mean "containers/multi-stage"?)');
  });

  it("an org-wide config in the owner's .github repository applies when the repository has none; its errors name it", async () => {
    const commit = t.gh.commit(PORTFOLIO);
    t.gh.serveToken().serveTrees().serveTarballs().serveChecks().serveOrgConfig("threshold: 101\n");
    await t.app.deliverAndWait("push", pushPayload(commit.commitSha));
    const done = t.gh.completion();
    expect(done.conclusion).toBe("failure");
    expect(done.output.title).toBe("Invalid config: Codertocat/.github:.github/skillproof.yml:1:12");
    expect(done.output.annotations).toBeUndefined();
  });

  it("_extends inherits the org config: local keys win, weights merge", async () => {
    const commit = t.gh.commit(withConfig(PORTFOLIO, "_extends: .github\nthreshold: 1\n"));
    t.gh.serveToken().serveTrees().serveTarballs().serveChecks().serveOrgConfig("threshold: 99\nissue: false\n");
    await t.app.deliverAndWait("push", pushPayload(commit.commitSha));
    // threshold 1 (local) beats 99 (inherited); issue: false is inherited, so no issue requests.
    expect(t.gh.completion().conclusion).toBe("success");
    expect(t.gh.requests.some((r) => r.includes("/issues"))).toBe(false);
  });

  it("_extends naming a config that is not there fails the check run", async () => {
    const commit = t.gh.commit(withConfig(PORTFOLIO, "_extends: .github\n"));
    t.gh.serveToken().serveTrees().serveTarballs().serveChecks().serveOrgConfig();
    await t.app.deliverAndWait("push", pushPayload(commit.commitSha));
    const done = t.gh.completion();
    expect(done.conclusion).toBe("failure");
    expect(done.output.summary).toContain("_extends: the config extended from Codertocat/.github:.github/skillproof.yml cannot be read");
  });

  it("a valid threshold decides the conclusion; issue: false turns the issue off", async () => {
    const commit = t.gh.commit(withConfig(PORTFOLIO, "threshold: 99\nissue: false\n"));
    t.gh.serveToken().serveTrees().serveTarballs().serveChecks();
    await t.app.deliverAndWait("push", pushPayload(commit.commitSha));
    expect(t.gh.completion().conclusion).toBe("failure");
    const low = t.gh.commit(withConfig(PORTFOLIO, "threshold: 10\nissue: false\n"));
    await t.app.deliverAndWait("push", pushPayload(low.commitSha, "2024-05-02T00:00:00Z"));
    expect(t.gh.completion().conclusion).toBe("success");
    expect(t.gh.requests.some((r) => r.includes("/issues"))).toBe(false);
  });
});

describe("GitHub errors never leave the check run in progress", () => {
  it("an empty repository (409 on the tree) completes it as a clear empty-repository report", async () => {
    const commit = t.gh.commit(PORTFOLIO);
    t.gh.serveToken().serveTrees(409).serveTarballs({ status: 404 }).serveChecks();
    await t.app.deliverAndWait("push", pushPayload(commit.commitSha));
    const done = t.gh.completion();
    expect(done).toMatchObject({ conclusion: "neutral", output: { title: "Empty repository: nothing to audit" } });
    expect(t.gh.requests.some((r) => r.includes("/issues"))).toBe(false);
  });

  for (const status of [403, 404, 500, 502]) {
    it(`${status} on the tree completes it neutral with GitHub's answer and a re-run button`, async () => {
      const commit = t.gh.commit(PORTFOLIO);
      t.gh.serveToken().serveTrees(status).serveTarballs({ status }).serveChecks();
      await t.app.deliverAndWait("push", pushPayload(commit.commitSha));
      const done = t.gh.completion();
      expect(done.conclusion).toBe("neutral");
      expect(done.output.title).toBe(`Audit could not run (GitHub answered ${status})`);
      expect(done.output.summary).toContain(`GitHub answered ${status}`);
      expect(done.actions).toEqual([{ label: "Re-run audit", description: "Audit this commit again", identifier: "rerun" }]);
    });
  }

  it("a GraphQL failure completes it too (a repository above the tarball threshold)", async () => {
    const commit = t.gh.commit(PORTFOLIO);
    t.gh.serveToken().serveTrees().serveOrgConfig().serveChecks();
    nock(API).post("/graphql").reply(502, { message: "Bad Gateway" }).persist();
    await t.app.deliverAndWait("push", bigRepo(pushPayload(commit.commitSha)));
    expect(t.gh.completion().output.title).toBe("Audit could not run (GitHub answered 502)");
  });

  it("a failed tarball download falls back to GraphQL reads: same report, check run and issue", async () => {
    const commit = t.gh.commit(PORTFOLIO);
    t.gh.serveToken().serveTrees().serveTarballs({ status: 502 }).serveGraphql().serveOrgConfig().serveChecks().serveIssues();
    await t.app.deliverAndWait("push", pushPayload(commit.commitSha));
    const report = await expectedReport(PORTFOLIO, { owner: "Codertocat", repo: "Hello-World", sha: commit.commitSha, ref: "refs/heads/master" });
    expect(t.gh.completion().output.title).toBe(`Skills score ${report.score}/100 · ${report.summary.passed} of ${report.summary.applicable} evidence items`);
    expect(t.gh.issues).toHaveLength(1);
  });

  it("GitHub rejecting the report (422) publishes a short check run instead", async () => {
    const commit = t.gh.commit(PORTFOLIO);
    t.gh.serveToken().serveTrees().serveTarballs().serveOrgConfig().serveIssues();
    t.gh.serveChecks({ failCreate: (n) => (n === 0 ? 422 : undefined) });
    await t.app.deliverAndWait("push", pushPayload(commit.commitSha));
    expect(t.gh.checkRuns).toHaveLength(1);
    expect(t.gh.completion()).toMatchObject({ status: "completed", conclusion: "neutral", output: { title: "Audit report could not be shown" }, actions: [{ identifier: "rerun" }] });
    expect(t.gh.issues).toHaveLength(1);
  });

  it("403 on creating the check run (no checks permission) still keeps the issue current", async () => {
    const commit = t.gh.commit(PORTFOLIO);
    t.gh.serveToken().serveTrees().serveTarballs().serveOrgConfig().serveIssues();
    // One attempt: without the permission, a shorter report would be refused too.
    nock(API).post("/repos/Codertocat/Hello-World/check-runs").reply(403, { message: "Resource not accessible by integration" });
    await t.app.deliverAndWait("push", pushPayload(commit.commitSha));
    expect(t.gh.issues).toHaveLength(1);
  });

  it("a 5xx on the issue list is logged; the check run is already complete", async () => {
    const commit = t.gh.commit(PORTFOLIO);
    t.gh.serveToken().serveTrees().serveTarballs().serveOrgConfig().serveChecks();
    nock(API).get("/repos/Codertocat/Hello-World/issues").query(true).reply(503, { message: "Service Unavailable" });
    await t.app.deliverAndWait("push", pushPayload(commit.commitSha));
    expect(t.gh.completion().conclusion).toBe("neutral");
  });
});

describe("trees", () => {
  it("a truncated tree is walked and the report says so", async () => {
    const commit = t.gh.commit(PORTFOLIO);
    t.gh.serveToken().serveGraphql().serveOrgConfig().serveChecks().serveIssues();
    const base = "/repos/Codertocat/Hello-World/git/trees";
    nock(API).get(`${base}/${commit.commitSha}`).query({ recursive: "1" }).reply(200, commit.treeResponse(commit.commitSha, true, { truncated: true }));
    nock(API).get(`${base}/${commit.commitSha}`).reply(200, commit.treeResponse(commit.commitSha, false));
    for (const dir of [".github", "migrations", "src", "test"]) {
      nock(API).get(`${base}/${commit.treeSha(dir)}`).query({ recursive: "1" }).reply(200, commit.treeResponse(commit.treeSha(dir), true));
    }
    await t.app.deliverAndWait("push", bigRepo(pushPayload(commit.commitSha)));
    expect(t.gh.completion().output.summary).toContain("Note: tree truncated by GitHub: walked subtrees");
  });
});

describe("a queue that retries", () => {
  const quiet = { info: () => {}, warn: () => {}, error: () => {}, debug: () => {}, child: () => quiet } as unknown as Logger;
  const deps = (retry: (err: unknown) => boolean) => ({
    octokit: new ProbotOctokit({ auth: { token: "t" }, retry: { enabled: false }, throttle: { enabled: false } }),
    log: quiet,
    ruleSet,
    issueLock: new KeyedMutex(),
    retry,
  });
  const req = (sha: string) => ({ owner: "Codertocat", repo: "Hello-World", sha, purpose: "default" as const, sizeKb: 1 });

  it("gets a GitHub 5xx back with nothing published, when it says it will retry", async () => {
    const commit = t.gh.commit(PORTFOLIO);
    t.gh.serveTrees(502).serveTarballs({ status: 502 });
    await expect(runAudit(deps((err) => (err as { status?: number }).status === 502), req(commit.commitSha))).rejects.toMatchObject({ status: 502 });
    expect(t.gh.lane()).toEqual([]);
  });

  it("on its last attempt (retry says no) the failure is published as the check run", async () => {
    const commit = t.gh.commit(PORTFOLIO);
    t.gh.serveTrees(502).serveTarballs({ status: 502 }).serveChecks();
    const outcome = await runAudit(deps(() => false), req(commit.commitSha));
    expect(outcome.conclusion).toBe("neutral");
    expect(t.gh.completion().output.title).toBe("Audit could not run (GitHub answered 502)");
  });

  it("a bad config is never retried: it would fail the same way", async () => {
    const commit = t.gh.commit(withConfig(PORTFOLIO, "threshold: [60\n"));
    t.gh.serveTrees().serveTarballs().serveChecks();
    const outcome = await runAudit(deps(() => true), req(commit.commitSha));
    expect(outcome.conclusion).toBe("failure");
  });
});
