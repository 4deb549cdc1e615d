import { spawn, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Ajv } from "ajv";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { startGitHubStandIn } from "../fixtures/recruit/server.js";
import { USERS } from "../fixtures/recruit/users.js";
import { FakeGitHubWorld } from "../fixtures/recruit/world.js";

// The CLI as a recruiter runs it: the built bin, spawned, against a loopback stand-in for GitHub.
const root = join(dirname(fileURLToPath(import.meta.url)), "../..");
const bin = join(root, "bin/skillproof.js");
const validateReport = new Ajv({ strict: false }).compile(JSON.parse(readFileSync(join(root, "schemas/report.schema.json"), "utf8")));

// Each case spawns node; the outage cases wait out the CLI's two retries (1 s + 4 s).
vi.setConfig({ testTimeout: 120_000 });

let world: FakeGitHubWorld;
let standIn: { url: string; close(): Promise<void> };

beforeAll(async () => {
  world = new FakeGitHubWorld(USERS);
  standIn = await startGitHubStandIn(world);
});
afterAll(() => standIn.close());

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Spawns asynchronously: the stand-in answers from this process, so a blocking spawn would deadlock. */
function cli(args: string[], env: Record<string, string | undefined> = {}, cwd = root): Promise<Run> {
  const base: Record<string, string | undefined> = { ...process.env, NO_COLOR: "", GITHUB_TOKEN: undefined, GH_TOKEN: undefined, GITHUB_API_URL: standIn.url, ...env };
  const clean = Object.fromEntries(Object.entries(base).filter(([, v]) => v !== undefined)) as Record<string, string>;
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], { env: clean, cwd });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString("utf8")));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString("utf8")));
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

const UNAUTH_WARNING = "skillproof: no GITHUB_TOKEN or GH_TOKEN: GitHub allows 60 requests an hour without a token (see docs/portfolio.md)\n";

describe("skillproof audit owner/repo", () => {
  it("prints the report with the attribution line under the score, warns once without a token", async () => {
    world.seen.length = 0;
    const r = await cli(["audit", "alice/orders-api", "--verbose"]);
    expect(r.code).toBe(0);
    const lines = r.stdout.split("\n");
    expect(lines[0]).toBe(`skillproof · alice/orders-api@${world.commitSha("alice", "orders-api").slice(0, 7)}`);
    expect(lines[1]).toMatch(/^Score \d+\/100/);
    expect(lines[2]).toBe("@alice authored 87% of 212 commits · last push 2026-10-01 · CI passing");
    expect(r.stderr).toBe(`${UNAUTH_WARNING}skillproof: ${world.count()} GitHub API requests used\n`);
    expect(world.count()).toBeLessThanOrEqual(5);
    expect(world.count("graphql-meta") + world.count("graphql-blobs")).toBe(0);
  });

  it("uses GraphQL with a token, writes JSON with attribution that follows the schema", async () => {
    world.seen.length = 0;
    const r = await cli(["audit", "alice/infra-fork", "--format", "json"], { GITHUB_TOKEN: "ghp_test" });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe("");
    const report = JSON.parse(r.stdout);
    expect(validateReport(report), JSON.stringify(validateReport.errors)).toBe(true);
    expect(report.attribution).toMatchObject({ forkOf: "bigco/webframework", lowShare: true, ci: "failing" });
    expect(world.count("graphql-meta")).toBe(1);
  });

  it("audits a ref for --candidate, in Markdown, and flags little authorship", async () => {
    const r = await cli(["audit", "alice/orders-api@v1.2.0", "--candidate", "@bob", "--format", "markdown"], { GH_TOKEN: "ghp_test" });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("_@\u200bbob authored 9% of 212 commits · last push 2026-10-01 · CI passing_");
    expect(r.stdout).toContain("> ⚠️ @\u200bbob authored little of this: 9% of the default branch's commits (below 20%).");
  });

  it("renders SARIF and the badge for one repository, and honours --min-score", async () => {
    const sarif = await cli(["audit", "alice/orders-api", "--format", "sarif"]);
    expect(JSON.parse(sarif.stdout).version).toBe("2.1.0");
    const badge = await cli(["audit", "alice/orders-api", "--format", "badge"]);
    expect(JSON.parse(badge.stdout)).toMatchObject({ schemaVersion: 1 });
    expect((await cli(["audit", "alice/orders-api", "--min-score", "100"])).code).toBe(1);
  });

  it("prefers a local directory that exists over an owner/repo-looking argument", async () => {
    const cwd = mkdtempSync(join(tmpdir(), "skillproof-local-"));
    mkdirSync(join(cwd, "alice/orders-api"), { recursive: true });
    writeFileSync(join(cwd, "alice/orders-api/package.json"), JSON.stringify({ name: "x" }));
    world.seen.length = 0;
    const r = await cli(["audit", "alice/orders-api"], {}, cwd);
    expect(r.code).toBe(0);
    expect(r.stdout.split("\n")[0]).toBe(`skillproof · ${join(cwd, "alice/orders-api")}`);
    expect(world.count()).toBe(0);
  });
});

describe("skillproof audit @username", () => {
  it("prints the portfolio within 30 requests without a token, and no progress bar off a TTY", async () => {
    world.seen.length = 0;
    const r = await cli(["audit", "@alice", "--verbose"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^skillproof · portfolio of @alice\nPortfolio score \d+\/100 · 6 of 8 public repositories audited\n/);
    expect(r.stdout).toContain("alice/dotfiles (fork without commits by @alice)");
    expect(r.stderr).toBe(`${UNAUTH_WARNING}skillproof: ${world.count()} GitHub API requests used\n`);
    expect(world.count()).toBeLessThanOrEqual(30);
  });

  it("writes portfolio JSON in the report's shape with a repos array", async () => {
    const r = await cli(["audit", "@alice", "--format", "json", "--max-repos", "3"], { GITHUB_TOKEN: "t" });
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(validateReport(report), JSON.stringify(validateReport.errors)).toBe(true);
    expect(report.target).toEqual({ kind: "github-user", login: "alice", url: "https://github.com/alice" });
    expect(report.repos.map((x: { target: { repo: string } }) => x.target.repo)).toEqual(["orders-api", "infra-fork", "go-worker"]);
  });

  it("reads --max-repos from the config's portfolio.maxRepos", async () => {
    const dir = mkdtempSync(join(tmpdir(), "skillproof-cfg-"));
    writeFileSync(join(dir, "skillproof.yml"), "portfolio:\n  maxRepos: 2\n");
    const r = await cli(["audit", "@alice", "--format", "json", "--config", join(dir, "skillproof.yml")], { GITHUB_TOKEN: "t" });
    expect(JSON.parse(r.stdout).repos).toHaveLength(2);
  });

  it("draws a progress bar on stderr only when stderr is a terminal", async () => {
    const hasScript = spawnSync("script", ["--version"], { encoding: "utf8" }).status === 0;
    if (!hasScript) throw new Error("util-linux `script` is needed to give the CLI a pseudo-terminal");
    // script(1) runs the CLI on a pty; stdout goes to a file so only stderr reaches the terminal.
    const out = join(mkdtempSync(join(tmpdir(), "skillproof-tty-")), "report.txt");
    const command = [process.execPath, bin, "audit", "@alice", "--out", out].map((a) => `'${a}'`).join(" ");
    const r = await new Promise<Run>((resolve) => {
      const child = spawn("script", ["-qfec", command, "/dev/null"], { env: { ...process.env, GITHUB_API_URL: standIn.url, GITHUB_TOKEN: "t", NO_COLOR: "1" } });
      let stdout = "";
      child.stdout.on("data", (d: Buffer) => (stdout += d.toString("utf8")));
      child.on("close", (code) => resolve({ code, stdout, stderr: "" }));
    });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("auditing @alice [");
    expect(r.stdout).toMatch(/6\/6 alice\//);
    expect(readFileSync(out, "utf8")).toMatch(/^skillproof · portfolio of @alice/);
  });
});

describe("errors a recruiter will hit: one line on stderr, exit 2", () => {
  it("no such user, no such repository, no public repositories, bad names", async () => {
    const cases: Array<[string[], string]> = [
      [["audit", "@ghost"], "skillproof: GitHub user @ghost does not exist.\n"],
      [["audit", "alice/nope"], "skillproof: Repository alice/nope was not found: it does not exist, or it is private and cannot be read with no token (set GITHUB_TOKEN).\n"],
      [["audit", "alice/secret"], "skillproof: Repository alice/secret was not found: it does not exist, or it is private and cannot be read with no token (set GITHUB_TOKEN).\n"],
      [["audit", "@nobody"], "skillproof: GitHub user @nobody has no public repositories.\n"],
      [["audit", "@-bad-"], 'skillproof: "@-bad-" is not a GitHub user name.\n'],
      [["audit", "@alice", "--max-repos", "50"], 'skillproof: --max-repos must be a whole number from 1 to 20, got "50"\n'],
      [["audit", "@alice", "--format", "sarif"], "skillproof: --format sarif is for one repository; a portfolio renders text, markdown or json\n"],
    ];
    const runs = await Promise.all(cases.map(([args]) => cli(args)));
    for (const [i, [args, line]] of cases.entries()) {
      const r = runs[i]!;
      expect({ args, code: r.code, stdout: r.stdout, stderr: r.stderr }).toEqual({ args, code: 2, stdout: "", stderr: line });
    }
  });

  it("rate limited: says when it resets", async () => {
    world.rateLimitedUntil = new Date(Date.now() + 25 * 60_000);
    try {
      const r = await cli(["audit", "@alice"]);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe("");
      expect(r.stderr).toMatch(/^skillproof: GitHub's API rate limit is used up\. It resets at \d\d:\d\d UTC \(in 2[45] minutes\)\. Set GITHUB_TOKEN for 5,000 requests an hour\.\n$/);
    } finally {
      world.rateLimitedUntil = undefined;
    }
  });

  it("GitHub down after retries, and GitHub unreachable (a closed port)", async () => {
    world.failWith = 503;
    try {
      const r = await cli(["audit", "alice/orders-api"]);
      expect([r.code, r.stdout, r.stderr]).toEqual([2, "", "skillproof: GitHub is not answering (HTTP 503, after retries); try again later.\n"]);
    } finally {
      world.failWith = undefined;
    }
    const closed = await new Promise<number>((resolve) => {
      const s = createServer();
      s.listen(0, "127.0.0.1", () => {
        const port = (s.address() as { port: number }).port;
        s.close(() => resolve(port));
      });
    });
    const r = await cli(["audit", "@alice"], { GITHUB_API_URL: `http://127.0.0.1:${closed}` });
    expect([r.code, r.stdout, r.stderr]).toEqual([2, "", "skillproof: GitHub cannot be reached: check the network connection (or GITHUB_API_URL).\n"]);
  });
});

describe("the CLI's module graph", () => {
  it("loads no Probot module while auditing a portfolio (every resolved module recorded)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "skillproof-modules-"));
    const log = join(dir, "resolved.txt");
    const hooks = `import { appendFileSync } from "node:fs";\nexport async function resolve(specifier, context, next) {\n  const r = await next(specifier, context);\n  appendFileSync(${JSON.stringify(log)}, r.url + "\\n");\n  return r;\n}\n`;
    writeFileSync(join(dir, "hooks.mjs"), hooks);
    writeFileSync(join(dir, "register.mjs"), `import { register } from "node:module";\nregister(${JSON.stringify(`file://${join(dir, "hooks.mjs")}`)});\n`);
    const r = await new Promise<Run>((resolve) => {
      const child = spawn(process.execPath, ["--import", join(dir, "register.mjs"), bin, "audit", "@alice", "--max-repos", "2"], {
        env: { ...process.env, GITHUB_API_URL: standIn.url, GITHUB_TOKEN: "t" },
      });
      let stderr = "";
      child.stderr.on("data", (d: Buffer) => (stderr += d.toString("utf8")));
      child.stdout.resume();
      child.on("close", (code) => resolve({ code, stdout: "", stderr }));
    });
    expect(r.code, r.stderr).toBe(0);
    const resolved = readFileSync(log, "utf8").split("\n");
    expect(resolved.some((u) => u.endsWith("/dist/recruit/index.js"))).toBe(true);
    expect(resolved.filter((u) => /\/node_modules\/probot\/|\/dist\/app\//.test(u))).toEqual([]);
  });

  it("never imports Probot or the app", () => {
    const seen = new Set<string>();
    const bare = new Set<string>();
    const visit = (file: string): void => {
      if (seen.has(file)) return;
      seen.add(file);
      const text = readFileSync(file, "utf8");
      for (const m of text.matchAll(/(?:import|export)\s[^'"]*?from\s*["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/g)) {
        const spec = m[1] ?? m[2];
        if (!spec) continue;
        if (spec.startsWith(".")) visit(join(dirname(file), spec));
        else bare.add(spec);
      }
    };
    visit(bin);
    expect([...seen].some((f) => f.includes(`${join("dist", "cli", "main.js")}`))).toBe(true);
    expect([...seen].filter((f) => f.includes(join("dist", "app")))).toEqual([]);
    expect([...bare].filter((s) => s === "probot" || s.startsWith("probot/"))).toEqual([]);
    expect(bare).toContain("@octokit/rest");
    // And nothing under dist/ that the CLI reaches was left out of the walk.
    expect(readdirSync(join(root, "dist", "recruit")).length).toBeGreaterThan(0);
  });
});
