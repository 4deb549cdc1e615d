import Bottleneck from "bottleneck";
import { ProbotOctokit, type Probot } from "probot";
import { countingFetch } from "./requests.js";
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
 * their Redis connection), and only adds to them. Every HTTP exchange (the
 * auth strategy's token requests included) is counted for the metrics by
 * status, through the `fetch` it runs on (requests.ts).
 *
 * The write lane is the app's own (see WRITE_SPACING_MS), given to the plugin
 * as its `write` group, which it uses instead of its one-second default.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- Octokit's constructor options as Probot builds them (auth strategy, throttle, request)
export const SkillproofOctokit = ProbotOctokit.defaults((options: Record<string, any>) => {
  const throttle = options.throttle as Record<string, unknown> | undefined;
  const request = { ...options.request, fetch: countingFetch(options.request?.fetch) };
  // Probot gives the auth strategy a request without the GHE base URL; installation tokens fetched
  // directly (installationClient) would go to api.github.com. The hook path never noticed.
  const authRequest = options.auth?.request;
  const auth = authRequest
    ? {
        ...options.auth,
        request: authRequest.defaults({
          ...(options.baseUrl ? { baseUrl: options.baseUrl } : {}),
          request: { fetch: countingFetch(authRequest.endpoint?.DEFAULTS?.request?.fetch) },
        }),
      }
    : options.auth;
  const counted = { ...options, request, ...(auth ? { auth } : {}) };
  if (throttle?.enabled === false) return counted;
  const installationId = options.auth?.installationId;
  return {
    ...counted,
    throttle: {
      ...throttle,
      write: writeLane(throttle),
      ...(installationId !== undefined ? { id: String(installationId) } : {}),
      onRateLimit,
      onSecondaryRateLimit,
    },
  };
}) as typeof ProbotOctokit;

/**
 * Time between two releases of one installation's write lane. GitHub asks for
 * mutative requests at least a second apart; the lane spaces *releases*, and a
 * released request still waits for the plugin's request queue and for CPU
 * before it is sent, so on a loaded machine two releases 1 s apart reached
 * the GitHub stand-in 0.52-0.81 s apart. The margin covers such delays up to
 * half a second; it costs little, since an ordinary audit makes at most two
 * lane requests (an installation still gets 40 writes a minute).
 */
export const WRITE_SPACING_MS = 1500;

const writeLanes = new Map<unknown, Bottleneck.Group>();

/**
 * The write lane: one Bottleneck group per Redis connection (Probot makes one
 * per process when REDIS_URL is set, so replicas share each installation's
 * lane) and one in the process without Redis, keyed by `throttle.id` like the
 * plugin's own groups. Its id differs from the plugin's ("octokit-write"), so
 * in Redis it never shares settings with a lane of another spacing.
 */
function writeLane(throttle: Record<string, unknown> | undefined): Bottleneck.Group {
  const connection = throttle?.connection;
  let lane = writeLanes.get(connection);
  if (!lane) {
    const Limiter = (throttle?.Bottleneck as typeof Bottleneck | undefined) ?? Bottleneck;
    lane = new Limiter.Group({
      id: "skillproof-write",
      maxConcurrent: 1,
      minTime: WRITE_SPACING_MS,
      // As the plugin's groups: an idle installation's limiter (and its Redis keys) expire after 2 minutes.
      timeout: (throttle?.timeout as number | undefined) ?? 120_000,
      ...(connection ? { connection: connection as Bottleneck.IORedisConnection } : {}),
    });
    writeLanes.set(connection, lane);
  }
  return lane;
}

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
