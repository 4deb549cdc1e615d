import type { AuditResult } from "../audit/request.js";
import type { AnyJob } from "../jobs/types.js";

/** A job handed to a job thread (`thread.ts`) by the pool (`pool.ts`). */
export interface JobRequest {
  id: number;
  job: AnyJob;
  attempt: number;
}

/**
 * What the thread counted since its last reply, for the main thread's
 * metrics (the registry lives there): audits ended, and GitHub responses by
 * status. Every request of a job thread belongs to a job, so what a job did
 * is counted by the time its reply leaves.
 */
export interface ThreadCounts {
  audits: Array<{ result: AuditResult; seconds: number }>;
  requests: Record<string, number>;
}

export type JobReply =
  | { id: number; ok: true; counts: ThreadCounts }
  | { id: number; ok: false; error: { message: string; status?: number; code?: string }; counts: ThreadCounts }
  | { ready: true };
