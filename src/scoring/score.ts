import type { AuditedRule } from "../engine/depth/index.js";
import type { Skill } from "../engine/types.js";

/**
 * Share of a rule's weight earned by a pass on token evidence (docs/depth.md):
 * enough to show something is there, never the whole, so one test that checks
 * `1 + 2 === 3` scores below a real suite.
 */
export const TOKEN_SHARE = 0.25;

export type ScoredRule = AuditedRule & {
  weight: number;
  /** Points earned: the weight for a pass, TOKEN_SHARE of it for a pass on token evidence, else 0. */
  earned: number;
};

/** Points a verdict earns out of `weight`. */
export function earnedPoints(rule: Pick<AuditedRule, "status" | "depth">, weight: number): number {
  if (rule.status !== "pass") return 0;
  return rule.depth === "token" ? weight * TOKEN_SHARE : weight;
}

export interface SkillScore {
  id: string;
  title: string;
  weight: number;
  /** 0-100, or null when no rule of the skill applies. */
  score: number | null;
  passed: number;
  applicable: number;
  earnedWeight: number;
  applicableWeight: number;
}

export interface ScoreReport {
  score: number;
  skills: SkillScore[];
  rules: ScoredRule[];
  counts: { passed: number; failed: number; notApplicable: number; applicable: number };
}

/**
 * Scores are kept apart from evaluation: a verdict never depends on a weight.
 * Skill score = earned weight / applicable weight (a pass on token evidence
 * earns TOKEN_SHARE of its weight); the overall score is the
 * skill-weighted mean over skills with at least one applicable rule.
 */
export function scoreResults(
  results: readonly AuditedRule[],
  skills: readonly Skill[],
  ruleWeights: ReadonlyMap<string, number>,
): ScoreReport {
  const rules: ScoredRule[] = results.map((r) => {
    const weight = ruleWeights.get(r.id) ?? 1;
    return { ...r, weight, earned: earnedPoints(r, weight) };
  });
  const skillScores: SkillScore[] = [];
  let weighted = 0;
  let totalWeight = 0;
  for (const skill of skills) {
    const own = rules.filter((r) => r.skill === skill.id);
    if (own.length === 0) continue;
    const applicable = own.filter((r) => r.status !== "not-applicable");
    const applicableWeight = sum(applicable.map((r) => r.weight));
    const earnedWeight = sum(applicable.map((r) => r.earned));
    const score = applicableWeight > 0 ? round(earnedWeight / applicableWeight) : null;
    if (score !== null) {
      weighted += skill.weight * (earnedWeight / applicableWeight);
      totalWeight += skill.weight;
    }
    skillScores.push({
      id: skill.id,
      title: skill.title,
      weight: skill.weight,
      score,
      passed: applicable.filter((r) => r.status === "pass").length,
      applicable: applicable.length,
      earnedWeight,
      applicableWeight,
    });
  }
  const passed = rules.filter((r) => r.status === "pass").length;
  const notApplicable = rules.filter((r) => r.status === "not-applicable").length;
  return {
    score: totalWeight > 0 ? round(weighted / totalWeight) : 0,
    skills: skillScores,
    rules,
    counts: { passed, failed: rules.length - passed - notApplicable, notApplicable, applicable: rules.length - notApplicable },
  };
}

function sum(xs: number[]): number {
  return xs.reduce((a, b) => a + b, 0);
}

function round(fraction: number): number {
  return Math.round(fraction * 100);
}
