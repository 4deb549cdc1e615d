import type { Octokit } from "@octokit/rest";

/**
 * GitHub responses of this thread, by status, for the metrics. The counting
 * plugin sits on the app's Octokit class (SkillproofOctokit), so it sees every
 * client Probot makes, webhook contexts' and jobs' alike; the app's metrics
 * (or a job thread, which forwards to the main thread's metrics) listen here.
 * One class serves every app of the thread, so listeners hear all of them.
 */
export type GitHubResponseListener = (status: string) => void;

const listeners = new Set<GitHubResponseListener>();

/** Calls `listener` with the status label of every GitHub response from now on; returns the unsubscribe function. */
export function onGitHubResponse(listener: GitHubResponseListener): () => void {
  listeners.add(listener);
  return () => void listeners.delete(listener);
}

/** The label a failed request is counted under: its HTTP status, or "error" when no response came (Octokit calls that a 500). */
export function errorStatusLabel(error: unknown): string {
  const { status, response } = (error ?? {}) as { status?: unknown; response?: unknown };
  return response && typeof status === "number" ? String(status) : "error";
}

/**
 * Octokit plugin: reports each request's final answer (after the throttling
 * and retry plugins' own retries, which run inside it) to the listeners.
 */
export function countGitHubResponses(octokit: Pick<Octokit, "hook">): Record<string, never> {
  octokit.hook.after("request", (response) => emit(String(response.status)));
  octokit.hook.error("request", (error) => {
    emit(errorStatusLabel(error));
    throw error;
  });
  return {};
}

function emit(status: string): void {
  for (const listener of listeners) listener(status);
}
