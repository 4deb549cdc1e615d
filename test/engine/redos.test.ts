import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { loadRuleSet } from "../../src/engine/loadRules.js";
import type { Matcher, Rule } from "../../src/engine/types.js";

// recheck's checkSync reads this on every call: "pure" runs its Scala.js engine in this
// process, so no JVM, native binary or worker thread is needed.
process.env.RECHECK_SYNC_BACKEND = "pure";
const { checkSync } = createRequire(import.meta.url)("recheck") as typeof import("recheck");

/** One regular expression a shipped rule hands to the engine, with the flags the engine compiles it with. */
interface RulePattern {
  file: string;
  where: string;
  source: string;
  flags: string;
}

/**
 * Every regex-valued field of rules/schema.json, with the flags its matcher compiles it with
 * (src/engine/matchers/*). A new regex field in the schema must be added here: the last test
 * below compares this list with the schema.
 */
function rulePatterns(rules: readonly Rule[]): RulePattern[] {
  const out: RulePattern[] = [];
  const visit = (m: Matcher, file: string): void => {
    const add = (where: string, source: string, flags: string) => out.push({ file, where, source, flags });
    if ("all" in m) return m.all.forEach((x) => visit(x, file));
    if ("any" in m) return m.any.forEach((x) => visit(x, file));
    if ("not" in m) return visit(m.not, file);
    if ("content" in m) {
      add("content.pattern", m.content.pattern, `gm${m.content.flags ?? ""}`);
      const dep = m.content.within?.dependency;
      if (dep?.pattern) add("content.within.dependency.pattern", dep.pattern, "i");
    }
    if ("dependency" in m && m.dependency.pattern) add("dependency.pattern", m.dependency.pattern, "i");
    if ("dockerfile" in m && m.dockerfile.argsPattern) add("dockerfile.argsPattern", m.dockerfile.argsPattern, "i");
    if ("compose" in m && m.compose.image) add("compose.image", m.compose.image, "i");
    if ("ci" in m) {
      const flags = m.ci.flags ?? "";
      if (m.ci.run) add("ci.run", m.ci.run, flags);
      if (m.ci.uses) add("ci.uses", m.ci.uses, flags);
      if (m.ci.ignoreJobsMatching) add("ci.ignoreJobsMatching", m.ci.ignoreJobsMatching, `m${flags}`);
      for (const [k, v] of Object.entries(m.ci.with ?? {})) add(`ci.with.${k}`, v, flags);
    }
  };
  for (const r of rules) visit(r.match, r.file ?? r.id);
  return out;
}

/**
 * Patterns recheck judged before this gate existed and that have not been rewritten yet:
 * "vulnerable" ones are known debt, "unknown" ones recheck could not decide within its time
 * cap. Listed, not skipped silently: the list may only shrink (an entry whose pattern is no
 * longer shipped fails the test, so a rewrite removes it) and every other pattern is checked.
 */
const BASELINE = JSON.parse(readFileSync(new URL("./redos-baseline.json", import.meta.url), "utf8")) as Array<RulePattern & { status: string }>;
const key = (p: Pick<RulePattern, "file" | "where" | "source" | "flags">) => JSON.stringify([p.file, p.where, p.flags, p.source]);

const patterns = rulePatterns(loadRuleSet().rules);
const baselined = new Set(BASELINE.map(key));
const toCheck = [...new Map(patterns.filter((p) => !baselined.has(key(p))).map((p) => [key(p), p])).values()];

// recheck's own budget per pattern. Past it the status is "unknown", which fails below.
const RECHECK_TIMEOUT_MS = 20_000;

describe("rule regular expressions cannot backtrack catastrophically (recheck)", () => {
  it.each(toCheck.map((p) => [`${p.file} ${p.where} /${p.source.slice(0, 60)}/${p.flags}`, p] as const))(
    "%s",
    (_name, p) => {
      const d = checkSync(p.source, p.flags, { timeout: RECHECK_TIMEOUT_MS });
      const detail =
        d.status === "vulnerable"
          ? `${d.complexity.summary}; attack ${d.attack.pattern}`
          : d.status === "unknown"
            ? `recheck could not decide (${d.error.kind}): simplify the pattern`
            : "";
      expect(d.status, `${p.file} ${p.where}: /${p.source}/${p.flags} is ${d.status}: ${detail}`).toBe("safe");
    },
    RECHECK_TIMEOUT_MS + 10_000,
  );

  it("the baseline lists only patterns that are still shipped", () => {
    const shipped = new Set(patterns.map(key));
    expect(BASELINE.filter((b) => !shipped.has(key(b))).map((b) => `${b.file} ${b.where} /${b.source}/`)).toEqual([]);
  });

  it("covers every regex-valued field of the rule schema", () => {
    const schema = JSON.parse(readFileSync(new URL("../../rules/schema.json", import.meta.url), "utf8")) as { definitions: Record<string, unknown> };
    const regexFields = new Set<string>();
    const walk = (node: unknown, path: string[]): void => {
      if (!node || typeof node !== "object") return;
      const o = node as Record<string, unknown>;
      if (o.$ref === "#/definitions/regex") regexFields.add(path.filter((s) => s !== "properties" && s !== "additionalProperties").join("."));
      for (const [k, v] of Object.entries(o)) walk(v, [...path, k]);
    };
    walk(schema.definitions.matcher, []);
    // The rule matcher's own "properties" wrapper and "within.dependency" nesting read like the engine's paths.
    expect([...regexFields].sort()).toEqual(
      ["ci.ignoreJobsMatching", "ci.run", "ci.uses", "ci.with", "compose.image", "content.pattern", "content.within.dependency.pattern", "dependency.pattern", "dockerfile.argsPattern"].sort(),
    );
  });
});
