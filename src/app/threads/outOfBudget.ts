import { externalId } from "../audit/request.js";
import { problemReply } from "../commands/replies.js";
import type { AppOctokit } from "../github/octokit.js";
import type { AnyJob } from "../jobs/types.js";
import { publishUnfinishedCheckRun, unfinishedSentence, type OutOfBudget } from "../publish/timedOut.js";

/**
 * Says so on GitHub when the main thread stopped a job (its thread was
 * terminated, or died of running out of memory), since the job itself could
 * not: an audit gets its completed check run, a comment command a
 * one-sentence reply (other jobs are single writes with nothing to say).
 * An added repository's audit never told the main thread
 * its commit, so its default branch head is looked up.
 */
export async function publishOutOfBudget(octokit: AppOctokit, job: AnyJob, why: OutOfBudget): Promise<void> {
  if (job.kind === "audit") {
    const req = job.input;
    await publishUnfinishedCheckRun(octokit, { owner: req.owner, repo: req.repo, sha: req.sha, externalId: externalId(req) }, why);
  } else if (job.kind === "installation-repo") {
    const { owner, repo } = job.input;
    const { data: r } = await octokit.rest.repos.get({ owner, repo });
    const { data: branch } = await octokit.rest.repos.getBranch({ owner, repo, branch: r.default_branch });
    await publishUnfinishedCheckRun(octokit, { owner, repo, sha: branch.commit.sha, externalId: externalId({ purpose: "default" }) }, why);
  } else if (job.kind === "comment-command") {
    const input = job.input;
    await octokit.rest.issues.createComment({
      owner: input.owner,
      repo: input.repo,
      issue_number: input.issueNumber,
      body: problemReply(input.requestedBy, input.command, unfinishedSentence(why)),
    });
  }
}
