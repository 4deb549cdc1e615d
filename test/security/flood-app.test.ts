import { describe, expect, it } from "vitest";
import { pushPayload, sendWebhook, startAppProcess } from "../../scripts/app-process.js";
import { StandInRepo, startGitHubStandIn } from "../../scripts/github-standin.js";
import { DEFAULT_COMMAND_CAPS } from "../../src/app/commands/limits.js";
import { commentPayload } from "../fixtures/commands/app.js";
import { PORTFOLIO } from "../fixtures/github/portfolio.js";
import { sleep, until, useBuiltApp } from "../helpers/builtApp.js";

/**
 * Finding 5, through the path a user takes: the built app (`npm start`'s
 * dist/app/server.js) against the loopback GitHub stand-in. 1,000 signed
 * `issue_comment.created` webhooks from one writer of installation A, three
 * commands each, sent 50 at a time, then one push in installation B.
 * Before the fix the handler read the commenter's permission and wrote the 👀
 * (in the installation's write lane) before answering, so answers slowed
 * towards GitHub's 10 s limit; every command became a job (~3,000), all in
 * one FIFO ahead of B's push. Now: every answer is quick, the commands that
 * run are the caps' worth (one permission read each, one polite "limit"
 * reply), the same commit is read from GitHub only a few times, and B's push
 * is audited within a minute of being sent.
 * Run on the code before the fix (398994d), the first 50 answers took
 * 9.0-9.1 s and the test stops there.
 * Machines are noisy, so no speed is asserted: an answer counts as late only
 * past GitHub's own 10 s (a delivery it has given up on), which the code
 * before the fix reached; the answer times are printed, and the figures
 * (max 222 ms on a quiet 2-core machine, 2026-12-07) are in
 * docs/threat-model.md. The rest is counted (requests the stand-in saw,
 * replies).
 */

const { running, standIns } = useBuiltApp();

const FLOOD = 1_000;
const AT_ONCE = 50;
/** GitHub's own limit: a delivery not answered by then has failed. */
const GITHUB_GIVES_UP_MS = 10_000;
/** "Another installation's push audited within a minute." */
const OTHER_PUSH_BOUND_MS = 60_000;
const HOUR = 60 * 60_000;

// Three distinct commands (a comment's duplicates count once), all on the hiring repository itself.
const BODY = ["/skillproof audit acme/hiring", "/skillproof audit acme/hiring@main", "/skillproof audit acme/hiring for @hubot"].join("\n");
const WRITER = "Codertocat";

describe("a flood of comment commands from one writer, through the built app", () => {
  it("answers every webhook in under a second, runs only the caps' worth of commands, and audits another installation's push within a minute", { timeout: 240_000 }, async () => {
    const hiring = new StandInRepo({ owner: "acme", repo: "hiring", installationId: 931, files: PORTFOLIO, collaborators: { [WRITER]: "write" }, contributors: { acme: 8, hubot: 2 } });
    const other = new StandInRepo({ owner: "otherco", repo: "api", installationId: 932, files: PORTFOLIO });
    const gh = await startGitHubStandIn({ repos: [hiring, other], latencyMs: 5 });
    standIns.push(gh);
    const app = await startAppProcess({ githubHost: gh.host, env: { SKILLPROOF_THREADS: "1" } });
    running.push(app);

    const of = (repo: StandInRepo, pattern: RegExp) => gh.log.filter((e) => e.installationId === repo.installationId && pattern.test(e.path));
    const permissionReads = () => of(hiring, /^\/api\/v3\/repos\/acme\/hiring\/collaborators\/[^/]+\/permission$/);
    const reports = () => hiring.comments.filter((c) => c.body.includes("here is the result of"));
    const limitNotes = () => hiring.comments.filter((c) => c.body.includes("runs at most"));
    const completed = () => other.checkRuns.filter((c) => c.head_sha === other.head && c.status === "completed");
    const diagnose = () =>
      `requests of A by kind: ${JSON.stringify(countBy(gh.log.filter((e) => e.installationId === hiring.installationId).map((e) => e.kind)))}\n` +
      `B's check runs: ${JSON.stringify(other.checkRuns.map((c) => ({ status: c.status, conclusion: c.conclusion })))}\nunhandled: ${gh.unhandled.join(", ")}\n${app.output.slice(-4000)}`;

    // A running app, as GitHub floods it: a fresh process compiles its webhook path on the first requests (a one-time
    // second or so on a busy machine), which is not what the finding is about. One round of comments without a command
    // (verified, parsed, no job) warms that path and the connections; they are answered but not timed.
    const warm = Array.from({ length: AT_ONCE }, (_, i) =>
      sendWebhook(app.url, "issue_comment", commentPayload("Thanks, the take-home looks good.", { installationId: hiring.installationId, commentId: 400_000 + i, repository: { owner: "acme", name: "hiring", visibility: "public" } })),
    );
    expect((await Promise.all(warm)).map((a) => a.status)).toEqual(Array(AT_ONCE).fill(200));
    expect(gh.log).toEqual([]);

    const hourAtStart = Math.floor(Date.now() / HOUR);
    const answers: Array<{ status: number; ms: number }> = [];
    const late = (a: { status: number; ms: number }) => a.status < 200 || a.status >= 300 || a.ms >= GITHUB_GIVES_UP_MS;
    for (let from = 0; from < FLOOD; from += AT_ONCE) {
      const batch = Array.from({ length: Math.min(AT_ONCE, FLOOD - from) }, (_, k) => from + k);
      const sent = batch.map((i) =>
        sendWebhook(
          app.url,
          "issue_comment",
          commentPayload(BODY, { installationId: hiring.installationId, commentId: 500_000 + i, repository: { owner: "acme", name: "hiring", visibility: "public" } }),
          undefined,
          { timeoutMs: GITHUB_GIVES_UP_MS },
        ),
      );
      answers.push(...(await Promise.all(sent)));
      // Once an answer is late, the rest of the flood would only be later (before the fix, each waited for writes in one lane).
      if (answers.some(late)) break;
    }
    const sorted = answers.map((a) => a.ms).sort((a, b) => a - b);
    const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * q))]!.toFixed(0);
    console.log(`flood-app: ${answers.length} of ${FLOOD} webhooks sent, ${AT_ONCE} at a time; answers p50 ${at(0.5)} ms, p99 ${at(0.99)} ms, max ${at(1)} ms`);

    // Every webhook answered (2xx) before GitHub gives up.
    expect(answers.filter((a) => a.status < 200 || a.status >= 300).map((a) => a.status)).toEqual([]);
    expect(Math.max(...sorted)).toBeLessThan(GITHUB_GIVES_UP_MS);
    expect(answers).toHaveLength(FLOOD);

    // Then one push in the other installation: audited within a minute of being sent.
    const pushSentAt = Date.now();
    const push = await sendWebhook(app.url, "push", pushPayload(other), undefined, { timeoutMs: GITHUB_GIVES_UP_MS });
    expect(push.status).toBe(200);
    await until("B's push has a completed check run", () => completed().length > 0, OTHER_PUSH_BOUND_MS, diagnose);
    const pushMs = Date.now() - pushSentAt;
    expect(completed()[0]!.output.title).toMatch(/^Skills score \d+\/100/);

    // Every command job replies once (a report) and the commenter hears about the caps once: wait for all of it, then for quiet.
    await until("A's command jobs have all replied", () => limitNotes().length > 0 && reports().length === permissionReads().length, 60_000, diagnose);
    await sleep(1_500);
    const hourAtEnd = Math.floor(Date.now() / HOUR);

    const jobs = permissionReads().length;
    const tarballs = of(hiring, /^\/api\/v3\/repos\/acme\/hiring\/tarball\//).length;
    const requestsOfA = gh.log.filter((e) => e.installationId === hiring.installationId);
    console.log(
      `flood-app: B's check run completed ${pushMs} ms after its push (answered in ${push.ms.toFixed(0)} ms); A: ${jobs} command jobs, ${hiring.reactions.length} reactions, ` +
        `${tarballs} tarball reads, ${requestsOfA.length} requests in all ${JSON.stringify(countBy(requestsOfA.map((e) => e.kind)))}`,
    );

    // The caps' worth of command jobs: each reads the permission once and replies once. Slots come back as jobs finish,
    // so the bound over the flood is the writer's hourly cap (twice that if the test straddles a clock hour).
    const hourly = DEFAULT_COMMAND_CAPS.commenterPerHour * (hourAtEnd - hourAtStart + 1);
    expect(jobs).toBeGreaterThanOrEqual(DEFAULT_COMMAND_CAPS.commenterQueued);
    expect(jobs).toBeLessThanOrEqual(hourly);
    expect(reports()).toHaveLength(jobs);
    expect(limitNotes()).toHaveLength(1);
    expect(hiring.comments).toHaveLength(jobs + 1);
    // One 👀 per comment whose first command ran, never more than the commands that ran.
    expect(hiring.reactions.length).toBeGreaterThan(0);
    expect(hiring.reactions.length).toBeLessThanOrEqual(jobs);
    // The same commit asked for again is answered from the last report: a handful of reads, not one per command.
    expect(tarballs).toBeGreaterThan(0);
    expect(tarballs).toBeLessThanOrEqual(DEFAULT_COMMAND_CAPS.commenterQueued);
    // Everything the app asked for is something the stand-in serves (no request answered 404 by accident).
    expect(gh.unhandled).toEqual([]);
    expect(app.child.exitCode).toBeNull();
  });
});

function countBy(list: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const k of list) counts[k] = (counts[k] ?? 0) + 1;
  return counts;
}
