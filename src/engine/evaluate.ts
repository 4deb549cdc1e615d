import type { DeadlineCheck } from "./budget.js";
import type { AuditFacts } from "./facts.js";
import { evaluateCi } from "./matchers/ci.js";
import { evaluateCompose } from "./matchers/compose.js";
import { evaluateContent } from "./matchers/content.js";
import { evaluateDependency } from "./matchers/dependency.js";
import { evaluateDockerfile } from "./matchers/dockerfile.js";
import { evaluateFiles } from "./matchers/files.js";
import { evaluateLanguage } from "./matchers/language.js";
import { MAX_EVIDENCE, type Outcome } from "./outcome.js";
import type { Evidence, Matcher, Rule, RuleResult } from "./types.js";

/**
 * Three-valued evaluation of a matcher tree: combinators short-circuit on
 * known answers, so a content read is requested only when it can still change
 * the verdict (`all: [dependency, content]` reads nothing when the dependency is absent).
 */
export function evaluateMatcher(m: Matcher, facts: AuditFacts): Outcome {
  if ("all" in m) return combine(m.all, facts, "all");
  if ("any" in m) return combine(m.any, facts, "any");
  if ("not" in m) {
    const inner = evaluateMatcher(m.not, facts);
    if (inner.state === "unknown") return inner;
    return { state: "known", ok: !inner.ok, pro: inner.con, con: inner.pro };
  }
  if ("files" in m) return evaluateFiles(m.files, facts);
  if ("content" in m) return evaluateContent(m.content, facts);
  if ("dependency" in m) return evaluateDependency(m.dependency, facts);
  if ("dockerfile" in m) return evaluateDockerfile(m.dockerfile, facts);
  if ("ci" in m) return evaluateCi(m.ci, facts);
  if ("compose" in m) return evaluateCompose(m.compose, facts);
  if ("language" in m) return evaluateLanguage(m.language, facts);
  throw new Error(`unknown matcher: ${JSON.stringify(m)}`);
}

/**
 * Children are evaluated in order and the first decisive answer (a pass for
 * `any`, a fail for `all`) stops the rest: on a large tree, not matching the
 * globs of checks that cannot change the verdict is most of the saving.
 */
function combine(matchers: readonly Matcher[], facts: AuditFacts, mode: "all" | "any"): Outcome {
  const decisive = mode === "any";
  const known: Array<Extract<Outcome, { state: "known" }>> = [];
  const unknowns: Array<Extract<Outcome, { state: "unknown" }>> = [];
  for (const child of matchers) {
    const o = evaluateMatcher(child, facts);
    if (o.state === "unknown") {
      unknowns.push(o);
      continue;
    }
    if (o.ok === decisive) {
      return mode === "any" ? { state: "known", ok: true, pro: cap(o.pro), con: [] } : { state: "known", ok: false, pro: [], con: cap(o.con) };
    }
    known.push(o);
  }
  if (unknowns.length > 0) return { state: "unknown", needs: unknowns.flatMap((u) => u.needs) };
  if (mode === "all") return { state: "known", ok: true, pro: cap(known.flatMap((c) => c.pro)), con: [] };
  return { state: "known", ok: false, pro: [], con: cap(known.flatMap((c) => c.con)) };
}

function cap(evidence: Evidence[]): Evidence[] {
  const seen = new Set<string>();
  const out: Evidence[] = [];
  for (const e of evidence) {
    const key = `${e.path}:${e.line ?? ""}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(e);
    if (out.length >= MAX_EVIDENCE * 2) break;
  }
  return out;
}

export type RuleOutcome = { state: "done"; result: RuleResult } | { state: "pending"; needs: string[][] };

/**
 * Evaluates every rule once with what is read so far. A rule whose required
 * rules did not pass is not-applicable; one whose requirements are still
 * unknown waits for them (without asking for its own content yet).
 * `deadline` is read before each rule (AuditTimeoutError once past it).
 */
export function evaluateRules(
  rules: readonly Rule[],
  facts: AuditFacts,
  previous?: ReadonlyMap<string, RuleOutcome>,
  deadline?: DeadlineCheck,
): Map<string, RuleOutcome> {
  // Facts only grow between rounds, so a settled verdict stays settled.
  const outcomes = new Map<string, RuleOutcome>([...(previous ?? [])].filter(([, o]) => o.state === "done"));
  const byId = new Map(rules.map((r) => [r.id, r]));
  const visiting = new Set<string>();
  const visit = (rule: Rule): RuleOutcome => {
    const done = outcomes.get(rule.id);
    if (done) return done;
    if (visiting.has(rule.id)) throw new Error(`rule ${rule.id} requires itself through a cycle`);
    visiting.add(rule.id);
    let outcome: RuleOutcome;
    const reqs = (rule.requires ?? []).map((id) => ({ id, outcome: byId.has(id) ? visit(byId.get(id)!) : undefined }));
    // requiresAny: one passing rule is enough (indexes need a data store, SQL or NoSQL).
    const anyOf = (rule.requiresAny ?? []).map((id) => ({ id, outcome: byId.has(id) ? visit(byId.get(id)!) : undefined }));
    const anyPassed = anyOf.length === 0 || anyOf.some((r) => r.outcome?.state === "done" && r.outcome.result.status === "pass");
    const anyPending = !anyPassed && anyOf.some((r) => r.outcome?.state === "pending");
    const unmet = reqs.filter((r) => r.outcome === undefined || (r.outcome.state === "done" && r.outcome.result.status !== "pass"));
    if (!anyPassed && !anyPending) unmet.push(...anyOf);
    if (unmet.length > 0) {
      outcome = { state: "done", result: resultOf(rule, "not-applicable", [], unmet.map((r) => r.id)) };
    } else if ("not" in rule.match && facts.index.paths.length === 0) {
      // A rule earned by an absence (no committed secrets) says nothing about an empty tree.
      outcome = { state: "done", result: resultOf(rule, "not-applicable", []) };
    } else if (reqs.some((r) => r.outcome!.state === "pending") || anyPending) {
      outcome = { state: "pending", needs: [] };
    } else {
      deadline?.check();
      const o = evaluateMatcher(rule.match, facts);
      outcome =
        o.state === "unknown"
          ? { state: "pending", needs: o.needs }
          : { state: "done", result: resultOf(rule, o.ok ? "pass" : "fail", o.ok ? o.pro : o.con) };
    }
    visiting.delete(rule.id);
    outcomes.set(rule.id, outcome);
    return outcome;
  };
  for (const r of rules) visit(r);
  return outcomes;
}

function resultOf(rule: Rule, status: RuleResult["status"], evidence: Evidence[], unmetRequires?: string[]): RuleResult {
  return {
    id: rule.id,
    skill: rule.skill,
    title: rule.title,
    status,
    evidence: evidence.slice(0, MAX_EVIDENCE),
    fix: rule.fix,
    why: rule.why,
    ...(unmetRequires && unmetRequires.length > 0 ? { unmetRequires } : {}),
  };
}
