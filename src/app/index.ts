import type { ApplicationFunction, ApplicationFunctionOptions, Probot } from "probot";
import { loadBuiltinRuleSet } from "../engine/ruleBundle.js";
import type { RuleSet } from "../engine/types.js";
import { openMemoryBackend, openRedisBackend } from "./backends.js";
import { openCommandLimits, registerCommentCommand } from "./commands/index.js";
import { releasingSlots } from "./commands/limits.js";
import { installationClient } from "./github/lanes.js";
import { onGitHubResponse } from "./github/requests.js";
import { executeJob } from "./jobs/execute.js";
import type { AnyJob } from "./jobs/types.js";
import { createMetrics, type AppMetrics } from "./metrics.js";
import { AuditQueue } from "./queue/memory.js";
import type { JobQueue } from "./queue/types.js";
import { readScaleSettings, type ScaleSettings } from "./settings.js";
import { KeyedMutex } from "./state/memory.js";
import type { KeyedLock } from "./state/types.js";
import { createPagesHandler } from "./pages/serve.js";
import { readPagesSettings, type PagesSettings } from "./pages/settings.js";
import { openReportStore } from "./pages/store/open.js";
import type { ReportStore } from "./pages/store/types.js";
import { registerHandlers } from "./webhooks/handlers.js";

export { AuditQueue } from "./queue/memory.js";

export interface AppOptions {
  /** Pass one to await `queue.onIdle()` in tests (in-process mode only). */
  queue?: AuditQueue;
  /** Jobs running at once (default: SKILLPROOF_CONCURRENCY, else 16). */
  concurrency?: number;
  /** Rules to audit with (default: the shipped rules). */
  ruleSet?: RuleSet;
  /** Queue and shared-state settings (default: from the environment, REDIS_URL and SKILLPROOF_*). */
  settings?: Partial<ScaleSettings>;
  /** Report pages settings (default: from the environment, SKILLPROOF_PUBLIC_URL, SKILLPROOF_DATA_DIR, ...). */
  pages?: Partial<PagesSettings>;
}

/** The app function, plus what its host needs to shut it down and to wait for it in tests. */
export type SkillproofApp = ApplicationFunction & {
  /** The job queue, once the app is loaded. */
  readonly queue: JobQueue | undefined;
  /** The app's Prometheus metrics, once the app is loaded (served at GET /metrics when it runs on Probot's server). */
  readonly metrics: AppMetrics | undefined;
  /** Where the report pages' audits are kept, once the app is loaded. */
  readonly reports: ReportStore | undefined;
  /** Stops taking jobs, lets running ones finish within `graceMs`, closes Redis connections. */
  close(graceMs?: number): Promise<void>;
};

/** The report-issue lock shared through Redis, for jobs run in this thread. */
async function redisIssueLock(settings: ScaleSettings): Promise<{ lock: KeyedLock; close?: () => Promise<void> }> {
  const { Redis } = await import("ioredis");
  const { RedisKeyedMutex } = await import("./state/redis.js");
  const redis = new Redis(settings.redisUrl!, { maxRetriesPerRequest: null });
  return { lock: new RedisKeyedMutex(redis, `${settings.redisPrefix}:lock:issue:`), close: async () => void redis.disconnect() };
}

/**
 * The Probot app. Without REDIS_URL the queue and the "seen lately" state live
 * in this process (one instance); with it they live in Redis (BullMQ), so
 * work survives restarts and several replicas share it.
 */
export function createApp(options: AppOptions = {}): SkillproofApp {
  let queue: JobQueue | undefined;
  let closeState: () => Promise<void> = async () => {};
  let closeThreads: () => Promise<void> = async () => {};
  let metrics: AppMetrics | undefined;
  let stopCounting: () => void = () => {};
  let reports: ReportStore | undefined;

  const appFn = async (app: Probot, { addHandler }: Partial<ApplicationFunctionOptions> = {}): Promise<void> => {
    const settings = { ...readScaleSettings(process.env), ...options.settings };
    if (options.concurrency !== undefined) settings.concurrency = options.concurrency;
    let rules = options.ruleSet;
    const ruleSet = (): RuleSet => (rules ??= loadBuiltinRuleSet());
    const pages = { ...readPagesSettings(process.env), ...options.pages };
    // The report pages' audits: in Redis with REDIS_URL (replicas share them), else in files under the data folder.
    const store = (reports = await openReportStore({ redisUrl: settings.redisUrl, redisPrefix: settings.redisPrefix, dataDir: pages.dataDir }, (err) => app.log.error({ err }, "skillproof: Redis connection error (report pages)")));
    let serving = false;
    try {
      addHandler?.((req, res) => metrics!.handler(req, res));
      addHandler?.(createPagesHandler({ store, settings: pages, log: app.log }));
      serving = addHandler !== undefined;
    } catch {
      // Loaded without a server (probot.load in tests): nothing to serve /metrics or the pages on; `app.metrics` still counts.
    }
    // The process's CPU, memory and event-loop figures only where someone can scrape them.
    const m = (metrics = createMetrics({ queueDepth: async () => (queue ? await queue.depth() : 0), processMetrics: serving }));
    // This thread's GitHub responses (webhook handlers', and jobs' when they run here); job threads send theirs.
    stopCounting = onGitHubResponse((status) => m.recordRequests(status));
    const recordAudit = (result: string, seconds: number) => m.recordAudit(result, seconds);

    // Who runs a job: worker threads (the main thread then only answers webhooks), or this thread.
    let runner: (job: AnyJob, attempt: number) => Promise<void>;
    if (settings.threads > 0) {
      const { startJobThreads } = await import("./threads/runner.js");
      // A job lost with its thread (another job's budget, out of memory) is run again here unless BullMQ retries it.
      const threads = await startJobThreads(app, settings, m, { rerunLost: settings.redisUrl && !options.queue ? 0 : 1 });
      runner = threads.run;
      closeThreads = threads.close;
    } else {
      // Compiling the shipped rules takes seconds of CPU: do it before the server listens, not in the first audit of a burst.
      ruleSet();
      const issueLock: { lock: KeyedLock; close?: () => Promise<void> } = settings.redisUrl && !options.queue ? await redisIssueLock(settings) : { lock: new KeyedMutex() };
      const publicUrl = pages.publicUrl ? { publicUrl: pages.publicUrl } : {};
      runner = (job, attempt) =>
        executeJob(
          { client: (installationId) => installationClient(app, installationId), log: app.log, ruleSet, issueLock: issueLock.lock, recordAudit, budgetMs: settings.auditTimeoutMs, reports: store, ...publicUrl },
          job,
          attempt,
        );
      closeThreads = async () => await issueLock.close?.();
    }

    // Comment-command caps (commands/limits.ts): counted where the queue is; a command's slot is given back when its job has run.
    const commands = await openCommandLimits(settings, settings.redisUrl && !options.queue ? settings.redisUrl : undefined);
    runner = releasingSlots(commands.limits, runner);
    // Where jobs wait and what deliveries share: Redis (loaded only when asked for), or this process.
    const backend =
      settings.redisUrl && !options.queue ? await openRedisBackend(app, settings, runner) : openMemoryBackend(app, options.queue ?? new AuditQueue(settings.concurrency), runner);
    queue = backend.queue;
    closeState = async () => {
      await backend.close();
      await commands.close();
      await store.close();
    };
    registerHandlers(app, { ...backend, reports: store });
    registerCommentCommand(app, {
      enqueue: (key, input, { deliveryId }) => backend.queue.enqueue({ kind: "comment-command", key, installationId: input.installationId, deliveryId, input }),
      enqueueNotice: (key, input, { deliveryId }) => backend.queue.enqueue({ kind: "comment-notice", key, installationId: input.installationId, deliveryId, input }),
      limits: commands.limits,
      ruleSet,
      seen: backend.deliveries,
    });
    app.log.info(`skillproof: listening for events, ${queue!.concurrency} audits at a time, ${queue!.kind} queue`);
  };

  // defineProperty, not Object.assign: assign would copy the getter's value (undefined) once.
  Object.defineProperty(appFn, "queue", { get: () => queue });
  Object.defineProperty(appFn, "metrics", { get: () => metrics });
  Object.defineProperty(appFn, "reports", { get: () => reports });
  return Object.assign(appFn, {
    async close(graceMs?: number) {
      await queue?.close(graceMs);
      await closeThreads();
      await closeState();
      stopCounting();
    },
  }) as unknown as SkillproofApp;
}

export default createApp();
