import { HISTORY_CAP, type AuditSummary, type HistoryPoint, type StoredAudit } from "../../../report/stored.js";

/**
 * The rules both ReportStore implementations share: which names are keys,
 * how big a stored audit may be, when a save replaces the latest audit, and
 * how a history point joins the history. One module, so the file and Redis
 * stores cannot drift apart.
 */

/** A stored audit's JSON larger than this is refused: the pages never read more per repository. */
export const MAX_AUDIT_BYTES = 4 * 1024 * 1024;

/** GitHub's rules for names: a login starts with a letter or digit; a repository is not "." or "..". */
const OWNER = /^[A-Za-z0-9][A-Za-z0-9-]{0,38}$/;
const REPO = /^[A-Za-z0-9._-]{1,100}$/;

/** A repository's storage key, lowercased; undefined when GitHub would not allow the names (so they never reach a path or a Redis key). */
export interface RepoKey {
  owner: string;
  repo: string;
}

export function ownerKey(owner: string): string | undefined {
  return typeof owner === "string" && OWNER.test(owner) ? owner.toLowerCase() : undefined;
}

export function repoKey(owner: string, repo: string): RepoKey | undefined {
  const o = ownerKey(owner);
  if (o === undefined || typeof repo !== "string" || !REPO.test(repo) || repo === "." || repo === "..") return undefined;
  return { owner: o, repo: repo.toLowerCase() };
}

/** The key of an audit about to be saved; a name GitHub would not allow is a caller's bug, said plainly. */
export function saveKey(audit: StoredAudit): RepoKey {
  const key = repoKey(audit.owner, audit.repo);
  if (!key) throw new Error(`report store: refusing to save an audit of "${String(audit.owner).slice(0, 60)}/${String(audit.repo).slice(0, 120)}": not a valid GitHub owner/repository name`);
  return key;
}

/** The audit's JSON, refused (nothing written) when over MAX_AUDIT_BYTES or when its score is not a number. */
export function encodeAudit(audit: StoredAudit): string {
  if (typeof audit.report?.score !== "number" || !Number.isFinite(audit.report.score)) {
    throw new Error(`report store: refusing to save ${audit.owner}/${audit.repo}: the report has no numeric score`);
  }
  const json = JSON.stringify(audit);
  const bytes = Buffer.byteLength(json);
  if (bytes > MAX_AUDIT_BYTES) {
    throw new Error(`report store: refusing to save ${audit.owner}/${audit.repo}: its report is ${bytes} bytes of JSON, over the ${MAX_AUDIT_BYTES}-byte limit`);
  }
  return json;
}

export function summaryOf(audit: StoredAudit): AuditSummary {
  return { owner: audit.owner, repo: audit.repo, score: audit.report.score, commit: audit.commit, auditedAt: audit.auditedAt };
}

/** Milliseconds of an ISO date, or undefined when absent or unparseable. */
export function committedMs(committedAt: string | undefined): number | undefined {
  if (typeof committedAt !== "string") return undefined;
  const ms = Date.parse(committedAt);
  return Number.isFinite(ms) ? ms : undefined;
}

/**
 * Whether an incoming audit becomes the latest: always, unless the stored one
 * is of another commit committed strictly later (an older commit's audit that
 * finished late). Unknown dates never block a save.
 */
export function replacesLatest(stored: { commit: string; committedAt?: string } | undefined, incoming: StoredAudit): boolean {
  if (!stored || stored.commit === incoming.commit) return true;
  const was = committedMs(stored.committedAt);
  const now = committedMs(incoming.committedAt);
  return was === undefined || now === undefined || !(was > now);
}

/** The history with the point in it: replacing the same commit's point in place, else appended; the oldest dropped past HISTORY_CAP. */
export function withPoint(history: readonly HistoryPoint[], point: HistoryPoint): HistoryPoint[] {
  const at = history.findIndex((p) => p.commit === point.commit);
  if (at >= 0) return history.map((p, i) => (i === at ? point : p));
  return [...history, point].slice(-HISTORY_CAP);
}

/** Highest score first, then by repository name, so equal scores list the same way every time. */
export function bySummaryRank(a: AuditSummary, b: AuditSummary): number {
  if (a.score !== b.score) return b.score - a.score;
  const x = a.repo.toLowerCase();
  const y = b.repo.toLowerCase();
  return x < y ? -1 : x > y ? 1 : 0;
}

/** How many summaries a portfolio asks for, as a whole number (0 for anything unusable). */
export function summaryLimit(limit: number): number {
  return Number.isFinite(limit) && limit > 0 ? Math.floor(limit) : 0;
}

// What is read back is checked for shape: a corrupt or hand-edited record reads as absent, never as a crash in a page.

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

export function parseAudit(json: string | null | undefined): StoredAudit | undefined {
  const v = parseJson(json);
  if (!isObject(v) || typeof v.owner !== "string" || typeof v.repo !== "string" || typeof v.commit !== "string" || typeof v.auditedAt !== "string") return undefined;
  if (!isObject(v.report) || typeof v.report.score !== "number" || !Array.isArray(v.report.skills)) return undefined;
  return v as unknown as StoredAudit;
}

export function parseSummary(json: string | null | undefined): AuditSummary | undefined {
  const v = parseJson(json);
  if (!isObject(v) || typeof v.owner !== "string" || typeof v.repo !== "string" || typeof v.score !== "number" || typeof v.commit !== "string" || typeof v.auditedAt !== "string") return undefined;
  return v as unknown as AuditSummary;
}

export function parsePoint(json: unknown): HistoryPoint | undefined {
  const v = typeof json === "string" ? parseJson(json) : json;
  if (!isObject(v) || typeof v.commit !== "string" || typeof v.date !== "string" || typeof v.score !== "number" || !isObject(v.skills)) return undefined;
  return v as unknown as HistoryPoint;
}

function parseJson(json: string | null | undefined): unknown {
  if (typeof json !== "string") return undefined;
  try {
    return JSON.parse(json);
  } catch {
    return undefined;
  }
}
