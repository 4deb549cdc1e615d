import nock from "nock";
import { Probot } from "probot";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { installationClient, SkillproofOctokit } from "../../../src/app/lanes.js";
import { TEST_PRIVATE_KEY } from "../../fixtures/app/keys.js";

/**
 * The app's Octokit class with the throttling plugin on, as `npm start` runs
 * it: one write lane per installation, and the plugin's retry after a
 * secondary rate limit kept.
 */
const API = "https://api.github.com";

beforeAll(() => nock.disableNetConnect());
afterEach(() => {
  try {
    expect(nock.pendingMocks()).toEqual([]);
  } finally {
    nock.cleanAll();
  }
});
afterAll(() => nock.enableNetConnect());

function probot(): Probot {
  return new Probot({ appId: 1, privateKey: TEST_PRIVATE_KEY, Octokit: SkillproofOctokit, logLevel: "fatal" });
}

function serveTokens(...ids: number[]): void {
  for (const id of ids) {
    nock(API)
      .post(`/app/installations/${id}/access_tokens`)
      .reply(201, { token: `ghs_${id}`, expires_at: "2999-01-01T00:00:00Z", permissions: {}, repository_selection: "all" });
  }
}

describe("rate lanes", () => {
  it("space one installation's writes a second apart, and never hold another installation's behind them", async () => {
    serveTokens(1, 2);
    const seen: Array<{ repo: string; at: number }> = [];
    nock(API)
      .post(/^\/repos\/(one|two)\/r\/check-runs$/)
      .times(4)
      .reply(201, (uri) => {
        seen.push({ repo: uri.split("/")[2]!, at: Date.now() });
        return { id: 1 };
      });
    const app = probot();
    const [one, two] = await Promise.all([installationClient(app, 1), installationClient(app, 2)]);
    const write = (octokit: typeof one, owner: string) => octokit.rest.checks.create({ owner, repo: "r", name: "Skillproof", head_sha: "a".repeat(40) });
    await Promise.all([write(one, "one"), write(one, "one"), write(two, "two"), write(two, "two")]);

    const times = (repo: string) => seen.filter((s) => s.repo === repo).map((s) => s.at);
    const [a1, a2] = times("one");
    const [b1, b2] = times("two");
    // Within an installation: the lane's one-second spacing, as GitHub sees it. Without a lane the two
    // writes would arrive together; the slack absorbs the event loop's delay between release and send.
    expect(a2! - a1!).toBeGreaterThanOrEqual(800);
    expect(b2! - b1!).toBeGreaterThanOrEqual(800);
    // Across installations: the second installation's first write did not wait for the first's lane.
    expect(b1!).toBeLessThan(a2!);
  });

  it("retry a write after GitHub's secondary rate limit, after the retry-after it named", async () => {
    serveTokens(3);
    nock(API)
      .post("/repos/three/r/issues")
      .reply(403, { message: "You have exceeded a secondary rate limit. Please wait a few minutes before you try again." }, { "retry-after": "1" })
      .post("/repos/three/r/issues")
      .reply(201, { number: 1 });
    const octokit = await installationClient(probot(), 3);
    const started = Date.now();
    const { data } = await octokit.rest.issues.create({ owner: "three", repo: "r", title: "Skillproof report" });
    expect(data.number).toBe(1);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
  });
});
