import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import nock from "nock";
import { Probot } from "probot";
import { describe, expect, it } from "vitest";
import { onGitHubResponse } from "../../../src/app/github/requests.js";
import { installationClient, SkillproofOctokit, WRITE_SPACING_MS } from "../../../src/app/github/lanes.js";
import { TEST_PRIVATE_KEY } from "../../fixtures/app/keys.js";
import { startRedis } from "../../helpers/redis.js";
import { useNock } from "../../helpers/nock.js";

/**
 * The app's Octokit class with the throttling plugin on, as `npm start` runs
 * it: one write lane per installation, and the plugin's retry after a
 * secondary rate limit kept.
 */
const API = "https://api.github.com";

useNock({ allowLoopback: true });

function probot(options: { baseUrl?: string; redisConfig?: string } = {}): Probot {
  return new Probot({ appId: 1, privateKey: TEST_PRIVATE_KEY, Octokit: SkillproofOctokit, logLevel: "fatal", ...options });
}

/**
 * GitHub on a loopback socket: answers tokens and check runs, and notes when
 * each check-run request arrived (what GitHub's spacing rule looks at).
 */
async function loopbackGitHub(): Promise<{ url: string; arrivals: Array<{ owner: string; at: number }>; close(): Promise<void> }> {
  const arrivals: Array<{ owner: string; at: number }> = [];
  const server: Server = createServer((req, res) => {
    const at = performance.now();
    req.resume();
    req.on("end", () => {
      const token = /^\/app\/installations\/(\d+)\/access_tokens$/.exec(req.url ?? "");
      const check = /^\/repos\/([^/]+)\/r\/check-runs$/.exec(req.url ?? "");
      res.setHeader("content-type", "application/json");
      if (req.method === "POST" && token) {
        res.writeHead(201).end(JSON.stringify({ token: `ghs_${token[1]}`, expires_at: "2999-01-01T00:00:00Z", permissions: {}, repository_selection: "all" }));
      } else if (req.method === "POST" && check) {
        arrivals.push({ owner: check[1]!, at });
        res.writeHead(201).end(JSON.stringify({ id: arrivals.length }));
      } else {
        res.writeHead(404).end(JSON.stringify({ message: "Not Found" }));
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    arrivals,
    close: () => new Promise((r) => server.close(() => r())),
  };
}

/** Two writes from each of two installations at once; the arrival times at the loopback GitHub, per installation. */
async function twoWritesEach(app: Probot, gh: Awaited<ReturnType<typeof loopbackGitHub>>, ids: [number, number]): Promise<[number[], number[]]> {
  const [one, two] = await Promise.all(ids.map((id) => installationClient(app, id)));
  const write = (octokit: typeof one, owner: string) => octokit!.rest.checks.create({ owner, repo: "r", name: "Skillproof", head_sha: "a".repeat(40) });
  const [a, b] = ids.map((id) => `owner${id}`) as [string, string];
  await Promise.all([write(one, a), write(one, a), write(two, b), write(two, b)]);
  const times = (owner: string) => gh.arrivals.filter((s) => s.owner === owner).map((s) => s.at);
  return [times(a), times(b)];
}

function serveTokens(...ids: number[]): void {
  for (const id of ids) {
    nock(API)
      .post(`/app/installations/${id}/access_tokens`)
      .reply(201, { token: `ghs_${id}`, expires_at: "2999-01-01T00:00:00Z", permissions: {}, repository_selection: "all" });
  }
}

describe("rate lanes", () => {
  it("space one installation's writes more than a second apart as GitHub sees them, and never hold another installation's behind them", async () => {
    const gh = await loopbackGitHub();
    try {
      const [[a1, a2], [b1, b2]] = await twoWritesEach(probot({ baseUrl: gh.url }), gh, [1, 2]);
      // Within an installation: at least a second between arrivals, the lane's margin absorbing the delay between release and send.
      expect(a2! - a1!).toBeGreaterThanOrEqual(1000);
      expect(b2! - b1!).toBeGreaterThanOrEqual(1000);
      expect(a2! - a1!).toBeGreaterThanOrEqual(WRITE_SPACING_MS - 50);
      // Across installations: the second installation's first write did not wait for the first's lane.
      expect(b1!).toBeLessThan(a2!);
      expect(a1!).toBeLessThan(b2!);
    } finally {
      await gh.close();
    }
  });

  it("keep that spacing with Probot's Redis connection (the lanes replicas share)", { timeout: 30_000 }, async () => {
    const [gh, redis] = await Promise.all([loopbackGitHub(), startRedis()]);
    try {
      const [[a1, a2], [b1, b2]] = await twoWritesEach(probot({ baseUrl: gh.url, redisConfig: redis.url }), gh, [11, 12]);
      expect(a2! - a1!).toBeGreaterThanOrEqual(1000);
      expect(b2! - b1!).toBeGreaterThanOrEqual(1000);
      expect(b1!).toBeLessThan(a2!);
      expect(a1!).toBeLessThan(b2!);
      // The lane lives in Redis, under the app's own limiter id.
      expect((await redis.client.keys("b_skillproof-write-11*")).length).toBeGreaterThan(0);
    } finally {
      await gh.close();
      await redis.stop();
    }
  });

  it("retry a write after GitHub's secondary rate limit, after the retry-after it named", async () => {
    serveTokens(3);
    nock(API)
      .post("/repos/three/r/issues")
      .reply(403, { message: "You have exceeded a secondary rate limit. Please wait a few minutes before you try again." }, { "retry-after": "1" })
      .post("/repos/three/r/issues")
      .reply(201, { number: 1 });
    const statuses: string[] = [];
    const stop = onGitHubResponse((status) => statuses.push(status));
    try {
      const octokit = await installationClient(probot(), 3);
      const started = Date.now();
      const { data } = await octokit.rest.issues.create({ owner: "three", repo: "r", title: "Skillproof report" });
      expect(data.number).toBe(1);
      expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
      // The metrics see every exchange: the token, the refused attempt and the retry.
      expect(statuses).toEqual(["201", "403", "201"]);
    } finally {
      stop();
    }
  });
});
