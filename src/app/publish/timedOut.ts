import type { AppOctokit } from "../github/octokit.js";
import { createCompletedCheckRun } from "./checkRun.js";

/** One job's wall-clock budget: when it ends (a `Date.now()` timestamp) and how long it was, for the message. */
export interface AuditBudget {
  deadline: number;
  ms: number;
}

export function budgetFrom(ms: number, now = Date.now()): AuditBudget {
  return { deadline: now + ms, ms };
}

/** Why a job was stopped before it could publish its own result. */
export type OutOfBudget = { kind: "time"; budgetMs: number } | { kind: "memory"; limitMb: number };

/**
 * GitHub's conclusions for an audit that did not finish. `timed_out` and
 * `failure` both block a required check, on purpose: the content of a pull
 * request can make an audit slow or big, so "could not audit" must never read
 * as "passed" (`neutral` and `skipped` do, for branch protection).
 */
export type UnfinishedConclusion = "timed_out" | "failure";

export interface UnfinishedOutput {
  conclusion: UnfinishedConclusion;
  title: string;
  summary: string;
}

const seconds = (ms: number): string => `${Math.round((ms / 1000) * 10) / 10} s`;

/** What the check run says when an audit stopped: out of time or out of memory. */
export function unfinishedOutput(why: OutOfBudget): UnfinishedOutput {
  if (why.kind === "time") {
    return {
      conclusion: "timed_out",
      title: `Audit ran out of time (${seconds(why.budgetMs)} budget)`,
      summary:
        `Skillproof stopped auditing this commit after ${seconds(why.budgetMs)}, the time one audit may take, so there is no report.\n\n` +
        `Very large repositories, or configs whose \`ignore\`/\`paths\` patterns are costly to match, can take longer. ` +
        `Use **Re-run audit** to try again; the operator sets the budget with \`SKILLPROOF_AUDIT_TIMEOUT_MS\`.\n`,
    };
  }
  return {
    conclusion: "failure",
    title: `Audit ran out of memory (${why.limitMb} MB limit)`,
    summary:
      `Skillproof stopped auditing this commit because it needed more than ${why.limitMb} MB of memory, so there is no report.\n\n` +
      `Use **Re-run audit** to try again; the operator sets the limit with \`SKILLPROOF_THREAD_MEMORY_MB\`.\n`,
  };
}

/** The one sentence a comment command gets instead of a report. */
export function unfinishedSentence(why: OutOfBudget): string {
  return why.kind === "time"
    ? `the audit ran out of time (${seconds(why.budgetMs)} budget), so there is no report; please try again later.`
    : `the audit ran out of memory (${why.limitMb} MB limit), so there is no report.`;
}

/** Creates the completed check run of an audit that did not finish (one write). Returns its id. */
export async function publishUnfinishedCheckRun(
  octokit: AppOctokit,
  at: { owner: string; repo: string; sha: string; externalId: string },
  why: OutOfBudget | UnfinishedOutput,
): Promise<number> {
  const out = "kind" in why ? unfinishedOutput(why) : why;
  return createCompletedCheckRun(octokit, at, { conclusion: out.conclusion, title: out.title, summary: out.summary });
}
