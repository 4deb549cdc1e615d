import { wholeLinesWithin } from "../../report/safeMarkdown.js";
import type { AppOctokit } from "../github/octokit.js";

export const ISSUE_TITLE = "Skillproof report";
export const ISSUE_LABEL = "skillproof";
/** GitHub rejects issue bodies over 65,536 characters. */
export const MAX_ISSUE_BODY = 65536;

const MARKER_RE = /<!-- skillproof:commit=([0-9a-f]{7,64}) at=(\S+) -->/;

export interface Marker {
  sha: string;
  /** ISO time of the audited commit (its committer date). */
  at: string;
}

export function renderMarker(m: Marker): string {
  return `<!-- skillproof:commit=${m.sha} at=${m.at} -->`;
}

export function parseMarker(body: string | null | undefined): Marker | undefined {
  const m = body ? MARKER_RE.exec(body) : null;
  return m ? { sha: m[1]!, at: m[2]! } : undefined;
}

/**
 * The body: the marker first (so trimming never cuts it), then the report,
 * within GitHub's limit. The renderer already fits the report; if it did not,
 * whole lines are kept, since a cut inside a code span would let the file name
 * it held render as Markdown.
 */
export function issueBody(markdown: string, marker: Marker): string {
  const head = `${renderMarker(marker)}\n`;
  return head + wholeLinesWithin(markdown, MAX_ISSUE_BODY - head.length);
}

export type IssueOutcome = "created" | "updated" | "unchanged" | "stale";

interface ExistingIssue {
  number: number;
  marker: Marker;
  body: string;
}

/**
 * Creates or updates the one report issue of a repository. The caller holds
 * the repository's lock, so two audits never race between find and create.
 * The issue is found by its label and marker among open and closed issues
 * (a closed report stays closed but is still kept current, never duplicated).
 * An audit of a commit older than the one the issue reports is skipped.
 */
export async function upsertReportIssue(
  octokit: AppOctokit,
  at: { owner: string; repo: string },
  marker: Marker,
  markdown: string,
): Promise<{ outcome: IssueOutcome; number?: number }> {
  const existing = await findReportIssue(octokit, at);
  const body = issueBody(markdown, marker);
  if (existing) {
    if (isNewer(existing.marker, marker)) return { outcome: "stale", number: existing.number };
    if (existing.body === body) return { outcome: "unchanged", number: existing.number };
    await octokit.rest.issues.update({ ...at, issue_number: existing.number, title: ISSUE_TITLE, body });
    return { outcome: "updated", number: existing.number };
  }
  // GitHub creates a label named on a new issue when the repository lacks it: no separate write.
  const { data } = await octokit.rest.issues.create({ ...at, title: ISSUE_TITLE, body, labels: [ISSUE_LABEL] });
  return { outcome: "created", number: data.number };
}

/** Is what the issue shows from a strictly newer commit than `incoming`? Same commit: not stale (a re-run refreshes it). */
function isNewer(stored: Marker, incoming: Marker): boolean {
  if (stored.sha === incoming.sha) return false;
  const a = Date.parse(stored.at);
  const b = Date.parse(incoming.at);
  return Number.isFinite(a) && Number.isFinite(b) && a > b;
}

/** Every issue carrying the app's label, open or closed, oldest first: where the app's own issues are looked for. */
export async function listLabelledIssues(octokit: AppOctokit, at: { owner: string; repo: string }) {
  return octokit.paginate(octokit.rest.issues.listForRepo, {
    ...at,
    labels: ISSUE_LABEL,
    state: "all",
    sort: "created",
    direction: "asc",
    per_page: 100,
  });
}

async function findReportIssue(octokit: AppOctokit, at: { owner: string; repo: string }): Promise<ExistingIssue | undefined> {
  const issues = await listLabelledIssues(octokit, at);
  for (const issue of issues) {
    // Only the app's own issue: a bot-authored issue (not a pull request) carrying the marker.
    if (issue.pull_request || issue.user?.type !== "Bot") continue;
    const marker = parseMarker(issue.body);
    if (marker) return { number: issue.number, marker, body: issue.body ?? "" };
  }
  return undefined;
}
