import { readFileSync } from "node:fs";
import { Ajv } from "ajv";
import { describe, expect, it } from "vitest";
import { DEFAULT_CONFIG } from "../../src/config/config.js";
import { aggregatePortfolio } from "../../src/recruit/aggregate.js";
import { renderPortfolio, renderRepoAudit, type Attribution, type RepoAudit } from "../../src/recruit/index.js";
import type { Report } from "../../src/report/model.js";

const validateReport = new Ajv({ strict: false }).compile(JSON.parse(readFileSync(new URL("../../schemas/report.schema.json", import.meta.url), "utf8")));

const SKILLS = [
  { id: "testing", title: "Testing", weight: 3 },
  { id: "containers", title: "Containers", weight: 1 },
  { id: "iac", title: "Infrastructure as code", weight: 1 },
];

function attribution(over: Partial<Attribution> = {}): Attribution {
  return {
    candidate: "alice",
    forkOf: null,
    template: null,
    defaultBranch: "main",
    commits: { total: 10, byCandidate: 10, share: 1 },
    lastPush: "2026-10-01T00:00:00Z",
    ci: "passing",
    stars: 0,
    lowShare: false,
    ownWork: true,
    ...over,
  };
}

/** A report whose skills score as given (null: no applicable rule), one rule per skill. */
function audit(repo: string, scores: Record<string, number | null>, attr: Attribution | undefined, lang = "Go"): RepoAudit {
  const skills = SKILLS.map((s) => ({ ...s, score: scores[s.id] ?? null, passed: scores[s.id] ? 1 : 0, applicable: scores[s.id] === null || scores[s.id] === undefined ? 0 : 1 }));
  const report: Report = {
    schemaVersion: 1,
    tool: { name: "skillproof", version: "0.1.0" },
    target: { kind: "github", owner: "alice", repo, sha: "a".repeat(40), url: `https://github.com/alice/${repo}` },
    score: 0,
    threshold: null,
    passed: null,
    summary: { passed: 0, failed: 0, notApplicable: 0, applicable: 0, total: 0 },
    skills,
    rules: SKILLS.map((s) => ({
      id: `${s.id}/thing`,
      skill: s.id,
      title: `${s.title} thing`,
      status: scores[s.id] ? "pass" : scores[s.id] === 0 ? "fail" : "not-applicable",
      weight: 1,
      evidence: scores[s.id] ? [{ path: `${s.id}.txt`, line: 1 }] : [],
      why: "why",
      fix: "fix",
    })),
    stack: { languages: [{ name: lang, files: 4, share: 1 }], mainLanguage: lang, frameworks: [] },
    config: DEFAULT_CONFIG,
    files: { listed: 4, considered: 4, read: 2 },
    warnings: [],
    notes: [],
  };
  return { report, ...(attr ? { attribution: attr } : {}), requests: 4 };
}

const FORK = attribution({ forkOf: "bigco/x", ownWork: false, lowShare: true, commits: { total: 100, byCandidate: 1, share: 0.01 } });

describe("aggregatePortfolio", () => {
  it("takes each skill's strongest evidence, crediting forks at half", () => {
    const p = aggregatePortfolio(
      "alice",
      [audit("own", { testing: 60, containers: 40 }, attribution()), audit("fork", { testing: 100, containers: 100 }, FORK, "Java")],
      { skipped: [], listed: 2, requests: 9 },
    );
    const by = Object.fromEntries(p.skills.map((s) => [s.id, s]));
    // Own 60 beats the fork's 100 × 0.5; the fork's 50 beats own 40.
    expect(by.testing).toMatchObject({ score: 60, repo: "alice/own", repoScore: 60, ownWork: true });
    expect(by.containers).toMatchObject({ score: 50, repo: "alice/fork", repoScore: 100, ownWork: false });
    expect(by.iac).toMatchObject({ score: null, repo: null });
    // Skill-weighted mean over skills any repository could show: (3×60 + 1×50) / 4.
    expect(p.score).toBe(Math.round((3 * 60 + 50) / 4));
    expect(p.stack.languages).toEqual([
      { name: "Go", files: 4, share: 0.5 },
      { name: "Java", files: 4, share: 0.5 },
    ]);
    expect(p.requests).toBe(9);
  });

  it("prefers own work on a tie, and names no repository for a zero", () => {
    const p = aggregatePortfolio("alice", [audit("fork", { testing: 100, containers: 0 }, FORK), audit("own", { testing: 50, containers: 0 }, attribution())], {
      skipped: [],
      listed: 2,
      requests: 1,
    });
    expect(p.skills.find((s) => s.id === "testing")).toMatchObject({ score: 50, repo: "alice/own" });
    expect(p.skills.find((s) => s.id === "containers")).toMatchObject({ score: 0, repo: null });
  });
});

describe("recruiter renderers", () => {
  const own = audit("own", { testing: 60, containers: 40 }, attribution({ commits: { total: 212, byCandidate: 185, share: 0.873 } }));
  const fork = audit("fork", { testing: 100, containers: 100 }, FORK);
  const portfolio = aggregatePortfolio("alice", [own, fork], { skipped: [{ repo: "alice/dotfiles", reason: "fork without commits by @alice" }], listed: 3, requests: 9 });

  it("puts the attribution line under the score, and the flag for little authorship", () => {
    const text = renderRepoAudit(fork, "text").split("\n");
    expect(text[2]).toBe("fork of bigco/x · @alice authored 1% of 100 commits · last push 2026-10-01 · CI passing");
    expect(text[3]).toBe("⚠ @alice authored little of this: 1% of the default branch's commits (below 20%).");
    expect(renderRepoAudit(own, "text").split("\n")[2]).toBe("@alice authored 87% of 212 commits · last push 2026-10-01 · CI passing");
    const md = renderRepoAudit(own, "markdown");
    expect(md).toMatch(/\*\*0\/100\*\* · [^\n]*\n_@\u200balice authored 87% of 212 commits · last push 2026-10-01 · CI passing_\n/);
  });

  it("asks for a candidate on an organization's repository instead of a share", () => {
    const org = audit("platform", { testing: 50 }, attribution({ candidate: null, commits: null }));
    expect(renderRepoAudit(org, "text").split("\n")[2]).toBe("an organization's repository: name a candidate for their share of the commits · last push 2026-10-01 · CI passing");
    expect(validateReport(JSON.parse(renderRepoAudit(org, "json"))), JSON.stringify(validateReport.errors)).toBe(true);
  });

  it("keeps a repository's Markdown within the comment limit, attribution included", () => {
    const md = renderRepoAudit(fork, "markdown", { maxLength: 900 });
    expect(md.length).toBeLessThanOrEqual(900);
    expect(md).toContain("fork of bigco/x");
  });

  it("writes JSON in the documented shape: attribution for a repository, repos for a portfolio", () => {
    const repo = JSON.parse(renderRepoAudit(own, "json"));
    expect(validateReport(repo), JSON.stringify(validateReport.errors)).toBe(true);
    expect(repo.attribution.commits.share).toBe(0.873);
    const p = JSON.parse(renderPortfolio(portfolio, "json"));
    expect(validateReport(p), JSON.stringify(validateReport.errors)).toBe(true);
    expect(p.repos.map((r: { target: { repo: string } }) => r.target.repo)).toEqual(["own", "fork"]);
    expect(p.skills.find((s: { id: string }) => s.id === "containers")).toMatchObject({ repo: "alice/fork", ownWork: false });
    expect(p.rules.find((r: { id: string }) => r.id === "testing/thing")).toMatchObject({ status: "pass", repo: "alice/own" });
    expect(p.skipped).toEqual([{ repo: "alice/dotfiles", reason: "fork without commits by @alice" }]);
  });

  it("renders the portfolio in Markdown with links, trimmed to a limit", () => {
    const md = renderPortfolio(portfolio, "markdown");
    expect(md).toMatch(/^## Skillproof portfolio: @\u200balice · \d+\/100/);
    expect(md).toContain("| [alice/fork](https://github.com/alice/fork) | 0 | Go | fork of bigco/x");
    expect(md).toContain("[`testing.txt:1`](https://github.com/alice/own/blob/" + "a".repeat(40) + "/testing.txt#L1)");
    for (const max of [2000, 1200, 400]) expect(renderPortfolio(portfolio, "markdown", { maxLength: max }).length).toBeLessThanOrEqual(max);
  });
});
