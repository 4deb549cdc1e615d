import type { RuleSet } from "../engine/types.js";
import type { Report } from "../report/model.js";
import type { Role } from "../roles/types.js";
import type { GitHubTreeClient } from "../sources/github/client.js";
import type { Framework, LanguageShare } from "../stack/index.js";

/**
 * The slice of an Octokit client recruiter audits use: ProbotOctokit in the
 * app, @octokit/rest in the CLI. Typed structurally so neither is imported.
 * `graphql` is only called when the audit runs with `graphql: true`.
 */
export type RecruitOctokit = GitHubTreeClient & {
  // Octokit's own `request` type is a large overload set; any of them fits this.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  request: (route: string, params?: Record<string, unknown>) => Promise<{ status: number; data: any; headers: Record<string, unknown> }>;
};

/** CI on the default branch's head, from its check runs (REST) or status rollup (GraphQL); "unknown" when GitHub would not say. */
export type CiState = "passing" | "failing" | "pending" | "none" | "unknown";

/** Is this repository the candidate's own work, and is it alive? */
export interface Attribution {
  /** The GitHub login whose share is measured; null for an organization's repository audited without a candidate. */
  candidate: string | null;
  /** "owner/repo" this repository was forked from, null when it is not a fork. */
  forkOf: string | null;
  /** "owner/repo" of the template it was generated from, or null. */
  template: string | null;
  defaultBranch: string;
  /**
   * Commits on the default branch: all, and the candidate's. null when GitHub
   * gives no figures (an empty repository, or history too large to count) or
   * there is no candidate.
   */
  commits: { total: number; byCandidate: number; share: number } | null;
  /** ISO time of the last push, when GitHub reports one. */
  lastPush: string | null;
  ci: CiState;
  stars: number;
  /** The candidate authored less than LOW_SHARE of the default branch's commits. */
  lowShare: boolean;
  /** Not a fork and not lowShare: evidence here counts in full in a portfolio. */
  ownWork: boolean;
}

export interface RepoAudit {
  report: Report;
  attribution?: Attribution;
  /** GitHub API requests this audit made (content, metadata, attribution, CI). */
  requests: number;
}

/** A skill's strongest evidence across a portfolio. */
export interface PortfolioSkill {
  id: string;
  title: string;
  weight: number;
  /** The best credited score across repositories (skill score × credit), null when no repository has applicable rules. */
  score: number | null;
  /** The repository that proves it ("owner/repo"), or null. */
  repo: string | null;
  /** That repository's own score for the skill, before credit. */
  repoScore: number | null;
  ownWork: boolean;
  passed: number;
  applicable: number;
}

export interface PortfolioAudit {
  user: string;
  repos: RepoAudit[];
  /** Repositories considered but not audited, and why ("fork without commits by @x", "empty", ...). */
  skipped: Array<{ repo: string; reason: string }>;
  /** Public, non-archived repositories the user owns, as listed. */
  listed: number;
  /** Portfolio score, 0-100: see docs/portfolio.md. */
  score: number;
  skills: PortfolioSkill[];
  stack: { languages: LanguageShare[]; mainLanguage: string | null; frameworks: Array<Framework & { repos: string[] }> };
  requests: number;
}

export interface RepoTarget {
  owner: string;
  repo: string;
  ref?: string;
}

export interface AuditRepositoryOptions {
  ruleSet: RuleSet;
  graphql: boolean;
  /** Whose share of the commits is measured (default: the repository's owner). */
  candidate?: string;
  /** Minimum score: the report then says whether it is met (`passed`). */
  threshold?: number;
  /** Wall-clock budget: the engine stops past it (Date.now() ms, src/engine/budget.ts). */
  budget?: { deadline: number; ms: number };
  /** The role the report measures fit for (report.role, src/roles/). */
  role?: Role;
}

export interface AuditPortfolioOptions {
  ruleSet: RuleSet;
  graphql: boolean;
  /** How many repositories to audit (default 6, at most 20). */
  maxRepos?: number;
  onProgress?: (done: number, total: number, repo: string) => void;
  /** Wall-clock budget for the whole portfolio (Date.now() ms, src/engine/budget.ts). */
  budget?: { deadline: number; ms: number };
  /** The role each repository's report measures fit for (combined by portfolioRoleFit). */
  role?: Role;
}
