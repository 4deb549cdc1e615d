/**
 * The app's scale settings, read from the environment once at start-up.
 * Every value has a default that suits one instance on a small machine.
 */
export interface ScaleSettings {
  /** Redis for the durable queue, shared state and shared rate lanes; none: everything in this process. */
  redisUrl: string | undefined;
  /** Prefix of every Redis key the app writes (several apps, or tests, on one Redis). */
  redisPrefix: string;
  /** Audits running at once in this process. */
  concurrency: number;
  /** How long a worker's claim on a running job lasts without renewal; after that, another worker may take it over. */
  lockMs: number;
  /** How often workers look for jobs whose worker died (a killed process). */
  stalledIntervalMs: number;
  /** Times a job may be found stalled before it is failed. */
  maxStalledCount: number;
  /** Runs of a job that fails with a GitHub 5xx or network error, first run included. */
  attempts: number;
  /** First retry delay; each next one doubles. */
  backoffMs: number;
  /** On SIGTERM, how long running audits get to finish before the process exits. */
  shutdownGraceMs: number;
  /** Worker threads that run the jobs (0: the main thread runs them). */
  threads: number;
  /**
   * Wall-clock budget of one job, from the moment it starts. Past it an audit
   * ends with a completed "ran out of time" check run; a job thread that does
   * not end it in time is terminated and replaced.
   */
  auditTimeoutMs: number;
  /** Old-generation heap of each job thread (`resourceLimits`): a job that needs more kills its thread, not the process. */
  threadMemoryMb: number;
}

export const DEFAULT_CONCURRENCY = 16;

export function readScaleSettings(env: NodeJS.ProcessEnv): ScaleSettings {
  return {
    redisUrl: env.REDIS_URL || undefined,
    redisPrefix: env.SKILLPROOF_REDIS_PREFIX || "skillproof",
    concurrency: positiveInt(env, "SKILLPROOF_CONCURRENCY", DEFAULT_CONCURRENCY),
    lockMs: positiveInt(env, "SKILLPROOF_JOB_LOCK_MS", 30_000),
    stalledIntervalMs: positiveInt(env, "SKILLPROOF_STALLED_INTERVAL_MS", 30_000),
    maxStalledCount: positiveInt(env, "SKILLPROOF_MAX_STALLED", 2),
    attempts: positiveInt(env, "SKILLPROOF_JOB_ATTEMPTS", 5),
    backoffMs: positiveInt(env, "SKILLPROOF_RETRY_DELAY_MS", 5_000),
    shutdownGraceMs: positiveInt(env, "SKILLPROOF_SHUTDOWN_GRACE_MS", 25_000),
    threads: wholeNumber(env, "SKILLPROOF_THREADS", 0),
    auditTimeoutMs: positiveInt(env, "SKILLPROOF_AUDIT_TIMEOUT_MS", 60_000),
    threadMemoryMb: positiveInt(env, "SKILLPROOF_THREAD_MEMORY_MB", 1024),
  };
}

function wholeNumber(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`${name} must be a whole number (0 or more), got "${raw}"`);
  return n;
}

/** A bad value is a configuration error worth stopping for, not something to guess around. */
function positiveInt(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`${name} must be a positive whole number, got "${raw}"`);
  return n;
}
