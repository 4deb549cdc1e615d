import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pushPayload, sendWebhook, startAppProcess } from "../../../scripts/app-process.js";
import { StandInRepo, startGitHubStandIn } from "../../../scripts/github-standin.js";
import { PORTFOLIO } from "../../fixtures/github/portfolio.js";
import { until, useBuiltApp } from "../../helpers/builtApp.js";
import { startRedis, type TestRedis } from "../../helpers/redis.js";

/**
 * The report pages of the built app as an operator runs it (`node
 * dist/app/server.js`, audits in a job thread, pages on the main thread),
 * against the loopback GitHub stand-in: in file mode and with Redis.
 */
const { running, standIns } = useBuiltApp();
let redis: TestRedis;
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  await redis.stop();
});

const PUBLIC_URL = "https://skillproof.example.org";

describe.each([
  ["file mode", () => ({})],
  ["Redis mode", () => ({ REDIS_URL: redis.url, SKILLPROOF_REDIS_PREFIX: `pages-${randomUUID()}` })],
])("the built app's pages, %s", (_mode, modeEnv) => {
  it("shows a public repository's new score when its check run shows it; a private one's and one made private answer 404", async () => {
    const open = new StandInRepo({ owner: "octo", repo: "orders-api", installationId: 7, files: PORTFOLIO });
    const closed = new StandInRepo({ owner: "octo", repo: "payroll", installationId: 7, files: PORTFOLIO, private: true });
    const gh = await startGitHubStandIn({ repos: [open, closed], latencyMs: 2 });
    standIns.push(gh);
    const app = await startAppProcess({ githubHost: gh.host, env: { SKILLPROOF_THREADS: "1", SKILLPROOF_PUBLIC_URL: PUBLIC_URL, ...modeEnv() } });
    running.push(app);
    const get = async (path: string) => {
      const res = await fetch(`${app.url}${path}`);
      return { status: res.status, body: await res.text() };
    };

    expect((await sendWebhook(app.url, "push", pushPayload(open))).status).toBe(200);
    expect((await sendWebhook(app.url, "push", pushPayload(closed))).status).toBe(200);
    const done = (repo: StandInRepo) => repo.checkRuns.some((c) => c.status === "completed");
    await until("both check runs are published", () => done(open) && done(closed), 60_000, () => app.output);

    // Asked right after the check run appeared, with no wait: the audit was kept before the check run was published.
    const run = open.checkRuns.find((c) => c.status === "completed")!;
    const score = /Skills score (\d+)\/100/.exec(run.output.title)![1];
    const badge = await get("/badge/octo/orders-api.svg");
    expect(badge.status).toBe(200);
    expect(badge.body).toContain(`${score}/100`);
    expect(JSON.parse((await get("/badge/octo/orders-api.json")).body).message).toBe(`${score}/100`);
    const page = await get("/r/octo/orders-api");
    expect(page.status).toBe(200);
    expect(page.body).toContain(open.head);
    expect(run.details_url).toBe(`${PUBLIC_URL}/r/octo/orders-api`);

    const notFound = await get("/r/octo/no-such-repo");
    for (const path of ["/r/octo/payroll", "/badge/octo/payroll.svg", "/badge/octo/payroll.json", "/r/octo/payroll/history.svg"]) {
      const res = await get(path);
      expect(res.status, path).toBe(404);
      expect(res.body, path).toBe(notFound.body);
    }
    expect(closed.checkRuns[0]!.details_url).toBeUndefined();

    const privatized = {
      action: "privatized",
      repository: { id: 1, name: "orders-api", full_name: "octo/orders-api", owner: { login: "octo" }, private: true, visibility: "private", archived: false },
      sender: { login: "octo", id: 1, type: "User" },
      installation: { id: 7 },
    };
    expect((await sendWebhook(app.url, "repository", privatized)).status).toBe(200);
    // Gone when the webhook is answered.
    expect((await get("/r/octo/orders-api")).status).toBe(404);
    expect((await get("/badge/octo/orders-api.svg")).status).toBe(404);
  });
});
