import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { failureOutput } from "../../src/app/audit/runAudit.js";
import { ConfigError } from "../../src/config/config.js";
import { loadBuiltinRuleSet } from "../../src/engine/ruleBundle.js";
import { commentPayload, startCommandApp, type CommandApp } from "../fixtures/commands/app.js";
import { CommandGitHub } from "../fixtures/commands/github.js";
import { pullRequestPayload, pushPayload } from "../fixtures/app/events.js";
import { setupAppTests } from "../fixtures/app/harness.js";
import { withConfig } from "../fixtures/app/repos.js";
import { inspectMarkdown } from "../helpers/githubMarkdown.js";
import { useNock } from "../helpers/nock.js";

/*
 * Finding 7 through the app: a hostile repository is pushed, opened as a pull
 * request, configured wrongly and audited by a recruiter's comment command,
 * and every surface the app writes on GitHub is read the way GitHub reads it
 * (markdown-it, GitHub's autolinks): no link off github.com (and the rules'
 * own reference sites), no raw HTML, no image, no live mention or reference.
 * Annotations and check-run titles are plain text on GitHub: no control
 * character and no `[label](url)` pair in them. Finding 10 through the
 * command app: a command hidden in an HTML comment or a <details> makes no job.
 */

/** The finding's Dockerfile (a tree has no empty path segment: `https:/` is what a browser still reads as https://). */
const PHISH = "deploy/0c`](https:/evil.example/phish) @octocat [y.dockerfile";
/** Test files whose names aim at the rest of the syntax; a thin suite lists them in its depth reason. */
const TEST_NAMES = [
  "tests/**bold** _em_ &#64;name @@name GH-1 #12 <img src=x> a|b.test.js",
  "tests/owner/repo#1 www.evil.example ``tick`.test.js",
];
/** A manifest that does not parse: its path comes back in the report's warnings. */
const BAD_MANIFEST = "pkg`](https:/evil.example/pkg) @octocat <b>x</b> #3/package.json";
/** A committed secret: its path is the evidence of a failed rule. */
const SECRET = "conf [z](https:/evil.example/env) @octocat #4/.env";
/** A line of the Dockerfile that becomes an annotation's snippet (multi-stage evidence), with a terminal escape in it. */
const SNIPPET_LINE = "FROM node:22-slim AS build # @octocat #1 [x](https://evil.example) \u001b[2J";

/** A hostile repository; `healthcheck` decides observability/health-check (its fix names `@godaddy/terminus`). */
function hostile(healthcheck: boolean): Record<string, string> {
  const files: Record<string, string> = {
    "README.md": "# hostile\n",
    "src/index.js": "export const add = (a, b) => a + b;\n",
    [PHISH]: `${SNIPPET_LINE}\nRUN npm ci\nFROM node:22-slim\nCOPY --from=build /app /app\nUSER node\n${healthcheck ? "HEALTHCHECK CMD curl -f http://localhost/ || exit 1\n" : ""}`,
    [BAD_MANIFEST]: "{ not json @octocat #5",
    [SECRET]: "DB_PASSWORD=hunter2hunter2\n",
  };
  for (const name of TEST_NAMES) files[name] = "test('one', () => { expect(1).toBe(1); });\n";
  return files;
}

/** github.com, and the sites the rules' own text links to (reviewed in rules/). */
const RULE_HOSTS = [
  "github.com",
  ...new Set(
    loadBuiltinRuleSet().rules.flatMap((r) =>
      [...JSON.stringify([r.why, r.fix, r.fixes ?? []]).matchAll(/https:\/\/([a-z0-9.-]+)/gi)].map((m) => m[1]!.toLowerCase()),
    ),
  ),
];

function problems(markdown: string): string[] {
  return inspectMarkdown(markdown, { allowedHosts: RULE_HOSTS }).problems;
}

/** Plain text GitHub shows as is: no control character (C0, DEL, C1, bidi), no Markdown link, no link in text. */
function plainProblems(text: string): string[] {
  const found: string[] = [];
  // eslint-disable-next-line no-control-regex -- looking for control characters is the point
  if (/[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]/.test(text)) found.push(`control character in ${JSON.stringify(text)}`);
  if (/\]\(/.test(text)) found.push(`markdown link in ${JSON.stringify(text)}`);
  if (/@[A-Za-z0-9]|#\d|:\/\//.test(text)) found.push(`mention, reference or URL in ${JSON.stringify(text)}`);
  return found;
}

/** A reply opens with the commenter's own login on purpose (they asked): only that one mention is allowed. */
function withoutAddressee(reply: string): string {
  expect(reply.startsWith("@Codertocat,")).toBe(true);
  return reply.slice(1);
}

describe("the app's check runs and issues, for a hostile repository", () => {
  const t = setupAppTests({ beforeAll, beforeEach, afterEach, afterAll, expect });

  it("a push: the check run's summary and annotations, and the report issue, show the names and link nothing", async () => {
    const commit = t.gh.commit(hostile(true));
    t.gh.serveToken().serveTrees().serveTarballs().serveOrgConfig().serveChecks().serveIssues();
    await t.app.deliverAndWait("push", pushPayload(commit.commitSha));

    const done = t.gh.completion();
    const summary = done.output.summary as string;
    expect(problems(summary)).toEqual([]);
    const { visible } = inspectMarkdown(summary);
    for (const name of [PHISH, SECRET, TEST_NAMES[0]!, BAD_MANIFEST]) expect(visible).toContain(name);
    expect(plainProblems(done.output.title as string)).toEqual([]);

    const notes = done.output.annotations as Array<{ path: string; title: string; message: string }>;
    // The premise: the Dockerfile's hostile line is an annotation's snippet.
    const fromDockerfile = notes.filter((a) => a.path === PHISH && a.message.includes("evil.example"));
    expect(fromDockerfile.length).toBeGreaterThan(0);
    for (const a of notes) expect([...plainProblems(a.title), ...plainProblems(a.message)]).toEqual([]);

    expect(t.gh.issues).toHaveLength(1);
    const body = t.gh.issues[0]!.body;
    // The marker is the app's own HTML comment, first in the body.
    const report = body.slice(body.indexOf("\n") + 1);
    expect(body.slice(0, body.indexOf("\n"))).toMatch(/^<!-- skillproof:commit=[0-9a-f]{40} at=\S+ -->$/);
    expect(problems(report)).toEqual([]);
    expect(inspectMarkdown(report).visible).toContain(PHISH);
  });

  it("a pull request: the delta above the head's report links nothing, and the rules' fixes mention no one", async () => {
    const base = t.gh.commit(hostile(true));
    const head = t.gh.commit(hostile(false));
    t.gh.serveToken().serveTrees().serveTarballs().serveOrgConfig().serveChecks();
    await t.app.deliverAndWait("pull_request", pullRequestPayload("opened", head.commitSha, base.commitSha));

    const done = t.gh.completion();
    const summary = done.output.summary as string;
    // The premise: the health check fails on the head only, so the delta carries its fix (which names an npm scope).
    expect(summary).toMatch(/- ❌ `observability\/health-check` now fails: .*— \*\*Fix:\*\* .*terminus/);
    expect(problems(summary)).toEqual([]);
    expect(problems(done.output.text as string)).toEqual([]);
    expect(inspectMarkdown(summary).visible).toContain(PHISH);
    for (const a of done.output.annotations as Array<{ title: string; message: string }>) expect([...plainProblems(a.title), ...plainProblems(a.message)]).toEqual([]);
  });

  it("an invalid config: the check run quotes the problem without a link, a mention or raw HTML", async () => {
    const value = "[x](https://evil.example/cfg) @octocat `tick` <img src=x> #7";
    const commit = t.gh.commit(withConfig(hostile(true), `disable:\n  - ${JSON.stringify(value)}\n`));
    t.gh.serveToken().serveTrees().serveTarballs().serveChecks();
    await t.app.deliverAndWait("push", pushPayload(commit.commitSha));

    const done = t.gh.completion();
    expect(done.conclusion).toBe("failure");
    const summary = done.output.summary as string;
    // The premise: the config's value is in the problem.
    expect(inspectMarkdown(summary).visible).toContain(`unknown rule id "${value}"`);
    expect(problems(summary)).toEqual([]);
    expect(plainProblems(done.output.title as string)).toEqual([]);
    for (const a of done.output.annotations as Array<{ title: string; message: string }>) expect([...plainProblems(a.title), ...plainProblems(a.message)]).toEqual([]);
  });
});

describe("failureOutput, for a config error whose file name is hostile too", () => {
  it("puts the file in a code span nothing closes and escapes the problem", () => {
    const file = "evil/.github:x`](https://evil.example/f) @octocat ``y";
    const out = failureOutput(new ConfigError(file, "unknown key \"[x](https://evil.example) @octocat `z` &#64;mona\"", 3, 1));
    expect(problems(out.summary)).toEqual([]);
    expect(inspectMarkdown(out.summary).visible).toContain(file);
    expect(plainProblems(out.title)).toEqual([]);
  });

  it("fences an internal error's message so that nothing in it can close the fence", () => {
    const out = failureOutput(new Error("boom\n```\n[x](https://evil.example) @octocat\n````\n<img src=x>"));
    expect(problems(out.summary)).toEqual([]);
  });
});

describe("comment command replies and the portfolio issue, for a hostile repository and a hostile commenter", () => {
  useNock({ noUnmatched: true });
  let app: CommandApp;
  let gh: CommandGitHub;
  beforeEach(async () => {
    app = await startCommandApp();
    gh = new CommandGitHub();
  });
  let nextComment = 9100;
  const typed = (body: string) => {
    const commentId = nextComment++;
    gh.servePermission("Codertocat", "admin").serveReaction(commentId);
    return commentPayload(body, { commentId });
  };

  it("a recruiter's repository reply shows the names and links nothing", async () => {
    gh.host(hostile(true), "octocat", "evil");
    gh.serveTokens().serveComments().serveGraphql().serveTrees().serveTarballs().serveContributors();
    const [outcome] = await app.deliverAndRun(typed("/skillproof audit octocat/evil"));
    expect(outcome?.kind).toBe("repo-report");
    const reply = withoutAddressee(gh.comments[0]!.body);
    expect(problems(reply)).toEqual([]);
    for (const name of [PHISH, SECRET, BAD_MANIFEST]) expect(inspectMarkdown(reply).visible).toContain(name);
  });

  it("the reply to words it could not read quotes them without a link, a mention or an entity", async () => {
    // No command in it runs, so no 👀: the permission read, then the one reply.
    gh.serveTokens().serveComments().servePermission("Codertocat", "admin");
    await app.deliverAndRun(commentPayload("/skillproof [x](https://evil.example) @someone\n/skillproof audit octocat/evil &#64;someone\n/skillproof audit octocat/evil for @@someone"));
    expect(gh.comments).toHaveLength(1);
    const reply = withoutAddressee(gh.comments[0]!.body);
    // The premise: the commenter's words are in the reply.
    const { visible } = inspectMarkdown(reply);
    expect(visible).toContain('unknown verb "[x](https://evil.example)"');
    expect(visible).toContain('unexpected "&#64;someone"');
    expect(problems(reply)).toEqual([]);
  });

  it("the refusal names an organization's custom role without a link or a mention", async () => {
    const role = "[x](https://evil.example/role) @octocat #9";
    gh.serveTokens().serveComments().servePermission("Codertocat", "read", role);
    await app.deliverAndRun(commentPayload("/skillproof audit octocat/evil"));
    const reply = withoutAddressee(gh.comments[0]!.body);
    expect(inspectMarkdown(reply).visible).toContain(`you have ${role} permission`);
    expect(problems(reply)).toEqual([]);
  });

  it("a problem sentence quoting a typed ref links and mentions nothing", async () => {
    gh.host(hostile(true), "octocat", "evil");
    gh.serveTokens().serveComments().serveGraphql();
    const ref = "GH-1#12&#64;someone@x";
    await app.deliverAndRun(typed(`/skillproof audit octocat/evil@${ref}`));
    const reply = withoutAddressee(gh.comments[0]!.body);
    expect(inspectMarkdown(reply).visible).toContain(`has no branch, tag or commit "${ref}"`);
    expect(problems(reply)).toEqual([]);
  });

  it("the portfolio issue shows the names and links nothing", async () => {
    gh.host(hostile(true), "monalisa", "evil", { commits: { monalisa: 30 } });
    gh.serveTokens().serveComments().serveGraphql().serveTrees().serveTarballs().serveIssues({ create: true }).serveUserRepos("monalisa").serveConfig();
    const [outcome] = await app.deliverAndRun(typed("/skillproof audit @monalisa"));
    expect(outcome?.kind).toBe("portfolio-issue");
    const issue = gh.issues.at(-1)!;
    const report = issue.body.slice(issue.body.indexOf("\n") + 1);
    expect(problems(report)).toEqual([]);
    expect(inspectMarkdown(report).visible).toContain(PHISH);
  });
});

describe("finding 10 through the command app: hidden commands make no job", () => {
  useNock({ noUnmatched: true });
  let app: CommandApp;
  let gh: CommandGitHub;
  beforeEach(async () => {
    app = await startCommandApp();
    gh = new CommandGitHub();
  });

  const hidden = [
    "<!-- /skillproof audit octocat/evil -->",
    "Thanks!\n<!--\n/skillproof audit octocat/evil\n-->",
    "<details>\n<summary>notes</summary>\n\n/skillproof audit octocat/evil\n\n</details>",
  ];
  for (const body of hidden) {
    it(`no job and no request for ${JSON.stringify(body)}`, async () => {
      await app.deliver(commentPayload(body));
      expect(app.enqueued).toEqual([]);
      expect(app.notices).toEqual([]);
      expect(gh.requests).toEqual([]);
    });
  }

  it("the same command in plain sight makes its job (the control)", async () => {
    await app.deliver(commentPayload("Thanks!\n/skillproof audit octocat/evil"));
    expect(app.enqueued.map((e) => e.job.command)).toEqual([{ kind: "repo", owner: "octocat", repo: "evil" }]);
  });
});
