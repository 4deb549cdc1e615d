import type { Matcher, Rule, RuleSet } from "../../src/engine/types.js";

/** A minimal rule for engine tests; real rules come from rules/. */
export function rule(id: string, match: Matcher, extra: Partial<Rule> = {}): Rule {
  return {
    id,
    skill: id.split("/")[0]!,
    title: id,
    weight: 1,
    why: "because it matters",
    fix: "add the thing",
    match,
    examples: { pass: [], fail: [] },
    ...extra,
  };
}

export function ruleSet(...rules: Rule[]): RuleSet {
  const skills = [...new Set(rules.map((r) => r.skill))].map((id) => ({ id, title: id, weight: 1, description: id }));
  return { skills, rules };
}
