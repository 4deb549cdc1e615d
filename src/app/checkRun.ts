import type { Report } from "../report/model.js";
import type { AppOctokit } from "./octokit.js";

export const CHECK_NAME = "Skillproof";
export const RERUN_ACTION = { label: "Re-run audit", description: "Audit this commit again", identifier: "rerun" } as const;
/** GitHub's limits: summary and text 65,535 characters, 50 annotations per request. */
export const MAX_OUTPUT_LENGTH = 65535;
export const ANNOTATIONS_PER_REQUEST = 50;
/** Annotations per check run: enough for every line of evidence in a typical report, and at most 4 requests. */
export const MAX_ANNOTATIONS = 200;

export type Conclusion = "success" | "failure" | "neutral" | "action_required" | "cancelled";

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
}

interface Repo {
  owner: string;
  repo: string;
}

/** Creates the check run `in_progress` and returns its id. */
export async function startCheckRun(octokit: AppOctokit, at: Repo & { sha: string; externalId: string }): Promise<number> {
  const { data } = await octokit.rest.checks.create({
    owner: at.owner,
    repo: at.repo,
    name: CHECK_NAME,
    head_sha: at.sha,
    external_id: at.externalId,
    status: "in_progress",
    started_at: new Date().toISOString(),
  });
  return data.id;
}

/**
 * Completes the check run: the first request sets the conclusion, output and
 * the first 50 annotations; each further request appends the next 50 (GitHub
 * appends annotations on update). Returns the number of requests made.
 */
export async function completeCheckRun(octokit: AppOctokit, at: Repo & { checkRunId: number }, out: CheckOutput): Promise<number> {
  const title = out.title.slice(0, 255);
  const summary = clip(out.summary);
  const annotations = (out.annotations ?? []).slice(0, MAX_ANNOTATIONS);
  const chunks: Annotation[][] = [];
  for (let i = 0; i < annotations.length; i += ANNOTATIONS_PER_REQUEST) chunks.push(annotations.slice(i, i + ANNOTATIONS_PER_REQUEST));
  await octokit.rest.checks.update({
    owner: at.owner,
    repo: at.repo,
    check_run_id: at.checkRunId,
    status: "completed",
    conclusion: out.conclusion,
    completed_at: new Date().toISOString(),
    output: { title, summary, ...(out.text ? { text: clip(out.text) } : {}), ...(chunks[0] ? { annotations: chunks[0] } : {}) },
    actions: [{ ...RERUN_ACTION }],
  });
  for (const chunk of chunks.slice(1)) {
    await octokit.rest.checks.update({ owner: at.owner, repo: at.repo, check_run_id: at.checkRunId, output: { title, summary, annotations: chunk } });
  }
  return Math.max(1, chunks.length);
}

function clip(s: string): string {
  if (s.length <= MAX_OUTPUT_LENGTH) return s;
  const note = "\n\n_…cut to fit GitHub's size limit._\n";
  return s.slice(0, MAX_OUTPUT_LENGTH - note.length) + note;
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

/** A notice on each line of passing evidence: where the proof is, shown on the file. */
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
        title: `✓ ${r.title}`.slice(0, 255),
        message: `Evidence for ${r.id}${e.snippet ? `: ${e.snippet}` : ""}`.slice(0, 4000),
      });
      if (out.length >= MAX_ANNOTATIONS) return out;
    }
  }
  return out;
}
