import { audit } from "../engine/audit.js";
import { InMemorySource } from "../sources/memory.js";
import { stackFits, withStackRules } from "./detect.js";
import type { RoleSet } from "./types.js";

export interface RoleExampleOutcome {
  role: string;
  example: string;
  ok: boolean;
  problems: string[];
}

/**
 * Runs every role's example trees through the audit a user runs (the stack
 * items as the same hidden rules) and checks the items found: each `present`
 * item must be found, each `absent` one must not.
 */
export async function runRoleExamples(roles: RoleSet): Promise<RoleExampleOutcome[]> {
  const out: RoleExampleOutcome[] = [];
  for (const role of roles.roles) {
    const ruleSet = withStackRules({ skills: [], rules: [] }, role);
    for (const [i, ex] of role.examples.entries()) {
      const result = await audit(new InMemorySource(ex.files), { ruleSet });
      const found = new Map(stackFits(role, result.results).map((s) => [s.name, s.present]));
      const problems = [
        ...ex.present.filter((n) => !found.get(n)).map((n) => `"${n}" not found`),
        ...(ex.absent ?? []).filter((n) => found.get(n)).map((n) => `"${n}" found but should not be`),
      ];
      out.push({ role: role.id, example: ex.description ?? `example ${i + 1}`, ok: problems.length === 0, problems });
    }
  }
  return out;
}
