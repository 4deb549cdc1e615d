import { externalId, visibilityOf, type AuditRequest } from "../audit/request.js";
import { runAudit } from "../audit/runAudit.js";
import { isTransient, statusOf } from "../github/octokit.js";
import { CHECK_NAME } from "../publish/checkRun.js";
import type { JobEnv, JobHandler } from "./types.js";

/** An audit of one commit, as the webhook handler decided it. */
export const auditJob: JobHandler<AuditRequest> = async (env, req) => {
  const outcome = await runAudit(env, req);
  if (env.attempt > 1) await completeInterruptedRuns(env, req, outcome.checkRunId);
};

/** A repository added to an installation: its payload lacks `archived` and `default_branch`, so the job looks them up. */
export const installationRepoJob: JobHandler<{ owner: string; repo: string }> = async (env, { owner, repo }) => {
  const req = await resolveDefaultBranch(env, owner, repo);
  if (req) await runAudit(env, req);
};

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
      ...visibilityOf(r),
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
