import { describe, expect, it } from "vitest";
import { sendWebhook, startAppProcess } from "../../../scripts/app-process.js";
import { StandInRepo, startGitHubStandIn } from "../../../scripts/github-standin.js";
import { shortlistMarker } from "../../../src/app/publish/shortlistIssue.js";
import { commentPayload } from "../../fixtures/commands/app.js";
import { until, useBuiltApp } from "../../helpers/builtApp.js";

/**
 * The shortlist end to end: the built app (`npm start`'s dist/app/server.js)
 * against the loopback GitHub stand-in. One `/skillproof compare` comment in
 * acme/hiring makes one "Skillproof shortlist: backend-node" issue there; the
 * same command again updates that issue in place (no second issue).
 */

const { running, standIns } = useBuiltApp();

const INSTALLATION = 1;
const WRITER = "writer";

const SVC_A = {
  "package.json": JSON.stringify({ name: "svc-a", dependencies: { express: "^4.19.0", pg: "^8.11.0" }, devDependencies: { vitest: "^1.0.0" } }, null, 2),
  "src/server.js": "const express = require('express');\nconst app = express();\napp.get('/health', (req, res) => res.json({ ok: true }));\nmodule.exports = app;\n",
  "test/server.test.js": "const app = require('../src/server');\ntest('health', () => { expect(app).toBeDefined(); });\n",
  "README.md": "# svc-a\n",
};
const SVC_B = { "main.py": "print('hello')\n", "README.md": "# svc-b\n" };

describe("/skillproof compare through the built app", () => {
  it("one command makes one shortlist issue; the same command again updates it in place", { timeout: 120_000 }, async () => {
    const hiring = new StandInRepo({ owner: "acme", repo: "hiring", installationId: INSTALLATION, files: { "README.md": "# hiring\n" }, collaborators: { [WRITER]: "write" } });
    const svcA = new StandInRepo({ owner: "acme", repo: "svc-a", installationId: INSTALLATION, files: SVC_A });
    const svcB = new StandInRepo({ owner: "acme", repo: "svc-b", installationId: INSTALLATION, files: SVC_B });
    const gh = await startGitHubStandIn({ repos: [hiring, svcA, svcB], latencyMs: 2 });
    standIns.push(gh);
    const app = await startAppProcess({ githubHost: gh.host, env: { SKILLPROOF_THREADS: "1" } });
    running.push(app);
    const diagnose = () => `requests: ${gh.log.map((e) => `${e.method} ${e.path}`).join(", ")}\ncomments: ${JSON.stringify(hiring.comments)}\n${app.output.slice(-3000)}`;
    const typed = (commentId: number) =>
      commentPayload("/skillproof compare acme/svc-a acme/svc-b --role backend-node", {
        installationId: INSTALLATION,
        commentId,
        sender: { login: WRITER, type: "User" },
        repository: { owner: "acme", name: "hiring", visibility: "public" },
      });

    expect((await sendWebhook(app.url, "issue_comment", typed(8101))).status).toBe(200);
    await until("the first reply", () => hiring.comments.length > 0, 90_000, diagnose);
    expect(hiring.issues).toHaveLength(1);
    const issue = hiring.issues[0]!;
    expect(issue.title).toBe("Skillproof shortlist: backend-node");
    expect(issue.labels).toEqual(["skillproof"]);
    expect(issue.body.startsWith(`${shortlistMarker("backend-node")}\n## Skillproof shortlist: `)).toBe(true);
    const firstBody = issue.body;
    const rows = issue.body.split("\n").filter((l: string) => /^\| \d+ \|/.test(l));
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatch(/^\| 1 \| acme\/svc-a \| \*\*\d+\*\* \|/);
    expect(rows[1]).toMatch(/^\| 2 \| acme\/svc-b \| \*\*\d+\*\* \|/);
    expect(hiring.comments[0]!.body).toBe("@writer, the shortlist for `backend-node` is in a new issue: #1. https://github.com/acme/hiring/issues/1");

    // svc-b gains a Node.js service: the same command again rewrites the same issue.
    svcB.addCommit({ ...SVC_B, ...SVC_A });
    expect((await sendWebhook(app.url, "issue_comment", typed(8102))).status).toBe(200);
    await until("the second reply", () => hiring.comments.length > 1, 90_000, diagnose);
    expect(hiring.issues).toHaveLength(1);
    expect(hiring.comments[1]!.body).toBe("@writer, the shortlist for `backend-node` is in: #1 (updated). https://github.com/acme/hiring/issues/1");
    expect(hiring.issues[0]!.body).not.toBe(firstBody);
    expect(hiring.issues[0]!.body.startsWith(shortlistMarker("backend-node"))).toBe(true);
    expect(gh.log.filter((e) => e.method === "POST" && e.path === "/api/v3/repos/acme/hiring/issues")).toHaveLength(1);
    expect(gh.log.filter((e) => e.method === "PATCH" && e.path === "/api/v3/repos/acme/hiring/issues/1")).toHaveLength(1);
    expect(app.child.exitCode).toBeNull();
  });
});
