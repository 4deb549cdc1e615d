import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { checkRunPayload, pushPayload } from "../fixtures/app/events.js";
import { setupAppTests } from "../fixtures/app/harness.js";
import { NO_MIGRATIONS, PORTFOLIO, SINGLE_STAGE } from "../fixtures/app/repos.js";
import { until } from "../helpers/builtApp.js";

const t = setupAppTests({ beforeAll, beforeEach, afterEach, afterAll, expect });

const marker = (sha: string, at: string) => `<!-- skillproof:commit=${sha} at=${at} -->`;

describe("the report issue", () => {
  it("is updated in place on the next audit, found among closed issues too, and never reopened", async () => {
    const first = t.gh.commit(SINGLE_STAGE, "2024-05-01T10:00:00Z");
    const second = t.gh.commit(PORTFOLIO, "2024-05-02T10:00:00Z");
    t.gh.serveToken().serveTrees().serveTarballs().serveOrgConfig().serveChecks().serveIssues({ create: true, update: true });
    await t.app.deliverAndWait("push", pushPayload(first.commitSha, "2024-05-01T10:00:00Z"));
    t.gh.issues[0]!.state = "closed";
    await t.app.deliverAndWait("push", pushPayload(second.commitSha, "2024-05-02T10:00:00Z"));
    expect(t.gh.issues).toHaveLength(1);
    expect(t.gh.issues[0]!.state).toBe("closed");
    expect(t.gh.issues[0]!.body.startsWith(marker(second.commitSha, "2024-05-02T10:00:00.000Z"))).toBe(true);
    // The label came with the first issue (GitHub creates it): no label request, ever.
    expect(t.gh.issues[0]!.labels).toEqual(["skillproof"]);
    expect(t.gh.count("POST /repos/Codertocat/Hello-World/labels")).toBe(0);
  });

  it("ignores issues it did not write: a user's issue with the label is not the report", async () => {
    const commit = t.gh.commit(PORTFOLIO);
    t.gh.issues.push({ number: 1, title: "Skillproof report", body: "my notes", state: "open", labels: ["skillproof"], user: { login: "octocat", type: "User" } });
    t.gh.labelExists = true;
    t.gh.serveToken().serveTrees().serveTarballs().serveOrgConfig().serveChecks().serveIssues();
    await t.app.deliverAndWait("push", pushPayload(commit.commitSha));
    // The label already existed and a new issue was still created.
    expect(t.gh.issues.map((i) => i.user.type)).toEqual(["User", "Bot"]);
  });

  it("is never overwritten by an older commit's audit (stale-commit guard)", async () => {
    const newer = t.gh.commit(PORTFOLIO, "2024-05-02T10:00:00Z");
    const older = t.gh.commit(SINGLE_STAGE, "2024-05-01T10:00:00Z");
    t.gh.serveToken().serveTrees().serveTarballs().serveOrgConfig().serveChecks().serveIssues();
    await t.app.deliverAndWait("push", pushPayload(newer.commitSha, "2024-05-02T10:00:00Z"));
    const body = t.gh.issues[0]!.body;
    // A late re-run of the older commit: its check run completes, the issue keeps the newer report.
    await t.app.deliverAndWait("check_run", checkRunPayload("requested_action", older.commitSha, "default"));
    expect(t.gh.checkRuns).toHaveLength(2);
    expect(t.gh.completion(t.gh.checkRuns[1]).conclusion).toBe("neutral");
    expect(t.gh.issues).toHaveLength(1);
    expect(t.gh.issues[0]!.body).toBe(body);
    expect(t.gh.count("PATCH /repos/Codertocat/Hello-World/issues")).toBe(0);
  });

  it("is created once when two audits of one repository finish at the same time", async () => {
    const a = t.gh.commit(PORTFOLIO, "2024-05-01T10:00:00Z");
    const b = t.gh.commit(NO_MIGRATIONS, "2024-05-02T10:00:00Z");
    // A slow issue list widens the window between "find" and "create". Whether the second
    // writer updates (newer commit) or skips (older commit) depends on which finishes first.
    t.gh.serveToken().serveTrees().serveTarballs().serveOrgConfig().serveChecks().serveCommitDates().serveIssues({ create: true, update: "optional", listDelayMs: 50 });
    // A push and a re-run of another commit run concurrently (different queue keys).
    await Promise.all([
      t.app.deliver("push", pushPayload(a.commitSha, "2024-05-01T10:00:00Z")),
      t.app.deliver("check_run", checkRunPayload("requested_action", b.commitSha, "default")),
    ]);
    await t.app.queue.onIdle();
    expect(t.gh.checkRuns).toHaveLength(2);
    expect(t.gh.issues).toHaveLength(1);
    expect(t.gh.issues[0]!.body.startsWith(marker(b.commitSha, "2024-05-02T10:00:00.000Z"))).toBe(true);
    expect(t.gh.count("POST /repos/Codertocat/Hello-World/issues")).toBe(1);
  });

  it("a redelivered webhook (same delivery id) is not audited twice", async () => {
    const commit = t.gh.commit(PORTFOLIO);
    t.gh.serveToken().serveTrees().serveTarballs().serveOrgConfig().serveChecks().serveIssues();
    const payload = pushPayload(commit.commitSha);
    await t.app.deliverAndWait("push", payload, "delivery-1");
    await t.app.deliverAndWait("push", payload, "delivery-1");
    expect(t.gh.checkRuns).toHaveLength(1);
    expect(t.gh.issues).toHaveLength(1);
  });
});

describe("the queue", () => {
  it("coalesces quick pushes to one repository: the running audit finishes, only the newest waiting one runs", async () => {
    const commits = [PORTFOLIO, SINGLE_STAGE, NO_MIGRATIONS].map((files, i) => t.gh.commit(files, `2024-05-0${i + 1}T10:00:00Z`));
    t.gh.serveToken().serveTrees().serveTarballs().serveOrgConfig().serveChecks().serveIssues({ create: true, update: true });
    for (const [i, c] of commits.entries()) {
      await t.app.deliver("push", pushPayload(c.commitSha, `2024-05-0${i + 1}T10:00:00Z`));
      // With Redis a worker takes the job a moment later: the first audit must be running (reading
      // its commit) before the next pushes arrive, or there is nothing for them to queue behind.
      if (i === 0) {
        await until("the first audit reads its commit", () => t.gh.requests.some((r) => r.includes(c.commitSha)), 15_000, () => t.gh.requests.join("\n"));
      }
    }
    await t.app.queue.onIdle();
    expect(t.gh.checkRuns.map((r) => r.create.head_sha)).toEqual([commits[0]!.commitSha, commits[2]!.commitSha]);
    expect(t.gh.issues).toHaveLength(1);
    expect(t.gh.issues[0]!.body).toContain(`commit=${commits[2]!.commitSha}`);
  });
});
