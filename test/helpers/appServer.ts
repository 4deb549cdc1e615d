import { createHmac, randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pino, type Logger } from "pino";
import { Probot, Server } from "probot";
import { freePort } from "../../scripts/app-process.js";
import { createApp, type SkillproofApp } from "../../src/app/index.js";
import type { PagesSettings } from "../../src/app/pages/settings.js";
import { ruleSet, TestOctokit } from "../fixtures/app/harness.js";
import { TEST_PRIVATE_KEY } from "../fixtures/app/keys.js";

export interface ServedApp {
  /** http://127.0.0.1:<port>, where the app's server listens. */
  url: string;
  app: SkillproofApp;
  /** The report pages' data folder (file mode), removed by stop(). */
  dataDir: string;
  /** POSTs a webhook signed as GitHub signs it; resolves with the HTTP status, the answer read. */
  deliver(name: string, payload: object, id?: string): Promise<number>;
  stop(): Promise<void>;
}

/**
 * The app as Probot's server runs it (`addHandler` routes included: /metrics,
 * the report pages) on a real loopback port, with its own data folder; with
 * `redisUrl`, the queue and the kept audits in Redis under a fresh prefix.
 * `pages` is given the server's own address (a test may make it the public one).
 */
export async function serveApp(options: { secret: string; redisUrl?: string; log?: Logger; pages?: (url: string) => Partial<PagesSettings> }): Promise<ServedApp> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const server = new Server({
    Probot: Probot.defaults({ appId: 1, privateKey: TEST_PRIVATE_KEY, secret: options.secret, Octokit: TestOctokit }),
    log: options.log ?? pino({ level: "silent" }),
    host: "127.0.0.1",
    port,
  });
  const dataDir = mkdtempSync(join(tmpdir(), "skillproof-served-"));
  const queueSettings = options.redisUrl ? { redisUrl: options.redisUrl, redisPrefix: `served-${randomUUID()}`, attempts: 1 } : {};
  const app = createApp({ ruleSet: ruleSet(), settings: { threads: 0, concurrency: 2, ...queueSettings }, pages: { dataDir, ...options.pages?.(url) } });
  await server.load(app);
  await server.start();
  // A Redis pass must really run on Redis, or it proves nothing.
  if (app.queue!.kind !== (options.redisUrl ? "redis" : "memory")) throw new Error(`expected the ${options.redisUrl ? "redis" : "memory"} queue, the app runs the ${app.queue!.kind} one`);
  return {
    url,
    app,
    dataDir,
    async deliver(name, payload, id = randomUUID()) {
      const body = JSON.stringify(payload);
      const res = await fetch(`${url}/api/github/webhooks`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "x-github-event": name,
          "x-github-delivery": id,
          "x-hub-signature-256": `sha256=${createHmac("sha256", options.secret).update(body).digest("hex")}`,
        },
        body,
      });
      await res.arrayBuffer();
      return res.status;
    },
    async stop() {
      await server.stop();
      await app.close(5_000);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
