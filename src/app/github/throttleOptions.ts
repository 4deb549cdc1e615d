import type Bottleneck from "bottleneck";

/**
 * The rate-limit policy of the app's GitHub clients, as options for
 * @octokit/plugin-throttling (as Probot's get-octokit-throttle-options.ts
 * keeps its own apart from the client class).
 *
 * The plugin sends every mutative request and every GraphQL query through its
 * `write` lane, and those that notify people (issues, comments) through its
 * `notifications` lane (3 s), each keyed by `throttle.id`, then every request
 * through in-process concurrency groups (`global`, `auth`, `search`). It only
 * calls `lane.key(id).schedule(options, fn)` on the two spacing lanes; here
 * both are open (they run `fn` at once), because the app takes its own write
 * lane in the client's fetch, at the wire (laneFetch.ts): in Redis when
 * REDIS_URL is set (redisLane.ts, shared by replicas and job threads), else in
 * the process (memoryLane.ts). GitHub's documented limit for content that
 * notifies people is 80 requests a minute; the write lane allows at most 40
 * for an installation, so no separate notifications lane is needed.
 *
 * Bottleneck's Redis datastore is never used: a `connection` (Probot builds
 * one from its `redisConfig`) and a `Bottleneck` class are dropped, so the
 * plugin's concurrency groups stay in memory.
 */

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

type LimitHandler = (retryAfter: number, options: { method: string; url: string; request: { retryCount: number } }, octokit: { log: { warn: (message: string) => void } }) => boolean;

/** The throttle options an installation's (or the app's) client runs with. */
export function throttleOptions(throttle: Record<string, unknown> | undefined, context: { id: string | undefined }): Record<string, unknown> {
  const { connection: _connection, Bottleneck: _bottleneck, ...own } = throttle ?? {};
  return {
    ...own,
    ...(context.id !== undefined ? { id: context.id } : {}),
    write: OPEN_LANE,
    notifications: OPEN_LANE,
    onRateLimit,
    onSecondaryRateLimit,
  };
}

/** A lane that never waits, in the shape the plugin calls (`key(id).schedule(options, fn)`). */
const OPEN_LANE = {
  key: () => ({ schedule: async (...args: unknown[]) => args.find((a): a is () => unknown => typeof a === "function")?.() }),
} as unknown as Bottleneck.Group;

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
