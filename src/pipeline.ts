import type { AppliedConfig } from "./config/config.js";
import { audit } from "./engine/audit.js";
import type { RuleSet } from "./engine/types.js";
import { buildReport, type Report } from "./report/model.js";
import { isRoleRule, stackFits, withStackRules } from "./roles/detect.js";
import { roleFit } from "./roles/fit.js";
import { loadBuiltinRoles, resolveRole } from "./roles/load.js";
import { rolePlan } from "./roles/plan.js";
import type { Role } from "./roles/types.js";
import { scoreResults } from "./scoring/score.js";
import type { Source } from "./sources/source.js";

/**
 * The one path every adapter takes: source → engine → scoring → report.
 * Disabled rules are still evaluated (others may require them) but neither
 * reported nor scored. `deadline` (Date.now() ms, src/engine/budget.ts)
 * bounds the engine's work.
 *
 * With a role (`role`, or the `role:` a candidate's config aims for), the
 * role's stack items ride along as hidden rules of the same audit (their
 * reads planned with the rest), are taken out before scoring, and give the
 * report's `role` (fit, stack, gaps) and `plan` (docs/roles.md).
 */
export async function auditToReport(
  source: Source,
  ruleSet: RuleSet,
  config: AppliedConfig,
  options: { threshold?: number; deadline?: number; budgetMs?: number; role?: Role } = {},
): Promise<Report> {
  const { deadline, budgetMs } = options;
  const aimed = config.role !== undefined ? resolveRole(config.role, loadBuiltinRoles(), config.roles ?? []) : undefined;
  const fitRole = options.role ?? aimed;
  const planRole = aimed ?? options.role;
  let rules = ruleSet;
  for (const role of new Map([fitRole, planRole].filter((r): r is Role => r !== undefined).map((r) => [r.id, r])).values()) {
    rules = withStackRules(rules, role);
  }
  const result = await audit(source, {
    ruleSet: rules,
    ignore: config.ignore,
    ...(deadline !== undefined ? { deadline } : {}),
    ...(budgetMs !== undefined ? { budgetMs } : {}),
  });
  const own = result.results.filter((r) => !isRoleRule(r.id));
  const disabled = new Set(config.disable);
  const results = own.filter((r) => !disabled.has(r.id));
  const weights = new Map(ruleSet.rules.map((r) => [r.id, config.weights[r.id] ?? r.weight]));
  const scored = scoreResults(results, ruleSet.skills, weights);
  const report = buildReport({ ...result, results: own }, scored, config, options.threshold);
  const fitStack = fitRole ? stackFits(fitRole, result.results) : undefined;
  if (fitRole) report.role = roleFit(report.rules, fitRole, fitStack!);
  if (planRole) report.plan = rolePlan(report.rules, planRole, planRole === fitRole ? fitStack! : stackFits(planRole, result.results));
  return report;
}
