import nock from "nock";
import { ProbotOctokit } from "probot";
import { describe, expect, it } from "vitest";
import { DEFAULT_CONFIG } from "../../../src/config/config.js";
import { loadRuleSet } from "../../../src/engine/loadRules.js";
import { auditToReport } from "../../../src/pipeline.js";
import { GitHubTreeSource } from "../../../src/sources/github.js";
import { InMemorySource } from "../../../src/sources/memory.js";
import { API, FakeRepo } from "../../fixtures/github/fakeGitHub.js";
import { PORTFOLIO } from "../../fixtures/github/portfolio.js";
import { useNock } from "../../helpers/nock.js";

const OWNER = "octo-cand";
const REPO = "orders-api";

useNock();

describe("depth facts across sources", () => {
  it("are the same from GitHub as from the same tree in memory, with no extra request", async () => {
    const fake = new FakeRepo(OWNER, REPO, PORTFOLIO);
    nock(API).get(`/repos/${OWNER}/${REPO}/git/trees/${fake.commitSha}`).query({ recursive: "1" }).reply(200, fake.treeResponse(fake.commitSha, true));
    nock(API).post("/graphql").reply(200, (_uri, body) => fake.graphqlResponse(body)).persist();
    const octokit = new ProbotOctokit({ auth: { token: "test" }, retry: { enabled: false }, throttle: { enabled: false } });
    const gh = new GitHubTreeSource({ octokit, owner: OWNER, repo: REPO, sha: fake.commitSha, ref: "refs/heads/main" });
    const ruleSet = loadRuleSet();
    const viaGitHub = await auditToReport(gh, ruleSet, DEFAULT_CONFIG);
    const memory = new InMemorySource(PORTFOLIO);
    const inMemory = await auditToReport(memory, ruleSet, DEFAULT_CONFIG);

    const depthOf = (r: typeof viaGitHub) => r.rules.map(({ id, facts, summary, depth, depthReason, earned }) => ({ id, facts, summary, depth, depthReason, earned }));
    expect(depthOf(viaGitHub)).toEqual(depthOf(inMemory));
    const measured = viaGitHub.rules.filter((r) => r.facts !== undefined).map((r) => r.id);
    expect(measured).toEqual(expect.arrayContaining(["testing/test-files", "testing/coverage", "ci-cd/runs-tests", "data/migrations"]));
    // Reads ride the engine's rounds: one GraphQL query per round, plus the tree listing.
    expect(gh.requestCount).toBe(1 + fake.graphqlQueries.length);
    expect(fake.graphqlQueries.length).toBe(memory.reads.length);
  });
});
