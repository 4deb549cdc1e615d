import type { AuditSummary, HistoryPoint, StoredAudit } from "../../../report/stored.js";

/**
 * Where the report pages' data lives: the latest audit and the score history
 * of each public repository's default branch. Two implementations with one
 * behaviour: files in SKILLPROOF_DATA_DIR (one instance), or Redis (replicas
 * share it). Keys are case-insensitive ("Octo/Repo" is "octo/repo").
 *
 * Only public repositories are ever saved (the caller checks the webhook's
 * visibility); `hide` is how a repository made private disappears at once and
 * stays gone even if an audit started before it finishes later.
 */
export interface ReportStore {
  /**
   * Keeps the audit as the repository's latest, unless the stored latest is
   * of a different commit with a strictly later `committedAt` (an older
   * commit's audit that finished late never replaces a newer one's), and
   * records its history point: a re-audit of a commit replaces that commit's
   * point; at most HISTORY_CAP points, oldest dropped. Returns false, saving
   * nothing, when the repository is hidden.
   */
  save(audit: StoredAudit): Promise<boolean>;
  /** The latest audit, or undefined (never saved, removed, or hidden). */
  latest(owner: string, repo: string): Promise<StoredAudit | undefined>;
  /** The latest audit's score and identity, without reading the whole report (badges, ETags). */
  summary(owner: string, repo: string): Promise<AuditSummary | undefined>;
  /** The history, oldest first; empty when there is none. */
  history(owner: string, repo: string): Promise<HistoryPoint[]>;
  /** The summaries of an owner's repositories (a portfolio page), at most `limit`, highest score first. */
  ownerRepos(owner: string, limit: number): Promise<AuditSummary[]>;
  /** Forgets the repository (deleted, uninstalled, renamed away). */
  remove(owner: string, repo: string): Promise<void>;
  /** Forgets it and refuses saves until `unhide` (made private). */
  hide(owner: string, repo: string): Promise<void>;
  /** Accepts saves again (made public). */
  unhide(owner: string, repo: string): Promise<void>;
  close(): Promise<void>;
}
