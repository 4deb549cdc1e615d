import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { TARBALL_MAX_SIZE_KB } from "../../src/sources/github/open.js";
import { checkRunPayload, checkSuitePayload, pullRequestPayload, pushPayload } from "../fixtures/app/events.js";
import { isLaneRequest } from "../fixtures/app/fakeGitHub.js";
import { setupAppTests } from "../fixtures/app/harness.js";
import { NO_MIGRATIONS, PORTFOLIO, SINGLE_STAGE } from "../fixtures/app/repos.js";

/**
 * What one audit costs in the installation's throttling lane (writes and
 * GraphQL, one a second) and outside it (REST reads), counted as
 * @octokit/plugin-throttling classifies requests. Goal: an ordinary push costs
 * at most 2 lane requests, and reading the content at most 3 requests.
 */
const t = setupAppTests({ beforeAll, beforeEach, afterEach, afterAll, expect });
const REPO = "/repos/Codertocat/Hello-World";

/** Delivers one event and returns the requests its audit made. */
async function audit(name: string, payload: object): Promise<{ lane: string[]; reads: string[]; content: string[] }> {
  const before = t.gh.requests.length;
  await t.app.deliverAndWait(name, payload);
  const made = t.gh.requests.slice(before);
  return {
    lane: made.filter(isLaneRequest),
    reads: made.filter((r) => !isLaneRequest(r)),
    content: made.filter((r) => /\/(git\/trees|tarball)\/|^POST \/graphql/.test(r)),
  };
}

describe("requests per audit", () => {
  it("the very first audit of a repository: the check run and the new issue (its label comes with it)", async () => {
    const commit = t.gh.commit(PORTFOLIO);
    t.gh.serveToken().serveTrees().serveTarballs().serveOrgConfig().serveChecks().serveIssues();
    const cost = await audit("push", pushPayload(commit.commitSha));
    expect(cost.lane).toEqual([`POST ${REPO}/check-runs`, `POST ${REPO}/issues`]);
    expect(cost.content.sort()).toEqual([`GET ${REPO}/git/trees/${commit.commitSha}`, `GET ${REPO}/tarball/${commit.commitSha}`]);
    expect(t.gh.issues[0]!.labels).toEqual(["skillproof"]);
  });

  it("a push that changes the report: the check run and the issue update", async () => {
    const first = t.gh.commit(SINGLE_STAGE, "2024-05-01T10:00:00Z");
    const second = t.gh.commit(PORTFOLIO, "2024-05-02T10:00:00Z");
    t.gh.serveToken().serveTrees().serveTarballs().serveOrgConfig().serveChecks().serveIssues({ create: true, update: true });
    await audit("push", pushPayload(first.commitSha, "2024-05-01T10:00:00Z"));
    const cost = await audit("push", pushPayload(second.commitSha, "2024-05-02T10:00:00Z"));
    expect(cost.lane).toEqual([`POST ${REPO}/check-runs`, `PATCH ${REPO}/issues/1`]);
    expect(cost.content).toHaveLength(2);
    // Reads only besides: the token is cached, so the content, the org config and the issue list.
    expect(cost.reads.filter((r) => !cost.content.includes(r))).toEqual(["GET /repos/Codertocat/.github/contents/.github%2Fskillproof.yml", `GET ${REPO}/issues`]);
  });

  it("an audit whose issue would not change writes only the check run", async () => {
    const commit = t.gh.commit(PORTFOLIO, "2024-05-01T10:00:00Z");
    t.gh.serveToken().serveTrees().serveTarballs().serveOrgConfig().serveChecks().serveIssues().serveCommitDates();
    await audit("push", pushPayload(commit.commitSha, "2024-05-01T10:00:00Z"));
    // The re-run button on the same commit: same report, same marker.
    const cost = await audit("check_run", checkRunPayload("requested_action", commit.commitSha, "default"));
    expect(cost.lane).toEqual([`POST ${REPO}/check-runs`]);
    expect(cost.reads).toContain(`GET ${REPO}/git/commits/${commit.commitSha}`);
    expect(t.gh.checkRuns).toHaveLength(2);
    expect(t.gh.completion(t.gh.checkRuns[1]).actions).toEqual([{ label: "Re-run audit", description: "Audit this commit again", identifier: "rerun" }]);
  });

  it("a pull request compared with its base: one write; head and base read outside the lane", async () => {
    const base = t.gh.commit(SINGLE_STAGE);
    const head = t.gh.commit(NO_MIGRATIONS);
    t.gh.serveToken().serveTrees().serveTarballs().serveOrgConfig().serveChecks();
    const cost = await audit("pull_request", pullRequestPayload("synchronize", head.commitSha, base.commitSha));
    expect(cost.lane).toEqual([`POST ${REPO}/check-runs`]);
    expect(cost.content).toHaveLength(4);
    expect(t.gh.completion().output.text).toContain("containers/multi-stage now passes");
  });

  it("the re-run button on a pull request's check: one write", async () => {
    const base = t.gh.commit(SINGLE_STAGE);
    const head = t.gh.commit(PORTFOLIO);
    t.gh.serveToken().serveTrees().serveTarballs().serveOrgConfig().serveChecks();
    const cost = await audit("check_run", checkRunPayload("requested_action", head.commitSha, `pull:2:${base.commitSha}`));
    expect(cost.lane).toEqual([`POST ${REPO}/check-runs`]);
    expect(t.gh.completion().output.text).toContain("containers/multi-stage now passes");
  });

  it("a re-requested check suite off the default branch: one write", async () => {
    const commit = t.gh.commit(PORTFOLIO);
    t.gh.serveToken().serveTrees().serveTarballs().serveOrgConfig().serveChecks();
    const cost = await audit("check_suite", checkSuitePayload("rerequested", commit.commitSha, "feature"));
    expect(cost.lane).toEqual([`POST ${REPO}/check-runs`]);
  });

  it("a repository above the tarball threshold reads through GraphQL: its batches join the lane", async () => {
    const commit = t.gh.commit(PORTFOLIO);
    t.gh.serveToken().serveTrees().serveGraphql().serveOrgConfig().serveChecks().serveIssues();
    const payload = pushPayload(commit.commitSha);
    payload.repository.size = TARBALL_MAX_SIZE_KB + 1;
    const cost = await audit("push", payload);
    const graphql = cost.lane.filter((r) => r === "POST /graphql").length;
    expect(graphql).toBeGreaterThanOrEqual(1);
    expect(graphql).toBeLessThanOrEqual(2);
    expect(cost.lane.filter((r) => r !== "POST /graphql")).toEqual([`POST ${REPO}/check-runs`, `POST ${REPO}/issues`]);
    expect(cost.content.length).toBeLessThanOrEqual(3);
  });
});
