import { createRequire } from "node:module";
import type { AppliedConfig } from "../config/config.js";
import type { AuditResult } from "../engine/audit.js";
import type { Depth, RuleFacts } from "../engine/depth/index.js";
import type { Evidence, RuleStatus } from "../engine/types.js";
import type { PlanStep, RoleFit } from "../roles/types.js";
import type { ScoreReport } from "../scoring/score.js";
import type { Target } from "../sources/source.js";
import type { Framework, LanguageShare } from "../stack/index.js";

const pkg = createRequire(import.meta.url)("../../package.json") as { version: string };

export const REPORT_SCHEMA_VERSION = 1;

/** The report every renderer draws from; its JSON form is documented by schemas/report.schema.json. */
export interface Report {
  schemaVersion: number;
  tool: { name: "skillproof"; version: string };
  target: Target;
  score: number;
  threshold: number | null;
  /** true/false against the threshold, null when there is none. */
  passed: boolean | null;
  summary: { passed: number; failed: number; notApplicable: number; applicable: number; total: number };
  skills: Array<{ id: string; title: string; weight: number; score: number | null; passed: number; applicable: number }>;
  rules: Array<{
    id: string;
    skill: string;
    title: string;
    status: RuleStatus;
    weight: number;
    /** Points earned out of `weight`: all of it for a pass, a share for a pass on token evidence. */
    earned: number;
    evidence: Evidence[];
    /** What stands behind a pass (counts, flags, names), per rule: docs/depth.md. */
    facts?: RuleFacts;
    /** The facts in one line for people. */
    summary?: string;
    depth?: Depth;
    /** With depth "token": why the evidence is thin. */
    depthReason?: string;
    why: string;
    fix: string;
    /** When `fix` is a stack variant: what it is for, and the rule's general fix. */
    fixFor?: string;
    generalFix?: string;
    unmetRequires?: string[];
  }>;
  stack: { languages: LanguageShare[]; mainLanguage: string | null; frameworks: Framework[] };
  config: AppliedConfig;
  files: { listed: number; considered: number; read: number };
  warnings: string[];
  notes: string[];
  /** With a role (`--role`, or the `role:` a candidate's config aims for): the fit, the stack found and the top gaps (docs/roles.md). */
  role?: RoleFit;
  /** With a role: what is missing for it, in the guide's two-week steps, earliest first (steps with nothing to do left out). */
  plan?: PlanStep[];
}

export function buildReport(audit: AuditResult, scored: ScoreReport, config: AppliedConfig, threshold?: number): Report {
  const t = threshold ?? config.threshold;
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: { name: "skillproof", version: pkg.version },
    target: audit.target,
    score: scored.score,
    threshold: t ?? null,
    passed: t === undefined ? null : scored.score >= t,
    summary: { ...scored.counts, total: scored.rules.length },
    skills: scored.skills.map(({ id, title, weight, score, passed, applicable }) => ({ id, title, weight, score, passed, applicable })),
    rules: scored.rules.map((r) => ({
      id: r.id,
      skill: r.skill,
      title: r.title,
      status: r.status,
      weight: r.weight,
      earned: Math.round(r.earned * 100) / 100,
      evidence: r.evidence,
      ...(r.facts ? { facts: r.facts } : {}),
      ...(r.summary ? { summary: r.summary } : {}),
      ...(r.depth ? { depth: r.depth } : {}),
      ...(r.depthReason ? { depthReason: r.depthReason } : {}),
      why: r.why,
      fix: r.fix,
      ...(r.fixFor ? { fixFor: r.fixFor, generalFix: r.generalFix } : {}),
      ...(r.unmetRequires ? { unmetRequires: r.unmetRequires } : {}),
    })),
    stack: { languages: audit.stack.languages, mainLanguage: audit.stack.mainLanguage ?? null, frameworks: audit.stack.frameworks },
    config,
    files: audit.files,
    warnings: audit.warnings,
    notes: audit.notes,
  };
}

/** "Java 81%, Shell 9%" — the top few languages. */
export function languageLine(langs: readonly LanguageShare[], max = 4): string {
  return langs
    .slice(0, max)
    .map((l) => `${l.name} ${Math.round(l.share * 100)}%`)
    .join(", ");
}

export function targetLabel(target: Target): string {
  return target.kind === "local" ? target.path : `${target.owner}/${target.repo}@${target.sha.slice(0, 7)}`;
}

/** A bar of `width` cells for a 0-100 score. */
export function bar(score: number | null, width = 20): string {
  if (score === null) return "·".repeat(width);
  const full = Math.round((score / 100) * width);
  return "█".repeat(full) + "░".repeat(width - full);
}
