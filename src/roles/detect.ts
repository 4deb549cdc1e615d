import type { AuditedRule } from "../engine/depth/index.js";
import type { Rule, RuleSet } from "../engine/types.js";
import type { Role, StackItemFit } from "./types.js";

/** Ids of the hidden rules a role's stack items become: `role:<role>/<item slug>`. */
export const ROLE_RULE_PREFIX = "role:";

export function stackRuleId(role: Role, itemName: string): string {
  const slug = itemName.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "") || "item";
  return `${ROLE_RULE_PREFIX}${role.id}/${slug}`;
}

export function isRoleRule(id: string): boolean {
  return id.startsWith(ROLE_RULE_PREFIX);
}

/**
 * The role's stack items as rules appended to the rule set, so the engine
 * plans their reads with every other rule's (one audit, no second pass over
 * the tree). They carry no skill of the catalog and are removed before
 * scoring: src/pipeline.ts.
 */
export function withStackRules(ruleSet: RuleSet, role: Role): RuleSet {
  const extra: Rule[] = role.stack.map((item) => ({
    id: stackRuleId(role, item.name),
    skill: "role",
    title: item.name,
    weight: 1,
    why: `${role.title} looks for ${item.name}.`,
    fix: stackItemFix(item.name, item.fix),
    match: item.match,
    examples: { pass: [], fail: [] },
  }));
  return { skills: ruleSet.skills, rules: [...ruleSet.rules, ...extra] };
}

export function stackItemFix(name: string, fix?: string): string {
  return fix ?? `Use ${name} in a service of this repository, declared where a reviewer looks for it (a dependency, a compose service or its config files).`;
}

/** The stack items' verdicts from the audit's results: present with the first file that proves it. */
export function stackFits(role: Role, results: readonly AuditedRule[]): StackItemFit[] {
  const byId = new Map(results.map((r) => [r.id, r]));
  return role.stack.map((item) => {
    const r = byId.get(stackRuleId(role, item.name));
    const present = r?.status === "pass";
    const first = present ? r.evidence[0] : undefined;
    return {
      name: item.name,
      required: item.level === "required",
      present,
      evidence: first ? { path: first.path, ...(first.line !== undefined ? { line: first.line } : {}) } : null,
    };
  });
}
