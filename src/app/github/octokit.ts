import type { ProbotOctokit } from "probot";

/** The installation-authenticated client every app module uses. */
export type AppOctokit = InstanceType<typeof ProbotOctokit>;

/** HTTP status of an Octokit RequestError, if it is one. */
export function statusOf(err: unknown): number | undefined {
  const status = (err as { status?: unknown } | null)?.status;
  return typeof status === "number" ? status : undefined;
}

/** The message GitHub gave, without Octokit's " - https://docs.github.com/..." tail. */
export function githubMessage(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return message.replace(/ - https:\/\/docs\.github\.com\S*$/, "");
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
