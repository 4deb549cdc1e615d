import type { FitRule } from "./fit.js";
import { stackItemFix } from "./detect.js";
import type { PlanItem, PlanStep, Role, StackItemFit } from "./types.js";

/** The guide's 90 days in six two-week steps. */
export const PLAN_STEPS = [
  { step: 1, weeks: "1-2", name: "foundations" },
  { step: 2, weeks: "3-4", name: "data" },
  { step: 3, weeks: "5-6", name: "apis" },
  { step: 4, weeks: "7-8", name: "delivery" },
  { step: 5, weeks: "9-10", name: "security and testing" },
  { step: 6, weeks: "11-12", name: "observability and polish" },
] as const;

/**
 * Where each rule goes: a rule id first, else its skill. Step 1 is a CRUD API
 * with auth and tests; 2 schema, indexes, caching; 3 pagination, rate limits,
 * idempotency, OpenAPI, a queue; 4 Docker, CI, a deploy; 5 JWT, secrets,
 * coverage gates; 6 metrics, traces, dashboards, README, a diagram.
 */
export const STEP_OF: ReadonlyMap<string, number> = new Map([
  // rule ids
  ["security/auth", 1],
  ["security/password-hashing", 1],
  ["testing/framework", 1],
  ["testing/test-files", 1],
  ["api/validation", 1],
  ["docs/run-locally", 1],
  ["testing/coverage", 5],
  ["testing/integration", 5],
  ["ci-cd/runs-tests", 4],
  // skills
  ["quality", 1],
  ["testing", 1],
  ["data", 2],
  ["caching", 2],
  ["api", 3],
  ["messaging", 3],
  ["resilience", 3],
  ["containers", 4],
  ["ci-cd", 4],
  ["kubernetes", 4],
  ["iac", 4],
  ["security", 5],
  ["observability", 6],
  ["docs", 6],
  ["impact", 6],
  ["collab", 6],
]);

/** Stack items by what they are, from their names: the first pattern that matches wins, else step 1 (the language and framework). */
export const STACK_STEP: ReadonlyArray<readonly [RegExp, number]> = [
  [/postgres|mysql|mariadb|mongo|sql|redis|cache|flyway|liquibase|alembic|migration|orm|hibernate|jpa|entity framework|elastic/i, 2],
  [/kafka|rabbit|queue|celery|sqs|nats|grpc|openapi|swagger|graphql|messag/i, 3],
  [/docker|kubernetes|helm|terraform|pulumi|ansible|ci\b|actions|argo|deploy|compose/i, 4],
  [/jwt|oauth|security|vault|secret/i, 5],
  [/prometheus|grafana|opentelemetry|tracing|logging|metrics|jaeger|loki/i, 6],
];

export function stepOfRule(id: string, skill: string): number {
  return STEP_OF.get(id) ?? STEP_OF.get(skill) ?? 1;
}

export function stepOfStackItem(name: string): number {
  return STACK_STEP.find(([re]) => re.test(name))?.[1] ?? 1;
}

/**
 * The plan for a role: the must-haves not passed, the stack items missing
 * (required before preferred) and the failed rules of the role's skills
 * (heaviest skill first), each in its step. Steps with nothing to do are left out.
 */
export function rolePlan(rules: readonly FitRule[], role: Role, stack: readonly StackItemFit[]): PlanStep[] {
  const byId = new Map(rules.map((r) => [r.id, r]));
  const placed: Array<{ step: number; item: PlanItem }> = [];
  const seen = new Set<string>();
  const addRule = (r: FitRule): void => {
    if (seen.has(r.id)) return;
    seen.add(r.id);
    placed.push({ step: stepOfRule(r.id, r.skill), item: { ruleId: r.id, title: r.title, fix: r.fix } });
  };
  for (const id of role.mustHave) {
    const r = byId.get(id);
    if (r && r.status !== "pass") addRule(r);
  }
  const missing = stack.filter((s) => !s.present).sort((a, b) => Number(b.required) - Number(a.required));
  for (const s of missing) {
    const item = role.stack.find((i) => i.name === s.name);
    placed.push({
      step: stepOfStackItem(s.name),
      item: { stackItem: s.name, title: `${s.name}${s.required ? " (required)" : ""}`, fix: stackItemFix(s.name, item?.fix) },
    });
  }
  const skillOrder = Object.entries(role.skills).sort((a, b) => b[1] - a[1]).map(([id]) => id);
  for (const skill of skillOrder) for (const r of rules) if (r.skill === skill && r.status === "fail") addRule(r);
  return PLAN_STEPS.map((s) => ({ ...s, items: placed.filter((p) => p.step === s.step).map((p) => p.item) })).filter((s) => s.items.length > 0);
}
