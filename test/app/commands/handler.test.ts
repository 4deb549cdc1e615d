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

describe("the webhook handler", () => {
  it("queues the command as data and makes no GitHub request: the 👀 and the permission read wait for the job", async () => {
    await app.deliver(commentPayload(`Please check this candidate.\n${command}`), "delivery-1");
    expect(gh.requests).toEqual([]);
    expect(nock.pendingMocks()).toEqual([]);
    expect(app.enqueued).toEqual([
      {
        key: `${COMMENT_COMMAND_JOB}:codertocat/hello-world#${COMMENT_ID}:octocat/orders-api@#`,
        deliveryId: "delivery-1",
        job: {
          installationId: 1,
          owner: "Codertocat",
          repo: "Hello-World",
          threadVisibility: "public",
          issueNumber: 1,
          commentId: COMMENT_ID,
          requestedBy: "Codertocat",
          command: { kind: "repo", owner: "octocat", repo: "orders-api" },
          lead: { malformed: [], dropped: [] },
        },
      },
    ]);
  });

  it.each([
    ["a GitHub App (type Bot)", { login: "skillproof[bot]", type: "Bot" as const }],
    ["a [bot] login", { login: "renovate[bot]", type: "User" as const }],
  ])("ignores comments by %s", async (_, sender) => {
    await app.deliver(commentPayload(command, { sender }));
    expect(gh.requests).toEqual([]);
    expect(app.enqueued).toEqual([]);
  });

  it("does nothing at all for a comment without a command, or one quoting or showing a command", async () => {
    for (const body of ["LGTM, merging.", `> ${command}\nThanks, that worked`, "```\n/skillproof audit a/b\n```", "Type `/skillproof audit owner/repo`"]) {
      await app.deliver(commentPayload(body));
    }
    expect(app.enqueued).toEqual([]);
    expect(app.notices).toEqual([]);
  });

  it("handles a comment once: a redelivery queues nothing more", async () => {
    await app.deliver(commentPayload(command));
    await app.deliver(commentPayload(command));
    expect(app.enqueued).toHaveLength(1);
  });

  it("queues each valid command (at most 3); the first job carries what did not run", async () => {
    const body = [
      "/skillproof audit octocat/orders-api for @monalisa",
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
    expect(app.enqueued.map((e) => e.job.lead !== undefined)).toEqual([true, false, false]);
    expect(app.enqueued[0]!.job.lead!.dropped).toEqual([{ kind: "repo", owner: "hubot", repo: "web" }]);
    expect(gh.requests).toEqual([]);
  });
});

describe("the job: who may run a command", () => {
  it.each([
    ["admin", "admin"],
    ["write", "write"],
    ["write", "maintain"],
  ] as const)("permission %s (role %s): 👀, then the command runs", async (permission, role) => {
    gh.serveTokens().servePermission("Codertocat", permission, role).serveReaction(COMMENT_ID).serveComments();
    nock("https://api.github.com").post("/graphql").reply(200, { data: { r0: null }, errors: [{ type: "NOT_FOUND", path: ["r0"], message: "Could not resolve" }] });
    await app.deliverAndRun(commentPayload(command));
    expect(gh.reactions).toEqual([{ comment: COMMENT_ID, content: "eyes" }]);
    expect(gh.comments).toHaveLength(1);
  });

  it.each([
    ["read", "read", "read permission"],
    ["read", "triage", "triage permission"],
    ["none", "none", "no role"],
    [undefined, undefined, "no role"],
  ] as const)("permission %s (role %s): one polite reply per comment, nothing read, no 👀", async (permission, role, says) => {
    gh.serveTokens().serveComments();
    nock("https://api.github.com")
      .get("/repos/Codertocat/Hello-World/collaborators/Codertocat/permission")
      .times(2)
      .reply(permission === undefined ? 404 : 200, permission === undefined ? { message: "Not Found" } : { permission, role_name: role ?? permission });
    const outcomes = await app.deliverAndRun(commentPayload(`${command}\n/skillproof audit octocat/other`));
    expect(outcomes).toEqual([
      { kind: "refused", why: "permission" },
      { kind: "refused", why: "permission" },
    ]);
    expect(gh.reactions).toEqual([]);
    expect(gh.comments.map((c) => c.body)).toEqual([
      `@Codertocat, sorry: only people with write, maintain or admin permission on this repository can run \`/skillproof\` commands (you have ${says}). Please ask a maintainer to run it for you.`,
    ]);
  });

  it("answers a comment with only a malformed command with the usage line, after the permission read", async () => {
    gh.serveTokens().servePermission("Codertocat", "admin").serveComments();
    await app.deliverAndRun(commentPayload("/skillproof audit octocat"));
    expect(app.enqueued).toEqual([]);
    expect(gh.reactions).toEqual([]);
    expect(gh.comments.map((c) => c.body)).toEqual([
      `@Codertocat, I could not read this command:\n- \`/skillproof audit octocat\`: "octocat" is neither owner/repo nor @\u200buser.\n\n${USAGE}`,
    ]);
  });

  it("still runs the command when the reaction fails", async () => {
    gh.serveTokens().servePermission("Codertocat", "write").serveComments();
    nock("https://api.github.com").post(`/repos/Codertocat/Hello-World/issues/comments/${COMMENT_ID}/reactions`).reply(403, { message: "Resource not accessible by integration" });
    nock("https://api.github.com").post("/graphql").reply(200, { data: { r0: null }, errors: [{ type: "NOT_FOUND", path: ["r0"], message: "Could not resolve" }] });
    const [outcome] = await app.deliverAndRun(commentPayload(command));
    expect(outcome).toEqual({ kind: "refused", why: "target" });
  });

  it("says sorry, in one reply, when the permission read itself fails", async () => {
    gh.serveTokens().serveComments();
    nock("https://api.github.com").get("/repos/Codertocat/Hello-World/collaborators/Codertocat/permission").reply(502, { message: "Bad Gateway" });
    await app.deliverAndRun(commentPayload(command));
    expect(gh.comments.map((c) => c.body)).toEqual(["@Codertocat, sorry: `/skillproof audit octocat/orders-api` failed on our side. It has been logged; please try again later."]);
  });
});
