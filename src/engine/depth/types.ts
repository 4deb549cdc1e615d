import type { LanguageShare } from "../../stack/index.js";
import type { AuditFacts } from "../facts.js";
import type { Rule, RuleResult } from "../types.js";

/** One machine-readable fact behind a verdict: a count, a flag, a name or a list of names. */
export type FactValue = string | number | boolean | null | string[];
export type RuleFacts = Record<string, FactValue>;

/**
 * "token": the rule passed on evidence below the documented bar (docs/depth.md)
 * and earns only part of its weight; "full": the bar was checked and met.
 * Absent when the rule has no measurable depth.
 */
export type Depth = "token" | "full";

/** What stands behind a pass, in machine and human form. */
export interface RuleDepth {
  facts?: RuleFacts;
  /** One line for people, e.g. "143 test files, test-to-source ratio 0.41". */
  summary?: string;
  depth?: Depth;
  /** With depth "token": why the evidence is thin. */
  depthReason?: string;
}

/** A rule result with the facts behind it: what the engine hands to scoring. */
export type AuditedRule = RuleResult & RuleDepth;

export interface ProbeContext {
  rule: Rule;
  result: RuleResult;
  facts: AuditFacts;
  languages: readonly LanguageShare[];
}

/**
 * Measures what stands behind one rule's pass. Probes only count paths in the
 * file index and look at contents the audit has read; `needs` names the few
 * extra files worth reading, from the file list alone, so they travel in the
 * audit's first read and never cost a round (or a request) of their own.
 */
export interface DepthProbe {
  needs?(rule: Rule, facts: AuditFacts): readonly string[];
  measure(ctx: ProbeContext): RuleDepth | undefined;
}
