import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DEFAULT_COMMAND_CAPS } from "../../src/app/commands/limits.js";
import { commentPayload } from "../fixtures/commands/app.js";
import { CommandGitHub } from "../fixtures/commands/github.js";
import { startCommandsInApp } from "../fixtures/commands/inApp.js";
import { PORTFOLIO } from "../fixtures/commands/repos.js";
import { useNock } from "../helpers/nock.js";

/**
 * Finding 5: 1,000 `issue_comment` webhooks from one writer (three commands
 * each) queued 2,947 jobs, and each webhook answer waited for the permission
 * read and the 👀 in the installation's write lane. Through the whole app,
 * with its queue held shut while the webhooks arrive: every GitHub request
 * seen then was made by a webhook handler.
 */
let gh: CommandGitHub;
let inApp: Awaited<ReturnType<typeof startCommandsInApp>>;
useNock({ noUnmatched: true });
beforeEach(async () => {
  gh = new CommandGitHub();
  inApp = await startCommandsInApp();
});
afterEach(async () => {
  await inApp.close();
});

const FLOOD = 1_000;
const body = ["/skillproof audit octocat/orders-api", "/skillproof audit octocat/orders-api@main", "/skillproof audit octocat/orders-api for @hubot"].join("\n");

describe("a flood of commands from one writer", () => {
  it("queues no more jobs than the caps, answers every webhook without a GitHub request, and says so once", async () => {
    const release = inApp.hold();
    for (let i = 0; i < FLOOD; i++) await inApp.deliver(commentPayload(body, { commentId: 100_000 + i }));

    // The webhook answers made no GitHub request at all.
    expect(gh.requests).toEqual([]);
    // Waiting: the holder's place aside, at most the commenter's queued cap of commands, and the one limit note.
    const waiting = inApp.queue.size;
    expect(waiting).toBe(DEFAULT_COMMAND_CAPS.commenterQueued + 1);

    gh.host(PORTFOLIO, "octocat", "orders-api", { commits: { octocat: 8, hubot: 2 } });
    gh.serveTokens().serveComments().serveGraphql().serveTrees().serveTarballs().serveContributors();
    for (let i = 0; i < 2; i++) gh.servePermission("Codertocat", "write");
    for (let i = 0; i < 2; i++) gh.serveReaction(100_000 + i);
    for (let i = 0; i < DEFAULT_COMMAND_CAPS.commenterQueued - 2; i++) gh.servePermission("Codertocat", "write");
    release();
    await inApp.queue.onIdle();

    const notes = gh.comments.filter((c) => c.body.includes("runs at most"));
    expect(notes).toHaveLength(1);
    expect(notes[0]!.body).toBe(
      `@Codertocat, sorry: \`/skillproof\` runs at most ${DEFAULT_COMMAND_CAPS.commenterQueued} commands waiting or running at once per person, so your latest commands were not run. Please try again once the queued ones have answered. (This note is sent once an hour.)`,
    );
    const reports = gh.comments.filter((c) => c.body.includes("here is the result of"));
    expect(reports).toHaveLength(DEFAULT_COMMAND_CAPS.commenterQueued);
    // The same commit asked for again: read once per candidate, answered from the last report after.
    expect(gh.count("GET /repos/octocat/orders-api/tarball")).toBeLessThanOrEqual(2);
  });
});
