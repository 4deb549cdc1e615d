// Real repositories for the app benchmark and the webhook load test: each
// subfolder of a directory that is a git work tree (e.g. clones made in /tmp,
// never committed) becomes one repository's files (path → text). Generated
// trees hid both the 51 s regex and the picomatch blow-up; real ones did not.
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";

/** Files bigger than this are left out (the stand-in holds every file in memory). */
const MAX_FILE_BYTES = 1024 * 1024;

/** One repository's tracked text files. Binary files (a NUL byte) and missing ones are skipped. */
export function repoFiles(dir) {
  const listed = execFileSync("git", ["ls-files", "-z"], { cwd: dir, encoding: "utf8", maxBuffer: 256 * 1024 * 1024 }).split("\0").filter(Boolean);
  const files = {};
  for (const p of listed) {
    try {
      const st = statSync(join(dir, p));
      if (!st.isFile() || st.size > MAX_FILE_BYTES) continue;
      const bytes = readFileSync(join(dir, p));
      if (bytes.includes(0)) continue;
      files[p] = bytes.toString("utf8");
    } catch {
      // listed but absent from the work tree
    }
  }
  return files;
}

/** Every git work tree directly under `root`, by name, in name order. */
export function realRepos(root) {
  return readdirSync(root)
    .sort()
    .filter((name) => {
      try {
        return statSync(join(root, name, ".git")).isDirectory();
      } catch {
        return false;
      }
    })
    .map((name) => ({ name, files: repoFiles(join(root, name)) }));
}
