import type { Logger } from "probot";
import type { RuleSet } from "../../engine/types.js";
import { CHECK_NAME } from "../publish/checkRun.js";
import { commentCommandJob } from "../commands/run.js";
import { statusOf, type AppOctokit } from "../github/octokit.js";
import type { KeyedMutex } from "../queue/memory.js";
import { externalId, runAudit, type AuditRequest, type AuditResult } from "../audit/runAudit.js";

/**
 * Queued work is data, so it can wait in Redis and run on any replica: the
 * worker authenticates as the installation (`app.auth(installationId)`) and
 * calls the handler registered for the job's kind.
 */
export interface JobEnv {
  octokit: AppOctokit;
  /** Carries the delivery id and the job key. */
  log: Logger;
  ruleSet: () => RuleSet;
  /** Serialises report-issue writes per repository (across processes with Redis). */
  issueLock: KeyedMutex;
  /** 1 for a first run; more when a failed or interrupted run is run again. */
  attempt: number;
  /** Told of every audit that ends (metrics). */
  recordAudit?: (result: AuditResult, seconds: number) => void;
}

export type JobHandler<I> = (env: JobEnv, input: I) => Promise<void>;

/** An audit of one commit, as the webhook handler decided it. */
const auditJob: JobHandler<AuditRequest> = async (env, req) => {
  const outcome = await runAudit(env, req);
  if (env.attempt > 1) await completeInterruptedRuns(env, req, outcome.checkRunId);
};

/** A repository added to an installation: its payload lacks `archived` and `default_branch`, so the job looks them up. */
const installationRepoJob: JobHandler<{ owner: string; repo: string }> = async (env, { owner, repo }) => {
  const req = await resolveDefaultBranch(env, owner, repo);
  if (req) await runAudit(env, req);
};

/**
 * Job kinds and their handlers. Adding a kind is one line here; its input
 * type is the handler's second parameter.
 */
export const JOB_KINDS = {
  audit: auditJob,
  "installation-repo": installationRepoJob,
  "comment-command": commentCommandJob,
} satisfies Record<string, JobHandler<never>>;

export type JobKind = keyof typeof JOB_KINDS;
export type JobInput<K extends JobKind> = Parameters<(typeof JOB_KINDS)[K]>[1];

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

export function runJob(env: JobEnv, job: AnyJob): Promise<void> {
  const handler = JOB_KINDS[job.kind] as JobHandler<unknown>;
  if (!handler) throw new UnknownJobKindError(String(job.kind));
  return handler(env, job.input);
}

/** What a thread needs to run jobs: how it gets an installation's client, and the rest of `JobEnv`. */
export interface JobRunner extends Omit<JobEnv, "octokit" | "attempt" | "log"> {
  client: (installationId: number) => Promise<AppOctokit>;
  log: Logger;
}

/**
 * Runs one job the way every worker does (main thread or job thread): a log
 * carrying the delivery, installation, job key and attempt, the installation's
 * client, the handler. An audit job that fails before its audit starts (no
 * token: GitHub down, app uninstalled) still counts as an audit ended in
 * "error" and logs its line; the error is thrown on, for the queue.
 */
export async function executeJob(runner: JobRunner, job: AnyJob, attempt: number): Promise<void> {
  const log = runner.log.child({ delivery: job.deliveryId, installation: job.installationId, job: job.key, attempt });
  const started = process.hrtime.bigint();
  let octokit: AppOctokit;
  try {
    octokit = await runner.client(job.installationId);
  } catch (err) {
    if (job.kind === "audit" || job.kind === "installation-repo") {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      runner.recordAudit?.("error", seconds);
      const sha = job.kind === "audit" ? job.input.sha : undefined;
      log.info({ repo: `${job.input.owner}/${job.input.repo}`, sha, outcome: "error", durationMs: Math.round(seconds * 1000), status: statusOf(err) }, "skillproof: audit done");
    }
    throw err;
  }
  const { client: _client, log: _log, ...env } = runner;
  await runJob({ ...env, octokit, log, attempt }, job);
}

export class UnknownJobKindError extends Error {
  constructor(kind: string) {
    super(`unknown job kind "${kind}"`);
  }
}

/**
 * Worth running again later: GitHub 5xx (Octokit also reports network
 * failures as status 500), plain network errors, and a job thread dying under
 * the job. 4xx, bugs and bad input would fail the same way again.
 */
export function isTransient(err: unknown): boolean {
  // Marked by the app itself: a job thread that died under the job.
  if ((err as { transient?: unknown } | null)?.transient === true) return true;
  const status = statusOf(err);
  if (status !== undefined) return status >= 500;
  const code = (err as { code?: unknown; cause?: { code?: unknown } } | null)?.code ?? (err as { cause?: { code?: unknown } } | null)?.cause?.code;
  return typeof code === "string" && /^(ECONNRESET|ECONNREFUSED|ETIMEDOUT|EPIPE|EAI_AGAIN|ENOTFOUND|EHOSTUNREACH|ENETUNREACH|UND_ERR_\w+)$/.test(code);
}

/**
 * A run interrupted by a crash or a kill may have left its check run in
 * progress; the new run made its own, so the old one is closed, not left
 * spinning forever. Only runs of this purpose on this commit are touched.
 */
async function completeInterruptedRuns(env: JobEnv, req: AuditRequest, current: number | undefined): Promise<void> {
  try {
    const { data } = await env.octokit.rest.checks.listForRef({ owner: req.owner, repo: req.repo, ref: req.sha, check_name: CHECK_NAME, status: "in_progress", filter: "all" });
    for (const run of data.check_runs) {
      if (run.id === current || run.external_id !== externalId(req)) continue;
      await env.octokit.rest.checks.update({
        owner: req.owner,
        repo: req.repo,
        check_run_id: run.id,
        status: "completed",
        conclusion: "cancelled",
        output: { title: "Interrupted: audited again", summary: "The app stopped during this audit and audited the commit again: see the newer Skillproof check run.\n" },
      });
      env.log.info({ checkRun: run.id }, "skillproof: interrupted check run completed");
    }
  } catch (err) {
    env.log.warn({ err, status: statusOf(err) }, `skillproof: cannot close interrupted check runs of ${req.owner}/${req.repo}@${req.sha}`);
  }
}

/** The default branch's head of a newly added repository, or undefined (archived, empty, gone). Transient errors are thrown, to be retried. */
async function resolveDefaultBranch(env: JobEnv, owner: string, repo: string): Promise<AuditRequest | undefined> {
  try {
    const { data: r } = await env.octokit.rest.repos.get({ owner, repo });
    if (r.archived) {
      env.log.info({ repo: r.full_name }, "skillproof: archived repository, not audited");
      return undefined;
    }
    const { data: branch } = await env.octokit.rest.repos.getBranch({ owner, repo, branch: r.default_branch });
    const date = branch.commit.commit.committer?.date;
    return {
      owner,
      repo,
      sha: branch.commit.sha,
      ref: `refs/heads/${r.default_branch}`,
      purpose: "default",
      sizeKb: r.size,
      ...(date ? { commitDate: date } : {}),
    };
  } catch (err) {
    if (isTransient(err)) throw err;
    // A repository without commits has no default branch yet: 404 on the branch.
    if (statusOf(err) === 404) env.log.info({ repo: `${owner}/${repo}` }, "skillproof: empty or missing repository, nothing to audit");
    else env.log.error({ err, status: statusOf(err) }, `skillproof: cannot look up ${owner}/${repo}`);
    return undefined;
  }
}
