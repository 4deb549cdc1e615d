/**
 * FileIndex over a ~90,000-path monorepo listing: building the index, and
 * answering every glob the shipped rules hold. Answers are memoised per
 * index, so each iteration builds a fresh one; the query cost is the
 * difference between the benches.
 */
import { readFileSync } from "node:fs";
import { bench, describe } from "vitest";
import { FileIndex } from "../src/engine/fileIndex.js";
import { loadBuiltinRuleSet } from "../src/engine/ruleBundle.js";
import { entries, monorepoPaths, ruleGlobs } from "./synthetic.js";

const files = entries(monorepoPaths());
const globs = ruleGlobs(loadBuiltinRuleSet().rules);
// Optional: a real listing (`git ls-files > list.txt` in a big checkout) to compare with the generated one.
const listingFile = process.env.SKILLPROOF_BENCH_LISTING;
const real = listingFile ? entries(readFileSync(listingFile, "utf8").split("\n").filter((p) => p !== "")) : [];
const opts = { time: 1000, warmupIterations: 2 };
// Each of these takes a few hundred milliseconds: fewer samples keep the suite within a minute.
const heavy = { time: 1000, iterations: 5, warmupIterations: 1 };
// The costliest kind of query the rules make: every source file except tests (content rules over "the code").
const SOURCES = "**/*.{js,mjs,cjs,ts,py,go,java,kt,rb,php,rs}";
const NOT_TESTS = ["**/{test,tests,__tests__,spec,e2e}/**", "**/*.{test,spec}.{js,ts,mjs}", "**/*_test.{go,py}", "**/test_*.py", "**/src/test/**", "**/*.d.ts"];

describe(`FileIndex, ${files.length} paths`, () => {
  bench("build (sorted listing: name and extension maps)", () => {
    new FileIndex(files);
  }, opts);

  bench("build + folder index (first `**/test/**` query)", () => {
    new FileIndex(files).match("**/test/**");
  }, heavy);

  bench("build + folder index + all source files minus 6 test globs", () => {
    const index = new FileIndex(files);
    index.match("**/test/**");
    index.match(SOURCES, NOT_TESTS);
  }, heavy);

  bench(`build + answer all ${globs.length} rule glob sets (files/content includes and excludes)`, () => {
    const index = new FileIndex(files);
    for (const g of globs) index.match(g.include, g.exclude);
  }, { time: 0, iterations: 3, warmupIterations: 1 });
});

// Skipped unless SKILLPROOF_BENCH_LISTING names a file list: the suite must run on a fresh clone.
describe(`FileIndex, real listing${listingFile ? ` (${listingFile}, ${real.length} paths)` : " (set SKILLPROOF_BENCH_LISTING)"}`, () => {
  bench.skipIf(real.length === 0)("build", () => {
    new FileIndex(real);
  }, opts);

  bench.skipIf(real.length === 0)(`build + answer all ${globs.length} rule glob sets`, () => {
    const index = new FileIndex(real);
    for (const g of globs) index.match(g.include, g.exclude);
  }, { time: 0, iterations: 3, warmupIterations: 1 });
});
