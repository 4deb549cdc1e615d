import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_CONFIG } from "../../src/config/config.js";
import { loadBuiltinRuleSet } from "../../src/engine/ruleBundle.js";
import { auditToReport } from "../../src/pipeline.js";
import { aggregatePortfolio } from "../../src/recruit/aggregate.js";
import { renderPortfolio, renderRepoAudit } from "../../src/recruit/render.js";
import type { Attribution, RepoAudit } from "../../src/recruit/types.js";
import { renderMarkdown } from "../../src/report/markdown.js";
import type { Report } from "../../src/report/model.js";
import { renderSarif } from "../../src/report/sarif.js";
import { LocalDirectorySource } from "../../src/sources/local.js";
import { inspectMarkdown } from "../helpers/githubMarkdown.js";

/*
 * Finding 7: file names, snippets and other repository text were put into
 * Markdown as they are. A tree whose names aim at every piece of syntax is
 * audited the way the CLI does it (local source → pipeline → renderer), and
 * every Markdown surface the report reaches is read the way GitHub reads it:
 * no link off github.com, no raw HTML, no image, no live mention or reference,
 * and each hostile name shown as the characters it is.
 */

/**
 * The finding's Dockerfile. A tree has no empty path segment, so `https://` is stored as `https:/`, which a
 * browser still reads as https://evil.example/phish.
 */
const PHISH = "deploy/0c`](https:/evil.example/phish) @octocat [y.dockerfile";
/** Names of two test files (a thin test suite, so the report lists them in its "token evidence" reason). */
const TEST_NAMES = [
  "tests/**bold** _em_ &#64;name @@name GH-1 #12 <img src=x> a|b.test.js",
  "tests/owner/repo#1 www.evil.example ``tick`\nline\n# heading.test.js",
];
/** A manifest that does not parse: its path comes back in the report's warnings. */
const BAD_MANIFEST = "pkg`](https:/evil.example/pkg) @octocat <b>x</b> #3/package.json";
/** A committed secret: its path is the evidence of a failed rule. */
const SECRET = "conf [z](https:/evil.example/env) @octocat #4/.env";

let dir: string;
let report: Report;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "skillproof-hostile-"));
  const write = (path: string, text: string): void => {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  };
  write("README.md", "# hostile\n");
  write("src/index.js", "export const add = (a, b) => a + b;\n");
  write(PHISH, "FROM node:22-slim AS build\nRUN echo '@octocat #1 [x](https://evil.example)'\nUSER node\n");
  for (const name of TEST_NAMES) write(name, "test('one', () => { expect(1).toBe(1); });\n");
  write(BAD_MANIFEST, "{ not json @octocat #5");
  write(SECRET, "DB_PASSWORD=hunter2hunter2\n");
  report = await auditToReport(new LocalDirectorySource(dir), loadBuiltinRuleSet(), DEFAULT_CONFIG);
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The report as the app publishes it: the same audit, of a repository on GitHub. */
function onGitHub(r: Report): Report {
  return { ...r, target: { kind: "github", owner: "octo", repo: "svc", sha: "0123456789abcdef0123456789abcdef01234567" } };
}

const attribution: Attribution = {
  candidate: "octocat",
  forkOf: "evil/repo",
  template: "evil/template",
  defaultBranch: "main",
  commits: { total: 10, byCandidate: 1, share: 0.1 },
  lastPush: "2026-10-01T00:00:00Z",
  ci: "passing",
  stars: 0,
  lowShare: true,
  ownWork: false,
};

/**
 * Rule-authored text (reviewed in rules/) links to a few sites of its own, such
 * as choosealicense.com; those hosts, and github.com, are the only ones allowed.
 */
const RULE_HOSTS = [
  "github.com",
  ...new Set(
    loadBuiltinRuleSet().rules.flatMap((r) =>
      [...JSON.stringify([r.why, r.fix, r.fixes ?? []]).matchAll(/https:\/\/([a-z0-9.-]+)/gi)].map((m) => m[1]!.toLowerCase()),
    ),
  ),
];

function expectSafe(markdown: string): void {
  expect(inspectMarkdown(markdown, { allowedHosts: RULE_HOSTS }).problems).toEqual([]);
}

/** `[` or `]` not escaped by a backslash: SARIF's embedded link syntax in a plain-text message. */
function unescapedBrackets(text: string): string[] {
  const found: string[] = [];
  for (let i = 0; i < text.length; i++) {
    if (text[i] === "\\") i++;
    else if (text[i] === "[" || text[i] === "]") found.push(text.slice(Math.max(0, i - 20), i + 20));
  }
  return found;
}

describe("a hostile tree, audited through the CLI's pipeline", () => {
  it("reaches the report: its names are in the evidence, warnings and depth reasons", () => {
    const paths = report.rules.flatMap((r) => r.evidence.map((e) => e.path));
    expect(paths).toContain(PHISH);
    expect(paths).toContain(SECRET);
    expect(report.warnings.join("\n")).toContain(BAD_MANIFEST);
    expect(report.rules.map((r) => r.depthReason ?? "").join("\n")).toContain(TEST_NAMES[0]);
  });

  it("report Markdown (check run, report issue, CLI --format markdown) has no foreign link, HTML, mention or reference", () => {
    for (const r of [report, onGitHub(report)]) {
      const md = renderMarkdown(r);
      expectSafe(md);
      const { visible } = inspectMarkdown(md);
      for (const name of [PHISH, SECRET, TEST_NAMES[0]!, BAD_MANIFEST]) expect(visible).toContain(name);
      expect(visible).toContain("tests/owner/repo#1 www.evil.example ``tick`␊line␊# heading.test.js");
    }
  });

  it("stays safe when cut to fit a size limit: no code span is left open", () => {
    const r = onGitHub(report);
    // The tightest level as the renderer cuts it, at the largest size that still needs a cut (found by bisection).
    const isCut = (max: number): boolean => renderMarkdown(r, { maxLength: max }).includes("report cut to fit");
    let [fits, cuts] = [renderMarkdown(r).length, 0];
    while (fits - cuts > 1) {
      const mid = Math.floor((fits + cuts) / 2);
      if (isCut(mid)) cuts = mid;
      else fits = mid;
    }
    const cut = renderMarkdown(r, { maxLength: cuts });
    const line = cut.split("\n").find((l) => l.includes("Found:") && l.includes("evil.example/env"));
    expect(line, "the secret's line is within the cut report").toBeDefined();
    const at = cut.indexOf(line!);
    const note = "\n\n_…report cut to fit GitHub's size limit; run `npx skillproof audit` for the full report._\n".length;
    const problems = new Set<string>();
    // Every cut inside that line (a code span holding `[z](https:/evil.example/env) @octocat #4`).
    for (let end = at + 1; end < at + line!.length; end++) {
      const md = renderMarkdown(r, { maxLength: end + note });
      expect(md).toContain("report cut to fit");
      for (const p of inspectMarkdown(md, { allowedHosts: RULE_HOSTS }).problems) problems.add(p);
    }
    expect([...problems]).toEqual([]);
  });

  it("links evidence only to the audited repository's files", () => {
    const md = renderMarkdown(onGitHub(report));
    const links = [...md.matchAll(/\]\((https:\/\/github\.com\/[^)\s]*)\)/g)].map((m) => m[1]!);
    expect(links.length).toBeGreaterThan(0);
    for (const url of links) expect(url.startsWith("https://github.com/octo/svc/blob/0123456789abcdef0123456789abcdef01234567/")).toBe(true);
    expect(links).toContain("https://github.com/octo/svc/blob/0123456789abcdef0123456789abcdef01234567/deploy/0c%60%5D%28https%3A/evil.example/phish%29%20%40octocat%20%5By.dockerfile#L1");
  });

  it("a recruiter's single-repository report (with its attribution line) is as safe", () => {
    const audit: RepoAudit = { report: onGitHub(report), attribution, requests: 0 };
    expectSafe(renderRepoAudit(audit, "markdown"));
  });

  it("portfolio Markdown (the portfolio issue) is as safe", () => {
    const repos: RepoAudit[] = [
      { report: onGitHub(report), attribution, requests: 0 },
      { report: { ...onGitHub(report), target: { kind: "github", owner: "octo", repo: "svc.2", sha: "1".repeat(40) } }, attribution: { ...attribution, lowShare: false, ownWork: true }, requests: 0 },
    ];
    const skipped = [{ repo: "octo/x#1", reason: `empty: ${PHISH}` }];
    const md = renderPortfolio(aggregatePortfolio("octocat", repos, { skipped, listed: 3, requests: 0 }), "markdown");
    expectSafe(md);
    expect(inspectMarkdown(md).visible).toContain(PHISH);
  });

  it("SARIF messages and help Markdown (code scanning) are as safe", () => {
    const sarif = JSON.parse(renderSarif(onGitHub(report))) as unknown;
    const texts: string[] = [];
    const markdowns: string[] = [];
    const collect = (v: unknown, key = ""): void => {
      if (typeof v === "string" && key === "text") texts.push(v);
      else if (typeof v === "string" && key === "markdown") markdowns.push(v);
      else if (Array.isArray(v)) v.forEach((x) => collect(x));
      else if (v && typeof v === "object") for (const [k, x] of Object.entries(v)) collect(x, k);
    };
    collect(sarif);
    // The warning that names the bad manifest is there, its brackets escaped.
    expect(texts.join("\n")).toContain("pkg`\\](https:/evil.example/pkg) @octocat <b>x</b> #3/package.json");
    // Code scanning makes `[text](uri)` in a plain-text message a link; help.markdown is Markdown.
    expect(texts.flatMap(unescapedBrackets)).toEqual([]);
    expect(markdowns.flatMap((m) => inspectMarkdown(m, { allowedHosts: RULE_HOSTS }).problems)).toEqual([]);
  });
});

describe("the spawned CLI", () => {
  it("`skillproof audit <dir> --format markdown` prints Markdown with no foreign link, HTML, mention or reference", () => {
    const run = spawnSync(process.execPath, ["bin/skillproof.js", "audit", dir, "--format", "markdown"], { encoding: "utf8" });
    expect(run.stderr).toBe("");
    expect(run.stdout).toContain("Skillproof report");
    expectSafe(run.stdout);
    expect(inspectMarkdown(run.stdout).visible).toContain(PHISH);
  });
});
