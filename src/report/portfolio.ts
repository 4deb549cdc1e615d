import { DEFAULT_CONFIG } from "../config/config.js";
import { LOW_SHARE } from "../recruit/attribution.js";
import { repoName } from "../recruit/aggregate.js";
import type { Attribution, PortfolioAudit, RepoAudit } from "../recruit/types.js";
import { REPORT_SCHEMA_VERSION, type Report } from "./model.js";

/** "@alice authored 87% of 212 commits · last push 2026-10-01 · CI passing", with fork and template origin first. */
export function attributionLine(a: Attribution): string {
  const parts: string[] = [];
  if (a.forkOf) parts.push(`fork of ${a.forkOf}`);
  if (a.template) parts.push(`from template ${a.template}`);
  parts.push(
    a.candidate === null
      ? "an organization's repository: name a candidate for their share of the commits"
      : a.commits
        ? `@${a.candidate} authored ${percent(a.commits.share)} of ${a.commits.total} commits`
        : "commit share unknown",
  );
  if (a.lastPush) parts.push(`last push ${a.lastPush.slice(0, 10)}`);
  parts.push(CI_LABEL[a.ci]);
  return parts.join(" · ");
}

const CI_LABEL: Record<Attribution["ci"], string> = {
  passing: "CI passing",
  failing: "CI failing",
  pending: "CI running",
  none: "no CI",
  unknown: "CI unknown",
};

/** The flag shown when the candidate wrote little of what is audited, or undefined. */
export function attributionFlag(a: Attribution): string | undefined {
  if (!a.lowShare || !a.commits) return undefined;
  return `@${a.candidate} authored little of this: ${percent(a.commits.share)} of the default branch's commits (below ${percent(LOW_SHARE)}).`;
}

export function percent(share: number): string {
  return `${Math.round(share * 100)}%`;
}

/**
 * Puts `lines` right after the line carrying the score, so the renderers of
 * the single-repo report are reused as they are.
 */
export function insertAfterScore(text: string, score: number, lines: string[]): string {
  const rows = text.split("\n");
  // The summary line ("Score 58/100 · ..." or "**58/100** · ..."), not a heading that repeats the score.
  const summary = rows.findIndex((r) => r.startsWith(`Score ${score}/100`) || r.startsWith(`**${score}/100**`));
  const at = summary >= 0 ? summary : rows.findIndex((r) => r.includes(`${score}/100`));
  rows.splice(at >= 0 ? at + 1 : 1, 0, ...lines);
  return rows.join("\n");
}

/** The single-repo JSON report with `attribution` added. */
export function repoAuditJson(a: RepoAudit): object {
  return { ...a.report, ...(a.attribution ? { attribution: a.attribution } : {}) };
}

/**
 * The portfolio as JSON: the single-repo report's shape (skills carry the
 * repository that proves them, rules the best verdict across repositories),
 * plus `repos` (each audited repository, in rank order) and `skipped`.
 */
export function portfolioJson(p: PortfolioAudit): object {
  const reports = p.repos.map((a) => a.report);
  const rules = bestRules(p);
  const passed = rules.filter((r) => r.status === "pass").length;
  const failed = rules.filter((r) => r.status === "fail").length;
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: reports[0]?.tool ?? { name: "skillproof", version: "unknown" },
    target: { kind: "github-user", login: p.user, url: `https://github.com/${p.user}` },
    score: p.score,
    threshold: null,
    passed: null,
    summary: { passed, failed, notApplicable: rules.length - passed - failed, applicable: passed + failed, total: rules.length },
    skills: p.skills.map((s) => ({
      id: s.id,
      title: s.title,
      weight: s.weight,
      score: s.score,
      passed: s.passed,
      applicable: s.applicable,
      ...(s.repo ? { repo: s.repo, repoScore: s.repoScore, ownWork: s.ownWork } : {}),
    })),
    rules,
    stack: {
      languages: p.stack.languages,
      mainLanguage: p.stack.mainLanguage,
      frameworks: p.stack.frameworks.map((f) => ({ name: f.name, evidence: f.evidence, repos: f.repos })),
    },
    config: DEFAULT_CONFIG,
    files: {
      listed: sum(reports.map((r) => r.files.listed)),
      considered: sum(reports.map((r) => r.files.considered)),
      read: sum(reports.map((r) => r.files.read)),
    },
    warnings: p.repos.flatMap((a) => a.report.warnings.map((w) => `${repoName(a)}: ${w}`)),
    notes: p.repos.flatMap((a) => a.report.notes.map((n) => `${repoName(a)}: ${n}`)),
    repos: p.repos.map((a) => ({
      target: a.report.target,
      score: a.report.score,
      summary: a.report.summary,
      skills: a.report.skills,
      stack: a.report.stack,
      ...(a.attribution ? { attribution: a.attribution } : {}),
    })),
    skipped: p.skipped,
  };
}

type PortfolioRule = Report["rules"][number] & { repo?: string };

/**
 * Each rule's strongest verdict across the portfolio: a pass in the
 * candidate's own work, then a pass elsewhere, then a fail, then not
 * applicable; the earliest-ranked repository wins a tie.
 */
export function bestRules(p: PortfolioAudit): PortfolioRule[] {
  const rank = (a: RepoAudit, status: string): number =>
    status === "pass" ? (a.attribution?.ownWork === false ? 2 : 3) : status === "fail" ? 1 : 0;
  const best = new Map<string, { rule: PortfolioRule; rank: number }>();
  for (const a of p.repos) {
    for (const r of a.report.rules) {
      const k = rank(a, r.status);
      const seen = best.get(r.id);
      if (!seen || k > seen.rank) best.set(r.id, { rule: { ...r, ...(r.status !== "not-applicable" ? { repo: repoName(a) } : {}) }, rank: k });
    }
  }
  return [...best.values()].map((b) => b.rule);
}

function sum(xs: number[]): number {
  return xs.reduce((a, b) => a + b, 0);
}
