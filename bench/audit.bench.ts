/**
 * A whole audit in process: list, index, evaluate every shipped rule, read
 * in rounds, score nothing (scoring and rendering are not the engine's).
 * The tree is held in memory, so the figures leave out disk and git; `npm
 * run bench` measures a real checkout end to end.
 */
import { bench, describe } from "vitest";
import { audit } from "../src/engine/audit.js";
import { loadBuiltinRuleSet } from "../src/engine/ruleBundle.js";
import { InMemorySource } from "../src/sources/memory.js";
import { serviceTree } from "./contents.js";

const ruleSet = loadBuiltinRuleSet();
const small = serviceTree(3000);
const large = serviceTree(90_000);

async function shape(tree: Record<string, string>): Promise<string> {
  const r = await audit(new InMemorySource(tree), { ruleSet });
  const passed = r.results.filter((x) => x.status === "pass").length;
  return `${r.files.listed} files, ${r.files.considered} considered, ${r.files.read} read in ${r.rounds} rounds, ${passed}/${r.results.length} rules pass`;
}
const smallShape = await shape(small);
const largeShape = await shape(large);

describe(`audit() with the ${ruleSet.rules.length} shipped rules, InMemorySource`, () => {
  bench(`service monorepo: ${smallShape}`, async () => {
    await audit(new InMemorySource(small), { ruleSet });
  }, { time: 1500, iterations: 5, warmupIterations: 1 });

  bench(`large monorepo: ${largeShape}`, async () => {
    await audit(new InMemorySource(large), { ruleSet });
  }, { time: 0, iterations: 4, warmupIterations: 1 });
});
