import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";

// Finding 3 (config side) and the config size cap of finding 2, through the CLI as a user (or the Action) runs it.
const bin = join(dirname(fileURLToPath(import.meta.url)), "../../bin/skillproof.js");
const HOSTILE_GLOB = "*a*a*a*a*a*a*a*a*a*a*a*a*a*b";

const dirs: string[] = [];
function repoWithConfig(config: string): string {
  const dir = mkdtempSync(join(tmpdir(), "skillproof-config-"));
  dirs.push(dir);
  mkdirSync(join(dir, ".github"));
  writeFileSync(join(dir, ".github", "skillproof.yml"), config);
  // The file name picomatch spent 61 s on with the glob above.
  writeFileSync(join(dir, "a".repeat(60)), "x\n");
  writeFileSync(join(dir, "main.go"), "package main\n");
  return dir;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** Killed after 20 s: before the limits, the first case ran for a minute. */
function audit(dir: string) {
  const r = spawnSync(process.execPath, [bin, "audit", dir, "--format", "json"], { encoding: "utf8", timeout: 20_000, env: { ...process.env, NO_COLOR: "1" } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("a hostile .github/skillproof.yml", () => {
  it("an ignore glob that backtracks exponentially is a config error in one line naming it, not a minute of CPU", () => {
    const dir = repoWithConfig(`ignore:\n  - "${HOSTILE_GLOB}"\n`);
    const r = audit(dir);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toBe(
      `skillproof: invalid config ${join(dir, ".github/skillproof.yml")}:2:5: ignore: glob "${HOSTILE_GLOB}" has 14 "*" wildcards in one path segment (at most 3)\n`,
    );
  });

  it("a config over 64 KiB is refused before it is parsed", () => {
    const dir = repoWithConfig(`threshold: 10\n${`# ${"padding ".repeat(60)}\n`.repeat(2000)}`);
    const r = audit(dir);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toBe(`skillproof: invalid config ${join(dir, ".github/skillproof.yml")}: larger than 64 KiB, the most a config may be\n`);
  });
});
