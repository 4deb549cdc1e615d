import { availableParallelism } from "node:os";
import { pino } from "pino";
import { run } from "probot";
import { createApp } from "./index.js";
import { probotEnvironment, SkillproofOctokit } from "./github/lanes.js";
import { readScaleSettings } from "./settings.js";
import { DEFAULT_DOOR, guardRequests, webhookDoor, type Refusal } from "./webhookDoor.js";

/**
 * `npm start`: Probot's own runner (it reads APP_ID, PRIVATE_KEY,
 * WEBHOOK_SECRET, GHE_HOST, REDIS_URL, PORT ... from the environment or .env)
 * with the app's Octokit class, which `probot run` cannot be given, and a
 * shutdown that lets running audits finish.
 *
 * SIGTERM or SIGINT: stop taking webhooks, let running audits finish within
 * SKILLPROOF_SHUTDOWN_GRACE_MS (their check runs complete), then exit. Without
 * REDIS_URL queued audits that had not started are dropped (logged); with it
 * they wait in Redis for the next start or another replica.
 */
// Jobs run in worker threads, one per core unless SKILLPROOF_THREADS says otherwise, so audits' CPU never delays a webhook's answer.
// The process's own lines (start, shutdown) as JSON, at the same LOG_LEVEL as Probot's
// request and audit logs, so a log collector parses every line the container prints.
const lifecycle = pino({ name: "skillproof-server", level: process.env.LOG_LEVEL ?? "info" });

// The webhook door (webhookDoor.ts): body cap, in-flight budget and signature before Probot's middleware buffers anything.
// The secret defaults as Probot's does ("development").
// Refusals are counted and logged at most every 10 s, so a flood does not flood the log too.
const refused = new Map<Refusal, number>();
let lastRefusalLine = 0;
guardRequests(
  webhookDoor({ ...DEFAULT_DOOR, path: process.env.WEBHOOK_PATH || "/api/github/webhooks", secret: process.env.WEBHOOK_SECRET || "development" }, (status) => {
    refused.set(status, (refused.get(status) ?? 0) + 1);
    if (Date.now() - lastRefusalLine < 10_000) return;
    lastRefusalLine = Date.now();
    lifecycle.warn({ refused: Object.fromEntries(refused) }, "skillproof: webhook bodies refused at the door (too big, too many at once, unsigned or too slow)");
    refused.clear();
  }),
);

const app = createApp(process.env.SKILLPROOF_THREADS ? {} : { settings: { threads: availableParallelism() } });
const before = new Set(process.listeners("SIGINT"));
// Probot is not given REDIS_URL: it would start Bottleneck's Redis datastore (broken on Redis 7); the lanes use Redis themselves.
const server = await run(app, { Octokit: SkillproofOctokit, env: probotEnvironment() });
// Probot's runner exits on SIGINT at once; ours drains first.
for (const listener of process.listeners("SIGINT")) if (!before.has(listener)) process.off("SIGINT", listener);

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  const graceMs = readScaleSettings(process.env).shutdownGraceMs;
  lifecycle.info({ signal, graceMs }, "skillproof: no new webhooks; running audits get the grace period to finish");
  let timer: NodeJS.Timeout | undefined;
  const graceUp = new Promise<void>((r) => (timer = setTimeout(r, graceMs + 2_000)));
  try {
    // The listener closes first (new connections are refused); open keep-alive connections end as they go idle.
    const closed = server.stop().catch((err: unknown) => lifecycle.error({ err }, "skillproof: closing the HTTP server failed"));
    await app.close(graceMs);
    await Promise.race([closed, graceUp]);
  } finally {
    clearTimeout(timer);
    lifecycle.info("skillproof: stopped");
    process.exit(0);
  }
}
process.on("SIGTERM", () => void shutdown("SIGTERM"));
process.on("SIGINT", () => void shutdown("SIGINT"));
