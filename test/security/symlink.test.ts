import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";

// Finding 9: the CLI (and the Action, which runs it) followed tracked symlinks out of the audited folder.
const bin = join(dirname(fileURLToPath(import.meta.url)), "../../bin/skillproof.js");
const MARKER = "leakedmarker7d41";
// Lines the container rules quote as evidence, so that a followed link would show them in the report.
const OUTSIDE_DOCKERFILE = `FROM node:20 AS ${MARKER}\nRUN npm ci\nFROM node:20-slim\nUSER ${MARKER}\nCMD ["node", "${MARKER}.js"]\n`;

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "skillproof-symlink-"));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function candidateRepo(): string {
  const outside = tempDir();
  writeFileSync(join(outside, "private.txt"), OUTSIDE_DOCKERFILE);
  mkdirSync(join(outside, "folder"));
  writeFileSync(join(outside, "folder", "Dockerfile"), OUTSIDE_DOCKERFILE);
  const repo = tempDir();
  writeFileSync(join(repo, "main.go"), "package main\n");
  symlinkSync(join(outside, "private.txt"), join(repo, "Dockerfile"));
  symlinkSync(join(outside, "folder"), join(repo, "deploy"));
  mkdirSync(join(repo, ".github"));
  symlinkSync(join(outside, "private.txt"), join(repo, ".github", "skillproof.yml"));
  return repo;
}

function audit(dir: string, format: string) {
  const r = spawnSync(process.execPath, [bin, "audit", dir, "--format", format], { encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("the CLI never reads through a symbolic link", () => {
  it("a tracked Dockerfile symlink to a file outside the folder adds nothing of that file to the report", () => {
    const repo = candidateRepo();
    rmSync(join(repo, ".github"), { recursive: true });
    spawnSync("git", ["init", "-q", repo]);
    spawnSync("git", ["-C", repo, "add", "-A"]);
    for (const format of ["json", "text", "markdown", "sarif"]) {
      const r = audit(repo, format);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).not.toContain(MARKER);
      expect(r.stdout).not.toContain("deploy/Dockerfile");
    }
    const report = JSON.parse(audit(repo, "json").stdout) as { rules: Array<{ id: string; status: string }> };
    expect(report.rules.find((x) => x.id === "containers/dockerfile")?.status).toBe("fail");
  });

  it("the same folder walked (not a git work tree) is read the same way", () => {
    const repo = candidateRepo();
    rmSync(join(repo, ".github"), { recursive: true });
    const r = audit(repo, "json");
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).not.toContain(MARKER);
    const report = JSON.parse(r.stdout) as { rules: Array<{ id: string; status: string }> };
    expect(report.rules.find((x) => x.id === "containers/dockerfile")?.status).toBe("fail");
  });

  it("a .github/skillproof.yml symlink is refused in one line, without quoting the file it points at", () => {
    const repo = candidateRepo();
    const r = audit(repo, "json");
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(/^skillproof: .*skillproof\.yml.*symbolic link.*\n$/);
    expect(r.stderr).not.toContain(MARKER);
  });
});
