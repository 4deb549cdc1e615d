import type { IncomingMessage, ServerResponse } from "node:http";
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";

/**
 * Prometheus metrics of the app, served at GET /metrics on Probot's own server
 * (next to /ping, the health check). Each call makes its own registry, so two
 * apps in one process (or one test after another) never share counters.
 */
export interface AppMetrics {
  registry: Registry;
  /** Count one finished audit and its duration. `outcome`: "reported", "invalid-config", "empty", "timed-out" or "out-of-memory" (stopped by its budget) or "error" (GitHub or internal failure). */
  recordAudit(outcome: string, seconds: number): void;
  /** Count GitHub responses with this status label ("201", "404", "error" when no response came). */
  recordRequests(status: string, count?: number): void;
  /** Starts a timer; call the result with the outcome when the audit ends. */
  startAudit(): (outcome: string) => void;
  /** For Probot's `addHandler`: answers GET/HEAD /metrics and leaves every other request alone. */
  handler: (req: IncomingMessage, res: ServerResponse) => Promise<boolean>;
}

export interface MetricsOptions {
  /** Jobs waiting plus running; read at each scrape. */
  queueDepth?: () => number | Promise<number>;
  /** Node process metrics (CPU, memory, event loop lag); default true. */
  processMetrics?: boolean;
}

/** Seconds: audits take from a tenth of a second (small repo, warm) to minutes (huge trees). */
const DURATION_BUCKETS = [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300];

export function createMetrics(options: MetricsOptions = {}): AppMetrics {
  const registry = new Registry();
  if (options.processMetrics !== false) collectDefaultMetrics({ register: registry });

  const audits = new Counter({
    name: "skillproof_audits_total",
    help: "Audits finished, by outcome.",
    labelNames: ["outcome"] as const,
    registers: [registry],
  });
  const duration = new Histogram({
    name: "skillproof_audit_duration_seconds",
    help: "Time from the start of an audit to its report, by outcome.",
    labelNames: ["outcome"] as const,
    buckets: DURATION_BUCKETS,
    registers: [registry],
  });
  const depth = options.queueDepth;
  new Gauge({
    name: "skillproof_queue_depth",
    help: "Audit jobs waiting or running.",
    registers: [registry],
    async collect() {
      if (depth) this.set(await depth());
    },
  });
  const requests = new Counter({
    name: "skillproof_github_requests_total",
    help: "GitHub API responses, by HTTP status.",
    labelNames: ["status"] as const,
    registers: [registry],
  });

  const recordAudit = (outcome: string, seconds: number) => {
    audits.inc({ outcome });
    duration.observe({ outcome }, seconds);
  };

  const recordRequests = (status: string, count = 1) => requests.inc({ status }, count);

  return {
    registry,
    recordAudit,
    recordRequests,
    startAudit() {
      const start = process.hrtime.bigint();
      return (outcome) => recordAudit(outcome, Number(process.hrtime.bigint() - start) / 1e9);
    },
    async handler(req, res) {
      const path = (req.url ?? "").split("?")[0];
      if (path !== "/metrics" || (req.method !== "GET" && req.method !== "HEAD")) return false;
      try {
        const body = await registry.metrics();
        res.writeHead(200, { "content-type": registry.contentType });
        res.end(req.method === "HEAD" ? undefined : body);
      } catch (err) {
        res.writeHead(500, { "content-type": "text/plain" });
        res.end(`metrics unavailable: ${(err as Error).message}\n`);
      }
      return true;
    },
  };
}
