import type { LanguageShare } from "../../stack/index.js";
import type { AuditFacts } from "../facts.js";
import type { Rule, RuleResult } from "../types.js";
import { pipelineProbe, runsTestsProbe } from "./ci.js";
import { composeProbe } from "./compose.js";
import { countProbe } from "./counts.js";
import { coverageProbe } from "./coverage.js";
import { dockerfileProbe } from "./dockerfile.js";
import { metricsProbe } from "./metrics.js";
import { migrationsProbe } from "./migrations.js";
import { openApiProbe } from "./openapi.js";
import { testFilesProbe } from "./testFiles.js";
import type { AuditedRule, DepthProbe } from "./types.js";

export type { AuditedRule, Depth, FactValue, RuleDepth, RuleFacts } from "./types.js";

/** Probes by rule id: the depth of a pass is rule-specific knowledge, kept out of the rule files. */
export const PROBES: ReadonlyMap<string, DepthProbe> = new Map<string, DepthProbe>([
  ["testing/test-files", testFilesProbe],
  ["testing/coverage", coverageProbe],
  ["ci-cd/runs-tests", runsTestsProbe],
  ["ci-cd/pipeline", pipelineProbe],
  ["data/migrations", migrationsProbe],
  ["api/openapi-spec", openApiProbe],
  ["containers/dockerfile", dockerfileProbe],
  ["containers/compose", composeProbe],
  ["observability/metrics", metricsProbe],
  ["docs/adr", countProbe("decisionRecords", "decision record")],
  ["kubernetes/manifests", countProbe("manifests", "manifest")],
]);

/** Files the probes want read, from the file list alone: the audit adds them to its first read. */
export function depthNeeds(rules: readonly Rule[], facts: AuditFacts): string[] {
  const out = new Set<string>();
  for (const rule of rules) for (const p of PROBES.get(rule.id)?.needs?.(rule, facts) ?? []) out.add(p);
  return [...out];
}

/** A result with the facts behind it; only passes are measured (a fail's fix says what is missing). */
export function withDepth(rule: Rule, result: RuleResult, facts: AuditFacts, languages: readonly LanguageShare[]): AuditedRule {
  const probe = PROBES.get(rule.id);
  if (!probe || result.status !== "pass") return result;
  const depth = probe.measure({ rule, result, facts, languages });
  if (!depth) return result;
  return {
    ...result,
    ...(depth.facts ? { facts: depth.facts } : {}),
    ...(depth.summary ? { summary: depth.summary } : {}),
    ...(depth.depth ? { depth: depth.depth } : {}),
    ...(depth.depth === "token" && depth.depthReason ? { depthReason: depth.depthReason } : {}),
  };
}
