#!/usr/bin/env node
// Benchmark (not a test): the whole catalog over a large local repository.
// Usage: npm run bench -- [dir] [--runs N]
// Target: a ~92,000-file repository (e.g. apache/netbeans) in under 1 s wall
// and 150 MiB of memory on 2 cores. Prints wall time per run and peak RSS.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const args = process.argv.slice(2);
const runsAt = args.indexOf("--runs");
const runs = runsAt >= 0 ? Number(args[runsAt + 1]) : 3;
const dir = args.find((a, i) => !a.startsWith("--") && args[i - 1] !== "--runs") ?? process.env.SKILLPROOF_BENCH_DIR ?? ".";
const bin = fileURLToPath(new URL("../bin/skillproof.js", import.meta.url));
// Run with the same Node flags as the bin's shebang, so the numbers are the CLI's.
const shebang = readFileSync(bin, "utf8").split("\n")[0];
const nodeFlags = shebang.split(/\s+/).filter((w) => w.startsWith("--"));

console.log(`bench: skillproof audit ${dir} (${runs} runs, node ${nodeFlags.join(" ")})`);
const times = [];
let peak = 0;
for (let i = 0; i < runs; i++) {
  // /usr/bin/time would be nicer, but it is not on every machine: measure in a child that reports itself.
  const started = performance.now();
  const child = spawnSync(
    process.execPath,
    [
      ...nodeFlags,
      "--input-type=module",
      "-e",
      `const t0 = performance.now();
       const { main } = await import(${JSON.stringify(new URL("../dist/cli/main.js", import.meta.url).href)});
       let out = "";
       const code = await main(["audit", ${JSON.stringify(dir)}, "--format", "json"], { stdout: (s) => { out += s; }, stderr: (s) => process.stderr.write(s), isTTY: false, env: {} });
       const ms = performance.now() - t0;
       const r = JSON.parse(out);
       console.log(JSON.stringify({ code, ms, rss: process.resourceUsage().maxRSS * 1024, files: r.files, score: r.score }));`,
    ],
    { encoding: "utf8" },
  );
  if (child.status !== 0) {
    console.error(child.stderr || child.stdout);
    process.exit(1);
  }
  const wall = performance.now() - started;
  const m = JSON.parse(child.stdout.trim().split("\n").pop());
  times.push(wall);
  peak = Math.max(peak, m.rss);
  console.log(`run ${i + 1}: ${wall.toFixed(0)} ms wall (process start to exit; audit itself ${m.ms.toFixed(0)} ms), peak RSS ${(m.rss / 2 ** 20).toFixed(0)} MiB, files listed ${m.files.listed}, considered ${m.files.considered}, read ${m.files.read}, score ${m.score}`);
}
times.sort((a, b) => a - b);
const median = times[Math.floor(times.length / 2)];
console.log(`median wall ${median.toFixed(0)} ms (target < 1000), peak RSS ${(peak / 2 ** 20).toFixed(0)} MiB (target < 150)`);
