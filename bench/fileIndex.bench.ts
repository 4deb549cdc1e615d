/**
 * FileIndex over a ~90,000-path monorepo listing: building the index, and
 * answering every glob the shipped rules hold. Answers are memoised per
 * index, so each iteration builds a fresh one; the query cost is the
 * difference between the benches.
 */
import { bench, describe } from "vitest";
import { FileIndex } from "../src/engine/fileIndex.js";
import { loadBuiltinRuleSet } from "../src/engine/ruleBundle.js";
import { entries, monorepoPaths, ruleGlobs } from "./synthetic.js";

const files = entries(monorepoPaths());
const globs = ruleGlobs(loadBuiltinRuleSet().rules);
const opts = { time: 1000, warmupIterations: 2 };
// The costliest kind of query the rules make: every source file except tests (content rules over "the code").
const SOURCES = "**/*.{js,mjs,cjs,ts,py,go,java,kt,rb,php,rs}";
const NOT_TESTS = ["**/{test,tests,__tests__,spec,e2e}/**", "**/*.{test,spec}.{js,ts,mjs}", "**/*_test.{go,py}", "**/test_*.py", "**/src/test/**", "**/*.d.ts"];

describe(`FileIndex, ${files.length} paths`, () => {
  bench("build (sorted listing: name and extension maps)", () => {
    new FileIndex(files);
  }, opts);

  bench("build + folder index (first `**/test/**` query)", () => {
    new FileIndex(files).match("**/test/**");
  }, opts);

  bench("build + folder index + all source files minus 6 test globs", () => {
    const index = new FileIndex(files);
    index.match("**/test/**");
    index.match(SOURCES, NOT_TESTS);
  }, opts);

  bench(`build + answer all ${globs.length} rule glob sets (files/content includes and excludes)`, () => {
    const index = new FileIndex(files);
    for (const g of globs) index.match(g.include, g.exclude);
  }, { ...opts, iterations: 5 });
});
