import { afterAll, afterEach, describe, expect, it } from "vitest";
import { startApp, stopTestRedis, type TestApp } from "../../fixtures/app/harness.js";
import { commentPayload } from "../../fixtures/commands/app.js";
import { CommandGitHub } from "../../fixtures/commands/github.js";
import { PORTFOLIO } from "../../fixtures/commands/repos.js";
import { useNock } from "../../helpers/nock.js";

/**
 * The command as the deployed app runs it: registered by createApp, queued
 * as a "comment-command" job on the app's own queue, run by the job registry.
 */
describe("the comment command inside the app", () => {
  let app: TestApp | undefined;
  useNock();
  // Registered after useNock, so (hooks run last-in, first-out) the app is closed before the mocks are checked.
  afterEach(async () => {
    await app?.close();
  });
  afterAll(async () => {
    await stopTestRedis();
  });

  it("reacts, queues the audit on the app's queue and replies with the report", async () => {
    app = await startApp();
    const gh = new CommandGitHub();
    gh.host(PORTFOLIO, "octocat", "orders-api", { commits: { octocat: 8, hubot: 2 } });
    gh.serveTokens().serveComments().serveGraphql().serveTrees().serveTarballs().serveContributors();
    gh.servePermission("Codertocat", "admin").serveReaction(9001);

    await app.deliverAndWait("issue_comment", commentPayload("Could you check this one?\n/skillproof audit octocat/orders-api", { commentId: 9001 }));

    expect(gh.comments).toHaveLength(1);
    expect(gh.comments[0]!.body).toMatch(/^@Codertocat, here is the result of `\/skillproof audit octocat\/orders-api`:\n\n## Skillproof report: \d+\/100/);
  });
});
