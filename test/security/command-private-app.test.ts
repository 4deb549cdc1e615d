import { describe, expect, it } from "vitest";
import { sendWebhook, startAppProcess } from "../../scripts/app-process.js";
import { StandInRepo, startGitHubStandIn } from "../../scripts/github-standin.js";
import { UNAVAILABLE } from "../../src/app/commands/target.js";
import { commentPayload } from "../fixtures/commands/app.js";
import { PORTFOLIO } from "../fixtures/github/portfolio.js";
import { sleep, until, useBuiltApp, type AppProcess, type StandIn } from "../helpers/builtApp.js";

/**
 * Finding 1, through the path a user takes: the built app (`npm start`'s
 * dist/app/server.js) against the loopback GitHub stand-in. A writer of the
 * public acme/hiring comments `/skillproof audit acme/payroll`, a private
 * repository of the same installation holding a password line. Before the fix
 * (ab49f19) the job checked the commenter's permission on the thread's
 * repository only, then read payroll's tree and files and posted its report,
 * paths and evidence included, in the public thread: this test's reply
 * assertion and its "no read of payroll" assertion both failed there. Now the
 * reply is the one UNAVAILABLE sentence and nothing of payroll is read. The
 * control: in a private thread of the same owner, a commenter who can read
 * payroll gets the report.
 */

const { running, standIns } = useBuiltApp();

const INSTALLATION = 1;
const WRITER = "writer";
const MARKER = "hunter2-MARKER";
// A Dockerfile and a compose file (rules read them, so a report of payroll would name them) and the password line.
const PAYROLL_FILES = { ...PORTFOLIO, "config/payroll.yml": `password = ${MARKER}\n`, "payroll/Dockerfile": "FROM node:20\nRUN echo payroll\n" };

interface Setup {
  gh: StandIn;
  app: AppProcess;
  hiring: StandInRepo;
  hiringPrivate: StandInRepo;
  payroll: StandInRepo;
}

async function setup(): Promise<Setup> {
  const hiring = new StandInRepo({ owner: "acme", repo: "hiring", installationId: INSTALLATION, files: PORTFOLIO, collaborators: { [WRITER]: "write" } });
  const hiringPrivate = new StandInRepo({ owner: "acme", repo: "hiring-private", installationId: INSTALLATION, files: PORTFOLIO, private: true, collaborators: { [WRITER]: "write" } });
  // The writer can read payroll: the public thread is refused for where it is, not for who asks.
  const payroll = new StandInRepo({ owner: "acme", repo: "payroll", installationId: INSTALLATION, files: PAYROLL_FILES, private: true, collaborators: { [WRITER]: "read" }, contributors: { acme: 5 } });
  const gh = await startGitHubStandIn({ repos: [hiring, hiringPrivate, payroll], latencyMs: 2 });
  standIns.push(gh);
  const app = await startAppProcess({ githubHost: gh.host, env: { SKILLPROOF_THREADS: "1" } });
  running.push(app);
  return { gh, app, hiring, hiringPrivate, payroll };
}

/** Requests that read payroll's content: REST tree, tarball, contents, zipball, and GraphQL queries naming it (blob reads). */
function payrollContentReads(gh: StandIn): string[] {
  const rest = gh.log.filter((e) => /^\/api\/v3\/repos\/acme\/payroll\/(git|tarball|contents|zipball)/.test(e.path)).map((e) => `${e.method} ${e.path}`);
  const graphql = gh.log
    .filter((e) => e.path === "/api/graphql")
    .filter((e) => {
      const v = (e as { variables?: Record<string, unknown> }).variables ?? {};
      // The metadata query (o0/n0) is the gate's own read and carries no content; any other query naming payroll reads its files.
      return !("o0" in v) && String(v.owner).toLowerCase() === "acme" && String(v.repo).toLowerCase() === "payroll";
    })
    .map(() => "POST graphql (payroll blobs)");
  return [...rest, ...graphql];
}

function typed(body: string, thread: StandInRepo, commentId: number): Record<string, unknown> {
  return commentPayload(body, {
    installationId: INSTALLATION,
    commentId,
    sender: { login: WRITER, type: "User" },
    repository: { owner: thread.owner, name: thread.repo, visibility: thread.private ? "private" : "public" },
  });
}

const diagnose = (s: Setup) => () =>
  `requests: ${s.gh.log.map((e) => `${e.method} ${e.path}`).join(", ")}\ncomments: ${JSON.stringify([...s.hiring.comments, ...s.hiringPrivate.comments])}\n${s.app.output.slice(-3000)}`;

describe("a private repository's report stays with its audience, through the built app", () => {
  it("a public thread gets one sentence for a private target: no path, no evidence, no read of its content", { timeout: 90_000 }, async () => {
    const s = await setup();
    const sent = await sendWebhook(s.app.url, "issue_comment", typed("/skillproof audit acme/payroll", s.hiring, 7001));
    expect(sent.status).toBe(200);
    await until("the hiring thread has a reply", () => s.hiring.comments.length > 0, 60_000, diagnose(s));
    await sleep(1_000);

    expect(s.hiring.comments.map((c) => c.body)).toEqual([`@${WRITER}, \`/skillproof audit acme/payroll\`: ${UNAVAILABLE}`]);
    const reply = s.hiring.comments[0]!.body;
    for (const leaked of [MARKER, "hunter2", "config/payroll.yml", "payroll/Dockerfile", "Skillproof report"]) expect(reply).not.toContain(leaked);
    expect(payrollContentReads(s.gh)).toEqual([]);
    expect(s.gh.log.some((e) => e.path === "/api/v3/repos/acme/payroll/contributors")).toBe(false);
    // The gate did run: the target's metadata was read (and it said private), so the refusal is not for a missing repository.
    expect(s.gh.log.some((e) => e.path === "/api/graphql" && (e as { variables?: Record<string, unknown> }).variables?.n0 === "payroll")).toBe(true);
    expect(s.app.child.exitCode).toBeNull();
  });

  it("the control: in a private thread of the same owner, a reader of payroll gets its report", { timeout: 90_000 }, async () => {
    const s = await setup();
    const sent = await sendWebhook(s.app.url, "issue_comment", typed("/skillproof audit acme/payroll", s.hiringPrivate, 7002));
    expect(sent.status).toBe(200);
    await until("the private thread has a reply", () => s.hiringPrivate.comments.length > 0, 60_000, diagnose(s));

    expect(s.hiringPrivate.comments).toHaveLength(1);
    const reply = s.hiringPrivate.comments[0]!.body;
    expect(reply).toMatch(/^@writer, here is the result of `\/skillproof audit acme\/payroll`:\n\n## Skillproof report: /);
    expect(reply).not.toContain(UNAVAILABLE);
    // Payroll's content was read for it (which the refused case never does), and its permission for the writer asked.
    expect(payrollContentReads(s.gh).length).toBeGreaterThan(0);
    expect(s.gh.log.some((e) => e.path === `/api/v3/repos/acme/payroll/collaborators/${WRITER}/permission`)).toBe(true);
    expect(s.hiring.comments).toEqual([]);
  });
});
