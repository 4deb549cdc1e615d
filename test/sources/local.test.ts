import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { LocalDirectorySource } from "../../src/sources/local.js";

const dirs: string[] = [];
function tree(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "skillproof-local-"));
  dirs.push(dir);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, ".."), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe("LocalDirectorySource.listFiles", () => {
  it("lists what git tracks, names with spaces and non-ASCII letters intact", async () => {
    const dir = tree({ "a b.txt": "x", "src/café.ts": "x", "src/main.ts": "x", "untracked.md": "x" });
    execFileSync("git", ["init", "-q", dir]);
    execFileSync("git", ["-C", dir, "add", "a b.txt", "src"]);
    const files = await new LocalDirectorySource(dir).listFiles();
    expect(files.map((f) => f.path)).toEqual(["a b.txt", "src/café.ts", "src/main.ts"]);
  });

  it("lists thousands of tracked paths (several pipe chunks) without losing one at a chunk boundary", async () => {
    const names = Array.from({ length: 3000 }, (_, i) => `deep/folder/name/${String(i).padStart(5, "0")}-${"x".repeat(i % 40)}.txt`);
    const dir = tree(Object.fromEntries(names.map((n) => [n, ""])));
    execFileSync("git", ["init", "-q", dir]);
    execFileSync("git", ["-C", dir, "add", "deep"]);
    const files = await new LocalDirectorySource(dir).listFiles();
    expect(files.map((f) => f.path)).toEqual([...names].sort());
  });

  it("walks a folder that is not a git work tree", async () => {
    const dir = tree({ "README.md": "x", "lib/x.py": "x" });
    const files = await new LocalDirectorySource(dir).listFiles();
    expect(files.map((f) => f.path).sort()).toEqual(["README.md", "lib/x.py"]);
  });
});

describe("LocalDirectorySource and symbolic links", () => {
  const MARKER = "OUTSIDE-MARKER-2f9c";
  function withOutsideLink(): { dir: string; outside: string } {
    const outside = tree({ "secret.txt": `FROM scratch\n# ${MARKER}\n` });
    const dir = tree({ "main.go": "package main\n", "real/a.txt": "a\n" });
    symlinkSync(join(outside, "secret.txt"), join(dir, "Dockerfile"));
    symlinkSync(outside, join(dir, "linked"));
    return { dir, outside };
  }

  it("leaves out symlinks git tracks (mode 120000), to files and to folders", async () => {
    const { dir } = withOutsideLink();
    execFileSync("git", ["init", "-q", dir]);
    execFileSync("git", ["-C", dir, "add", "-A"]);
    const source = new LocalDirectorySource(dir);
    const files = await source.listFiles();
    expect(files.map((f) => f.path)).toEqual(["main.go", "real/a.txt"]);
  });

  it("leaves out symlinks when walking a folder that is not a work tree", async () => {
    const { dir } = withOutsideLink();
    const files = await new LocalDirectorySource(dir).listFiles();
    expect(files.map((f) => f.path).sort()).toEqual(["main.go", "real/a.txt"]);
  });

  it("does not read through a symlink even when asked for it by name (a work tree that differs from its index)", async () => {
    const { dir } = withOutsideLink();
    const contents = await new LocalDirectorySource(dir).readFiles(["Dockerfile", "linked/secret.txt", "real/a.txt"]);
    expect(contents[0]).toMatchObject({ path: "Dockerfile", skipped: "unreadable" });
    expect(contents[1]).toMatchObject({ path: "linked/secret.txt", skipped: "unreadable" });
    expect(contents[2]).toEqual({ path: "real/a.txt", text: "a\n" });
    expect(JSON.stringify(contents)).not.toContain(MARKER);
  });
});
