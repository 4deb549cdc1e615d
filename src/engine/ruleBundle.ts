import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { BUILTIN_RULES_DIR, loadRuleSet } from "./loadRules.js";
import type { RuleSet } from "./types.js";

/**
 * The shipped rules, validated at build time and saved as JSON without their
 * examples: parsing 50 YAML files with their example trees and compiling the
 * schema costs more than auditing a 90,000-file repository. Rule authors edit
 * YAML; a bundle older than any rule file is ignored, so edits show at once.
 */
export const RULE_BUNDLE = fileURLToPath(new URL("../rules.bundle.json", import.meta.url));

function newestRuleMtime(dir: string): number {
  let newest = statSync(dir).mtimeMs;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestRuleMtime(full) : statSync(full).mtimeMs);
  }
  return newest;
}

export function writeRuleBundle(rulesDir: string = BUILTIN_RULES_DIR, out: string = RULE_BUNDLE): RuleSet {
  const ruleSet = loadRuleSet(rulesDir);
  const slim: RuleSet = { skills: ruleSet.skills, rules: ruleSet.rules.map((r) => ({ ...r, examples: { pass: [], fail: [] } })) };
  writeFileSync(out, JSON.stringify(slim));
  return ruleSet;
}

/** The shipped rules: from the bundle when it is up to date, else from rules/. */
export function loadBuiltinRuleSet(): RuleSet {
  try {
    const bundleTime = statSync(RULE_BUNDLE).mtimeMs;
    if (bundleTime >= newestRuleMtime(BUILTIN_RULES_DIR)) return JSON.parse(readFileSync(RULE_BUNDLE, "utf8")) as RuleSet;
  } catch {
    // no bundle (not built yet): fall back to the YAML
  }
  return loadRuleSet(BUILTIN_RULES_DIR);
}
