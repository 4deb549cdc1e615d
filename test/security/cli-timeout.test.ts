import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";

// Finding 3 (no audit had a time budget), through the CLI as a user runs it: --timeout bounds the whole audit,
// the engine's computing and the wait on GitHub alike, with one line and exit 2.
const bin = join(dirname(fileURLToPath(import.meta.url)), "../../bin/skillproof.js");

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** Spawned asynchronously (a loopback server below answers from this process); killed after 60 s at most. */
function cli(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const clean = Object.fromEntries(Object.entries({ ...process.env, NO_COLOR: "1", ...env }).filter(([k]) => k !== "GITHUB_TOKEN" && k !== "GH_TOKEN"));
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], { env: clean });
    const killer = setTimeout(() => child.kill("SIGKILL"), 60_000);
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString("utf8")));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString("utf8")));
    child.on("close", (code) => {
      clearTimeout(killer);
      resolve({ code, stdout, stderr });
    });
  });
}

/**
 * A repository whose config's ignore glob is within the limits (two `**`, three `*` per segment) but whose
 * 300 paths, 60 folders deep, each cost it about a sixth of a second: a minute of matching in all.
 */
function slowToFilter(): string {
  const dir = mkdtempSync(join(tmpdir(), "skillproof-timeout-"));
  dirs.push(dir);
  const deep = join(dir, ...Array.from({ length: 60 }, () => "aaaaaaaaab"));
  mkdirSync(deep, { recursive: true });
  for (let i = 0; i < 300; i++) writeFileSync(join(deep, `f${i}`), "x\n");
  mkdirSync(join(dir, ".github"));
  writeFileSync(join(dir, ".github", "skillproof.yml"), 'ignore:\n  - "**/*a*a*b/**/*a*a*b/x"\n');
  return dir;
}

describe("skillproof audit --timeout", () => {
  it("stops an audit whose work outlasts the budget: one line, exit 2, no report", async () => {
    const r = await cli(["audit", slowToFilter(), "--format", "json", "--timeout", "1"]);
    expect(r.stderr).toBe("skillproof: audit ran out of time after 1s\n");
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
  });

  it("a tiny budget trips before any work", async () => {
    const dir = mkdtempSync(join(tmpdir(), "skillproof-timeout-"));
    dirs.push(dir);
    writeFileSync(join(dir, "main.go"), "package main\n");
    const r = await cli(["audit", dir, "--timeout", "0.001"]);
    expect(r).toEqual({ code: 2, stdout: "", stderr: "skillproof: audit ran out of time after 0.001s\n" });
  });

  it("covers reading GitHub: a GitHub that never answers costs the budget, not a hang", async () => {
    // Accepts every request and never answers it.
    const hung: Server = createServer(() => {});
    await new Promise<void>((resolve) => hung.listen(0, "127.0.0.1", resolve));
    try {
      const url = `http://127.0.0.1:${(hung.address() as AddressInfo).port}`;
      const r = await cli(["audit", "octo/never-answers", "--timeout", "1"], { GITHUB_API_URL: url });
      expect(r).toEqual({ code: 2, stdout: "", stderr: "skillproof: audit ran out of time after 1s\n" });
    } finally {
      hung.closeAllConnections();
      await new Promise<void>((resolve) => hung.close(() => resolve()));
    }
  });

  it("refuses a timeout that is not a positive number of seconds", async () => {
    for (const bad of ["0", "-5", "abc", "", "90000"]) {
      const r = await cli(["audit", ".", `--timeout=${bad}`]);
      expect(r.code, bad).toBe(2);
      expect(r.stderr).toBe(`skillproof: --timeout must be a number of seconds above 0, at most 86400, got "${bad}"\n`);
    }
    // Without "=", a dash-led value is Node's parseArgs's complaint, on one line too.
    const dash = await cli(["audit", ".", "--timeout", "-5"]);
    expect(dash.code).toBe(2);
    expect(dash.stderr).toMatch(/^skillproof: Option '--timeout' argument is ambiguous\. \(try: skillproof --help\)\n$/);
  });
});
