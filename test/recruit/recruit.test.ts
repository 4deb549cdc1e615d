import nock from "nock";
import { beforeAll, describe, expect, it } from "vitest";
import { loadBuiltinRuleSet } from "../../src/engine/ruleBundle.js";
import { auditPortfolio, auditRepository, RecruitError, type PortfolioAudit } from "../../src/recruit/index.js";
import { client, newWorld, serve } from "./harness.js";
import { useNock } from "../helpers/nock.js";

const ruleSet = loadBuiltinRuleSet();

useNock();

async function failure(p: Promise<unknown>): Promise<RecruitError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(RecruitError);
    return err as RecruitError;
  }
  throw new Error("expected a RecruitError");
}

describe.each([
  { mode: "without a token (REST + tarball)", graphql: false },
  { mode: "with a token (GraphQL)", graphql: true },
])("auditRepository $mode", ({ graphql }) => {
  it("audits the default branch and measures attribution, within 3 content + 2 attribution requests", async () => {
    const world = newWorld();
    serve(world, { graphql });
    const a = await auditRepository(client(graphql), { owner: "alice", repo: "orders-api" }, { ruleSet, graphql });
    expect(a.report.target).toMatchObject({ kind: "github", owner: "alice", repo: "orders-api", sha: world.commitSha("alice", "orders-api") });
    expect(a.report.score).toBeGreaterThan(50);
    expect(a.attribution).toEqual({
      candidate: "alice",
      forkOf: null,
      template: null,
      defaultBranch: "main",
      commits: { total: 212, byCandidate: 185, share: 0.873 },
      lastPush: "2026-10-01T09:00:00Z",
      ci: "passing",
      stars: 12,
      lowShare: false,
      ownWork: true,
    });
    // Every request GitHub saw is counted, and within the budget.
    expect(a.requests).toBe(world.count());
    expect(world.count()).toBeLessThanOrEqual(5);
    const attributionRequests = world.seen.filter((s) => /\/(contributors|check-runs)/.test(s.path)).length;
    expect(world.count() - attributionRequests).toBeLessThanOrEqual(3);
    expect(attributionRequests).toBeLessThanOrEqual(2);
    if (!graphql) expect(world.count("graphql-meta") + world.count("graphql-blobs")).toBe(0);
  });

  it("audits a tag, and measures another candidate's share", async () => {
    const world = newWorld();
    serve(world, { graphql });
    const a = await auditRepository(client(graphql), { owner: "alice", repo: "orders-api", ref: "v1.2.0" }, { ruleSet, graphql, candidate: "bob" });
    expect(a.report.target).toMatchObject({ ref: "v1.2.0", sha: world.commitSha("alice", "orders-api") });
    expect(a.attribution?.commits).toEqual({ total: 212, byCandidate: 20, share: 0.094 });
    expect(a.attribution).toMatchObject({ candidate: "bob", lowShare: true, ownWork: false });
  });

  it("reports fork origin, template origin and CI state", async () => {
    const world = newWorld();
    serve(world, { graphql });
    const fork = await auditRepository(client(graphql), { owner: "alice", repo: "infra-fork" }, { ruleSet, graphql });
    expect(fork.attribution).toMatchObject({ forkOf: "bigco/webframework", ci: "failing", lowShare: true, ownWork: false, commits: { total: 900, byCandidate: 20 } });
    const templated = await auditRepository(client(graphql), { owner: "alice", repo: "go-worker" }, { ruleSet, graphql });
    expect(templated.attribution).toMatchObject({ forkOf: null, template: "acme/go-service-template", ci: "pending", ownWork: true });
    const noCi = await auditRepository(client(graphql), { owner: "alice", repo: "py-lib" }, { ruleSet, graphql });
    expect(noCi.attribution?.ci).toBe("none");
  });

  it("names no candidate for an organization's repository unless asked, and measures the one named", async () => {
    const world = newWorld();
    serve(world, { graphql });
    const org = await auditRepository(client(graphql), { owner: "acme", repo: "platform" }, { ruleSet, graphql });
    expect(org.attribution).toMatchObject({ candidate: null, commits: null, lowShare: false, ownWork: true });
    expect(world.seen.some((s) => s.path.includes("/contributors"))).toBe(false);
    const named = await auditRepository(client(graphql), { owner: "acme", repo: "platform" }, { ruleSet, graphql, candidate: "alice" });
    expect(named.attribution).toMatchObject({ candidate: "alice", commits: { total: 40, byCandidate: 30, share: 0.75 } });
  });

  it("says clearly when a repository, a ref or content is not there", async () => {
    const world = newWorld();
    serve(world, { graphql });
    const gh = client(graphql);
    const missing = await failure(auditRepository(gh, { owner: "alice", repo: "nope" }, { ruleSet, graphql }));
    expect(missing.kind).toBe("not-found");
    expect(missing.message).toMatch(/^Repository alice\/nope was not found: it does not exist, or it is private/);
    expect((await failure(auditRepository(gh, { owner: "alice", repo: "secret" }, { ruleSet, graphql }))).kind).toBe("not-found");
    const ref = await failure(auditRepository(gh, { owner: "alice", repo: "orders-api", ref: "v9" }, { ruleSet, graphql }));
    expect(ref.message).toBe('Repository alice/orders-api has no branch, tag or commit "v9".');
    const empty = await failure(auditRepository(gh, { owner: "alice", repo: "empty" }, { ruleSet, graphql }));
    expect(empty.message).toBe("Repository alice/empty is empty: there is nothing to audit.");
  });

  it("reports an exhausted rate limit with its reset time, and an outage as unreachable", async () => {
    const world = newWorld();
    serve(world, { graphql });
    world.rateLimitedUntil = new Date(Date.now() + 12 * 60_000);
    const limited = await failure(auditRepository(client(graphql), { owner: "alice", repo: "orders-api" }, { ruleSet, graphql }));
    expect(limited.kind).toBe("rate-limited");
    expect(limited.resetAt?.getTime()).toBe(Math.floor(world.rateLimitedUntil.getTime() / 1000) * 1000);
    expect(limited.message).toMatch(/rate limit is used up\. It resets at \d\d:\d\d UTC \(in 1[12] minutes\)/);
    world.rateLimitedUntil = undefined;
    world.failWith = 502;
    const down = await failure(auditRepository(client(graphql), { owner: "alice", repo: "orders-api" }, { ruleSet, graphql }));
    expect(down.kind).toBe("unreachable");
  });
});

describe("auditRepository with a partial GraphQL answer", () => {
  it("audits on, with CI unknown, when GitHub refuses the CI rollup", async () => {
    const world = newWorld();
    world.repo("alice", "orders-api")!.rollupForbidden = true;
    serve(world, { graphql: true });
    const a = await auditRepository(client(true), { owner: "alice", repo: "orders-api" }, { ruleSet, graphql: true });
    expect(a.attribution).toMatchObject({ ci: "unknown", commits: { total: 212, byCandidate: 185 } });
    expect(a.report.score).toBeGreaterThan(50);
  });
});

describe("auditRepository input", () => {
  it("rejects names GitHub cannot have, before any request", async () => {
    for (const target of [{ owner: "-x", repo: "y" }, { owner: "a", repo: "b c" }, { owner: "a", repo: ".." }, { owner: "a", repo: "b", ref: "x..y" }]) {
      expect((await failure(auditRepository(client(false), target, { ruleSet, graphql: false }))).kind).toBe("bad-target");
    }
  });

  it("calls a refused connection unreachable", async () => {
    // No interceptor: nock refuses the connection as a closed network would.
    const e = await failure(auditRepository(client(false), { owner: "alice", repo: "orders-api" }, { ruleSet, graphql: false }));
    expect(e.kind).toBe("unreachable");
  });
});

describe.each([
  { mode: "without a token", graphql: false },
  { mode: "with a token", graphql: true },
])("auditPortfolio $mode", ({ graphql }) => {
  let portfolio: PortfolioAudit;
  let requests: number;
  const progress: Array<[number, number, string]> = [];

  beforeAll(async () => {
    nock.disableNetConnect();
    const world = newWorld();
    serve(world, { graphql });
    portfolio = await auditPortfolio(client(graphql), "@alice", { ruleSet, graphql, onProgress: (d, t, r) => progress.push([d, t, r]) });
    requests = world.count();
    nock.cleanAll();
  });

  it("audits the 6 most recently pushed public repositories she owns, forks only with her commits", () => {
    expect(portfolio.repos.map((a) => a.report.target.kind === "github" && a.report.target.repo)).toEqual(["orders-api", "infra-fork", "go-worker", "tiny-b", "tiny-a", "py-lib"]);
    expect(portfolio.skipped).toEqual(
      expect.arrayContaining([
        { repo: "alice/empty", reason: "empty" },
        { repo: "alice/dotfiles", reason: "fork without commits by @alice" },
      ]),
    );
    expect(portfolio.listed).toBe(8);
    expect(progress.map(([d, t]) => [d, t])).toEqual([1, 2, 3, 4, 5, 6].map((d) => [d, 6]));
  });

  it("fits in 30 requests, counted as GitHub saw them", () => {
    expect(portfolio.requests).toBe(requests);
    expect(requests).toBeLessThanOrEqual(30);
  });

  it("keeps attribution per repository and ranks own work above forked work", () => {
    const byRepo = Object.fromEntries(portfolio.repos.map((a) => [a.report.target.kind === "github" ? a.report.target.repo : "", a.attribution]));
    expect(byRepo["infra-fork"]).toMatchObject({ forkOf: "bigco/webframework", ownWork: false, commits: { byCandidate: 20, total: 900 } });
    expect(byRepo["go-worker"]).toMatchObject({ template: "acme/go-service-template", ownWork: true });
    expect(byRepo["py-lib"]).toMatchObject({ lowShare: true, commits: { share: 0.1 } });
    for (const s of portfolio.skills) {
      if (s.repo === "alice/infra-fork") expect(s.score).toBe(Math.round(s.repoScore! / 2));
    }
    const ci = portfolio.skills.find((s) => s.id === "ci-cd");
    expect(ci?.repo).not.toBe("alice/infra-fork");
  });
});

describe("auditPortfolio selection", () => {
  it("audits --max-repos repositories, spending at most max − 1 requests on forks without the user's commits", async () => {
    const world = newWorld();
    serve(world, { graphql: false });
    const p = await auditPortfolio(client(false), "alice", { ruleSet, graphql: false, maxRepos: 2 });
    // dotfiles used the one fork check two repositories allow; infra-fork is not checked.
    expect(p.repos.map((a) => a.report.target.kind === "github" && a.report.target.repo)).toEqual(["orders-api", "go-worker"]);
    expect(p.skipped).toEqual(
      expect.arrayContaining([
        { repo: "alice/dotfiles", reason: "fork without commits by @alice" },
        { repo: "alice/infra-fork", reason: "fork not checked (request budget)" },
      ]),
    );
    expect(p.requests).toBe(world.count());
  });

  it("with a token, checks every fork in the same metadata query; a large --max-repos takes every eligible repository", async () => {
    const world = newWorld();
    serve(world, { graphql: true });
    const p = await auditPortfolio(client(true), "alice", { ruleSet, graphql: true, maxRepos: 2 });
    expect(p.repos.map((a) => a.report.target.kind === "github" && a.report.target.repo)).toEqual(["orders-api", "infra-fork"]);
    expect(world.count("graphql-meta")).toBe(1);
    const all = await auditPortfolio(client(true), "alice", { ruleSet, graphql: true, maxRepos: 50 });
    expect(all.repos).toHaveLength(6);
  });

  it("names the user who does not exist or has nothing public to audit", async () => {
    const world = newWorld();
    serve(world, { graphql: false });
    const gh = client(false);
    const unknown = await failure(auditPortfolio(gh, "ghost", { ruleSet, graphql: false }));
    expect([unknown.kind, unknown.message]).toEqual(["not-found", "GitHub user @ghost does not exist."]);
    const none = await failure(auditPortfolio(gh, "nobody", { ruleSet, graphql: false }));
    expect([none.kind, none.message]).toEqual(["no-public-repos", "GitHub user @nobody has no public repositories."]);
    const archived = await failure(auditPortfolio(gh, "archivist", { ruleSet, graphql: false }));
    expect([archived.kind, archived.message]).toEqual(["no-public-repos", "GitHub user @archivist has no public repositories that are not archived."]);
    expect((await failure(auditPortfolio(gh, "not a user", { ruleSet, graphql: false }))).kind).toBe("bad-target");
  });

  it("stops on a rate limit with the reset time", async () => {
    const world = newWorld();
    serve(world, { graphql: false });
    world.rateLimitedUntil = new Date(Date.now() + 30 * 60_000);
    const e = await failure(auditPortfolio(client(false), "alice", { ruleSet, graphql: false }));
    expect(e.kind).toBe("rate-limited");
    expect(world.count()).toBe(1);
  });
});
