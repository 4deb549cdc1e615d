import { ProbotOctokit, type Probot } from "probot";
import { countGitHubResponses } from "./githubRequests.js";
import type { AppOctokit } from "./octokit.js";

/**
 * The Octokit class the app runs with: Probot's, with one rate lane per installation.
 *
 * Octokit's throttling plugin sends every mutative request and every GraphQL
 * query through a "write" Bottleneck lane (one at a time, one second apart)
 * keyed by the client's `throttle.id`. Probot leaves webhook clients on the
 * default id "no-id", so every installation of the app shared one lane. Here
 * the id is the installation id (the same id Probot gives `app.auth(id)`
 * clients), so one account's audits never wait behind another's, and GitHub's
 * per-actor guidance (writes serial and a second apart) still holds for each.
 * With REDIS_URL Probot hands the plugin a Redis connection, so replicas share
 * each installation's lane.
 *
 * A function default runs after Probot's own defaults, so it sees the
 * installation id in the auth options and Probot's throttle options (with
 * their Redis connection), and only adds to them. Every response is counted
 * for the metrics (githubRequests.ts).
 */
export const SkillproofOctokit = ProbotOctokit.plugin(countGitHubResponses).defaults((options: Record<string, any>) => {
  const throttle = options.throttle as Record<string, unknown> | undefined;
  if (throttle?.enabled === false) return options;
  const installationId = options.auth?.installationId;
  // Probot gives the auth strategy a request without the GHE base URL; installation tokens fetched
  // directly (installationClient) would go to api.github.com. The hook path never noticed.
  const auth = options.auth?.request && options.baseUrl ? { ...options.auth, request: options.auth.request.defaults({ baseUrl: options.baseUrl }) } : options.auth;
  return {
    ...options,
    ...(auth ? { auth } : {}),
    throttle: {
      ...throttle,
      ...(installationId !== undefined ? { id: String(installationId) } : {}),
      onRateLimit,
      onSecondaryRateLimit,
    },
  };
}) as typeof ProbotOctokit;

type LimitHandler = (retryAfter: number, options: { method: string; url: string; request: { retryCount: number } }, octokit: { log: { warn: (msg: string) => void } }) => boolean;

/** Primary limit (the hourly quota): wait for the reset GitHub names and try again, twice at most. */
const onRateLimit: LimitHandler = (retryAfter, options, octokit) => {
  octokit.log.warn(`skillproof: rate limit on ${options.method} ${options.url}, retry ${options.request.retryCount + 1} in ${retryAfter} s`);
  return options.request.retryCount < 2;
};

/**
 * Secondary limit (too many writes too fast): wait the retry-after GitHub sent
 * and try again, twice at most. Probot's own handler only logs, which would
 * turn a short pause into a failed check run.
 */
const onSecondaryRateLimit: LimitHandler = (retryAfter, options, octokit) => {
  octokit.log.warn(`skillproof: secondary rate limit on ${options.method} ${options.url}, retry ${options.request.retryCount + 1} in ${retryAfter} s`);
  return options.request.retryCount < 2;
};

/**
 * The installation's client, with its token fetched now rather than by its
 * first request. The write lane spaces requests when it releases them; a
 * first write that then still had to fetch a token would reach GitHub late
 * and the next one on time, less than a second after it.
 */
export async function installationClient(app: Probot, installationId: number): Promise<AppOctokit> {
  const octokit = await app.auth(installationId);
  await octokit.auth({ type: "installation" });
  return octokit;
}
