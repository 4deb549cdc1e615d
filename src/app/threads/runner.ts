import type { Probot } from "probot";
import { installationClient } from "../github/lanes.js";
import { statusOf } from "../github/octokit.js";
import type { AnyJob } from "../jobs/types.js";
import type { AppMetrics } from "../metrics.js";
import type { ScaleSettings } from "../settings.js";
import { publishOutOfBudget } from "./outOfBudget.js";
import { JobStoppedError, JobThreadPool } from "./pool.js";

export interface ThreadedRunner {
  run: (job: AnyJob, attempt: number) => Promise<void>;
  close: () => Promise<void>;
}

/**
 * Jobs run in worker threads (SKILLPROOF_THREADS > 0). What a thread could
 * not say itself is said here, with the installation's client of the main
 * thread: a job stopped for its budget or for memory gets its check run (or
 * its one-sentence reply), and the audits a dead thread could not count are
 * counted. The stopped job's error is thrown on, not transient: no queue
 * runs it again.
 */
export async function startJobThreads(app: Probot, settings: ScaleSettings, metrics: AppMetrics, options: { rerunLost: number }): Promise<ThreadedRunner> {
  const pool = new JobThreadPool(settings.threads, settings, app.log, {
    rerunLost: options.rerunLost,
    onCounts: (counts) => {
      for (const a of counts.audits) metrics.recordAudit(a.result, a.seconds);
      for (const [status, n] of Object.entries(counts.requests)) metrics.recordRequests(status, n);
    },
  });
  await pool.ready();
  const run = async (job: AnyJob, attempt: number): Promise<void> => {
    const started = process.hrtime.bigint();
    try {
      await pool.run(job, attempt);
    } catch (err) {
      const isAudit = job.kind === "audit" || job.kind === "installation-repo";
      // A thread that died under an audit could not count it: the main thread does.
      const stopped = err instanceof JobStoppedError ? (err.why.kind === "time" ? "timed-out" : "out-of-memory") : undefined;
      if (isAudit && (stopped || (err as { transient?: unknown }).transient === true)) metrics.recordAudit(stopped ?? "error", Number(process.hrtime.bigint() - started) / 1e9);
      if (err instanceof JobStoppedError) {
        const log = app.log.child({ delivery: job.deliveryId, installation: job.installationId, job: job.key, attempt });
        try {
          await publishOutOfBudget(await installationClient(app, job.installationId), job, err.why);
        } catch (publishErr) {
          log.error({ err: publishErr, status: statusOf(publishErr) }, `skillproof: cannot say on GitHub that the job ran out of ${err.why.kind}`);
        }
        if (isAudit) log.info({ repo: `${job.input.owner}/${job.input.repo}`, outcome: stopped, stopped: err.why.kind, durationMs: Math.round(Number(process.hrtime.bigint() - started) / 1e6) }, "skillproof: audit done");
      }
      throw err;
    }
  };
  return { run, close: () => pool.close() };
}
