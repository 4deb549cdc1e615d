import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { renderMarkdown } from "../../src/report/markdown.js";
import { pushPayload } from "../fixtures/app/events.js";
import { expectedReport, setupAppTests } from "../fixtures/app/harness.js";
import { example } from "../fixtures/app/payloads.js";
import { PORTFOLIO } from "../fixtures/github/portfolio.js";

const t = setupAppTests({ beforeAll, beforeEach, afterEach, afterAll, expect });

describe("push to the default branch", () => {
  it("creates a check run, completes it with the report, and opens the report issue", async () => {
    const commit = t.gh.commit(PORTFOLIO);
    t.gh.serveToken().serveTrees().serveGraphql().serveOrgConfig().serveChecks().serveIssues();
    await t.app.deliverAndWait("push", pushPayload(commit.commitSha));

    const report = await expectedReport(PORTFOLIO, { owner: "Codertocat", repo: "Hello-World", sha: commit.commitSha, ref: "refs/heads/master" });
    expect(t.gh.checkRuns).toHaveLength(1);
    const [run] = t.gh.checkRuns;
    expect(run!.create).toMatchObject({ name: "Skillproof", head_sha: commit.commitSha, status: "in_progress", external_id: "default" });
    const done = t.gh.completion();
    expect(done).toMatchObject({
      status: "completed",
      conclusion: "neutral",
      output: {
        title: `Skills score ${report.score}/100 · ${report.summary.passed} of ${report.summary.applicable} evidence items`,
        summary: renderMarkdown(report, { maxLength: 65535, heading: false }),
      },
      actions: [{ label: "Re-run audit", description: "Audit this commit again", identifier: "rerun" }],
    });
    // Notices on the lines that earned points.
    const notes = done.output.annotations as Array<Record<string, unknown>>;
    expect(notes.length).toBeGreaterThan(0);
    expect(notes.every((a) => a.annotation_level === "notice" && typeof a.start_line === "number")).toBe(true);

    expect(t.gh.issues).toHaveLength(1);
    const issue = t.gh.issues[0]!;
    expect(issue.title).toBe("Skillproof report");
    expect(issue.labels).toEqual(["skillproof"]);
    expect(issue.body).toBe(`<!-- skillproof:commit=${commit.commitSha} at=2024-05-01T10:00:00.000Z -->\n${renderMarkdown(report, { maxLength: 65536 - 120 })}`);
  });

  it("costs a fixed number of requests: token, check run ×2, tree, GraphQL, org config, issue list, label, issue", async () => {
    const commit = t.gh.commit(PORTFOLIO);
    t.gh.serveToken().serveTrees().serveGraphql().serveOrgConfig().serveChecks().serveIssues();
    await t.app.deliverAndWait("push", pushPayload(commit.commitSha));
    const graphql = t.gh.count("POST /graphql");
    expect(graphql).toBeGreaterThanOrEqual(1);
    expect(graphql).toBeLessThanOrEqual(2);
    expect(t.gh.requests.filter((r) => r !== "POST /graphql")).toEqual([
      "POST /app/installations/1/access_tokens",
      "POST /repos/Codertocat/Hello-World/check-runs",
      "GET /repos/Codertocat/Hello-World/git/trees/" + commit.commitSha,
      "GET /repos/Codertocat/.github/contents/.github%2Fskillproof.yml",
      `PATCH /repos/Codertocat/Hello-World/check-runs/${t.gh.checkRuns[0]!.id}`,
      "GET /repos/Codertocat/Hello-World/issues",
      "POST /repos/Codertocat/Hello-World/labels",
      "POST /repos/Codertocat/Hello-World/issues",
    ]);
  });

  it("ignores pushes to other branches, tags and branch deletions", async () => {
    const branch = pushPayload("a".repeat(40));
    branch.ref = "refs/heads/feature";
    const tag = example("push");
    const deletion = pushPayload("0".repeat(40));
    deletion.deleted = true;
    await t.app.deliverAndWait("push", branch);
    await t.app.deliverAndWait("push", tag);
    await t.app.deliverAndWait("push", deletion);
    expect(t.gh.requests).toEqual([]);
  });
});
