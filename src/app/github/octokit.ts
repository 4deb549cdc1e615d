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
