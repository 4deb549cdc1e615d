import type { Logger } from "probot";
import { AuditTimeoutError } from "../../engine/budget.js";
import type { RuleSet } from "../../engine/types.js";
import { repoName } from "../../recruit/aggregate.js";
import { auditPortfolio, RecruitError } from "../../recruit/index.js";
import { auditWithMeta } from "../../recruit/repo.js";
import type { PortfolioAudit } from "../../recruit/types.js";
import { candidateRow, errorRow, renderShortlistMarkdown, sortShortlist, type Shortlist, type ShortlistRow } from "../../report/compare.js";
import { roleSectionMarkdown } from "../../report/markdown.js";
import { renderPortfolio } from "../../recruit/index.js";
import { portfolioRoleFit } from "../../roles/index.js";
import type { Role, RoleFit } from "../../roles/types.js";
import type { AppOctokit } from "../github/octokit.js";
import { upsertShortlistIssue, type ShortlistIssue } from "../publish/shortlistIssue.js";
import { unfinishedSentence, type AuditBudget } from "../publish/timedOut.js";
import { formatTarget, type CompareTarget, type RepoCommand } from "./parse.js";
import { quietMentions } from "./replies.js";
import { mayShow, readTargetMeta, TargetUnavailable, type Thread } from "./target.js";

/** What auditing one candidate needs: the thread's installation client and the same rules as `/skillproof audit`. */
export interface CandidateDeps {
  octokit: AppOctokit;
  log: Logger;
  ruleSet: RuleSet;
  budget?: AuditBudget;
  /** Where the command was typed and by whom: the visibility gate (target.ts) of every repository target. */
  thread: Thread;
  requestedBy: string;
  /** The hiring repository's portfolio.maxRepos, for @user candidates. */
  maxRepos?: number;
}

/** A portfolio's fit for a role: each stack item from any audited repository, naming it. */
export function portfolioFit(p: PortfolioAudit, role: Role): RoleFit {
  return portfolioRoleFit(
    p.repos.map((a) => ({ repo: repoName(a), report: a.report })),
    role,
  );
}

/**
 * A portfolio report with its role section before the footer, within
 * `maxLength` (the portfolio is trimmed by the renderer; the section is
 * a few dozen lines at most).
 */
export function portfolioMarkdownWithRole(p: PortfolioAudit, fit: RoleFit, maxLength: number): string {
  const targetOf = (repo: string | undefined) => p.repos.find((a) => repoName(a) === repo)?.report.target;
  const section = `\n${roleSectionMarkdown(fit, targetOf).join("\n")}\n`;
  const base = renderPortfolio(p, "markdown", { maxLength: Math.max(0, maxLength - section.length) });
  const at = base.lastIndexOf("\n---\n");
  return at >= 0 ? `${base.slice(0, at)}${section}${base.slice(at)}` : `${base}${section}`;
}

/**
 * One candidate's row. A repository passes the same gate as `/skillproof
 * audit owner/repo` (metadata first, then mayShow: a private one only for a
 * reader of it, only into a private thread of its owner) before any of its
 * content is read; a refused or missing one is a row with the one sentence
 * (UNAVAILABLE), whatever the reason. A @user's portfolio reads only their
 * public repositories.
 */
async function candidate(deps: CandidateDeps, role: Role, t: CompareTarget): Promise<ShortlistRow> {
  const name = formatTarget(t);
  const budget = deps.budget ? { budget: deps.budget } : {};
  if (t.kind === "portfolio") {
    const p = await auditPortfolio(deps.octokit, t.user, { ruleSet: deps.ruleSet, graphql: true, role, ...(deps.maxRepos !== undefined ? { maxRepos: deps.maxRepos } : {}), ...budget });
    return candidateRow(name, {
      role: portfolioFit(p, role),
      score: p.score,
      skills: p.skills,
      attributions: p.repos.flatMap((a) => (a.attribution ? [{ repo: repoName(a), attribution: a.attribution }] : [])),
    });
  }
  const command: RepoCommand = { kind: "repo", owner: t.owner, repo: t.repo, ...(t.ref !== undefined ? { ref: t.ref } : {}) };
  const meta = await readTargetMeta(deps.octokit, command);
  if (!(await mayShow(deps.octokit, meta, deps.thread, deps.requestedBy))) {
    deps.log.info({ target: name, private: meta.private }, "skillproof: compare candidate refused (target not shown in this thread)");
    throw new TargetUnavailable();
  }
  if (t.ref !== undefined && meta.refSha === undefined) throw new RecruitError("not-found", `Repository ${meta.owner}/${meta.repo} has no branch, tag or commit "${t.ref}".`);
  // An organization authors no commits: no share is measured.
  const who = meta.ownerType === "Organization" ? null : meta.owner;
  const audit = await auditWithMeta(deps.octokit, meta, { ruleSet: deps.ruleSet, graphql: true, candidate: who, role, requests: 1, ...(t.ref !== undefined ? { ref: t.ref } : {}), ...budget });
  if (!audit.report.role) throw new Error("the audit returned no role fit");
  return candidateRow(name, {
    role: audit.report.role,
    score: audit.report.score,
    skills: audit.report.skills,
    attributions: audit.attribution ? [{ repo: `${meta.owner}/${meta.repo}`, attribution: audit.attribution }] : [],
  });
}

/** The row's one sentence for a candidate that could not be audited: the recruit audit's own, or nothing of the error's inside. */
function rowSentence(deps: CandidateDeps, name: string, err: unknown): string {
  if (err instanceof RecruitError) return err.message;
  if (err instanceof AuditTimeoutError) return unfinishedSentence({ kind: "time", budgetMs: err.budgetMs });
  deps.log.error({ err, target: name }, "skillproof: compare candidate failed");
  return "this candidate could not be audited (an error on our side, logged); please try again later.";
}

/** Every candidate audited in turn, for one role; best fit first, candidates that failed last. */
export async function shortlistFor(deps: CandidateDeps, role: Role, targets: CompareTarget[]): Promise<Shortlist> {
  const rows: ShortlistRow[] = [];
  for (const t of targets) {
    try {
      rows.push(await candidate(deps, role, t));
    } catch (err) {
      rows.push(errorRow(formatTarget(t), rowSentence(deps, formatTarget(t), err)));
    }
  }
  return { role: { id: role.id, title: role.title }, candidates: sortShortlist(rows) };
}

/** The shortlist written into its issue: the compare table (every cell escaped by its renderer), mentions quieted. */
export async function writeShortlist(octokit: AppOctokit, at: { owner: string; repo: string }, roleId: string, shortlist: Shortlist): Promise<ShortlistIssue> {
  return upsertShortlistIssue(octokit, at, roleId, quietMentions(renderShortlistMarkdown(shortlist)));
}
