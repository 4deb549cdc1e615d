// The repository the app benchmarks and the webhook load test audit: a slice
// of this project (manifests, Dockerfile, CI workflows, the app's sources and
// tests), the size of a realistic portfolio repository.
import { execFileSync } from "node:child_process";
import { readFileSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");

export function benchFiles() {
  const listed = execFileSync("git", ["ls-files"], { cwd: ROOT, encoding: "utf8" }).split("\n");
  const wanted = listed.filter(
    (p) =>
      /^(package\.json|Dockerfile|docker-compose\.yml|README\.md|tsconfig\.json|\.gitignore|LICENSE)$/.test(p) ||
      p.startsWith(".github/workflows/") ||
      (p.startsWith("src/app/") && p.endsWith(".ts")) ||
      (p.startsWith("src/cli/") && p.endsWith(".ts")) ||
      (p.startsWith("test/app/") && p.endsWith(".test.ts")),
  );
  const files = {};
  for (const p of wanted) {
    try {
      if (statSync(join(ROOT, p)).size < 200_000) files[p] = readFileSync(join(ROOT, p), "utf8");
    } catch {
      // listed but deleted in the working tree
    }
  }
  return files;
}
