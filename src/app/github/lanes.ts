import { ProbotOctokit, type Probot } from "probot";
import { readScaleSettings } from "../settings.js";
import type { AppOctokit } from "./octokit.js";
import { openLaneRedis, RedisLanes } from "./redisLane.js";
import { laneFetch, withoutLane, type WriteLanes } from "./laneFetch.js";
import { MemoryLanes } from "./memoryLane.js";
import { countingFetch } from "./requests.js";
import { throttleOptions } from "./throttleOptions.js";

export { WRITE_SPACING_MS } from "./throttleOptions.js";

type Log = { warn: (message: string) => void; error: (message: string) => void };

/**
 * The Octokit class the app runs with: Probot's, with one write lane per
 * installation taken at the wire (laneFetch.ts), every HTTP exchange counted
 * for the metrics (requests.ts), the GHE base URL on token requests, and the
 * throttling plugin's policy (throttleOptions.ts).
 *
 * The lane is keyed by installation id (the id Probot gives `app.auth(id)`
 * clients), so one account's audits never wait behind another's, and GitHub's
 * per-actor guidance (writes serial and a second apart) holds for each. With
 * REDIS_URL the lanes live in Redis (redisLane.ts), so replicas and job
 * threads share each installation's lane; without, in the process.
 *
 * A function default runs after Probot's own defaults, so it sees the
 * installation id in the auth options and Probot's throttle options, and
 * replaces what Probot would have the plugin do with Redis (Bottleneck's
 * Redis datastore, see throttleOptions.ts).
 */
export function createSkillproofOctokit(shared: { lanes: (log: Log) => WriteLanes }): typeof ProbotOctokit {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- Octokit's constructor options as Probot builds them (auth strategy, throttle, request)
  return ProbotOctokit.defaults((options: Record<string, any>) => {
    const throttle = options.throttle as Record<string, unknown> | undefined;
    const installationId = options.auth?.installationId;
    const log: Log = options.log ?? console;
    // A client built without throttling (Probot's choice) takes no lane either.
    const lanes = throttle?.enabled === false ? undefined : shared.lanes(log);
    const counting = countingFetch(withoutLane(options.request?.fetch));
    const fetch = lanes ? laneFetch(counting, { lanes, id: installationId !== undefined ? String(installationId) : "app", log }) : counting;
    const request = { ...options.request, fetch };
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
    return {
      ...counted,
      throttle: throttleOptions(throttle, { id: installationId !== undefined ? String(installationId) : undefined }),
    };
  }) as typeof ProbotOctokit;
}

const lanesByUrl = new Map<string, RedisLanes>();
const processLanes = new MemoryLanes();

/**
 * The lanes of this process (or job thread): in memory, or with REDIS_URL in
 * Redis through a connection of their own, opened by the first client that needs it (after
 * Probot has read a .env file), under SKILLPROOF_REDIS_PREFIX.
 */
function lanesFromEnvironment(log: Log): WriteLanes {
  const { redisUrl, redisPrefix } = readScaleSettings(process.env);
  if (!redisUrl) return processLanes;
  let lanes = lanesByUrl.get(redisUrl);
  if (!lanes) {
    const redis = openLaneRedis(redisUrl, (err) => log.error(`skillproof: Redis connection error (rate lanes): ${err.message}`));
    lanes = new RedisLanes(redis, { prefix: redisPrefix });
    lanesByUrl.set(redisUrl, lanes);
  }
  return lanes;
}

/** The class `npm start` and the job threads run with: lanes in Redis when REDIS_URL is set. */
export const SkillproofOctokit = createSkillproofOctokit({ lanes: lanesFromEnvironment });

/**
 * The environment Probot itself is given: REDIS_URL hidden, so Probot never
 * builds a Bottleneck Redis connection (its throttle options would start
 * Bottleneck's Redis datastore, broken on Redis 7); the app's own lanes,
 * queue and state read REDIS_URL themselves. A view, not a copy, so values
 * Probot loads from a .env file later are still seen.
 */
export function probotEnvironment(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  return new Proxy(env, {
    get: (target, name) => (name === "REDIS_URL" ? undefined : Reflect.get(target, name)),
    has: (target, name) => name !== "REDIS_URL" && Reflect.has(target, name),
    ownKeys: (target) => Reflect.ownKeys(target).filter((name) => name !== "REDIS_URL"),
    getOwnPropertyDescriptor: (target, name) => (name === "REDIS_URL" ? undefined : Reflect.getOwnPropertyDescriptor(target, name)),
  });
}

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
