import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Ajv as AjvClass } from "ajv";
import { afterEach, describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";

// Spawns the action's entry as GitHub's runner does (node action/index.js with
// INPUT_* variables and files for the summary and outputs). Needs a build:
// `npm test` runs one first.
const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const ENTRY = join(ROOT, "action", "index.js");

const require = createRequire(import.meta.url);
const { Ajv } = require("ajv") as typeof import("ajv");
const addFormats = (require("ajv-formats") as { default: (ajv: AjvClass) => AjvClass }).default;
const validateSarif = addFormats(new Ajv({ strict: false })).compile(
  JSON.parse(readFileSync(join(ROOT, "test/fixtures/sarif/sarif-schema-2.1.0.json"), "utf8")) as object,
);

const temps: string[] = [];
afterEach(() => temps.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

/** A workspace with a small repository in `repo/`. */
function workspace(files: Record<string, string>): string {
  const ws = mkdtempSync(join(tmpdir(), "skillproof-action-"));
  temps.push(ws);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(ws, "repo", path)), { recursive: true });
    writeFileSync(join(ws, "repo", path), text);
  }
  writeFileSync(join(ws, "summary.md"), "");
  writeFileSync(join(ws, "output.txt"), "");
  return ws;
}

function runAction(ws: string, inputs: Record<string, string>) {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    GITHUB_WORKSPACE: ws,
    GITHUB_STEP_SUMMARY: join(ws, "summary.md"),
    GITHUB_OUTPUT: join(ws, "output.txt"),
    RUNNER_TEMP: ws,
  };
  for (const [name, value] of Object.entries(inputs)) env[`INPUT_${name.toUpperCase()}`] = value;
  const run = spawnSync(process.execPath, [ENTRY], { cwd: ws, env, encoding: "utf8", timeout: 60_000 });
  const outputs = Object.fromEntries(
    readFileSync(join(ws, "output.txt"), "utf8").split("\n").filter(Boolean).map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)]),
  );
  return { status: run.status, stdout: run.stdout, stderr: run.stderr, outputs, summary: readFileSync(join(ws, "summary.md"), "utf8") };
}

const repo = {
  "README.md": "# orders\n\nRun it with `npm start`.\n",
  "package.json": JSON.stringify({ name: "orders", scripts: { test: "vitest run" }, devDependencies: { vitest: "4.1.12", "@vitest/coverage-v8": "4.1.12" } }),
  "src/index.ts": "export const answer = 42;\n",
  "test/index.test.ts": "import { it } from 'vitest';\nit('works', () => {});\n",
  LICENSE: "MIT License\n\nCopyright (c) 2026 Orders\n",
};

describe("action.yml", () => {
  it("declares a node20 action whose main is the entry, with the documented inputs and outputs", () => {
    const action = parseYaml(readFileSync(join(ROOT, "action.yml"), "utf8")) as { runs: { using: string; main: string }; inputs: object; outputs: object };
    expect(action.runs).toEqual({ using: "node20", main: "action/index.js" });
    expect(Object.keys(action.inputs)).toEqual(["path", "min-score", "config", "sarif-file", "badge-file", "job-summary", "timeout"]);
    expect(Object.keys(action.outputs)).toEqual(["score", "passed", "report-file"]);
  });
});

describe("action/index.js", () => {
  it("writes the report to the job summary, the score to the outputs, SARIF and the badge to the workspace", () => {
    const ws = workspace(repo);
    const run = runAction(ws, { path: "repo", "min-score": "1", "sarif-file": "out/skillproof.sarif", "badge-file": "badge.json", "job-summary": "true" });
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    const report = JSON.parse(readFileSync(run.outputs["report-file"]!, "utf8")) as { score: number; rules: Array<{ id: string; status: string }> };
    expect(run.outputs.score).toBe(String(report.score));
    expect(report.score).toBeGreaterThan(0);
    expect(run.outputs.passed).toBe("true");
    expect(run.summary).toMatch(new RegExp(`^## Skillproof report: ${report.score}/100`));
    expect(report.rules.find((r) => r.id === "testing/coverage")?.status).toBe("pass");

    const sarif = JSON.parse(readFileSync(join(ws, "out/skillproof.sarif"), "utf8")) as { runs: Array<{ results: Array<{ ruleId: string; locations: Array<{ physicalLocation: { artifactLocation: { uri: string } } }> }> }> };
    expect(validateSarif(sarif)).toBe(true);
    const results = sarif.runs[0]!.results;
    expect(results.map((r) => r.ruleId)).toEqual(report.rules.filter((r) => r.status === "fail").map((r) => r.id));
    // The audited folder is repo/ inside the workspace: URIs are relative to the workspace root.
    expect(results[0]!.locations[0]!.physicalLocation.artifactLocation.uri).toBe("repo/README.md");
    expect(JSON.parse(readFileSync(join(ws, "badge.json"), "utf8"))).toEqual({ schemaVersion: 1, label: "skillproof", message: `${report.score}/100`, color: expect.any(String) });
  });

  it("fails the step below min-score, after writing the summary and outputs", () => {
    const ws = workspace(repo);
    const run = runAction(ws, { path: "repo", "min-score": "100" });
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/^::error title=skillproof::score \d+ is below the minimum of 100$/m);
    expect(run.outputs.passed).toBe("false");
    expect(run.summary).toContain("Threshold 100: **not met**");
  });

  it("takes the config input relative to the workspace, threshold included", () => {
    const ws = workspace({ ...repo, "ci/skillproof.yml": "threshold: 100\ndisable: [docs/license]\n" });
    const run = runAction(ws, { path: "repo", config: "repo/ci/skillproof.yml" });
    expect(run.status).toBe(1);
    expect(run.outputs.passed).toBe("false");
    const report = JSON.parse(readFileSync(run.outputs["report-file"]!, "utf8")) as { rules: Array<{ id: string }> };
    expect(report.rules.some((r) => r.id === "docs/license")).toBe(false);
  });

  it("without a minimum it passes whatever the score, and can skip the summary", () => {
    const ws = workspace({ "notes.txt": "nothing to see\n" });
    const run = runAction(ws, { path: "repo", "job-summary": "false" });
    expect(run.status).toBe(0);
    expect(run.outputs.passed).toBe("");
    expect(run.summary).toBe("");
  });

  it("reports bad input as one error line, never a stack trace", () => {
    const ws = workspace(repo);
    const run = runAction(ws, { path: "no-such-dir" });
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/^::error title=skillproof::no such directory: \S*no-such-dir\b[^\n]*$/m);
    expect(`${run.stdout}${run.stderr}`).not.toMatch(/\n\s+at /);
    expect(run.outputs).toEqual({});
    const badMin = runAction(ws, { path: "repo", "min-score": "lots" });
    expect(badMin.status).toBe(1);
    expect(badMin.stdout).toMatch(/::error title=skillproof::--min-score must be a number/);
  });

  it("passes the timeout input to the CLI: past it the step fails with one line, and a bad value is refused", () => {
    const ws = workspace(repo);
    const timedOut = runAction(ws, { path: "repo", timeout: "0.001" });
    expect(timedOut.status).toBe(1);
    expect(timedOut.stdout).toMatch(/^::error title=skillproof::audit ran out of time after 0\.001s$/m);
    expect(timedOut.outputs).toEqual({});
    expect(timedOut.summary).toBe("");
    const bad = runAction(ws, { path: "repo", timeout: "-5" });
    expect(bad.status).toBe(1);
    expect(bad.stdout).toMatch(/^::error title=skillproof::--timeout must be a number of seconds above 0, at most 86400, got "-5"$/m);
    // A budget the audit fits in changes nothing.
    const roomy = runAction(ws, { path: "repo", timeout: "120" });
    expect(roomy.status).toBe(0);
    expect(Number(roomy.outputs.score)).toBeGreaterThan(0);
  });
});
