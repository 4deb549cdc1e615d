import { parentPort, workerData } from "node:worker_threads";
import { createProbot } from "probot";
import { loadBuiltinRuleSet } from "../../engine/ruleBundle.js";
import { onGitHubResponse } from "../github/requests.js";
import { installationClient, probotEnvironment, SkillproofOctokit } from "../github/lanes.js";
import { statusOf } from "../github/octokit.js";
import { executeJob } from "../jobs/execute.js";
import { readPagesSettings } from "../pages/settings.js";
import { openReportStore } from "../pages/store/open.js";
import type { ReportStore } from "../pages/store/types.js";
import type { ScaleSettings } from "../settings.js";
import { KeyedMutex } from "../state/memory.js";
import type { KeyedLock } from "../state/types.js";
import type { JobReply, JobRequest, ThreadCounts } from "./messages.js";

/**
 * A job thread: runs jobs handed over by the main thread, so audits' CPU
 * work never delays webhook answers. It is configured from the same
 * environment as the main thread (APP_ID, PRIVATE_KEY, GHE_HOST, REDIS_URL,
 * LOG_*), with its own Probot client, token cache and rate lanes; the main
 * thread sends every job of one installation to the same thread, so that
 * installation's lane (and its repositories' issue lock) lives in one place.
 */
const { settings } = workerData as { settings: ScaleSettings };
const port = parentPort!;

const probot = createProbot({
  // Without REDIS_URL, as in server.ts: the lanes reach Redis themselves, never through Bottleneck.
  env: probotEnvironment(),
  overrides: {
    Octokit: SkillproofOctokit,
    logFormat: process.env.LOG_FORMAT === "pretty" ? "pretty" : process.env.LOG_FORMAT || process.env.NODE_ENV === "production" ? "json" : "pretty",
    logLevel: (process.env.LOG_LEVEL as "info" | undefined) ?? "info",
  },
});
const rules = loadBuiltinRuleSet();
// The report pages' store: the issue lock's Redis client with REDIS_URL (one connection per thread), else
// files in the data folder the main thread reads too (written atomically, locked per repository).
const pages = readPagesSettings(process.env);
let issueLock: KeyedLock = new KeyedMutex();
let reports: ReportStore;
if (settings.redisUrl) {
  const { Redis } = await import("ioredis");
  const { RedisKeyedMutex } = await import("../state/redis.js");
  const { RedisReportStore } = await import("../pages/store/redis.js");
  const redis = new Redis(settings.redisUrl, { maxRetriesPerRequest: null });
  redis.on("error", (err) => probot.log.error({ err }, "skillproof: Redis connection error (job thread)"));
  issueLock = new RedisKeyedMutex(redis, `${settings.redisPrefix}:lock:issue:`);
  reports = new RedisReportStore(redis, settings.redisPrefix);
} else {
  reports = await openReportStore({ redisPrefix: settings.redisPrefix, dataDir: pages.dataDir });
}

let counts: ThreadCounts = { audits: [], requests: {} };
onGitHubResponse((status) => (counts.requests[status] = (counts.requests[status] ?? 0) + 1));
const takeCounts = (): ThreadCounts => {
  const taken = counts;
  counts = { audits: [], requests: {} };
  return taken;
};

port.on("message", async ({ id, job, attempt }: JobRequest) => {
  try {
    await executeJob(
      {
        client: (installationId) => installationClient(probot, installationId),
        log: probot.log,
        ruleSet: () => rules,
        issueLock,
        reports,
        ...(pages.publicUrl ? { publicUrl: pages.publicUrl } : {}),
        recordAudit: (result, seconds) => counts.audits.push({ result, seconds }),
        // The thread ends an audit at its budget itself; the pool terminates it only if it cannot.
        budgetMs: settings.auditTimeoutMs,
      },
      job,
      attempt,
    );
    port.postMessage({ id, ok: true, counts: takeCounts() } satisfies JobReply);
  } catch (err) {
    const code = (err as { code?: unknown; cause?: { code?: unknown } }).code ?? (err as { cause?: { code?: unknown } }).cause?.code;
    const status = statusOf(err);
    port.postMessage({
      id,
      ok: false,
      error: { message: err instanceof Error ? err.message : String(err), ...(status !== undefined ? { status } : {}), ...(typeof code === "string" ? { code } : {}) },
      counts: takeCounts(),
    } satisfies JobReply);
  }
});
port.postMessage({ ready: true } satisfies JobReply);
