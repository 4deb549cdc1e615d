import type { Report } from "./model.js";

/**
 * One completed default-branch audit of a public repository, as the app keeps
 * it for its report pages and badges (src/app/pages). Plain JSON: it is
 * written to a file or to Redis and read back by another process.
 */
export interface StoredAudit {
  /** As GitHub spells them; stored and looked up case-insensitively. */
  owner: string;
  repo: string;
  defaultBranch: string;
  /** The audited commit (40 hex). */
  commit: string;
  /** ISO time the audit completed. */
  auditedAt: string;
  /** ISO committer date of the commit, when known. */
  committedAt?: string;
  /** A fork: counted at half credit on its owner's portfolio page, as recruiter portfolios do. */
  fork?: boolean;
  report: Report;
}

/** One point of a repository's score history: an audited commit of its default branch. */
export interface HistoryPoint {
  commit: string;
  /** ISO time the audit completed. */
  date: string;
  score: number;
  /** Skill id → score (null: no applicable rule). */
  skills: Record<string, number | null>;
}

/** What a badge needs, cheap to read on every request: the score and what identifies the stored audit. */
export interface AuditSummary {
  owner: string;
  repo: string;
  score: number;
  commit: string;
  auditedAt: string;
}

/** History points kept per repository, oldest dropped first. */
export const HISTORY_CAP = 200;

export function historyPoint(audit: StoredAudit): HistoryPoint {
  return {
    commit: audit.commit,
    date: audit.auditedAt,
    score: audit.report.score,
    skills: Object.fromEntries(audit.report.skills.map((s) => [s.id, s.score])),
  };
}
