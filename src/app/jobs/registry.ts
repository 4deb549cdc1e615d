import { commentCommandJob, commentNoticeJob } from "../commands/run.js";
import { auditJob, installationRepoJob } from "./audit.js";
import type { AnyJob, JobEnv, JobHandler, JobInputs, JobKind } from "./types.js";

/**
 * Job kinds and their handlers. Adding a kind is one line here and its input
 * in `JobInputs` (types.ts); `satisfies` keeps the two in step.
 */
export const JOB_KINDS = {
  audit: auditJob,
  "installation-repo": installationRepoJob,
  "comment-command": commentCommandJob,
  "comment-notice": commentNoticeJob,
} satisfies { [K in JobKind]: JobHandler<JobInputs[K]> };

export function runJob(env: JobEnv, job: AnyJob): Promise<void> {
  const handler = JOB_KINDS[job.kind] as JobHandler<unknown>;
  if (!handler) throw new UnknownJobKindError(String(job.kind));
  return handler(env, job.input);
}

export class UnknownJobKindError extends Error {
  constructor(kind: string) {
    super(`unknown job kind "${kind}"`);
  }
}
