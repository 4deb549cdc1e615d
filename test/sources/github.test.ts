import { mkdtemp, mkdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import nock from "nock";
import { ProbotOctokit } from "probot";
import { describe, expect, it } from "vitest";
import { DEFAULT_CONFIG } from "../../src/config/config.js";
import { loadRuleSet } from "../../src/engine/loadRules.js";
import { auditToReport } from "../../src/pipeline.js";
import type { Report } from "../../src/report/model.js";
import { EmptyRepositoryError, GitHubTreeSource, TRUNCATED_TREE_NOTE, type GitHubTreeSourceOptions } from "../../src/sources/github.js";
import { GitHubArchiveSource } from "../../src/sources/github/archive.js";
import { GitHubTarballSource } from "../../src/sources/github/tarball.js";
import { LocalDirectorySource } from "../../src/sources/local.js";
import { MAX_READ_BYTES } from "../../src/sources/source.js";
import { API, FakeRepo, GRAPHQL_TEXT_LIMIT } from "../fixtures/github/fakeGitHub.js";
import { PORTFOLIO } from "../fixtures/github/portfolio.js";
import { serveTarball } from "../fixtures/github/tarball.js";
import { useNock } from "../helpers/nock.js";

const OWNER = "octo-cand";
const REPO = "orders-api";
const TREES = `/repos/${OWNER}/${REPO}/git/trees`;

const octokit = () => new ProbotOctokit({ auth: { token: "test" }, retry: { enabled: false }, throttle: { enabled: false } });

function source(fake: FakeRepo, extra: Partial<GitHubTreeSourceOptions> = {}): GitHubTreeSource {
  return new GitHubTreeSource({ octokit: octokit(), owner: OWNER, repo: REPO, sha: fake.commitSha, ref: "refs/heads/main", ...extra });
}

/** Serves the recursive listing of the commit, untruncated: the common case, one request. */
function serveTree(fake: FakeRepo): void {
  nock(API).get(`${TREES}/${fake.commitSha}`).query({ recursive: "1" }).reply(200, fake.treeResponse(fake.commitSha, true));
}

/** Serves GraphQL for as many queries as the source sends; the test asserts the count. */
function serveGraphql(fake: FakeRepo): void {
  nock(API)
    .post("/graphql")
    .reply(200, (_uri, body) => fake.graphqlResponse(body))
    .persist();
}

useNock();

describe("GitHubTreeSource", () => {
  it("audits a repository exactly as the same tree on disk and as its tarball, in at most 3 requests", async () => {
    const fake = new FakeRepo(OWNER, REPO, PORTFOLIO);
    serveTree(fake);
    serveGraphql(fake);
    const gh = source(fake);
    const ruleSet = loadRuleSet();
    const viaGitHub = await auditToReport(gh, ruleSet, DEFAULT_CONFIG);

    // The tarball path: the same report, target included, with no GraphQL at all.
    serveTree(fake);
    await serveTarball(fake, fake.commitSha);
    const queriesBefore = fake.graphqlQueries.length;
    const archive = new GitHubArchiveSource({ octokit: octokit(), owner: OWNER, repo: REPO, sha: fake.commitSha, ref: "refs/heads/main" });
    const viaTarball = await auditToReport(archive, ruleSet, DEFAULT_CONFIG);
    expect(viaTarball).toEqual(viaGitHub);
    expect(archive.requestCount).toBe(2);
    expect(fake.graphqlQueries.length).toBe(queriesBefore);
    // Without a token: the tarball alone, one request, the same report.
    await serveTarball(fake, fake.commitSha);
    const alone = new GitHubTarballSource({ octokit: octokit(), owner: OWNER, repo: REPO, sha: fake.commitSha, ref: "refs/heads/main" });
    expect(await auditToReport(alone, ruleSet, DEFAULT_CONFIG)).toEqual(viaGitHub);
    expect(alone.requestCount).toBe(1);

    const dir = await mkdtemp(join(tmpdir(), "skillproof-gh-"));
    try {
      for (const [path, text] of Object.entries(PORTFOLIO)) {
        await mkdir(dirname(join(dir, path)), { recursive: true });
        await writeFile(join(dir, path), text);
      }
      const local = await auditToReport(new LocalDirectorySource(dir), ruleSet, DEFAULT_CONFIG);
      const comparable = ({ target: _t, ...rest }: Report) => rest;
      expect(comparable(viaGitHub)).toEqual(comparable(local));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }

    expect(viaGitHub.target).toEqual({
      kind: "github",
      owner: OWNER,
      repo: REPO,
      ref: "refs/heads/main",
      sha: fake.commitSha,
      url: `https://github.com/${OWNER}/${REPO}`,
    });
    expect(viaGitHub.notes).toEqual([]);
    // The fixture is evidence-rich: make sure the comparison compared real verdicts.
    const passed = viaGitHub.rules.filter((r) => r.status === "pass").map((r) => r.id);
    expect(passed).toEqual(expect.arrayContaining(["ci-cd/runs-tests", "testing/framework", "testing/coverage", "data/migrations", "docs/diagram"]));
    expect(viaGitHub.files.read).toBeGreaterThan(0);
    expect(gh.requestCount).toBeLessThanOrEqual(3);
    expect(gh.requestCount).toBe(1 + fake.graphqlQueries.length);
  });

  it("lists only regular files, with their sizes", async () => {
    const fake = new FakeRepo(OWNER, REPO, { "a.txt": "hello", "bin/run.sh": "#!/bin/sh\n" }, {
      symlinks: { "link.txt": "a.txt" },
      submodules: { "libs/shared": "0123456789abcdef0123456789abcdef01234567" },
    });
    serveTree(fake);
    const gh = source(fake);
    expect(await gh.listFiles()).toEqual([
      { path: "a.txt", size: 5 },
      { path: "bin/run.sh", size: 10 },
    ]);
    expect(gh.requestCount).toBe(1);
    expect(gh.notes()).toEqual([]);
    // Listed once: asking again (the app before the audit, then the engine) costs nothing.
    expect(await gh.listFiles()).toHaveLength(2);
    expect(gh.requestCount).toBe(1);
  });

  it("walks subtrees when GitHub truncates the recursive listing, skipping vendored folders", async () => {
    const files: Record<string, string> = {
      "README.md": "# big",
      "package.json": "{}",
      "docs/guide.md": "guide",
      "src/index.ts": "export {};",
      "src/api/routes.ts": "export {};",
      "src/api/v2/routes.ts": "export {};",
      "src/db/schema.sql": "CREATE TABLE t (id int);",
      "src/vendor/lib.js": "vendored",
      "node_modules/express/index.js": "module.exports = {};",
      "dist/index.js": "built",
    };
    const fake = new FakeRepo(OWNER, REPO, files);
    const tree = (path: string, recursive: boolean, truncated = false) => {
      const sha = path === "" ? fake.commitSha : fake.treeSha(path);
      const scope = nock(API).get(`${TREES}/${sha}`);
      (recursive ? scope.query({ recursive: "1" }) : scope).reply(200, fake.treeResponse(sha, recursive, { truncated }));
    };
    tree("", true, true); // the recursive listing is over GitHub's limit
    tree("", false); // so: the root one level deep,
    tree("docs", true); // each top-level folder recursively (not node_modules/, dist/),
    tree("src", true, true); // and src/ is itself too big:
    tree("src", false); // one level deep again,
    tree("src/api", true); // then its folders recursively (not src/vendor/)
    tree("src/db", true);

    const gh = source(fake);
    const listed = await gh.listFiles();
    expect(listed.map((f) => f.path).sort()).toEqual(
      Object.keys(files)
        .filter((p) => !/^(node_modules|dist|src\/vendor)\//.test(p))
        .sort(),
    );
    expect(listed.find((f) => f.path === "src/api/v2/routes.ts")?.size).toBe(10);
    expect(gh.notes()).toEqual([TRUNCATED_TREE_NOTE]);
    expect(gh.requestCount).toBe(7);
  });

  it("says so when even one level of a folder is more than GitHub lists", async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 6; i++) files[`f${i}.txt`] = `${i}`;
    const fake = new FakeRepo(OWNER, REPO, files);
    nock(API).get(`${TREES}/${fake.commitSha}`).query({ recursive: "1" }).reply(200, fake.treeResponse(fake.commitSha, true, { truncated: true }));
    nock(API).get(`${TREES}/${fake.commitSha}`).reply(200, fake.treeResponse(fake.commitSha, false, { truncated: true }));
    const gh = source(fake);
    expect((await gh.listFiles()).map((f) => f.path)).toEqual(["f0.txt", "f1.txt", "f2.txt"]);
    expect(gh.notes()).toEqual([TRUNCATED_TREE_NOTE, "folder / has more entries than GitHub lists: only part of it was audited"]);
  });

  it("throws EmptyRepositoryError on 409 for an empty repository", async () => {
    nock(API)
      .get(`${TREES}/main`)
      .query({ recursive: "1" })
      .reply(409, { message: "Git Repository is empty.", documentation_url: "https://docs.github.com/rest/git/trees#get-a-tree", status: "409" });
    const gh = new GitHubTreeSource({ octokit: octokit(), owner: OWNER, repo: REPO, sha: "main" });
    const err = await gh.listFiles().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EmptyRepositoryError);
    expect(err).toMatchObject({ status: 409, message: expect.stringContaining("Git Repository is empty.") });
  });

  it.each([
    [403, "Resource not accessible by integration"],
    [404, "Not Found"],
    [500, "Server Error"],
    [502, "Bad Gateway"],
  ])("lets a %i on the tree propagate with its status", async (status, message) => {
    nock(API).get(`${TREES}/abc123`).query({ recursive: "1" }).reply(status, { message, status: String(status) });
    const gh = new GitHubTreeSource({ octokit: octokit(), owner: OWNER, repo: REPO, sha: "abc123" });
    const err = await gh.listFiles().catch((e: unknown) => e);
    expect(err).not.toBeInstanceOf(EmptyRepositoryError);
    expect(err).toMatchObject({ status });
  });

  it("skips binary, oversize and missing files instead of throwing, and never fetches oversize ones", async () => {
    const png = Buffer.concat([Buffer.from("\x89PNG\r\n\x1a\n", "latin1"), Buffer.alloc(64)]);
    const huge = "x".repeat(MAX_READ_BYTES + 1);
    const fake = new FakeRepo(OWNER, REPO, { "logo.png": png, "data/dump.json": huge, "a.txt": "ok\n", "src/x.ts": "export {};" });
    serveTree(fake);
    serveGraphql(fake);
    const gh = source(fake);
    await gh.listFiles();
    const got = await gh.readFiles(["logo.png", "data/dump.json", "gone.txt", "a.txt", "src"]);
    expect(got).toEqual([
      { path: "logo.png", skipped: "binary" },
      { path: "data/dump.json", skipped: "too-large" },
      { path: "gone.txt", skipped: "missing" },
      { path: "a.txt", text: "ok\n" },
      { path: "src", skipped: "missing" },
    ]);
    // Only the two listed, readable-sized files went to GitHub.
    expect(fake.graphqlQueries.map((q) => Object.keys(q.variables).filter((k) => k.startsWith("e")).map((k) => q.variables[k]))).toEqual([
      [`${fake.commitSha}:logo.png`, `${fake.commitSha}:a.txt`],
    ]);
    expect(gh.requestCount).toBe(2);
  });

  it("reads before listing: GitHub's answer decides missing, folder, binary and oversize", async () => {
    const fake = new FakeRepo(OWNER, REPO, { "bin.dat": Buffer.from([1, 0, 2]), "big.txt": "y".repeat(MAX_READ_BYTES + 10), ".github/skillproof.yml": "threshold: 60\n" });
    serveGraphql(fake);
    const gh = source(fake);
    expect(await gh.readFiles([".github/skillproof.yml", "nope.yml", ".github", "bin.dat", "big.txt"])).toEqual([
      { path: ".github/skillproof.yml", text: "threshold: 60\n" },
      { path: "nope.yml", skipped: "missing" },
      { path: ".github", skipped: "unreadable", reason: "not a regular file" },
      { path: "bin.dat", skipped: "binary" },
      { path: "big.txt", skipped: "too-large" },
    ]);
    expect(gh.requestCount).toBe(1);
  });

  it("reads a text GraphQL truncates in full through the REST blob API", async () => {
    const spec = `openapi: 3.0.3\n${"# padding line for a large generated spec\n".repeat(Math.ceil((GRAPHQL_TEXT_LIMIT + 4096) / 41))}`;
    const fake = new FakeRepo(OWNER, REPO, { "openapi.yaml": spec, "a.txt": "a" });
    serveTree(fake);
    serveGraphql(fake);
    nock(API).get(`/repos/${OWNER}/${REPO}/git/blobs/${fake.blobSha("openapi.yaml")}`).reply(200, fake.blobResponse(fake.blobSha("openapi.yaml")));
    const gh = source(fake);
    await gh.listFiles();
    const [got, a] = await gh.readFiles(["openapi.yaml", "a.txt"]);
    expect(got).toEqual({ path: "openapi.yaml", text: spec });
    expect(a).toEqual({ path: "a.txt", text: "a" });
    expect(gh.requestCount).toBe(3);
  });

  it("reads paths with spaces, quotes, backslashes and non-ASCII characters", async () => {
    const odd = [`docs/my "quoted" file's notes.md`, "src/ünïcødé/名前.ts", "scripts/back\\slash $HOME {x}.sh", "a:b.txt"];
    const fake = new FakeRepo(OWNER, REPO, Object.fromEntries(odd.map((p, i) => [p, `content ${i} — ✓\n`])));
    serveTree(fake);
    serveGraphql(fake);
    const gh = source(fake);
    expect((await gh.listFiles()).map((f) => f.path).sort()).toEqual([...odd].sort());
    expect(await gh.readFiles(odd)).toEqual(odd.map((path, i) => ({ path, text: `content ${i} — ✓\n` })));
  });

  it("batches by count and by size, answering in the order asked", async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 7; i++) files[`f${i}.txt`] = `${i}`.repeat(100);
    const fake = new FakeRepo(OWNER, REPO, files);
    serveTree(fake);
    serveGraphql(fake);
    const gh = source(fake, { batchSize: 3, batchBytes: 250 });
    await gh.listFiles();
    const order = ["f6.txt", "f0.txt", "f3.txt", "f1.txt", "f5.txt", "f2.txt", "f4.txt", "f0.txt"];
    expect((await gh.readFiles(order)).map((c) => c.path)).toEqual(order);
    // 250 bytes fit two 100-byte files: 7 distinct files in 4 queries.
    expect(fake.graphqlQueries.map((q) => Object.keys(q.variables).length - 2)).toEqual([2, 2, 2, 1]);
    expect(gh.requestCount).toBe(5);
  });

  it("reads a typical content round of 150 files in one query", async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 150; i++) files[`src/module${i}.ts`] = `export const v${i} = ${i};\n`.repeat(40);
    const fake = new FakeRepo(OWNER, REPO, files);
    serveTree(fake);
    serveGraphql(fake);
    const gh = source(fake);
    const paths = (await gh.listFiles()).map((f) => f.path);
    const got = await gh.readFiles(paths);
    expect(got.every((c) => "text" in c)).toBe(true);
    expect(gh.requestCount).toBe(2);
  });

  it("halves a batch that times out rather than failing the audit", async () => {
    const fake = new FakeRepo(OWNER, REPO, { "a.txt": "a", "b.txt": "b", "c.txt": "c", "d.txt": "d" });
    serveTree(fake);
    nock(API).post("/graphql").reply(502, { message: "Bad Gateway" });
    nock(API)
      .post("/graphql")
      .times(2)
      .reply(200, (_uri, body) => fake.graphqlResponse(body));
    const gh = source(fake);
    await gh.listFiles();
    expect(await gh.readFiles(["a.txt", "b.txt", "c.txt", "d.txt"])).toEqual(["a", "b", "c", "d"].map((x) => ({ path: `${x}.txt`, text: x })));
    expect(gh.requestCount).toBe(4);
  });

  it("lets GraphQL failures that are not about one file propagate", async () => {
    const fake = new FakeRepo(OWNER, REPO, { "a.txt": "a" });
    serveTree(fake);
    nock(API)
      .post("/graphql")
      .reply(200, { data: { repository: null }, errors: [{ type: "NOT_FOUND", path: ["repository"], message: "Could not resolve to a Repository with the name 'octo-cand/orders-api'." }] });
    const gh = source(fake);
    await gh.listFiles();
    await expect(gh.readFiles(["a.txt"])).rejects.toThrow(/Could not resolve to a Repository/);

    nock(API).post("/graphql").reply(401, { message: "Bad credentials" });
    await expect(gh.readFiles(["a.txt"])).rejects.toMatchObject({ status: 401 });
  });

  it("turns an error on one alias into an unreadable file, keeping the rest", async () => {
    const fake = new FakeRepo(OWNER, REPO, { "a.txt": "a", "b.txt": "b" });
    serveTree(fake);
    nock(API)
      .post("/graphql")
      .reply(200, (_uri, body) => {
        const ok = fake.graphqlResponse(body) as { data: { repository: Record<string, unknown> } };
        return { data: { repository: { ...ok.data.repository, f1: null } }, errors: [{ path: ["repository", "f1"], message: "blob unavailable" }] };
      });
    const gh = source(fake);
    await gh.listFiles();
    expect(await gh.readFiles(["a.txt", "b.txt"])).toEqual([
      { path: "a.txt", text: "a" },
      { path: "b.txt", skipped: "unreadable", reason: "blob unavailable" },
    ]);
  });
});
