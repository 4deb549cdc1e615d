import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Ajv } from "ajv";
import { describe, expect, it } from "vitest";

// The CLI as a user runs it: the built bin, spawned (npm test builds first).
const root = join(dirname(fileURLToPath(import.meta.url)), "../..");
const bin = join(root, "bin/skillproof.js");

function cli(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: "utf8", env: { ...process.env, NO_COLOR: "", ...env } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function tree(files: Record<string, string | Buffer>): string {
  const dir = mkdtempSync(join(tmpdir(), "skillproof-cli-"));
  for (const [p, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, p)), { recursive: true });
    writeFileSync(join(dir, p), content);
  }
  return dir;
}

const sample = {
  "package.json": JSON.stringify({ name: "svc", scripts: { test: "vitest" }, devDependencies: { vitest: "4.0.0" }, dependencies: { express: "4.0.0" } }),
  "src/app.test.ts": "import { it } from 'vitest';\n",
  Dockerfile: "FROM node:20 AS build\nRUN npm ci\nFROM node:20-slim\nUSER node\nCMD [\"node\", \"dist/index.js\"]\n",
  ".github/workflows/ci.yml": "on: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - run: npm test\n",
};

const validateReport = new Ajv({ strict: false }).compile(JSON.parse(readFileSync(join(root, "schemas/report.schema.json"), "utf8")));

describe("skillproof audit", () => {
  it("prints a text report grouped by skill, without colour when not a TTY", () => {
    const r = cli(["audit", tree(sample)]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^skillproof · /);
    expect(r.stdout).toMatch(/Score \d+\/100 · \d+ of \d+ evidence items/);
    expect(r.stdout).toContain("✓ Multi-stage");
    expect(r.stdout).toMatch(/✗ .*\n\s+fix: /);
    expect(r.stdout).not.toContain("\x1b[");
  });

  it("writes JSON that follows the documented schema", () => {
    const r = cli(["audit", tree(sample), "--format", "json"]);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(validateReport(report), JSON.stringify(validateReport.errors)).toBe(true);
    const byId = Object.fromEntries(report.rules.map((x: { id: string; status: string }) => [x.id, x.status]));
    expect(byId).toMatchObject({ "containers/multi-stage": "pass", "containers/non-root": "pass", "ci-cd/runs-tests": "pass", "iac/terraform": "fail" });
    expect(report.rules.find((x: { id: string }) => x.id === "containers/multi-stage").evidence[0]).toMatchObject({ path: "Dockerfile", line: 3 });
    expect(report.stack.frameworks.map((f: { name: string }) => f.name)).toContain("Express");
    expect(report.target).toMatchObject({ kind: "local" });
  });

  it("renders Markdown and writes to --out", () => {
    const dir = tree(sample);
    const out = join(dir, "report.md");
    const r = cli(["audit", dir, "--format", "markdown", "--out", out]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("");
    expect(readFileSync(out, "utf8")).toMatch(/^## Skillproof report: \d+\/100/);
  });

  it("exits 1 below --min-score and 0 at or above it", () => {
    const dir = tree(sample);
    expect(cli(["audit", dir, "--min-score", "100"]).code).toBe(1);
    expect(cli(["audit", dir, "--min-score", "0"]).code).toBe(0);
  });

  it("applies .github/skillproof.yml and shows it", () => {
    const dir = tree({ ...sample, ".github/skillproof.yml": "disable: [iac/terraform]\nthreshold: 100\n" });
    const r = cli(["audit", dir, "--format", "json"]);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout);
    expect(report.config).toMatchObject({ source: join(dir, ".github/skillproof.yml"), disable: ["iac/terraform"], threshold: 100 });
    expect(report.rules.some((x: { id: string }) => x.id === "iac/terraform")).toBe(false);
  });

  it("gives a valid report scoring 0 for an empty directory", () => {
    const r = cli(["audit", tree({}), "--format", "json"]);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.score).toBe(0);
    expect(validateReport(report)).toBe(true);
  });

  it("survives symlink loops, binary and non-UTF-8 files", () => {
    const dir = tree({ "README.md": Buffer.from([0x23, 0x20, 0xff, 0xfe, 0x0a]), "img.png": Buffer.from([0x89, 0x50, 0, 0, 1]) });
    symlinkSync(dir, join(dir, "loop"));
    symlinkSync(join(dir, "missing"), join(dir, "dangling"));
    const r = cli(["audit", dir, "--format", "json"]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe("");
  });

  it("lists the files git tracks when the directory is a work tree", () => {
    const dir = tree({ ".gitignore": "secret-build/\n", "secret-build/Dockerfile": "FROM a\n", "main.go": "package main\n" });
    spawnSync("git", ["init", "-q", dir]);
    spawnSync("git", ["-C", dir, "add", "-A"]);
    const r = cli(["audit", dir, "--format", "json"]);
    const report = JSON.parse(r.stdout);
    expect(report.rules.find((x: { id: string }) => x.id === "containers/dockerfile").status).toBe("fail");
    expect(report.stack.mainLanguage).toBe("Go");
  });

  it("walks a new git repository that has nothing added yet", () => {
    const dir = tree({ "main.go": "package main\n" });
    spawnSync("git", ["init", "-q", dir]);
    expect(JSON.parse(cli(["audit", dir, "--format", "json"]).stdout).stack.mainLanguage).toBe("Go");
  });

  it.each([
    [["audit", "/no/such/dir"], /^skillproof: no such directory: \/no\/such\/dir\n$/],
    [["audit", bin], /^skillproof: not a directory: /],
    [["audit", ".", "--format", "xml"], /^skillproof: unknown format "xml"/],
    [["audit", ".", "--min-score", "abc"], /^skillproof: --min-score must be a number/],
    [["audit", ".", "--bogus"], /^skillproof: Unknown option '--bogus'/],
    [["frobnicate"], /^skillproof: unknown command "frobnicate"/],
  ])("rejects bad input %j with one line and exit 2", (args, message) => {
    const r = cli(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stdout).toBe("");
  });

  it("rejects an invalid config naming file, line and column", () => {
    const dir = tree({ ".github/skillproof.yml": "disable:\n  - containers/multistage\n" });
    const r = cli(["audit", dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      `skillproof: invalid config ${join(dir, ".github/skillproof.yml")}:2:5: disable: unknown rule id "containers/multistage" (did you mean "containers/multi-stage"?)\n`,
    );
    const syntax = cli(["audit", dir, "--config", join(tree({ "c.yml": "a: [\n" }), "c.yml")]);
    expect(syntax.code).toBe(2);
    expect(syntax.stderr).toMatch(/c\.yml:\d+:\d+: YAML syntax error/);
    expect(cli(["audit", dir, "--config", "/no/such.yml"]).stderr).toMatch(/^skillproof: cannot read config \/no\/such\.yml: ENOENT\n$/);
  });

  it("rejects an invalid rules directory with the rule file named", () => {
    const rules = tree({ "schema.json": readFileSync(join(root, "rules/schema.json"), "utf8"), "skills.yml": readFileSync(join(root, "rules/skills.yml"), "utf8"), "testing/x.yml": "id: testing/y\n" });
    const r = cli(["audit", ".", "--rules", rules]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^skillproof: invalid rule testing\/x\.yml: /);
  });
});

describe("skillproof rules", () => {
  it("lists rules and runs their examples", () => {
    const list = cli(["rules"]);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/^containers\/multi-stage\s+\S/m);
    const test = cli(["rules", "test", "containers/multi-stage"]);
    expect(test.code).toBe(0);
    expect(test.stdout).toMatch(/\d+ passed, 0 failed/);
  });

  it("fails an example that claims a framework its files do not declare (a rule maintainer's PR tests itself)", () => {
    const rule = (manifest: string) => `id: testing/limiter
skill: testing
title: A limiter
weight: 1
why: Because it matters a lot.
fix: Add a limiter to the routes.
match: { content: { include: "routes/*.php", pattern: "throttle:" } }
examples:
  pass:
    - frameworks: [Laravel]
      idiom: "\`throttle:\` middleware"
      files: { ${manifest}"routes/api.php": "Route::middleware('throttle:api');" }
  fail:
    - frameworks: [Laravel]
      files: { ${manifest}"routes/api.php": "Route::get('/');" }
`;
    const rulesDir = (text: string) =>
      tree({ "schema.json": readFileSync(join(root, "rules/schema.json"), "utf8"), "skills.yml": readFileSync(join(root, "rules/skills.yml"), "utf8"), "testing/limiter.yml": text });
    const bad = cli(["rules", "test", "--rules", rulesDir(rule(""))]);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain("✗ testing/limiter.yml: pass example 1 claims Laravel, which the stack detector does not find in its files");
    expect(bad.stdout).toContain("0 passed, 2 failed");
    const good = cli(["rules", "test", "--rules", rulesDir(rule(`"composer.json": '{"require": {"laravel/framework": "^11.0"}}', `))]);
    expect(good.stdout).toContain("2 passed, 0 failed");
    expect(good.code).toBe(0);
  });
});
