import type { Report } from "../report/model.js";
import type { Role, RoleFit, RoleGap, StackItemFit } from "./types.js";

/** Fit points a missing required stack item costs (docs/roles.md). */
export const REQUIRED_STACK_PENALTY = 15;
/** Fit points a must-have rule that does not pass costs. */
export const MUST_HAVE_PENALTY = 10;
/** How many gaps a fit lists. */
export const MAX_GAPS = 3;

/** What fit needs of a report's rules. */
export type FitRule = Pick<Report["rules"][number], "id" | "skill" | "title" | "status" | "weight" | "earned" | "fix" | "fixFor">;

/**
 * The fit before rounding and clamping:
 *   100 × Σ w_s·score_s / Σ w_s  −  15 × missing required stack items  −  10 × must-haves not passed,
 * w_s the role's weight of skill s, score_s its earned / applicable rule weight (0 when no rule of it applies).
 */
export function rawFit(rules: readonly FitRule[], role: Role, stack: readonly StackItemFit[]): number {
  let weighted = 0;
  let total = 0;
  for (const [skill, w] of Object.entries(role.skills)) {
    const applicable = rules.filter((r) => r.skill === skill && r.status !== "not-applicable");
    const applicableWeight = sum(applicable.map((r) => r.weight));
    weighted += w * (applicableWeight > 0 ? sum(applicable.map((r) => r.earned)) / applicableWeight : 0);
    total += w;
  }
  const skillPart = total > 0 ? (100 * weighted) / total : 0;
  const missingRequired = stack.filter((s) => s.required && !s.present).length;
  const passed = new Set(rules.filter((r) => r.status === "pass").map((r) => r.id));
  const failedMustHave = role.mustHave.filter((id) => !passed.has(id)).length;
  return skillPart - REQUIRED_STACK_PENALTY * missingRequired - MUST_HAVE_PENALTY * failedMustHave;
}

export function clampFit(raw: number): number {
  return Math.min(100, Math.max(0, Math.round(raw)));
}

/**
 * The failed rules whose pass would raise the fit most: each is passed in
 * turn (earning its whole weight) and the fit recomputed. The gain is taken
 * before clamping, so a fit held at 0 by penalties still ranks its gaps.
 */
export function topGaps(rules: readonly FitRule[], role: Role, stack: readonly StackItemFit[]): RoleGap[] {
  const base = rawFit(rules, role, stack);
  const gains = rules
    .filter((r) => r.status === "fail")
    .map((r) => {
      const passed = rules.map((x) => (x === r ? { ...x, status: "pass" as const, earned: x.weight } : x));
      return { rule: r, gain: rawFit(passed, role, stack) - base };
    })
    .filter((g) => g.gain > 1e-9)
    .sort((a, b) => b.gain - a.gain || (a.rule.id < b.rule.id ? -1 : 1));
  return gains.slice(0, MAX_GAPS).map(({ rule, gain }) => ({
    ruleId: rule.id,
    title: rule.title,
    gain: Math.max(1, Math.round(gain)),
    fix: rule.fix,
    ...(rule.fixFor ? { fixFor: rule.fixFor } : {}),
  }));
}

/** A role's fit from a report's rules and the stack found in the same audit. */
export function roleFit(rules: readonly FitRule[], role: Role, stack: StackItemFit[]): RoleFit {
  return {
    id: role.id,
    title: role.title,
    summary: role.summary,
    fit: clampFit(rawFit(rules, role, stack)),
    stack,
    gaps: topGaps(rules, role, stack),
  };
}

const RANK = { pass: 2, fail: 1, "not-applicable": 0 } as const;

/**
 * A portfolio's fit: each rule at its best verdict over the repositories
 * (passed anywhere counts, with the most points it earned), each stack item
 * from the first repository that has it, naming that repository. The reports
 * must come from audits with the role (`auditToReport(..., { role })`); a
 * report without the role's stack counts as having none of it.
 */
export function portfolioRoleFit(audits: ReadonlyArray<{ repo: string; report: Report }>, role: Role): RoleFit {
  const best = new Map<string, FitRule>();
  for (const { report } of audits) {
    for (const r of report.rules) {
      const had = best.get(r.id);
      if (!had || RANK[r.status] > RANK[had.status] || (r.status === had.status && r.earned > had.earned)) best.set(r.id, r);
    }
  }
  const stack: StackItemFit[] = role.stack.map((item) => {
    for (const { repo, report } of audits) {
      const found = report.role?.id === role.id ? report.role.stack.find((s) => s.name === item.name && s.present) : undefined;
      if (found) return { name: item.name, required: item.level === "required", present: true, evidence: found.evidence ? { ...found.evidence, repo } : null };
    }
    return { name: item.name, required: item.level === "required", present: false, evidence: null };
  });
  return roleFit([...best.values()], role, stack);
}

function sum(xs: number[]): number {
  return xs.reduce((a, b) => a + b, 0);
}
