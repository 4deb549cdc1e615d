import type { AppliedConfig } from "./config/config.js";
import { audit } from "./engine/audit.js";
import type { RuleSet } from "./engine/types.js";
import { buildReport, type Report } from "./report/model.js";
import { scoreResults } from "./scoring/score.js";
import type { Source } from "./sources/source.js";

/**
 * The one path every adapter takes: source → engine → scoring → report.
 * Disabled rules are still evaluated (others may require them) but neither
 * reported nor scored. `deadline` (Date.now() ms, src/engine/budget.ts)
 * bounds the engine's work.
 */
export async function auditToReport(
  source: Source,
  ruleSet: RuleSet,
  config: AppliedConfig,
  options: { threshold?: number; deadline?: number; budgetMs?: number } = {},
): Promise<Report> {
  const { deadline, budgetMs } = options;
  const result = await audit(source, {
    ruleSet,
    ignore: config.ignore,
    ...(deadline !== undefined ? { deadline } : {}),
    ...(budgetMs !== undefined ? { budgetMs } : {}),
  });
  const disabled = new Set(config.disable);
  const results = result.results.filter((r) => !disabled.has(r.id));
  const weights = new Map(ruleSet.rules.map((r) => [r.id, config.weights[r.id] ?? r.weight]));
  const scored = scoreResults(results, ruleSet.skills, weights);
  return buildReport(result, scored, config, options.threshold);
}
