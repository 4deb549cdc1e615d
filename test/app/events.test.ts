import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { checkRunPayload, checkSuitePayload, pullRequestPayload, pushPayload } from "../fixtures/app/events.js";
import { expectedReport, setupAppTests } from "../fixtures/app/harness.js";
import { example } from "../fixtures/app/payloads.js";
import { NO_MIGRATIONS, PORTFOLIO, SINGLE_STAGE } from "../fixtures/app/repos.js";
import nock from "nock";
import { API } from "../fixtures/app/fakeGitHub.js";

const t = setupAppTests({ beforeAll, beforeEach, afterEach, afterAll, expect });
const AT = { owner: "Codertocat", repo: "Hello-World" };

describe("pull_request", () => {
  for (const action of ["opened", "synchronize", "reopened"] as const) {
    it(`${action}: audits head and base, and the check run shows the delta; the issue is not touched`, async () => {
      const base = t.gh.commit(SINGLE_STAGE);
      const head = t.gh.commit(NO_MIGRATIONS);
      t.gh.serveToken().serveTrees().serveTarballs().serveOrgConfig().serveChecks();
      await t.app.deliverAndWait("pull_request", pullRequestPayload(action, head.commitSha, base.commitSha));

      const headReport = await expectedReport(NO_MIGRATIONS, { ...AT, sha: head.commitSha, ref: "refs/pull/2/head" });
      const baseReport = await expectedReport(SINGLE_STAGE, { ...AT, sha: base.commitSha });
      const change = headReport.score - baseReport.score;
      const signed = change > 0 ? `+${change}` : change < 0 ? `−${-change}` : "±0";
      expect(t.gh.checkRuns).toHaveLength(1);
      expect(t.gh.checkRuns[0]!.create).toMatchObject({ head_sha: head.commitSha, external_id: `pull:2:${base.commitSha}` });
      const done = t.gh.completion();
      expect(done.output.title).toBe(`Skills score ${headReport.score}/100 (${signed}) · ${headReport.summary.passed} of ${headReport.summary.applicable} evidence items`);
      expect(done.output.text).toContain("containers/multi-stage now passes");
      expect(done.output.text).toContain("data/migrations now fails");
      expect(done.output.summary).toContain("- ✅ `containers/multi-stage` now passes: Multi-stage Docker build");
      expect(done.output.summary).toMatch(/- ❌ `data\/migrations` now fails: .* — \*\*Fix:\*\*/);
      expect(done.output.summary.length).toBeLessThanOrEqual(65535);
      // Both commits listed and read from their tarballs; no issue requests at all.
      expect(t.gh.count("GET /repos/Codertocat/Hello-World/git/trees/")).toBe(2);
      expect(t.gh.count("GET /repos/Codertocat/Hello-World/tarball/")).toBe(2);
      expect(t.gh.requests.some((r) => r.includes("/issues"))).toBe(false);
    });
  }
});

describe("check_suite", () => {
  it("requested on the default branch audits the head commit once, even after the push event for it", async () => {
    const commit = t.gh.commit(PORTFOLIO);
    t.gh.serveToken().serveTrees().serveTarballs().serveOrgConfig().serveChecks().serveIssues();
    await t.app.deliverAndWait("push", pushPayload(commit.commitSha));
    await t.app.deliverAndWait("check_suite", checkSuitePayload("requested", commit.commitSha, "master"));
    expect(t.gh.checkRuns).toHaveLength(1);
  });

  it("requested on another branch without a pull request is ignored", async () => {
    await t.app.deliverAndWait("check_suite", checkSuitePayload("requested", "b".repeat(40), "feature"));
    expect(t.gh.requests).toEqual([]);
  });

  it("rerequested audits again, on any branch (no issue off the default branch)", async () => {
    const commit = t.gh.commit(PORTFOLIO);
    t.gh.serveToken().serveTrees().serveTarballs().serveOrgConfig().serveChecks();
    await t.app.deliverAndWait("check_suite", checkSuitePayload("rerequested", commit.commitSha, "feature"));
    expect(t.gh.checkRuns).toHaveLength(1);
    expect(t.gh.checkRuns[0]!.create.external_id).toBe("commit");
    expect(t.gh.completion().conclusion).toBe("neutral");
  });

  it("rerequested on a pull request's branch audits it as the pull request", async () => {
    const base = t.gh.commit(SINGLE_STAGE);
    const head = t.gh.commit(PORTFOLIO);
    t.gh.serveToken().serveTrees().serveTarballs().serveOrgConfig().serveChecks();
    const p = checkSuitePayload("rerequested", head.commitSha, "changes");
    p.check_suite.pull_requests = [{ number: 7, head: { ref: "changes", sha: head.commitSha }, base: { ref: "master", sha: base.commitSha } }];
    await t.app.deliverAndWait("check_suite", p);
    expect(t.gh.checkRuns[0]!.create.external_id).toBe(`pull:7:${base.commitSha}`);
    expect(t.gh.completion().output.text).toContain("+");
  });
});

describe("check_run", () => {
  it("rerequested re-audits the commit and refreshes the issue (commit date looked up)", async () => {
    const commit = t.gh.commit(PORTFOLIO, "2024-06-01T08:00:00Z");
    t.gh.serveToken().serveTrees().serveTarballs().serveOrgConfig().serveChecks().serveIssues().serveCommitDates();
    await t.app.deliverAndWait("check_run", checkRunPayload("rerequested", commit.commitSha, "default"));
    expect(t.gh.checkRuns).toHaveLength(1);
    expect(t.gh.issues[0]!.body).toMatch(/^<!-- skillproof:commit=[0-9a-f]{40} at=2024-06-01T08:00:00.000Z -->/);
  });

  it("the Re-run audit button re-audits, a pull request's check with its delta", async () => {
    const base = t.gh.commit(SINGLE_STAGE);
    const head = t.gh.commit(PORTFOLIO);
    t.gh.serveToken().serveTrees().serveTarballs().serveOrgConfig().serveChecks();
    await t.app.deliverAndWait("check_run", checkRunPayload("requested_action", head.commitSha, `pull:2:${base.commitSha}`));
    expect(t.gh.completion().output.text).toContain("containers/multi-stage now passes");
  });

  it("ignores other actions' buttons and other apps' check runs", async () => {
    await t.app.deliverAndWait("check_run", checkRunPayload("requested_action", "c".repeat(40), "default", "lgtm"));
    const other = checkRunPayload("rerequested", "c".repeat(40), "default");
    other.check_run.name = "Octocoders-linter";
    await t.app.deliverAndWait("check_run", other);
    expect(t.gh.requests).toEqual([]);
  });
});

describe("installation", () => {
  it("created: audits every repository's default branch, skipping archived and empty ones", async () => {
    const commit = t.gh.commit(PORTFOLIO, "2024-03-03T03:03:03Z");
    const p = example("installation", "created");
    p.repositories = [
      { id: 1, node_id: "R_1", name: "Hello-World", full_name: "Codertocat/Hello-World", private: false },
      { id: 2, node_id: "R_2", name: "Old", full_name: "Codertocat/Old", private: false },
      { id: 3, node_id: "R_3", name: "Empty", full_name: "Codertocat/Empty", private: true },
    ];
    t.gh.serveToken().serveTrees().serveTarballs().serveOrgConfig().serveChecks().serveIssues();
    nock(API).get("/repos/Codertocat/Hello-World").reply(200, { id: 1, name: "Hello-World", full_name: "Codertocat/Hello-World", archived: false, default_branch: "main", size: 120 });
    nock(API).get("/repos/Codertocat/Hello-World/branches/main").reply(200, { name: "main", commit: { sha: commit.commitSha, commit: { committer: { date: "2024-03-03T03:03:03Z" } } } });
    nock(API).get("/repos/Codertocat/Old").reply(200, { id: 2, name: "Old", full_name: "Codertocat/Old", archived: true, default_branch: "main" });
    nock(API).get("/repos/Codertocat/Empty").reply(200, { id: 3, name: "Empty", full_name: "Codertocat/Empty", archived: false, default_branch: "main" });
    nock(API).get("/repos/Codertocat/Empty/branches/main").reply(404, { message: "Branch not found" });
    await t.app.deliverAndWait("installation", p);
    expect(t.gh.checkRuns).toHaveLength(1);
    expect(t.gh.checkRuns[0]!.create).toMatchObject({ head_sha: commit.commitSha, external_id: "default" });
    expect(t.gh.issues[0]!.body).toContain(`at=2024-03-03T03:03:03.000Z`);
  });

  it("installation_repositories.added: audits the added repositories", async () => {
    const commit = t.gh.commit(PORTFOLIO);
    const p = example("installation_repositories", "added");
    p.repositories_added = [{ id: 1, node_id: "R_1", name: "Hello-World", full_name: "Codertocat/Hello-World", private: false }];
    t.gh.serveToken().serveTrees().serveTarballs().serveOrgConfig().serveChecks().serveIssues();
    nock(API).get("/repos/Codertocat/Hello-World").reply(200, { id: 1, name: "Hello-World", full_name: "Codertocat/Hello-World", archived: false, default_branch: "master", size: 120 });
    nock(API).get("/repos/Codertocat/Hello-World/branches/master").reply(200, { name: "master", commit: { sha: commit.commitSha, commit: { committer: { date: "2024-03-03T03:03:03Z" } } } });
    await t.app.deliverAndWait("installation_repositories", p);
    expect(t.gh.checkRuns).toHaveLength(1);
    expect(t.gh.issues).toHaveLength(1);
  });
});
