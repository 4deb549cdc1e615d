import nock from "nock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { UNAVAILABLE } from "../../src/app/commands/target.js";
import { commentPayload } from "../fixtures/commands/app.js";
import { API, CommandGitHub } from "../fixtures/commands/github.js";
import { startCommandsInApp } from "../fixtures/commands/inApp.js";
import { PORTFOLIO } from "../fixtures/commands/repos.js";
import { useNock } from "../helpers/nock.js";

/**
 * Finding 1: a writer on acme/hiring typed `/skillproof audit acme/payroll`
 * (a private repository of the same installation) and the reply in the
 * hiring thread held payroll's paths and evidence, a password among them.
 * Through the whole app: webhook → caps → queue → job → reply.
 */
const SECRET = "db_password = hunter2-payroll";
const PAYROLL = { ...PORTFOLIO, "config/payroll.yml": `${SECRET}\n`, "payroll/Dockerfile": "FROM node:20\n" };

let gh: CommandGitHub;
let inApp: Awaited<ReturnType<typeof startCommandsInApp>>;
useNock({ noUnmatched: true });
beforeEach(async () => {
  gh = new CommandGitHub({ owner: "acme", repo: "hiring" });
  gh.host(PAYROLL, "acme", "payroll", { private: true, installations: [1], commits: { alice: 5 } });
  // No tree, tarball or contributors endpoint unless a test serves them: a read of payroll's content would be an unmatched request, which fails the test.
  gh.serveTokens().serveComments().serveGraphql();
  gh.servePermission("writer", "write").serveReaction(77);
  inApp = await startCommandsInApp();
});
afterEach(async () => {
  await inApp.close();
});

const comment = 77;
function typed(body: string, visibility: "public" | "private" | "internal") {
  return commentPayload(body, { commentId: comment, sender: { login: "writer", type: "User" }, repository: { owner: "acme", name: "hiring", visibility } });
}

/** Requests that read payroll's content: its tree, tarball, files (GraphQL blob reads name it in variables). */
function payrollContentReads(): string[] {
  return gh.requests.filter((r) => /^\/repos\/acme\/payroll\/(git|tarball|contents|zipball)/.test(r.path)).map((r) => `${r.method} ${r.path}`);
}

async function run(body: string, visibility: "public" | "private" | "internal"): Promise<void> {
  await inApp.deliver(typed(body, visibility));
  await inApp.queue.onIdle();
}

describe("a private repository's report stays with its audience", () => {
  it("a writer on acme/hiring without access to acme/payroll: one sentence, nothing of payroll read or shown", async () => {
    nock(API).get("/repos/acme/payroll/collaborators/writer/permission").reply(404, { message: "Not Found" });
    await run("/skillproof audit acme/payroll", "private");
    expect(gh.comments.map((c) => c.body)).toEqual([`@writer, \`/skillproof audit acme/payroll\`: ${UNAVAILABLE}`]);
    expect(payrollContentReads()).toEqual([]);
    expect(gh.requests.some((r) => r.path === "/repos/acme/payroll/contributors")).toBe(false);
  });

  it("a public thread never gets a private repository's report, even for an admin of it (no permission read needed)", async () => {
    await run("/skillproof audit acme/payroll", "public");
    expect(gh.comments.map((c) => c.body)).toEqual([`@writer, \`/skillproof audit acme/payroll\`: ${UNAVAILABLE}`]);
    expect(gh.comments[0]!.body).not.toContain("hunter2");
    expect(payrollContentReads()).toEqual([]);
  });

  it("an internal thread (readable by the whole enterprise) does not get it either", async () => {
    await run("/skillproof audit acme/payroll", "internal");
    expect(gh.comments.map((c) => c.body)).toEqual([`@writer, \`/skillproof audit acme/payroll\`: ${UNAVAILABLE}`]);
    expect(payrollContentReads()).toEqual([]);
  });

  it("a missing repository gets the very same sentence (no oracle for private names)", async () => {
    await run("/skillproof audit acme/nothing-here", "public");
    expect(gh.comments.map((c) => c.body)).toEqual([`@writer, \`/skillproof audit acme/nothing-here\`: ${UNAVAILABLE}`]);
  });

  it("the control: a reader of payroll, in a private thread of the same owner, gets the report", async () => {
    nock(API).get("/repos/acme/payroll/collaborators/writer/permission").reply(200, { permission: "read", role_name: "read" });
    gh.serveTrees().serveTarballs().serveContributors();
    await run("/skillproof audit acme/payroll", "private");
    expect(gh.comments).toHaveLength(1);
    expect(gh.comments[0]!.body).toMatch(/^@writer, here is the result of `\/skillproof audit acme\/payroll`:\n\n## Skillproof report: /);
    expect(payrollContentReads().length).toBeGreaterThan(0);
  });

  it("a portfolio skips the user's private repositories: none of their content is read", async () => {
    gh.host(PORTFOLIO, "alice", "public-app", { commits: { alice: 9 } });
    gh.serveConfig();
    nock(API)
      .get("/users/alice/repos")
      .query(true)
      .reply(200, [
        { name: "public-app", owner: { login: "alice", node_id: "U_alice" }, fork: false, archived: false, private: false, pushed_at: "2026-10-01T10:00:00Z", stargazers_count: 1, size: 12, default_branch: "main" },
        { name: "payroll", owner: { login: "alice", node_id: "U_alice" }, fork: false, archived: false, private: true, pushed_at: "2026-10-02T10:00:00Z", stargazers_count: 9, size: 12, default_branch: "main" },
      ]);
    gh.serveIssues({ create: true }).serveTrees().serveTarballs();
    await run("/skillproof audit @alice", "public");
    expect(gh.issues).toHaveLength(1);
    expect(gh.issues[0]!.body).not.toContain("payroll");
    expect(gh.requests.filter((r) => r.path.startsWith("/repos/alice/payroll")).map((r) => r.path)).toEqual([]);
  });
});
