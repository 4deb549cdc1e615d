import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { renderMarkdown } from "../../src/report/markdown.js";
import { pushPayload } from "../fixtures/app/events.js";
import { expectedReport, setupAppTests } from "../fixtures/app/harness.js";
import { example } from "../fixtures/app/payloads.js";
import { PORTFOLIO } from "../fixtures/github/portfolio.js";

const t = setupAppTests({ beforeAll, beforeEach, afterEach, afterAll, expect });

describe("push to the default branch", () => {
  it("publishes the report as one completed check run and opens the report issue", async () => {
    const commit = t.gh.commit(PORTFOLIO);
    t.gh.serveToken().serveTrees().serveTarballs().serveOrgConfig().serveChecks().serveIssues();
    await t.app.deliverAndWait("push", pushPayload(commit.commitSha));

    const report = await expectedReport(PORTFOLIO, { owner: "Codertocat", repo: "Hello-World", sha: commit.commitSha, ref: "refs/heads/master" });
    expect(t.gh.checkRuns).toHaveLength(1);
    const [run] = t.gh.checkRuns;
    // Created completed, with the report: no in-progress run, no PATCH.
    expect(run!.updates).toEqual([]);
    const done = t.gh.completion();
    expect(done).toBe(run!.create);
    expect(done).toMatchObject({
      name: "Skillproof",
      head_sha: commit.commitSha,
      external_id: "default",
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
    expect(notes.length).toBeLessThanOrEqual(50);
    expect(notes.every((a) => a.annotation_level === "notice" && typeof a.start_line === "number")).toBe(true);

    expect(t.gh.issues).toHaveLength(1);
    const issue = t.gh.issues[0]!;
    expect(issue.title).toBe("Skillproof report");
    expect(issue.labels).toEqual(["skillproof"]);
    expect(issue.body).toBe(`<!-- skillproof:commit=${commit.commitSha} at=2024-05-01T10:00:00.000Z -->\n${renderMarkdown(report, { maxLength: 65536 - 120, chart: true })}`);
    // The issue opens with the skill-score chart, then the table.
    expect(issue.body.indexOf("```mermaid")).toBeGreaterThan(0);
    expect(issue.body.indexOf("```mermaid")).toBeLessThan(issue.body.indexOf("| Skill |"));
  });

  it("costs a fixed set of requests: reads for the content, config and issue list; two writes", async () => {
    const commit = t.gh.commit(PORTFOLIO);
    t.gh.serveToken().serveTrees().serveTarballs().serveOrgConfig().serveChecks().serveIssues();
    await t.app.deliverAndWait("push", pushPayload(commit.commitSha));
    const repo = "/repos/Codertocat/Hello-World";
    // The tree and the tarball are fetched at once: their order is not fixed.
    expect(t.gh.requests.slice(1, 3).sort()).toEqual([`GET ${repo}/git/trees/${commit.commitSha}`, `GET ${repo}/tarball/${commit.commitSha}`]);
    expect([t.gh.requests[0], ...t.gh.requests.slice(3)]).toEqual([
      "POST /app/installations/1/access_tokens",
      "GET /repos/Codertocat/.github/contents/.github%2Fskillproof.yml",
      `POST ${repo}/check-runs`,
      `GET ${repo}/issues`,
      `POST ${repo}/issues`,
    ]);
    expect(t.gh.lane()).toEqual([`POST ${repo}/check-runs`, `POST ${repo}/issues`]);
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
