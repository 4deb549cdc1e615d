import nock from "nock";
import { beforeEach, describe, expect, it } from "vitest";
import { portfolioMarker } from "../../../src/app/publish/portfolioIssue.js";
import { MAX_COMMENT_LENGTH } from "../../../src/app/commands/replies.js";
import { UNAVAILABLE } from "../../../src/app/commands/target.js";
import { DEFAULT_CONFIG } from "../../../src/config/config.js";
import { auditToReport } from "../../../src/pipeline.js";
import { renderMarkdown } from "../../../src/report/markdown.js";
import { InMemorySource } from "../../../src/sources/memory.js";
import { commentPayload, ruleSet, startCommandApp, type CommandApp } from "../../fixtures/commands/app.js";
import { API, CommandGitHub, tokenOf } from "../../fixtures/commands/github.js";
import { longPathPortfolio, PORTFOLIO } from "../../fixtures/commands/repos.js";
import { useNock } from "../../helpers/nock.js";

let app: CommandApp;
let gh: CommandGitHub;
useNock({ noUnmatched: true });
beforeEach(async () => {
  app = await startCommandApp();
  gh = new CommandGitHub();
});

let nextComment = 7000;
/** A comment by an admin of Codertocat/Hello-World, in installation `installationId`, with the endpoints the handler uses. */
function typed(body: string, installationId = 1) {
  const commentId = nextComment++;
  gh.servePermission("Codertocat", "admin").serveReaction(commentId);
  return commentPayload(body, { installationId, commentId });
}

async function expectedScore(files: Record<string, string>, owner: string, repo: string, sha: string): Promise<number> {
  const report = await auditToReport(new InMemorySource(files, { kind: "github", owner, repo, sha, url: `https://github.com/${owner}/${repo}` }), ruleSet(), DEFAULT_CONFIG);
  return report.score;
}

const stack = /\n\s+at \S+ \(|Error:|TypeError|RequestError/;

describe("a repository command", () => {
  it("replies in the thread with the report (the check run's renderer) and the attribution", async () => {
    const repo = gh.host(PORTFOLIO, "octocat", "orders-api", { commits: { octocat: 8, hubot: 2 } }).fake;
    gh.serveTokens().serveComments().serveGraphql().serveTrees().serveTarballs().serveContributors();
    const [outcome] = await app.deliverAndRun(typed("/skillproof audit octocat/orders-api"));

    const score = await expectedScore(PORTFOLIO, "octocat", "orders-api", repo.commitSha);
    expect(outcome).toEqual({ kind: "repo-report", length: gh.comments[0]!.body.length, score, cached: false });
    expect(gh.comments).toHaveLength(1);
    const body = gh.comments[0]!.body;
    expect(body.startsWith("@Codertocat, here is the result of `/skillproof audit octocat/orders-api`:\n\n## Skillproof report: ")).toBe(true);
    expect(body).toContain(`**${score}/100**`);
    // The candidate is named, not notified.
    expect(body).toContain("_@\u200boctocat authored 80% of 10 commits · last push 2026-10-01 · CI passing_");
    expect(body).not.toMatch(stack);
    // The audit's own requests (metadata, content, attribution): at most 1 + 3 + 2.
    const audit = gh.requests.filter((r) => r.path === "/graphql" || r.path.startsWith("/repos/octocat/orders-api/"));
    expect(audit.length).toBeLessThanOrEqual(6);
    expect(gh.requests.length).toBeLessThanOrEqual(audit.length + 4); // + token, permission, 👀, the reply
  });

  it("audits a ref, for a named candidate, and flags a candidate who wrote little of it", async () => {
    gh.host(PORTFOLIO, "octocat", "orders-api", { commits: { octocat: 9, monalisa: 1 } });
    gh.serveTokens().serveComments().serveGraphql().serveTrees().serveTarballs().serveContributors();
    await app.deliverAndRun(typed("/skillproof audit octocat/orders-api@main for @monalisa"));
    const body = gh.comments[0]!.body;
    expect(body).toContain("@\u200bmonalisa authored 10% of 10 commits");
    expect(body).toContain("⚠️ @\u200bmonalisa authored little of this");
  });

  it("stays within GitHub's comment limit when the report is longer", async () => {
    const files = longPathPortfolio();
    const repo = gh.host(files, "octocat", "deep").fake;
    const report = await auditToReport(new InMemorySource(files, { kind: "github", owner: "octocat", repo: "deep", sha: repo.commitSha, url: "" }), ruleSet(), DEFAULT_CONFIG);
    expect(renderMarkdown(report).length).toBeGreaterThan(MAX_COMMENT_LENGTH); // the premise
    gh.serveTokens().serveComments().serveGraphql().serveTrees().serveTarballs().serveContributors();
    const [outcome] = await app.deliverAndRun(typed("/skillproof audit octocat/deep"));
    expect(outcome?.kind).toBe("repo-report");
    // The stand-in answers 422 above 65,536 characters, as GitHub does: the comment was accepted.
    expect(gh.comments).toHaveLength(1);
    expect(gh.comments[0]!.body.length).toBeLessThanOrEqual(MAX_COMMENT_LENGTH);
    expect(gh.comments[0]!.body.length).toBeGreaterThan(MAX_COMMENT_LENGTH / 2);
    expect(gh.comments[0]!.body).toContain(`**${report.score}/100**`);
  });
});

describe("a portfolio command", () => {
  it("writes the report into one issue, links it, and updates that issue when run again", async () => {
    gh.host(PORTFOLIO, "monalisa", "orders-api", { pushedAt: "2026-10-01T10:00:00Z", commits: { monalisa: 30 } });
    gh.host({ "README.md": "# notes\n", "notes.md": "- one\n" }, "monalisa", "notes", { pushedAt: "2026-09-01T10:00:00Z", commits: { monalisa: 3 } });
    // A person's issue with the same title and label is not the app's.
    gh.issues.push({ number: 1, title: "Skillproof portfolio: @monalisa", body: "my notes", state: "open", labels: ["skillproof"], user: { login: "Codertocat", type: "User" } });
    gh.serveTokens().serveComments().serveGraphql().serveTrees().serveTarballs().serveIssues({ create: true, update: true }).serveUserRepos("monalisa").serveUserRepos("monalisa").serveConfig();

    const [first] = await app.deliverAndRun(typed("/skillproof audit @monalisa"));
    expect(first).toMatchObject({ kind: "portfolio-issue", issue: 2, outcome: "created" });
    const issue = gh.issues[1]!;
    expect(issue.title).toBe("Skillproof portfolio: @monalisa");
    expect(issue.labels).toEqual(["skillproof"]);
    expect(issue.body.startsWith(`${portfolioMarker("monalisa")}\n## Skillproof portfolio: @\u200bmonalisa · `)).toBe(true);
    expect(issue.body).toContain("[monalisa/orders-api](https://github.com/monalisa/orders-api)");
    expect(issue.body).toContain("[monalisa/notes](https://github.com/monalisa/notes)");
    expect(gh.comments.map((c) => c.body)).toEqual([
      "@Codertocat, the portfolio report of `@monalisa` is in a new issue: #2. https://github.com/Codertocat/Hello-World/issues/2",
    ]);

    // A week later the candidate pushed again: the same command updates the same issue.
    gh.repos.get("monalisa/notes")!.pushedAt = "2026-10-08T10:00:00Z";
    const [second] = await app.deliverAndRun(typed("/skillproof audit @MonaLisa"));
    expect(second).toMatchObject({ kind: "portfolio-issue", issue: 2, outcome: "updated" });
    expect(gh.issues).toHaveLength(2);
    expect(gh.issues[1]!.title).toBe("Skillproof portfolio: @MonaLisa");
    expect(gh.issues[1]!.body).toContain("last push 2026-10-08");
    expect(gh.comments[1]!.body).toBe("@Codertocat, the portfolio report of `@MonaLisa` is in: #2 (updated). https://github.com/Codertocat/Hello-World/issues/2");
    const writes = gh.requests.filter((r) => r.method !== "GET" && /^\/repos\/Codertocat\/Hello-World\/(issues|labels)(\/\d+)?$/.test(r.path));
    expect(writes.map((r) => `${r.method} ${r.path}`)).toEqual([
      "POST /repos/Codertocat/Hello-World/labels",
      "POST /repos/Codertocat/Hello-World/issues",
      "PATCH /repos/Codertocat/Hello-World/issues/2",
    ]);
  });

  it("two runs of one portfolio command at the same time still make one issue", async () => {
    gh.host(PORTFOLIO, "monalisa", "orders-api", { commits: { monalisa: 30 } });
    gh.serveTokens().serveComments().serveGraphql().serveTrees().serveTarballs().serveIssues({ create: true }).serveUserRepos("monalisa").serveUserRepos("monalisa");
    await app.deliver(typed("/skillproof audit @monalisa --max-repos 2"));
    await app.deliver(typed("/skillproof audit @monalisa --max-repos 2"));
    const outcomes = await app.runPending();
    expect(outcomes.map((o) => (o.kind === "portfolio-issue" ? o.outcome : o.kind)).sort()).toEqual(["created", "unchanged"]);
    expect(gh.issues).toHaveLength(1);
    expect(gh.comments).toHaveLength(2);
  });

  it("passes --max-repos on: only the top repositories are audited", async () => {
    gh.host(PORTFOLIO, "monalisa", "newest", { pushedAt: "2026-10-01T10:00:00Z", commits: { monalisa: 3 } });
    gh.host({ "README.md": "# older\n" }, "monalisa", "older", { pushedAt: "2026-01-01T10:00:00Z", commits: { monalisa: 3 } });
    gh.serveTokens().serveComments().serveGraphql().serveTrees().serveTarballs().serveIssues({ create: true }).serveUserRepos("monalisa");
    await app.deliverAndRun(typed("/skillproof audit @monalisa --max-repos 1"));
    expect(gh.issues[0]!.body).toContain("monalisa/newest");
    expect(gh.issues[0]!.body).not.toContain("monalisa/older");
    expect(gh.count("GET /repos/monalisa/older")).toBe(0);
  });
});

describe("a command's time budget", () => {
  it("a command past its budget gets one sentence, not a report and not an apology", async () => {
    const late = await startCommandApp({ budgetMs: 0 });
    gh.host(PORTFOLIO, "octocat", "orders-api", { commits: { octocat: 8 } });
    // No tree or tarball is served: past its deadline the audit reads no content (an unmatched request fails the test).
    gh.serveTokens().serveComments().serveGraphql().serveContributors();
    const outcomes = await late.deliverAndRun(typed("/skillproof audit octocat/orders-api"));
    expect(outcomes).toEqual([{ kind: "problem", problem: "timeout" }]);
    expect(gh.comments).toHaveLength(1);
    expect(gh.comments[0]!.body).toMatch(/^@Codertocat, `\/skillproof audit octocat\/orders-api`: the audit ran out of time \(0 s budget\)/);
    expect(gh.comments[0]!.body).not.toMatch(stack);
  });
});

describe("the portfolio size from this repository's config", () => {
  it("portfolio.maxRepos in .github/skillproof.yml applies when the command has no --max-repos", async () => {
    gh.host(PORTFOLIO, "monalisa", "newest", { pushedAt: "2026-10-01T10:00:00Z", commits: { monalisa: 3 } });
    gh.host({ "README.md": "# older\n" }, "monalisa", "older", { pushedAt: "2026-01-01T10:00:00Z", commits: { monalisa: 3 } });
    gh.serveTokens().serveComments().serveGraphql().serveTrees().serveTarballs().serveIssues({ create: true }).serveUserRepos("monalisa");
    gh.serveConfig("portfolio:\n  maxRepos: 1\n");
    await app.deliverAndRun(typed("/skillproof audit @monalisa"));
    expect(gh.issues[0]!.body).toContain("monalisa/newest");
    expect(gh.issues[0]!.body).not.toContain("monalisa/older");
  });

  it("an invalid config is one sentence with its line", async () => {
    gh.serveTokens().serveComments().serveConfig("portfolio:\n  maxRepos: 50\n");
    const outcomes = await app.deliverAndRun(typed("/skillproof audit @monalisa"));
    expect(outcomes).toEqual([{ kind: "problem", problem: "config" }]);
    expect(gh.comments[0]!.body).toMatch(/^@Codertocat, `\/skillproof audit @monalisa`: this repository's \.github\/skillproof\.yml:2(:\d+)?: .*20/);
  });

  it("a config over 64 KiB is one sentence, refused from its size before it is parsed", async () => {
    gh.serveTokens().serveComments().serveConfig(`# ${"x".repeat(70 * 1024)}\nportfolio:\n  maxRepos: 1\n`);
    const outcomes = await app.deliverAndRun(typed("/skillproof audit @monalisa"));
    expect(outcomes).toEqual([{ kind: "problem", problem: "config" }]);
    expect(gh.comments[0]!.body).toMatch(/skillproof\.yml.*larger than 64 KiB/);
  });
});

describe("problems get one clear sentence", () => {
  const sentence = async (command: string): Promise<string> => {
    const outcomes = await app.deliverAndRun(typed(command));
    expect(outcomes.map((o) => o.kind)).toEqual([expect.stringMatching(/^(problem|refused)$/)]);
    expect(gh.comments).toHaveLength(1);
    const body = gh.comments[0]!.body;
    expect(body).not.toMatch(stack);
    expect(body.split("\n")).toHaveLength(1);
    return body;
  };

  it("an unknown repository", async () => {
    gh.serveTokens().serveComments().serveGraphql();
    expect(await sentence("/skillproof audit octocat/nope")).toBe(
      `@Codertocat, \`/skillproof audit octocat/nope\`: ${UNAVAILABLE}`,
    );
  });

  it("an unknown user", async () => {
    gh.serveTokens().serveComments().serveConfig().serveUserRepos("ghost", false);
    expect(await sentence("/skillproof audit @ghost")).toBe("@Codertocat, `/skillproof audit @ghost`: GitHub user @\u200bghost does not exist.");
  });

  it("a user without public repositories", async () => {
    gh.serveTokens().serveComments().serveConfig().serveUserRepos("newbie");
    expect(await sentence("/skillproof audit @newbie")).toContain("has no public repositories");
  });

  it("an unknown ref", async () => {
    gh.host(PORTFOLIO, "octocat", "orders-api");
    gh.serveTokens().serveComments().serveGraphql();
    expect(await sentence("/skillproof audit octocat/orders-api@nope")).toContain('has no branch, tag or commit "nope"');
  });

  it("GitHub's rate limit, with when it resets", async () => {
    const reset = Math.floor(Date.now() / 1000) + 600;
    gh.serveTokens().serveComments();
    nock(API).post("/graphql").reply(403, { message: "API rate limit exceeded for installation ID 1." }, { "x-ratelimit-remaining": "0", "x-ratelimit-reset": String(reset) });
    const body = await sentence("/skillproof audit octocat/orders-api");
    expect(body).toContain("GitHub's API rate limit is used up. It resets at ");
  });

  it("anything unexpected: a short apology, never a stack trace", async () => {
    const repo = gh.host(PORTFOLIO, "octocat", "orders-api").fake;
    gh.serveTokens().serveComments().serveGraphql().serveTarballs().serveContributors();
    // A tree answer without its `tree`: the source cannot make sense of it (a bug, not a GitHub problem).
    nock(API).get(new RegExp(`^/repos/octocat/orders-api/git/trees/${repo.commitSha}`)).query(true).reply(200, { sha: repo.rootSha, truncated: false });
    const outcomes = await app.deliverAndRun(typed("/skillproof audit octocat/orders-api"));
    expect(outcomes).toEqual([{ kind: "failed" }]);
    expect(gh.comments.map((c) => c.body)).toEqual([
      "@Codertocat, sorry: `/skillproof audit octocat/orders-api` failed on our side. It has been logged; please try again later.",
    ]);
  });
});

describe("targets are read only with the token of the installation where the command was typed", () => {
  it("a private repository of another installation cannot be read this way", async () => {
    // b-org/secret is private; only installation 2 may read it.
    const secret = gh.host(PORTFOLIO, "b-org", "secret", { private: true, installations: [2], commits: { "b-org": 5 } }).fake;
    gh.serveTokens().serveComments().serveGraphql();

    const outcomes = await app.deliverAndRun(typed("/skillproof audit b-org/secret", 1));
    expect(outcomes).toEqual([{ kind: "refused", why: "target" }]);
    expect(gh.comments.map((c) => c.body)).toEqual([`@Codertocat, \`/skillproof audit b-org/secret\`: ${UNAVAILABLE}`]);
    // Every request after installation 1's token was made with that token: never installation 2's, never the app's JWT.
    expect(gh.requestsNotAs(1)).toEqual([]);
    expect(gh.requests.filter((r) => r.path.startsWith("/app/")).map((r) => r.path)).toEqual(["/app/installations/1/access_tokens"]);
    expect(gh.requests.some((r) => r.auth.includes(tokenOf(2)))).toBe(false);
    expect(gh.requests.some((r) => /\/installation$|\/installations$/.test(r.path))).toBe(false);
    expect(secret.graphqlQueries).toEqual([]); // no content was read
  });

  it("the same repository is read when the command is typed in a private thread of its owner, in the installation that can read it (the control)", async () => {
    gh = new CommandGitHub({ owner: "b-org", repo: "hiring" });
    gh.host(PORTFOLIO, "b-org", "secret", { private: true, installations: [2], commits: { "b-org": 5 } });
    gh.serveTokens().serveComments().serveGraphql().serveTrees().serveTarballs().serveContributors();
    gh.servePermission("Codertocat", "admin").serveReaction(8999);
    nock(API).get("/repos/b-org/secret/collaborators/Codertocat/permission").reply(200, { permission: "read", role_name: "read" });
    const outcomes = await app.deliverAndRun(commentPayload("/skillproof audit b-org/secret", { installationId: 2, commentId: 8999, repository: { owner: "b-org", name: "hiring", visibility: "private" } }));
    expect(outcomes[0]?.kind).toBe("repo-report");
    expect(gh.requestsNotAs(2)).toEqual([]);
  });
});
