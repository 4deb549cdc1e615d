import type { AuditFacts } from "./facts.js";
import { matchingDependencies } from "./matchers/dependency.js";
import type { FixCondition, FixVariant, Rule, RuleResult } from "./types.js";

/**
 * Picks the fix a failing rule shows: the first of the rule's `fixes` whose
 * condition holds on this tree, else the general `fix`. Conditions see only
 * the main language, the declared dependencies (manifests are always read)
 * and the file list, so local and GitHub audits of one tree choose alike and
 * choosing never reads a file. Passes and not-applicable results are unchanged.
 */
export function chooseFix(rule: Rule, result: RuleResult, facts: AuditFacts): RuleResult {
  if (result.status !== "fail" || !rule.fixes) return result;
  const chosen = firstMatchingFix(rule.fixes, facts);
  if (!chosen) return result;
  return { ...result, fix: chosen.variant.fix, fixFor: chosen.label, generalFix: rule.fix };
}

/** The first variant that holds, with the label of what it is for. */
export function firstMatchingFix(variants: readonly FixVariant[], facts: AuditFacts): { variant: FixVariant; label: string } | undefined {
  for (const variant of variants) {
    const matched = holds(variant.when, facts);
    if (!matched) continue;
    const label = variant.label ?? [...new Set(matched)].join(" · ");
    return { variant, label: label || "this stack" };
  }
  return undefined;
}

/** undefined when the condition does not hold; else the names of what matched, for the label. */
function holds(c: FixCondition, facts: AuditFacts): string[] | undefined {
  if ("all" in c) {
    const parts: string[] = [];
    for (const child of c.all) {
      const m = holds(child, facts);
      if (!m) return undefined;
      parts.push(...m);
    }
    return parts;
  }
  if ("any" in c) {
    for (const child of c.any) {
      const m = holds(child, facts);
      if (m) return m;
    }
    return undefined;
  }
  if ("language" in c) {
    const main = facts.mainLanguage;
    return main && c.language.main.some((l) => l.toLowerCase() === main.toLowerCase()) ? [main] : undefined;
  }
  if ("dependency" in c) {
    // Manifests are read by the end of every audit; if a Gradle catalog was not, the condition simply does not hold.
    const hits = matchingDependencies(c.dependency, facts);
    if (!hits || hits.length === 0) return undefined;
    return [shortName(hits[0]!.name)];
  }
  if ("files" in c) {
    const paths = facts.index.match(c.files.include, c.files.exclude, c.files);
    if (paths.length < (c.files.min ?? 1)) return undefined;
    return [paths[0]!.slice(paths[0]!.lastIndexOf("/") + 1)];
  }
  throw new Error(`unknown fix condition: ${JSON.stringify(c)}`);
}

/** "org.springframework.boot:spring-boot-starter-web" → "spring-boot-starter-web"; npm and others as written. */
function shortName(name: string): string {
  return name.includes(":") ? name.slice(name.lastIndexOf(":") + 1) : name;
}
