import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp, mkdir, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync, gzipSync } from "node:zlib";
import nock from "nock";
import { ProbotOctokit } from "probot";
import tar from "tar-stream";
import { describe, expect, it } from "vitest";
import { audit } from "../../../src/engine/audit.js";
import { loadBuiltinRuleSet } from "../../../src/engine/ruleBundle.js";
import { EmptyRepositoryError } from "../../../src/sources/github.js";
import { GitHubArchiveSource } from "../../../src/sources/github/archive.js";
import { openGitHubSource, readPathFor, TARBALL_MAX_SIZE_KB } from "../../../src/sources/github/open.js";
import { EXPORT_IGNORE_NOTE, GitHubTarballSource, TarballTooLargeError } from "../../../src/sources/github/tarball.js";
import { GitHubTreeSource } from "../../../src/sources/github.js";
import { MAX_READ_BYTES } from "../../../src/sources/source.js";
import { API, FakeRepo } from "../../fixtures/github/fakeGitHub.js";
import { CODELOAD, serveTarball } from "../../fixtures/github/tarball.js";
import { useNock } from "../../helpers/nock.js";

const OWNER = "octo-cand";
const REPO = "orders-api";
const TREES = `/repos/${OWNER}/${REPO}/git/trees`;

const octokit = () => new ProbotOctokit({ auth: { token: "test" }, retry: { enabled: false }, throttle: { enabled: false } });

const PNG = Buffer.concat([Buffer.from("\x89PNG\r\n\x1a\n", "latin1"), Buffer.alloc(64)]);
const HUGE = "x".repeat(MAX_READ_BYTES + 1);

/** A repository with every kind of entry a tarball can hold. */
function mixedRepo(): FakeRepo {
  return new FakeRepo(
    OWNER,
    REPO,
    { "README.md": "# orders\n", "src/index.ts": "export const x = 1;\n", "bin/run.sh": "#!/bin/sh\nexec node .\n", "logo.png": PNG, "data/dump.json": HUGE, "src/ünï/名前.ts": "// ✓\n" },
    { symlinks: { "docs/link.md": "../README.md" }, submodules: { "libs/shared": "0123456789abcdef0123456789abcdef01234567" } },
  );
}

function tarballSource(fake: FakeRepo, sha = fake.commitSha, limits?: ConstructorParameters<typeof GitHubTarballSource>[0]["limits"]): GitHubTarballSource {
  return new GitHubTarballSource({ octokit: octokit(), owner: OWNER, repo: REPO, sha, ref: "refs/heads/main", ...(limits ? { limits } : {}) });
}

useNock();

describe("GitHubTarballSource", () => {
  it("lists every regular file with its size under the top folder, leaving out symlinks and submodules, in one request", async () => {
    const fake = mixedRepo();
    await serveTarball(fake, fake.commitSha);
    const gh = tarballSource(fake);
    const listed = await gh.listFiles();
    expect(listed.sort((a, b) => (a.path < b.path ? -1 : 1))).toEqual([
      { path: "README.md", size: 9 },
      { path: "bin/run.sh", size: 22 },
      { path: "data/dump.json", size: MAX_READ_BYTES + 1 },
      { path: "logo.png", size: PNG.length },
      { path: "src/index.ts", size: 20 },
      { path: "src/ünï/名前.ts", size: Buffer.byteLength("// ✓\n") },
    ]);
    expect(gh.requestCount).toBe(1);
    // The tree source lists the same files with the same sizes.
    nock(API).get(`${TREES}/${fake.commitSha}`).query({ recursive: "1" }).reply(200, fake.treeResponse(fake.commitSha, true));
    const tree = new GitHubTreeSource({ octokit: octokit(), owner: OWNER, repo: REPO, sha: fake.commitSha });
    const byPath = (a: { path: string }, b: { path: string }) => (a.path < b.path ? -1 : 1);
    expect((await tree.listFiles()).sort(byPath)).toEqual(listed.sort(byPath));
  });

  it("reads texts from memory with the other sources' rules: binary, too large, missing", async () => {
    const fake = mixedRepo();
    await serveTarball(fake, fake.commitSha);
    const gh = tarballSource(fake);
    expect(await gh.readFiles(["README.md", "logo.png", "data/dump.json", "docs/link.md", "libs/shared", "nope.txt", "src/ünï/名前.ts"])).toEqual([
      { path: "README.md", text: "# orders\n" },
      { path: "logo.png", skipped: "binary" },
      { path: "data/dump.json", skipped: "too-large" },
      { path: "docs/link.md", skipped: "missing" },
      { path: "libs/shared", skipped: "missing" },
      { path: "nope.txt", skipped: "missing" },
      { path: "src/ünï/名前.ts", text: "// ✓\n" },
    ]);
    // Reading again costs no request: the archive was unpacked once.
    await gh.readFiles(["src/index.ts"]);
    expect(gh.requestCount).toBe(1);
  });

  it("tells the commit a branch's archive holds, from git archive's pax global header", async () => {
    const fake = mixedRepo();
    await serveTarball(fake, "main");
    const gh = tarballSource(fake, "main");
    expect(gh.commitSha).toBeUndefined();
    await gh.listFiles();
    expect(gh.commitSha).toBe(fake.commitSha);
    // The header really is a pax global header ("g"), as git writes it.
    const tarBytes = gunzipSync(await fake.tarball());
    expect(String.fromCharCode(tarBytes[156]!)).toBe("g");
    expect(tarBytes.subarray(512, 1024).toString("latin1")).toContain(`comment=${fake.commitSha}\n`);
  });

  it("reads a tarball made by git itself: the commit id, export-ignore applied, the symlink left out", async () => {
    const dir = await mkdtemp(join(tmpdir(), "skillproof-archive-"));
    try {
      const git = (...args: string[]) => execFileSync("git", ["-C", dir, "-c", "user.name=t", "-c", "user.email=t@example.com", ...args], { encoding: "buffer" });
      git("init", "-q");
      await mkdir(join(dir, "src"));
      await mkdir(join(dir, "tests"));
      await writeFile(join(dir, "README.md"), "# real\n");
      await writeFile(join(dir, "src/app.ts"), "export const app = 1;\n");
      await writeFile(join(dir, "tests/app.test.ts"), "test('x', () => {});\n");
      await writeFile(join(dir, ".gitattributes"), "/tests export-ignore\n");
      await symlink("README.md", join(dir, "link.md"));
      git("add", "-A");
      git("commit", "-q", "-m", "fixture");
      const sha = git("rev-parse", "HEAD").toString().trim();
      const gz = git("archive", "--format=tar.gz", `--prefix=${OWNER}-${REPO}-${sha.slice(0, 7)}/`, "HEAD");
      nock(API).get(`/repos/${OWNER}/${REPO}/tarball/main`).reply(200, gz, { "content-type": "application/x-gzip" });
      const gh = new GitHubTarballSource({ octokit: octokit(), owner: OWNER, repo: REPO, sha: "main" });
      expect((await gh.listFiles()).map((f) => f.path).sort()).toEqual([".gitattributes", "README.md", "src/app.ts"]);
      expect(gh.commitSha).toBe(sha);
      expect(await gh.readFiles(["src/app.ts"])).toEqual([{ path: "src/app.ts", text: "export const app = 1;\n" }]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("alone (no token, no tree), says when .gitattributes export-ignore rules left files out", async () => {
    const files = { ".gitattributes": "*.md text\n/tests export-ignore\n", "a.txt": "a", "tests/t.txt": "t" };
    const fake = new FakeRepo(OWNER, REPO, files);
    await serveTarball(fake, fake.commitSha, { exportIgnore: (p) => p.startsWith("tests/") });
    const gh = tarballSource(fake);
    expect((await gh.listFiles()).map((f) => f.path).sort()).toEqual([".gitattributes", "a.txt"]);
    expect(gh.notes()).toEqual([EXPORT_IGNORE_NOTE]);

    const plain = new FakeRepo(OWNER, REPO, { ".gitattributes": "*.sh text eol=lf\n", "a.txt": "a" });
    await serveTarball(plain, plain.commitSha);
    const quiet = tarballSource(plain);
    await quiet.listFiles();
    expect(quiet.notes()).toEqual([]);
  });

  it("maps 409 (empty repository) to EmptyRepositoryError, as the tree source does", async () => {
    nock(API).get(`/repos/${OWNER}/${REPO}/tarball/main`).reply(409, { message: "Git Repository is empty.", status: "409" });
    const err = await new GitHubTarballSource({ octokit: octokit(), owner: OWNER, repo: REPO, sha: "main" }).listFiles().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EmptyRepositoryError);
    expect(err).toMatchObject({ status: 409 });
  });

  it.each([403, 404, 500, 502])("lets a %i propagate with its status", async (status) => {
    nock(API).get(`/repos/${OWNER}/${REPO}/tarball/abc`).reply(status, { message: "nope", status: String(status) });
    const err = await new GitHubTarballSource({ octokit: octokit(), owner: OWNER, repo: REPO, sha: "abc" }).listFiles().catch((e: unknown) => e);
    expect(err).not.toBeInstanceOf(EmptyRepositoryError);
    expect(err).toMatchObject({ status });
  });

  it("a failed download is not remembered: asking again downloads again", async () => {
    const fake = mixedRepo();
    nock(API).get(`/repos/${OWNER}/${REPO}/tarball/${fake.commitSha}`).reply(502, { message: "Bad Gateway" });
    const gh = tarballSource(fake);
    await expect(gh.listFiles()).rejects.toMatchObject({ status: 502 });
    await serveTarball(fake, fake.commitSha);
    expect(await gh.listFiles()).toHaveLength(6);
    expect(gh.requestCount).toBe(2);
  });

  it("downloads once more when the archive arrives cut short, and says so plainly if it is cut again", async () => {
    const fake = mixedRepo();
    const path = `/repos/${OWNER}/${REPO}/tarball/${fake.commitSha}`;
    // A gzip stream missing its end, as a connection dropped mid-body delivers it.
    const cut = (gz: Buffer) => gz.subarray(0, gz.length - 12);
    const gz = await fake.tarball();
    nock(API).get(path).reply(200, cut(gz), { "content-type": "application/x-gzip" });
    nock(API).get(path).reply(200, gz, { "content-type": "application/x-gzip" });
    const gh = tarballSource(fake);
    expect(await gh.listFiles()).toHaveLength(6);
    expect(gh.requestCount).toBe(2);

    nock(API).get(path).twice().reply(200, cut(gz), { "content-type": "application/x-gzip" });
    const again = tarballSource(fake);
    await expect(again.listFiles()).rejects.toThrow("the repository archive could not be read: unexpected end of file");
    expect(again.requestCount).toBe(2);
  });

  it.each([
    ["compressed size", { tarballBytes: 1024 }],
    ["unpacked size", { tarBytes: 64 * 1024 }],
    ["text files", { heldBytes: 16 }],
  ])("stops with a clear error past a cap (%s) instead of holding it all", async (what, limits) => {
    const fake = new FakeRepo(OWNER, REPO, { "a.txt": "a".repeat(100_000), "b.txt": randomBytes(50_000).toString("hex") });
    await serveTarball(fake, fake.commitSha);
    const err = await tarballSource(fake, fake.commitSha, limits).listFiles().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TarballTooLargeError);
    expect((err as Error).message).toMatch(new RegExp(`^the repository archive is too large to audit: ${what} over \\d+ [KM]iB$`));
  });

  it("a download that stalls is abandoned with a clear error, never a hang", async () => {
    const fake = mixedRepo();
    nock(API).get(`/repos/${OWNER}/${REPO}/tarball/${fake.commitSha}`).delay(2_000).reply(200, await fake.tarball(), { "content-type": "application/x-gzip" });
    const gh = new GitHubTarballSource({ octokit: octokit(), owner: OWNER, repo: REPO, sha: fake.commitSha, timeoutMs: 100 });
    await expect(gh.listFiles()).rejects.toThrow("the repository archive could not be read: no complete answer from GitHub within 100 ms");
  });

  it("a corrupt archive is a clear error, not a crash", async () => {
    const fake = mixedRepo();
    const broken = (await fake.tarball()).subarray(0, 200);
    // Cut short: downloaded twice (a dropped connection gets a second try), cut both times.
    nock(API).get(`/repos/${OWNER}/${REPO}/tarball/${fake.commitSha}`).twice().reply(302, "", { location: `${CODELOAD}/x` });
    nock(CODELOAD).get("/x").twice().reply(200, broken, { "content-type": "application/x-gzip" });
    await expect(tarballSource(fake).listFiles()).rejects.toThrow(/^the repository archive could not be read: /);
    nock(API).get(`/repos/${OWNER}/${REPO}/tarball/${fake.commitSha}`).reply(200, gzipSync(Buffer.from("not a tar at all".repeat(64))), { "content-type": "application/x-gzip" });
    await expect(tarballSource(fake).listFiles()).rejects.toThrow(/^the repository archive could not be read: /);
  });
});

describe("GitHubArchiveSource (the tarball path)", () => {
  const serveTree = (fake: FakeRepo) => nock(API).get(`${TREES}/${fake.commitSha}`).query({ recursive: "1" }).reply(200, fake.treeResponse(fake.commitSha, true));

  it("lists by the tree and reads from the tarball: 2 GETs, no GraphQL", async () => {
    const fake = mixedRepo();
    serveTree(fake);
    await serveTarball(fake, fake.commitSha);
    const gh = new GitHubArchiveSource({ octokit: octokit(), owner: OWNER, repo: REPO, sha: fake.commitSha });
    expect(await gh.listFiles()).toHaveLength(6);
    expect(await gh.readFiles(["README.md", "logo.png", "docs/link.md"])).toEqual([
      { path: "README.md", text: "# orders\n" },
      { path: "logo.png", skipped: "binary" },
      { path: "docs/link.md", skipped: "missing" },
    ]);
    expect(gh.requestCount).toBe(2);
  });

  it("reads files the archive left out (.gitattributes export-ignore) through one GraphQL query", async () => {
    const fake = new FakeRepo(OWNER, REPO, {
      ".gitattributes": "/tests export-ignore\n/.gitattributes export-ignore\n",
      "src/Money.php": "<?php final class Money {}\n",
      "tests/MoneyTest.php": "<?php use PHPUnit\\Framework\\TestCase;\n",
    });
    serveTree(fake);
    await serveTarball(fake, fake.commitSha, { exportIgnore: (p) => p === ".gitattributes" || p.startsWith("tests/") });
    nock(API)
      .post("/graphql")
      .reply(200, (_uri, body) => fake.graphqlResponse(body));
    const gh = new GitHubArchiveSource({ octokit: octokit(), owner: OWNER, repo: REPO, sha: fake.commitSha });
    expect((await gh.listFiles()).map((f) => f.path).sort()).toEqual([".gitattributes", "src/Money.php", "tests/MoneyTest.php"]);
    expect(await gh.readFiles(["src/Money.php", "tests/MoneyTest.php", "gone.php"])).toEqual([
      { path: "src/Money.php", text: "<?php final class Money {}\n" },
      { path: "tests/MoneyTest.php", text: "<?php use PHPUnit\\Framework\\TestCase;\n" },
      { path: "gone.php", skipped: "missing" },
    ]);
    expect(fake.graphqlQueries).toHaveLength(1);
    expect(gh.requestCount).toBe(3);
  });

  it("asked for a branch, lists the very commit the archive holds", async () => {
    const fake = mixedRepo();
    await serveTarball(fake, "main");
    serveTree(fake);
    const gh = new GitHubArchiveSource({ octokit: octokit(), owner: OWNER, repo: REPO, sha: "main" });
    expect(await gh.listFiles()).toHaveLength(6);
    expect(gh.commitSha).toBe(fake.commitSha);
  });

  it("an archive it cannot use hands every read to GraphQL, so the audit still runs", async () => {
    const fake = new FakeRepo(OWNER, REPO, { "a.txt": "a" });
    serveTree(fake);
    nock(API).get(`/repos/${OWNER}/${REPO}/tarball/${fake.commitSha}`).reply(502, { message: "Bad Gateway" });
    nock(API)
      .post("/graphql")
      .reply(200, (_uri, body) => fake.graphqlResponse(body));
    const gh = new GitHubArchiveSource({ octokit: octokit(), owner: OWNER, repo: REPO, sha: fake.commitSha });
    expect(await gh.readFiles(["a.txt"])).toEqual([{ path: "a.txt", text: "a" }]);
  });

  it("the tree's errors are the audit's errors (empty repository, 404), as on the tree path", async () => {
    nock(API).get(`${TREES}/${"e".repeat(40)}`).query({ recursive: "1" }).reply(409, { message: "Git Repository is empty." });
    nock(API).get(`/repos/${OWNER}/${REPO}/tarball/${"e".repeat(40)}`).reply(404, { message: "Not Found" });
    const gh = new GitHubArchiveSource({ octokit: octokit(), owner: OWNER, repo: REPO, sha: "e".repeat(40) });
    await expect(gh.listFiles()).rejects.toBeInstanceOf(EmptyRepositoryError);
  });
});

describe("openGitHubSource", () => {
  it("takes the tarball alone without a token; tarball + tree when the repository is known to be small; tree + GraphQL otherwise", () => {
    expect(readPathFor({ graphql: false })).toBe("tarball-only");
    expect(readPathFor({ graphql: false, sizeKb: 10 * TARBALL_MAX_SIZE_KB })).toBe("tarball-only");
    expect(readPathFor({ graphql: true, sizeKb: 0 })).toBe("tarball");
    expect(readPathFor({ graphql: true, sizeKb: TARBALL_MAX_SIZE_KB })).toBe("tarball");
    expect(readPathFor({ graphql: true, sizeKb: TARBALL_MAX_SIZE_KB + 1 })).toBe("tree");
    expect(readPathFor({ graphql: true })).toBe("tree");
    const at = { octokit: octokit(), owner: OWNER, repo: REPO, sha: "a".repeat(40) };
    expect(openGitHubSource({ ...at, graphql: false })).toBeInstanceOf(GitHubTarballSource);
    expect(openGitHubSource({ ...at, graphql: true, sizeKb: 120 })).toBeInstanceOf(GitHubArchiveSource);
    expect(openGitHubSource({ ...at, graphql: true })).toBeInstanceOf(GitHubTreeSource);
  });
});

/** A tar built entry by entry with tar-stream (not git archive), so it can hold names git never writes. */
async function craftedTarball(entries: ReadonlyArray<{ name: string; text: string }>): Promise<Buffer> {
  const pack = tar.pack();
  for (const e of entries) pack.entry({ name: e.name, size: Buffer.byteLength(e.text), mode: 0o644 }, e.text);
  pack.finalize();
  const chunks: Buffer[] = [];
  for await (const chunk of pack) chunks.push(chunk as Buffer);
  return gzipSync(Buffer.concat(chunks));
}

describe("GitHubTarballSource and crafted entry names", () => {
  const TOP = `${OWNER}-${REPO}-abc1234`;
  const TEST = "import app\n\ndef test_total():\n    assert app.total([1, 2]) == 3\n";
  const HOSTILE = [
    "../evil_test.py",
    "/abs/test_x.py",
    "a/../../b_test.go",
    `${TOP}/a/../../b_test.go`,
    `${TOP}/../evil2_test.py`,
    `${TOP}/./dot_test.py`,
    `${TOP}/src//double_test.py`,
    `${TOP}/..\\win_test.py`,
    "\\share\\unc_test.py",
    "C:/drive_test.py",
  ];

  async function served(): Promise<GitHubTarballSource> {
    const body = await craftedTarball([
      { name: `${TOP}/app.py`, text: "def total(xs):\n    return sum(xs)\n" },
      { name: `${TOP}/tests/test_app.py`, text: TEST },
      ...HOSTILE.map((name) => ({ name, text: TEST })),
    ]);
    nock(API).get(`/repos/${OWNER}/${REPO}/tarball/main`).reply(200, body, { "content-type": "application/x-gzip" });
    return new GitHubTarballSource({ octokit: octokit(), owner: OWNER, repo: REPO, sha: "main" });
  }

  it("drops entries that are absolute or have a `..` or `.` segment, before or after the top folder", async () => {
    const gh = await served();
    const paths = (await gh.listFiles()).map((f) => f.path).sort();
    expect(paths).toEqual(["app.py", "tests/test_app.py"]);
    // Not readable either, under any name they might have been stored as.
    const asked = ["evil_test.py", "../evil_test.py", "abs/test_x.py", "/abs/test_x.py", "../b_test.go", "b_test.go", "dot_test.py", "./dot_test.py"];
    for (const c of await gh.readFiles(asked)) expect(c).toMatchObject({ skipped: "missing" });
  });

  it("none of them counts as a test file of the repository", async () => {
    const result = await audit(await served(), { ruleSet: loadBuiltinRuleSet() });
    const tests = result.results.find((r) => r.id === "testing/test-files");
    expect(tests?.status).toBe("pass");
    expect(tests && "facts" in tests ? tests.facts : undefined).toMatchObject({ testFiles: 1 });
    expect(result.files.listed).toBe(2);
  });
});
