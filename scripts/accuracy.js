#!/usr/bin/env node
// Measures skillproof's verdicts against the labelled review set
// (docs/accuracy/review-set.json): precision and recall of "pass".
//
//   node scripts/accuracy.js <folder of clones> [--set FILE] [--verbose]
//
// FILE defaults to docs/accuracy/review-set.json. Each repository is expected
// at <folder>/<name> (the part after the slash) or <folder>/<owner>+<name>,
// checked out at the labelled commit; the script refuses a clone at another
// commit, since the labels describe that commit only. Build first (npm run build).
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";

const args = process.argv.slice(2);
const root = args.find((a, i) => !a.startsWith("--") && args[i - 1] !== "--set");
const setIndex = args.indexOf("--set");
const setFile = setIndex >= 0 ? args[setIndex + 1] : new URL("../docs/accuracy/review-set.json", import.meta.url).pathname;
const verbose = args.includes("--verbose");
if (!root || !setFile) {
  console.error("usage: node scripts/accuracy.js <folder of clones> [--set FILE] [--verbose]");
  process.exit(2);
}
const bin = new URL("../bin/skillproof.js", import.meta.url).pathname;
const { repos } = JSON.parse(readFileSync(setFile, "utf8"));

let tp = 0, fp = 0, fn = 0, tn = 0;
const misses = [];
for (const { repo, commit, verdicts } of repos) {
  const dir = [join(root, repo.split("/")[1]), join(root, repo.replace("/", "+"))].find((d) => existsSync(d));
  if (!dir) throw new Error(`${repo}: no clone under ${root}`);
  const head = execFileSync("git", ["-C", dir, "rev-parse", "HEAD"], { encoding: "utf8" }).trim();
  if (head !== commit) throw new Error(`${repo}: clone is at ${head}, labels are for ${commit}`);
  // Exit 1 (below a threshold) is still a report.
  let out;
  try {
    out = execFileSync(process.execPath, [bin, "audit", dir, "--format", "json"], { encoding: "utf8", maxBuffer: 64 << 20 });
  } catch (err) {
    if (err.status !== 1) throw err;
    out = err.stdout;
  }
  const report = JSON.parse(out);
  for (const r of report.rules) {
    if (!(r.id in verdicts)) continue; // a rule added after labelling
    const truth = verdicts[r.id] === "pass";
    const said = r.status === "pass";
    if (truth && said) tp++;
    else if (said) {
      fp++;
      misses.push(`FP ${repo} ${r.id}`);
    } else if (truth) {
      fn++;
      misses.push(`FN ${repo} ${r.id}`);
    } else tn++;
  }
}
const precision = tp / (tp + fp);
const recall = tp / (tp + fn);
console.log(`${repos.length} repositories, ${tp + fp + fn + tn} verdicts`);
console.log(`true pass ${tp}, false pass ${fp}, missed pass ${fn}, true fail/n.a. ${tn}`);
console.log(`precision ${precision.toFixed(3)}, recall ${recall.toFixed(3)}, agreement ${((tp + tn) / (tp + fp + fn + tn)).toFixed(3)}`);
if (verbose) for (const m of misses) console.log(m);
