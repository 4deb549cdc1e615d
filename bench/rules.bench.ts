/**
 * Loading the shipped rules: from the YAML (parse every rule file with its
 * example trees, validate with ajv: what `rules test` and a stale bundle
 * cost), and from the build's bundle (what every CLI run and app job pays).
 */
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { bench, describe } from "vitest";
import { BUILTIN_RULES_DIR, loadRuleSet } from "../src/engine/loadRules.js";
import type { RuleSet } from "../src/engine/types.js";

const ruleCount = loadRuleSet(BUILTIN_RULES_DIR).rules.length;

// The bundle lives next to the built engine (dist/rules.bundle.json): `npm run build` writes it.
const builtModule = fileURLToPath(new URL("../dist/engine/ruleBundle.js", import.meta.url));
const bundleFile = fileURLToPath(new URL("../dist/rules.bundle.json", import.meta.url));
const newest = (dir: string): number =>
  readdirSync(dir, { withFileTypes: true }).reduce((n, e) => Math.max(n, e.isDirectory() ? newest(join(dir, e.name)) : statSync(join(dir, e.name)).mtimeMs), statSync(dir).mtimeMs);
const bundleFresh = existsSync(builtModule) && existsSync(bundleFile) && statSync(bundleFile).mtimeMs >= newest(BUILTIN_RULES_DIR);
const built = bundleFresh ? ((await import(builtModule)) as { loadBuiltinRuleSet: () => RuleSet }) : undefined;

describe(`rule loading, ${ruleCount} shipped rules`, () => {
  bench("loadRuleSet: rules/*.yml parsed and validated (ajv)", () => {
    loadRuleSet(BUILTIN_RULES_DIR);
  }, { time: 0, iterations: 5, warmupIterations: 1 });

  // Skipped (not faked) when there is no fresh bundle: run `npm run build` first.
  bench.skipIf(!built)("loadBuiltinRuleSet: dist/rules.bundle.json (freshness check + JSON.parse)", () => {
    built!.loadBuiltinRuleSet();
  }, { time: 1000 });
});
