// The GitHub Action's entry (action.yml, runs.using: node20). Plain JavaScript
// with no dependencies, because a Node action runs its `main` file as it is in
// the repository, with no `npm install` (docs/adr/0004-github-action-entry.md):
//
// 1. Make the CLI available: when the action's checkout has no build yet, run
//    `npm ci` in it, whose `prepare` script builds dist/ and the rule bundle.
// 2. Run the CLI once: `skillproof audit <path> --format json --out <tmp>`,
//    with the `timeout` input as its --timeout.
// 3. Render the other formats from that one report with the package's own
//    renderers: Markdown into $GITHUB_STEP_SUMMARY, and SARIF and the badge
//    where the inputs ask; `score`, `passed` and `report-file` into $GITHUB_OUTPUT.
// 4. Fail the step (exit 1) when the score is below the minimum, after writing
//    everything, so the summary and SARIF are there for a failed run too.
import { spawnSync } from "node:child_process";
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
/** The CLI's own default budget (src/cli/main.ts), for the guard below when the input is empty. */
const CLI_DEFAULT_TIMEOUT_S = 300;

/** GitHub passes input `min-score` as INPUT_MIN-SCORE. */
function input(name) {
  return (process.env[`INPUT_${name.replace(/ /g, "_").toUpperCase()}`] ?? "").trim();
}

/** Escapes a workflow command's message (https://github.com/actions/toolkit/blob/main/packages/core/src/command.ts). */
function escapeData(s) {
  return String(s).replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}

class ActionError extends Error {}

function ensureBuilt() {
  if (existsSync(join(ROOT, "dist", "cli", "main.js")) && existsSync(join(ROOT, "dist", "rules.bundle.json")) && existsSync(join(ROOT, "node_modules"))) return;
  console.log("::group::Install skillproof (npm ci in the action's checkout)");
  const npm = spawnSync("npm", ["ci", "--no-audit", "--no-fund"], { cwd: ROOT, stdio: "inherit", shell: process.platform === "win32" });
  console.log("::endgroup::");
  if (npm.status !== 0) throw new ActionError(`npm ci failed in ${ROOT} (exit ${npm.status ?? npm.signal})`);
}

function writeOutput(name, value) {
  const file = process.env.GITHUB_OUTPUT;
  if (file) appendFileSync(file, `${name}=${value}\n`);
  else console.log(`${name}=${value}`);
}

/** A path from an input, inside the workspace. */
function workspacePath(workspace, p) {
  const full = resolve(workspace, p);
  mkdirSync(dirname(full), { recursive: true });
  return full;
}

async function run() {
  const workspace = resolve(process.env.GITHUB_WORKSPACE || process.cwd());
  const target = resolve(workspace, input("path") || ".");
  const minScore = input("min-score");
  const config = input("config");
  const timeout = input("timeout");
  ensureBuilt();

  const out = mkdtempSync(join(process.env.RUNNER_TEMP || tmpdir(), "skillproof-"));
  const reportFile = join(out, "report.json");
  const args = ["--max-semi-space-size=4", join(ROOT, "bin", "skillproof.js"), "audit", target, "--format", "json", "--out", reportFile];
  if (minScore) args.push("--min-score", minScore);
  if (config) args.push("--config", resolve(workspace, config));
  // "=": a value such as "-5" is then the CLI's to refuse, not taken for an option.
  if (timeout) args.push(`--timeout=${timeout}`);
  // The CLI stops itself at its budget; this kill, a minute later, only guards against a CLI that could not.
  const seconds = Number(timeout) > 0 ? Number(timeout) : CLI_DEFAULT_TIMEOUT_S;
  const cli = spawnSync(process.execPath, args, {
    encoding: "utf8",
    stdio: ["ignore", "inherit", "pipe"],
    timeout: Math.min(seconds, 86_400) * 1000 + 60_000,
    killSignal: "SIGKILL",
  });
  if (cli.stderr) process.stderr.write(cli.stderr);
  if (cli.signal === "SIGKILL") throw new ActionError(`audit ran out of time after ${seconds}s`);
  // 0: done, 1: below the minimum (the report is written), 2: bad input.
  if (cli.status !== 0 && cli.status !== 1) {
    const line = (cli.stderr || "").trim().split("\n").pop() || `skillproof exited with ${cli.status ?? cli.signal}`;
    throw new ActionError(line.replace(/^skillproof: /, ""));
  }
  const report = JSON.parse(readFileSync(reportFile, "utf8"));

  const load = (name) => import(pathToFileURL(join(ROOT, "dist", "report", `${name}.js`)).href);
  if (input("job-summary") !== "false" && process.env.GITHUB_STEP_SUMMARY) {
    const { renderMarkdown } = await load("markdown");
    appendFileSync(process.env.GITHUB_STEP_SUMMARY, `${renderMarkdown(report)}\n`);
  }
  const sarifFile = input("sarif-file");
  if (sarifFile) {
    const { renderSarif } = await load("sarif");
    // SARIF URIs are relative to the repository root, the audited path may be a subfolder.
    const root = relative(workspace, target).split(sep).join("/");
    writeFileSync(workspacePath(workspace, sarifFile), renderSarif(report, { root }));
    console.log(`SARIF written to ${sarifFile}`);
  }
  const badgeFile = input("badge-file");
  if (badgeFile) {
    const { renderBadge } = await load("badge");
    writeFileSync(workspacePath(workspace, badgeFile), renderBadge(report));
    console.log(`badge written to ${badgeFile}`);
  }

  writeOutput("score", report.score);
  writeOutput("passed", report.passed === null ? "" : String(report.passed));
  writeOutput("report-file", reportFile);
  console.log(`skillproof score: ${report.score}/100 (${report.summary.passed} of ${report.summary.applicable} evidence items)`);
  if (report.passed === false) {
    console.log(`::error title=skillproof::${escapeData(`score ${report.score} is below the minimum of ${report.threshold}`)}`);
    return 1;
  }
  return 0;
}

try {
  process.exitCode = await run();
} catch (err) {
  // One clear line, never a stack trace: GitHub shows it as the step's error.
  const message = err instanceof ActionError ? err.message : `internal error: ${err instanceof Error ? err.message : String(err)}`;
  console.log(`::error title=skillproof::${escapeData(message)}`);
  process.exitCode = 1;
}
