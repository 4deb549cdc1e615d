import nock from "nock";
import { beforeEach, describe, expect, it } from "vitest";
import { COMMENT_COMMAND_JOB } from "../../../src/app/commands/index.js";
import { USAGE } from "../../../src/app/commands/parse.js";
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

const COMMENT_ID = 492700400;
const command = "/skillproof audit octocat/orders-api";

describe("who may run a command", () => {
  it.each([
    ["admin", "admin"],
    ["write", "write"],
    ["write", "maintain"],
  ] as const)("permission %s (role %s): 👀 at once, the command queued as data, no reply yet", async (permission, role) => {
    gh.serveTokens().servePermission("Codertocat", permission, role).serveReaction(COMMENT_ID);
    await app.deliver(commentPayload(`Please check this candidate.\n${command}`), "delivery-1");
    expect(gh.reactions).toEqual([{ comment: COMMENT_ID, content: "eyes" }]);
    expect(gh.comments).toEqual([]);
    expect(app.enqueued).toEqual([
      {
        key: `${COMMENT_COMMAND_JOB}:codertocat/hello-world#${COMMENT_ID}:octocat/orders-api@#`,
        deliveryId: "delivery-1",
        job: {
          installationId: 1,
          owner: "Codertocat",
          repo: "Hello-World",
          issueNumber: 1,
          commentId: COMMENT_ID,
          requestedBy: "Codertocat",
          command: { kind: "repo", owner: "octocat", repo: "orders-api" },
        },
      },
    ]);
    // The handler's only requests: the token, the permission, the reaction.
    expect(gh.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      "POST /app/installations/1/access_tokens",
      "GET /repos/Codertocat/Hello-World/collaborators/Codertocat/permission",
      "POST /repos/Codertocat/Hello-World/issues/comments/492700400/reactions",
    ]);
  });

  it.each([
    ["read", "read", "read permission"],
    ["read", "triage", "triage permission"],
    ["none", "none", "no role"],
    [undefined, undefined, "no role"],
  ] as const)("permission %s (role %s): one polite reply saying who may run it, nothing queued", async (permission, role, says) => {
    gh.serveTokens().servePermission("Codertocat", permission, role).serveComments();
    await app.deliver(commentPayload(command));
    expect(gh.reactions).toEqual([]);
    expect(app.enqueued).toEqual([]);
    expect(gh.comments).toHaveLength(1);
    expect(gh.comments[0]!.body).toBe(
      `@Codertocat, sorry: only people with write, maintain or admin permission on this repository can run \`/skillproof\` commands (you have ${says}). Please ask a maintainer to run it for you.`,
    );
  });

  it.each([
    ["a GitHub App (type Bot)", { login: "skillproof[bot]", type: "Bot" as const }],
    ["a [bot] login", { login: "renovate[bot]", type: "User" as const }],
  ])("ignores comments by %s without a single request", async (_, sender) => {
    await app.deliver(commentPayload(command, { sender }));
    expect(gh.requests).toEqual([]);
    expect(app.enqueued).toEqual([]);
  });

  it("works in a pull request's conversation too", async () => {
    gh.serveTokens().servePermission("Codertocat", "write").serveReaction(COMMENT_ID);
    await app.deliver(commentPayload(command, { pullRequest: true }));
    expect(app.enqueued.map((e) => e.job.issueNumber)).toEqual([1]);
  });
});

describe("what the handler reads from a comment", () => {
  it("does nothing at all for a comment without a command, or one quoting or showing a command", async () => {
    for (const body of ["LGTM, merging.", `> ${command}\nThanks, that worked`, "```\n/skillproof audit a/b\n```", "Type `/skillproof audit owner/repo`"]) {
      await app.deliver(commentPayload(body));
    }
    expect(gh.requests).toEqual([]);
    expect(app.enqueued).toEqual([]);
  });

  it("answers a malformed command with the usage line, and queues nothing", async () => {
    gh.serveTokens().servePermission("Codertocat", "admin").serveComments();
    await app.deliver(commentPayload("/skillproof audit octocat"));
    expect(gh.reactions).toEqual([]);
    expect(app.enqueued).toEqual([]);
    expect(gh.comments.map((c) => c.body)).toEqual([
      `@Codertocat, I could not read this command:\n- \`/skillproof audit octocat\`: "octocat" is neither owner/repo nor @user.\n\n${USAGE}`,
    ]);
  });

  it("queues each valid command of a comment (at most 3) and says in one reply what did not run", async () => {
    gh.serveTokens().servePermission("Codertocat", "write").serveReaction(COMMENT_ID).serveComments();
    const body = [
      "Two candidates for the backend role:",
      "/skillproof audit octocat/orders-api for @monalisa",
      "/skillproof audit @monalisa --max-repos 4",
      "/skillproof audit @monalisa --max-repos 4",
      "/skillproof review octocat/orders-api",
      "/skillproof audit hubot/api@v2",
      "/skillproof audit hubot/web",
    ].join("\n");
    await app.deliver(commentPayload(body));
    expect(app.enqueued.map((e) => e.job.command)).toEqual([
      { kind: "repo", owner: "octocat", repo: "orders-api", candidate: "monalisa" },
      { kind: "portfolio", user: "monalisa", maxRepos: 4 },
      { kind: "repo", owner: "hubot", repo: "api", ref: "v2" },
    ]);
    expect(new Set(app.enqueued.map((e) => e.key)).size).toBe(3);
    expect(gh.reactions).toHaveLength(1);
    expect(gh.comments).toHaveLength(1);
    expect(gh.comments[0]!.body).toContain('- `/skillproof review octocat/orders-api`: unknown verb "review".');
    expect(gh.comments[0]!.body).toContain(USAGE);
    expect(gh.comments[0]!.body).toContain("Only the first 3 commands of a comment run; not run: `/skillproof audit hubot/web`.");
  });

  it("handles a comment once: a redelivery of the same comment neither reacts nor queues again", async () => {
    gh.serveTokens().servePermission("Codertocat", "write").serveReaction(COMMENT_ID);
    await app.deliver(commentPayload(command));
    await app.deliver(commentPayload(command));
    expect(app.enqueued).toHaveLength(1);
    expect(gh.reactions).toHaveLength(1);
  });

  it("still queues the command when the reaction fails", async () => {
    gh.serveTokens().servePermission("Codertocat", "write");
    nock("https://api.github.com").post(`/repos/Codertocat/Hello-World/issues/comments/${COMMENT_ID}/reactions`).reply(403, { message: "Resource not accessible by integration" });
    await app.deliver(commentPayload(command));
    expect(app.enqueued).toHaveLength(1);
  });

  it("says sorry, in one reply, when the permission check itself fails", async () => {
    gh.serveTokens().serveComments();
    nock("https://api.github.com").get("/repos/Codertocat/Hello-World/collaborators/Codertocat/permission").reply(502, { message: "Bad Gateway" });
    await app.deliver(commentPayload(command));
    expect(app.enqueued).toEqual([]);
    expect(gh.comments.map((c) => c.body)).toEqual([
      "@Codertocat, sorry: your `/skillproof` command could not be handled just now. It has been logged; please try again later.",
    ]);
  });
});
