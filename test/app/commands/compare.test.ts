import { beforeEach, describe, expect, it } from "vitest";
import { shortlistMarker } from "../../../src/app/publish/shortlistIssue.js";
import { UNAVAILABLE } from "../../../src/app/commands/target.js";
import { commentPayload, startCommandApp, type CommandApp } from "../../fixtures/commands/app.js";
import { CommandGitHub } from "../../fixtures/commands/github.js";
import { useNock } from "../../helpers/nock.js";

let app: CommandApp;
let gh: CommandGitHub;
useNock({ noUnmatched: true });
beforeEach(async () => {
  app = await startCommandApp();
  gh = new CommandGitHub();
});

let nextComment = 17000;
/** A comment by an admin of Codertocat/Hello-World (public), in installation 1. */
function typed(body: string) {
  const commentId = nextComment++;
  gh.servePermission("Codertocat", "admin").serveReaction(commentId);
  return commentPayload(body, { commentId });
}

/** A Node.js service on Express with tests: backend-node's required stack is there. */
const EXPRESS_SERVICE: Record<string, string> = {
  "package.json": JSON.stringify({ name: "svc", dependencies: { express: "^4.19.0", pg: "^8.11.0" }, devDependencies: { vitest: "^1.0.0" } }, null, 2),
  "src/server.js": "const express = require('express');\nconst app = express();\napp.get('/health', (req, res) => res.json({ ok: true }));\nmodule.exports = app;\n",
  "test/server.test.js": "const app = require('../src/server');\ntest('health', () => { expect(app).toBeDefined(); });\n",
  "README.md": "# svc\n\nRun `npm start`.\n",
};

/** A Python script: no Node.js stack at all. */
const PYTHON_SCRIPT: Record<string, string> = {
  "main.py": "print('hello')\n",
  "README.md": "# script\n",
};

const serveAudit = () => gh.serveTokens().serveComments().serveGraphql().serveTrees().serveTarballs().serveContributors();

describe("/skillproof audit … --role", () => {
  it("adds the role section to the repository reply", async () => {
    gh.host(EXPRESS_SERVICE, "octocat", "svc");
    serveAudit().serveConfig();
    const [outcome] = await app.deliverAndRun(typed("/skillproof audit octocat/svc --role backend-node"));
    expect(outcome?.kind).toBe("repo-report");
    const body = gh.comments[0]!.body;
    expect(body.startsWith("@Codertocat, here is the result of `/skillproof audit octocat/svc --role backend-node`:")).toBe(true);
    expect(body).toMatch(/### Role fit: Backend developer \(Node\.js\) · \d+\/100/);
    expect(body).toContain("Express/NestJS/Fastify");
  });

  it("an unknown role is one sentence, before any read of the target", async () => {
    const repo = gh.host(EXPRESS_SERVICE, "octocat", "svc").fake;
    // No GraphQL, tree or tarball served: any read of the target would be an unmatched request and fail the test.
    gh.serveTokens().serveComments().serveConfig();
    const outcomes = await app.deliverAndRun(typed("/skillproof audit octocat/svc --role backend-cobol"));
    expect(outcomes).toEqual([{ kind: "problem", problem: "role" }]);
    expect(gh.comments).toHaveLength(1);
    expect(gh.comments[0]!.body).toMatch(/^@Codertocat, `\/skillproof audit octocat\/svc --role backend-cobol`: there is no role "backend-cobol" \(known: .*backend-node.*\)/);
    expect(gh.requests.some((r) => r.path === "/graphql")).toBe(false);
    expect(repo.graphqlQueries).toEqual([]);
  });

  it("a role the hiring repository defines under roles: is used by its id", async () => {
    gh.host(EXPRESS_SERVICE, "octocat", "svc");
    const config = [
      "roles:",
      "  - id: express-team",
      "    title: Express team",
      "    summary: Our Express services.",
      "    skills: { testing: 2, api: 2 }",
      "    stack:",
      "      - name: Express",
      "        level: required",
      "        match: { dependency: { ecosystems: [npm], names: [express] } }",
      "",
    ].join("\n");
    serveAudit().serveConfig(config);
    const [outcome] = await app.deliverAndRun(typed("/skillproof audit octocat/svc --role express-team"));
    expect(outcome?.kind).toBe("repo-report");
    expect(gh.comments[0]!.body).toMatch(/### Role fit: Express team · \d+\/100/);
  });
});

describe("/skillproof audit @user --role", () => {
  it("writes the role section, each stack item naming its repository, into the portfolio issue", async () => {
    gh.host(EXPRESS_SERVICE, "monalisa", "svc", { commits: { monalisa: 12 } });
    gh.serveTokens().serveComments().serveGraphql().serveTrees().serveTarballs().serveIssues({ create: true }).serveUserRepos("monalisa").serveConfig();
    const [outcome] = await app.deliverAndRun(typed("/skillproof audit @monalisa --role backend-node"));
    expect(outcome).toMatchObject({ kind: "portfolio-issue", outcome: "created" });
    const body = gh.issues[0]!.body;
    expect(body).toMatch(/### Role fit: Backend developer \(Node\.js\) · \d+\/100/);
    expect(body).toContain("monalisa/svc");
    // The footer stays last.
    expect(body.indexOf("### Role fit")).toBeLessThan(body.lastIndexOf("\n---\n"));
  });
});

describe("/skillproof compare … --role", () => {
  it("writes one shortlist issue for the role, best fit first, links it, and updates it in place when run again", async () => {
    gh.host(EXPRESS_SERVICE, "octocat", "svc-a");
    gh.host(PYTHON_SCRIPT, "monalisa", "svc-b");
    // A person's issue with the same title and label is not the app's.
    gh.issues.push({ number: 1, title: "Skillproof shortlist: backend-node", body: "my notes", state: "open", labels: ["skillproof"], user: { login: "Codertocat", type: "User" } });
    serveAudit().serveConfig().serveIssues({ create: true, update: true });

    const [first] = await app.deliverAndRun(typed("/skillproof compare monalisa/svc-b octocat/svc-a --role backend-node"));
    expect(first).toEqual({ kind: "shortlist-issue", issue: 2, outcome: "created", candidates: 2 });
    expect(gh.issues).toHaveLength(2);
    const issue = gh.issues[1]!;
    expect(issue.title).toBe("Skillproof shortlist: backend-node");
    expect(issue.labels).toEqual(["skillproof"]);
    expect(issue.body.startsWith(`${shortlistMarker("backend-node")}\n## Skillproof shortlist: Backend developer (Node.js)`)).toBe(true);
    const firstBody = issue.body;
    const rows = issue.body.split("\n").filter((l) => /^\| \d+ \|/.test(l));
    expect(rows).toHaveLength(2);
    // The Express service fits backend-node better than the Python script: first, whatever the order typed.
    expect(rows[0]).toMatch(/^\| 1 \| octocat\/svc-a \| \*\*\d+\*\* \|/);
    expect(rows[1]).toMatch(/^\| 2 \| monalisa\/svc-b \|/);
    expect(gh.comments.map((c) => c.body)).toEqual(["@Codertocat, the shortlist for `backend-node` is in a new issue: #2. https://github.com/Codertocat/Hello-World/issues/2"]);

    // The weaker candidate improved: the same command updates the same issue.
    gh.host({ ...PYTHON_SCRIPT, ...EXPRESS_SERVICE }, "monalisa", "svc-b");
    const [second] = await app.deliverAndRun(typed("/skillproof compare monalisa/svc-b octocat/svc-a --role backend-node"));
    expect(second).toEqual({ kind: "shortlist-issue", issue: 2, outcome: "updated", candidates: 2 });
    expect(gh.issues).toHaveLength(2);
    expect(gh.issues[1]!.body).not.toBe(firstBody);
    expect(gh.issues[1]!.body.startsWith(shortlistMarker("backend-node"))).toBe(true);
    expect(gh.comments[1]!.body).toBe("@Codertocat, the shortlist for `backend-node` is in: #2 (updated). https://github.com/Codertocat/Hello-World/issues/2");
    const writes = gh.requests.filter((r) => r.method !== "GET" && /^\/repos\/Codertocat\/Hello-World\/(issues|labels)(\/\d+)?$/.test(r.path));
    expect(writes.map((r) => `${r.method} ${r.path}`)).toEqual([
      "POST /repos/Codertocat/Hello-World/labels",
      "POST /repos/Codertocat/Hello-World/issues",
      "PATCH /repos/Codertocat/Hello-World/issues/2",
    ]);
  });

  it("a private candidate in a public thread is a row with the one sentence, and none of its content is read", async () => {
    gh.host(EXPRESS_SERVICE, "octocat", "svc-a");
    // Readable by this installation, but private: the thread (public) may not show it.
    const secret = gh.host(EXPRESS_SERVICE, "b-org", "secret", { private: true, installations: [1], commits: { "b-org": 5 } }).fake;
    serveAudit().serveConfig().serveIssues({ create: true });

    const [outcome] = await app.deliverAndRun(typed("/skillproof compare b-org/secret octocat/svc-a --role backend-node"));
    expect(outcome).toMatchObject({ kind: "shortlist-issue", outcome: "created", candidates: 2 });
    const body = gh.issues[0]!.body;
    const rows = body.split("\n").filter((l) => /^\| \d+ \|/.test(l));
    expect(rows[0]).toMatch(/^\| 1 \| octocat\/svc-a \| \*\*\d+\*\* \|/);
    expect(rows[1]).toMatch(/^\| 2 \| b-org\/secret \| – \| – \| – \| – \| – \| ❌ /);
    expect(rows[1]).toContain("this repository was not found, or it cannot be audited here");
    expect(UNAVAILABLE.startsWith("this repository was not found, or it cannot be audited here")).toBe(true);
    expect(secret.graphqlQueries).toEqual([]); // no content was read
    expect(gh.requests.some((r) => r.path.startsWith("/repos/b-org/secret"))).toBe(false); // no tree, no tarball, no permission read
  });

  it("an unknown role is one sentence and no candidate is read", async () => {
    gh.serveTokens().serveComments().serveConfig();
    const outcomes = await app.deliverAndRun(typed("/skillproof compare @a @b --role wizard"));
    expect(outcomes).toEqual([{ kind: "problem", problem: "role" }]);
    expect(gh.comments[0]!.body).toMatch(/^@Codertocat, `\/skillproof compare @a @b --role wizard`: there is no role "wizard"/);
    expect(gh.requests.filter((r) => r.path === "/graphql" || r.path.startsWith("/users/"))).toEqual([]);
  });
});

describe("compare against the caps", () => {
  it("counts as one command, whatever its candidates: a second command in the comment is what goes over", async () => {
    const capped = await startCommandApp({ caps: { commenterPerHour: 1 } });
    await capped.deliver(commentPayload("/skillproof compare @a @b @c @d @e --role platform\n/skillproof audit @f", { commentId: 18001 }));
    expect(capped.enqueued.map((e) => e.job.command.kind)).toEqual(["compare"]);
    expect(capped.notices.map((n) => n.job.notice.kind)).toEqual(["limit"]);
  });
});
