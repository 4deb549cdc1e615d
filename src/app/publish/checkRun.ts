import type { Report } from "../../report/model.js";
import { cutWithin, plainText, wholeLinesWithin } from "../../report/safeMarkdown.js";
import type { AppOctokit } from "../github/octokit.js";

export const CHECK_NAME = "Skillproof";
export const RERUN_ACTION = { label: "Re-run audit", description: "Audit this commit again", identifier: "rerun" } as const;
/** GitHub's limits: summary and text 65,535 characters, 50 annotations per request. */
export const MAX_OUTPUT_LENGTH = 65535;
export const ANNOTATIONS_PER_REQUEST = 50;
/**
 * Annotations per check run: what one request carries. More would cost a
 * PATCH each, every one a request in the installation's write lane; the
 * summary lists all the evidence anyway.
 */
export const MAX_ANNOTATIONS = ANNOTATIONS_PER_REQUEST;

export type Conclusion = "success" | "failure" | "neutral" | "action_required" | "cancelled" | "timed_out";

export interface Annotation {
  path: string;
  start_line: number;
  end_line: number;
  annotation_level: "notice" | "warning" | "failure";
  title: string;
  message: string;
}

export interface CheckOutput {
  conclusion: Conclusion;
  title: string;
  summary: string;
  text?: string;
  annotations?: Annotation[];
  /** Where "Details" leads: the repository's report page, when the app serves one for it. */
  detailsUrl?: string;
}

interface Repo {
  owner: string;
  repo: string;
}

/**
 * Publishes the audit as one request: the check run is created already
 * completed, with its conclusion, output, at most 50 annotations and the
 * Re-run button. There is no in-progress run to complete later, so a crash
 * mid-audit leaves nothing spinning, and an audit costs one write, not 2–5.
 * Returns the check run's id.
 */
export async function createCompletedCheckRun(octokit: AppOctokit, at: Repo & { sha: string; externalId: string }, out: CheckOutput): Promise<number> {
  const annotations = (out.annotations ?? []).slice(0, MAX_ANNOTATIONS);
  const { data } = await octokit.rest.checks.create({
    owner: at.owner,
    repo: at.repo,
    name: CHECK_NAME,
    head_sha: at.sha,
    external_id: at.externalId,
    status: "completed",
    conclusion: out.conclusion,
    completed_at: new Date().toISOString(),
    output: {
      // GitHub shows the title as plain text; it may hold a config file's name (failureOutput).
      title: cutWithin(plainText(out.title), 255),
      summary: clip(out.summary),
      ...(out.text ? { text: clip(out.text) } : {}),
      ...(annotations.length > 0 ? { annotations } : {}),
    },
    actions: [{ ...RERUN_ACTION }],
    ...(out.detailsUrl ? { details_url: out.detailsUrl } : {}),
  });
  return data.id;
}

/** The last guard over a summary or text: whole lines only, so no code span holding a file name is left open. */
function clip(s: string): string {
  if (s.length <= MAX_OUTPUT_LENGTH) return s;
  const note = "\n\n_…cut to fit GitHub's size limit._\n";
  return wholeLinesWithin(s, MAX_OUTPUT_LENGTH - note.length) + note;
}

/** "Skills score 72/100 · 31 of 52 evidence items" */
export function checkTitle(report: Report, suffix = ""): string {
  return `Skills score ${report.score}/100${suffix} · ${report.summary.passed} of ${report.summary.applicable} evidence items`;
}

/** Neutral unless the config sets a threshold. */
export function conclusionFor(report: Report): Conclusion {
  if (report.passed === null) return "neutral";
  return report.passed ? "success" : "failure";
}

/**
 * A notice on each line of passing evidence: where the proof is, shown on the
 * file. GitHub shows an annotation's title and message as plain text; the
 * snippet is a line of the repository, so it goes through `plainText` (no
 * control characters, nothing that links), and both are cut on whole characters.
 */
export function annotationsFor(report: Report): Annotation[] {
  const out: Annotation[] = [];
  for (const r of report.rules) {
    if (r.status !== "pass") continue;
    for (const e of r.evidence) {
      if (!e.line || e.path === ".") continue;
      out.push({
        path: e.path,
        start_line: e.line,
        end_line: e.line,
        annotation_level: "notice",
        title: cutWithin(`✓ ${plainText(r.title)}`, 255),
        message: cutWithin(`Evidence for ${r.id}${e.snippet ? `: ${plainText(e.snippet)}` : ""}`, 4000),
      });
      if (out.length >= MAX_ANNOTATIONS) return out;
    }
  }
  return out;
}
