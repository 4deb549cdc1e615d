import type { Logger } from "probot";
import type { RuleSet } from "../../engine/types.js";
import type { AuditRequest, AuditResult } from "../audit/request.js";
import type { CommentCommandJob, CommentNoticeJob } from "../commands/run.js";
import type { AppOctokit } from "../github/octokit.js";
import type { AuditBudget } from "../publish/timedOut.js";
import type { ReportStore } from "../pages/store/types.js";
import type { KeyedLock } from "../state/types.js";

/**
 * Queued work is data, so it can wait in Redis and run on any replica: the
 * worker authenticates as the installation (`app.auth(installationId)`) and
 * calls the handler registered for the job's kind (`registry.ts`).
 */
export interface JobEnv {
  octokit: AppOctokit;
  /** Carries the delivery id and the job key. */
  log: Logger;
  ruleSet: () => RuleSet;
  /** Serialises report-issue writes per repository (across processes with Redis). */
  issueLock: KeyedLock;
  /** 1 for a first run; more when a failed or interrupted run is run again. */
  attempt: number;
  /** Told of every audit that ends (metrics). */
  recordAudit?: (result: AuditResult, seconds: number) => void;
  /** This run's wall-clock budget (SKILLPROOF_AUDIT_TIMEOUT_MS), from when it started. */
  budget?: AuditBudget;
  /** Where public repositories' default-branch audits are kept for the report pages. */
  reports?: ReportStore;
  /** The app's public address (SKILLPROOF_PUBLIC_URL), for links to the pages. */
  publicUrl?: string;
}

export type JobHandler<I> = (env: JobEnv, input: I) => Promise<void>;

/**
 * Each job kind and its input, as data. Written out (not read off the
 * handlers' parameters) so that the queue and the threads can name a job
 * without importing the handlers; `JOB_KINDS` is checked against it.
 */
export interface JobInputs {
  /** An audit of one commit, as the webhook handler decided it. */
  audit: AuditRequest;
  /** A repository added to an installation. */
  "installation-repo": { owner: string; repo: string };
  /** A `/skillproof audit` comment command. */
  "comment-command": CommentCommandJob;
  /** The one polite reply to a commenter over a command cap, or the answer to a comment without a valid command. */
  "comment-notice": CommentNoticeJob;
}

export type JobKind = keyof JobInputs;
export type JobInput<K extends JobKind> = JobInputs[K];

export interface Job<K extends JobKind = JobKind> {
  kind: K;
  /** Coalescing key: a waiting job with the same key is replaced; two never run at once. */
  key: string;
  installationId: number;
  /** The webhook delivery that asked for it, for the logs. */
  deliveryId: string;
  input: JobInput<K>;
}

export type AnyJob = { [K in JobKind]: Job<K> }[JobKind];
