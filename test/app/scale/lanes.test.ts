import nock from "nock";
import { Probot } from "probot";
import { describe, expect, it } from "vitest";
import { onGitHubResponse } from "../../../src/app/github/requests.js";
import { createSkillproofOctokit, installationClient, SkillproofOctokit, WRITE_SPACING_MS } from "../../../src/app/github/lanes.js";
import { openLaneRedis, RedisLanes } from "../../../src/app/github/redisLane.js";
import { TEST_PRIVATE_KEY } from "../../fixtures/app/keys.js";
import { startRedis } from "../../helpers/redis.js";
import { useNock } from "../../helpers/nock.js";
import { loopbackGitHub, type LoopbackGitHub } from "../github/loopbackGitHub.js";

/**
 * The app's Octokit class with the throttling plugin on, as `npm start` runs
 * it: one write lane per installation, and the plugin's retry after a
 * secondary rate limit kept.
 */
const API = "https://api.github.com";

useNock({ allowLoopback: true });

/**
 * The lane spaces the moment a request is handed to fetch; the loopback
 * GitHub times arrivals in this same process, so a busy event loop (two
 * shared cores) can make one arrival look up to this much late.
 */
const ARRIVAL_SLACK_MS = 200;

function probot(options: { baseUrl?: string; redisConfig?: string } = {}, Octokit = SkillproofOctokit): Probot {
  return new Probot({ appId: 1, privateKey: TEST_PRIVATE_KEY, Octokit, logLevel: "fatal", ...options });
}

/** Two writes from each of two installations at once; the arrival times at the loopback GitHub, per installation. */
async function twoWritesEach(apps: Probot | [Probot, Probot], gh: LoopbackGitHub, ids: [number, number]): Promise<[number[], number[]]> {
  // With two apps (two replicas), each installation's two writes come one from each.
  const [first, second] = Array.isArray(apps) ? apps : [apps, apps];
  const [one, two, oneElsewhere, twoElsewhere] = await Promise.all([installationClient(first, ids[0]), installationClient(first, ids[1]), installationClient(second, ids[0]), installationClient(second, ids[1])]);
  const write = (octokit: typeof one, owner: string) => octokit!.rest.checks.create({ owner, repo: "r", name: "Skillproof", head_sha: "a".repeat(40) });
  const [a, b] = ids.map((id) => `owner${id}`) as [string, string];
  await Promise.all([write(one, a), write(oneElsewhere, a), write(two, b), write(twoElsewhere, b)]);
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
      expect(a2! - a1!).toBeGreaterThanOrEqual(WRITE_SPACING_MS - ARRIVAL_SLACK_MS);
      // Across installations: the second installation's first write did not wait for the first's lane.
      expect(b1!).toBeLessThan(a2!);
      expect(a1!).toBeLessThan(b2!);
    } finally {
      await gh.close();
    }
  });

  it("keep that spacing between two replicas sharing the lanes in Redis, without Bottleneck's Redis datastore", { timeout: 30_000 }, async () => {
    const [gh, redis] = await Promise.all([loopbackGitHub(), startRedis()]);
    const replicas = [0, 1].map(() => new RedisLanes(openLaneRedis(redis.url, () => {}), { prefix: "lanes-scale" }));
    try {
      // Each replica its own connection, as two processes; Probot is even handed REDIS_URL, as Probot's own runner would.
      const apps = replicas.map((lanes) => probot({ baseUrl: gh.url, redisConfig: redis.url }, createSkillproofOctokit({ lanes: () => lanes }))) as [Probot, Probot];
      const [[a1, a2], [b1, b2]] = await twoWritesEach(apps, gh, [11, 12]);
      expect(a2! - a1!).toBeGreaterThanOrEqual(1000);
      expect(b2! - b1!).toBeGreaterThanOrEqual(1000);
      expect(a2! - a1!).toBeGreaterThanOrEqual(WRITE_SPACING_MS - ARRIVAL_SLACK_MS);
      expect(b2! - b1!).toBeGreaterThanOrEqual(WRITE_SPACING_MS - ARRIVAL_SLACK_MS);
      expect(b1!).toBeLessThan(a2!);
      expect(a1!).toBeLessThan(b2!);
      // The lane lives in Redis under the app's prefix; Bottleneck (its "b_" keys) never ran there.
      expect((await redis.client.keys("lanes-scale:lane:{write:11}:*")).length).toBeGreaterThan(0);
      expect(await redis.client.keys("b_*")).toEqual([]);
    } finally {
      await Promise.all(replicas.map((lanes) => lanes.close()));
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
