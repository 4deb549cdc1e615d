import { REPLY_CACHE_MS } from "./limits.js";

/**
 * The last rendered report of a commit, so the same `owner/repo@sha` asked
 * for again within minutes is answered without reading the repository again.
 * Keyed by installation, repository, resolved commit and candidate: a
 * different installation (another token, another audience) never shares an
 * entry. Only the report is kept, never the decision to show it: the asker's
 * permission and the visibility rule are checked again before every answer.
 * In this process (each job thread keeps its own).
 */
export interface CachedReport {
  /** The rendered report, mentions quieted, without the asker's heading. */
  markdown: string;
  score: number;
}

export interface ReplyCache {
  get(key: string): CachedReport | undefined;
  set(key: string, report: CachedReport): void;
}

export class MemoryReplyCache implements ReplyCache {
  private readonly entries = new Map<string, { report: CachedReport; expires: number }>();

  constructor(
    private readonly ttlMs = REPLY_CACHE_MS,
    /** Entries kept at most; a report is at most 64 KiB, so this bounds the cache to a few MB. */
    private readonly max = 64,
    private readonly now: () => number = Date.now,
  ) {}

  get(key: string): CachedReport | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expires <= this.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.report;
  }

  set(key: string, report: CachedReport): void {
    this.entries.delete(key);
    this.entries.set(key, { report, expires: this.now() + this.ttlMs });
    while (this.entries.size > this.max) this.entries.delete(this.entries.keys().next().value!);
  }
}

/** The cache key of a repository report: installation, `owner/repo@sha` and candidate. */
export function reportKey(installationId: number, target: { owner: string; repo: string; sha: string; candidate: string | null }): string {
  return `${installationId}:${target.owner}/${target.repo}@${target.sha}:${target.candidate ?? ""}`.toLowerCase();
}

/** This process's (or job thread's) cache, for jobs run without one of their own. */
export const processReplyCache = new MemoryReplyCache();
