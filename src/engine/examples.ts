import { InMemorySource } from "../sources/memory.js";
import { audit } from "./audit.js";
import type { RuleSet } from "./types.js";

export interface ExampleOutcome {
  ruleId: string;
  file: string;
  kind: "pass" | "fail";
  index: number;
  description?: string;
  actual: string;
  ok: boolean;
  /** Frameworks the example claims that the stack detector does not name in its tree. */
  undetected?: string[];
}

/**
 * Runs every rule's own pass and fail example trees through the same audit a
 * user runs (the whole rule set, so `requires` behave as in real audits).
 * A pass example must pass; a fail example must fail, not be not-applicable.
 * An example that claims frameworks must be a tree where the detector names
 * them: docs/frameworks.md credits an idiom to a framework on that claim.
 */
export async function runRuleExamples(ruleSet: RuleSet, only?: (id: string) => boolean): Promise<ExampleOutcome[]> {
  const out: ExampleOutcome[] = [];
  for (const rule of ruleSet.rules) {
    if (only && !only(rule.id)) continue;
    for (const kind of ["pass", "fail"] as const) {
      for (const [index, example] of rule.examples[kind].entries()) {
        const result = await audit(new InMemorySource(example.files), { ruleSet });
        const actual = result.results.find((r) => r.id === rule.id)?.status ?? "missing";
        const detected = new Set(result.stack.frameworks.map((f) => f.name));
        const undetected = (example.frameworks ?? []).filter((f) => !detected.has(f));
        out.push({
          ruleId: rule.id,
          file: rule.file ?? rule.id,
          kind,
          index,
          ...(example.description ? { description: example.description } : {}),
          actual,
          ok: actual === kind && undetected.length === 0,
          ...(undetected.length ? { undetected } : {}),
        });
      }
    }
  }
  return out;
}
