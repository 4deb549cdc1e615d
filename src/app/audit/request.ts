/** What one audit is asked to do and how it ended: plain data and pure functions, no I/O (webhook handlers and thread messages import this, not the pipeline). */

/**
 * What to audit and what to do with it:
 * - "default": a commit of the default branch: check run + the report issue;
 * - "pull": a pull request's head, compared with its base: check run only;
 * - "commit": any other commit (a re-run on a branch without a pull request): check run only.
 */
export type Purpose = "default" | "pull" | "commit";

export interface AuditRequest {
  owner: string;
  repo: string;
  sha: string;
  ref?: string;
  purpose: Purpose;
  /** The commit's committer date (ISO), when the event carried it; fetched when the issue needs it. */
  commitDate?: string;
  /**
   * A pull request: its number, its base commit, and `fork` when its head is
   * in another repository, whose author then controls the head's files: the
   * config is read from the base commit instead, as GitHub does for
   * `pull_request_target` (docs/adr/0002).
   */
  pull?: { number: number; baseSha: string; fork?: boolean };
  /** The repository's size in KiB from the webhook's `repository.size`: picks the read path (docs/read-path.md). */
  sizeKb?: number;
  /**
   * true only when GitHub said the repository is public (`private: false` and no other visibility):
   * only then is a default-branch audit kept for the report pages. Absent counts as private.
   */
  public?: boolean;
  /** The repository is a fork (its owner's portfolio page credits it at half). */
  fork?: boolean;
}

/** The request's `public` and `fork` fields from a webhook's or the API's repository object. */
export function visibilityOf(repo: { private?: boolean | null; visibility?: string | null; fork?: boolean | null }): Pick<AuditRequest, "public" | "fork"> {
  return { public: isPublicRepository(repo), ...(repo.fork ? { fork: true } : {}) };
}

/** What a webhook's or the API's repository object says about who may read it: public only when it says so plainly. */
export function isPublicRepository(repo: { private?: boolean | null; visibility?: string | null }): boolean {
  return repo.private === false && (repo.visibility === undefined || repo.visibility === null || repo.visibility === "public");
}

/**
 * How an audit ended, for logs and metrics: "reported" (a report, published),
 * "invalid-config" and "empty" (the repository's doing: a check run says so),
 * "error" (a GitHub or internal failure: no report, or no check run for it).
 */
/** How an audit ended, as metrics and logs count it: "timed-out" and "out-of-memory" are audits stopped by their budget. */
export type AuditResult = "reported" | "invalid-config" | "empty" | "timed-out" | "out-of-memory" | "error";

/** The check run's external_id carries the purpose (and a fork's mark), so a re-run knows what it re-runs and whose config to use. */
export function externalId(req: Pick<AuditRequest, "purpose" | "pull">): string {
  return req.purpose === "pull" && req.pull ? `pull:${req.pull.number}:${req.pull.baseSha}${req.pull.fork ? ":fork" : ""}` : req.purpose;
}

export function parseExternalId(id: string | null | undefined): Pick<AuditRequest, "purpose" | "pull"> | undefined {
  if (id === "default" || id === "commit") return { purpose: id };
  const m = /^pull:(\d+):([0-9a-f]{40})(:fork)?$/.exec(id ?? "");
  return m ? { purpose: "pull", pull: { number: Number(m[1]), baseSha: m[2]!, ...(m[3] ? { fork: true } : {}) } } : undefined;
}
