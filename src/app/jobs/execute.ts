import type { Logger } from "probot";
import { statusOf, type AppOctokit } from "../github/octokit.js";
import { budgetFrom } from "../publish/timedOut.js";
import { runJob } from "./registry.js";
import type { AnyJob, JobEnv } from "./types.js";

/** What a thread needs to run jobs: how it gets an installation's client, and the rest of `JobEnv`. */
export interface JobRunner extends Omit<JobEnv, "octokit" | "attempt" | "log" | "budget"> {
  client: (installationId: number) => Promise<AppOctokit>;
  log: Logger;
  /** Each job's wall-clock budget, counted from when it starts here (SKILLPROOF_AUDIT_TIMEOUT_MS). */
  budgetMs?: number;
}

/**
 * Runs one job the way every worker does (main thread or job thread): a log
 * carrying the delivery, installation, job key and attempt, the installation's
 * client, the handler, and the job's budget (its clock starts here, not in
 * the queue). An audit job that fails before its audit starts (no
 * token: GitHub down, app uninstalled) still counts as an audit ended in
 * "error" and logs its line; the error is thrown on, for the queue.
 */
export async function executeJob(runner: JobRunner, job: AnyJob, attempt: number): Promise<void> {
  const log = runner.log.child({ delivery: job.deliveryId, installation: job.installationId, job: job.key, attempt });
  const started = process.hrtime.bigint();
  const budget = runner.budgetMs !== undefined ? budgetFrom(runner.budgetMs) : undefined;
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
  const { client: _client, log: _log, budgetMs: _budgetMs, ...env } = runner;
  await runJob({ ...env, octokit, log, attempt, ...(budget ? { budget } : {}) }, job);
}
