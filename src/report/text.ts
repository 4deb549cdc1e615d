import type { Evidence } from "../engine/types.js";
import type { PlanStep, RoleFit, StackItemFit } from "../roles/types.js";
import { bar, languageLine, targetLabel, type Report } from "./model.js";
import { printable } from "./printable.js";

export interface TextOptions {
  color: boolean;
}

const ANSI = { green: "\x1b[32m", red: "\x1b[31m", yellow: "\x1b[33m", dim: "\x1b[2m", bold: "\x1b[1m", reset: "\x1b[0m" };

/** "path:line", with any control character in a repository's file name shown, not sent to the terminal. */
const place = (e: Evidence): string => printable(e.line ? `${e.path}:${e.line}` : e.path);

/**
 * The terminal report: grouped by skill, a bar per skill, ✓/✗ per rule with evidence or the fix.
 * Repository text (paths, names, reasons, warnings) goes through `printable`: no escape sequence reaches the terminal.
 */
export function renderText(report: Report, options: TextOptions): string {
  const c = (style: keyof typeof ANSI, s: string): string => (options.color ? `${ANSI[style]}${s}${ANSI.reset}` : s);
  const out: string[] = [];
  out.push(c("bold", `skillproof · ${printable(targetLabel(report.target))}`));
  const { passed, applicable } = report.summary;
  const threshold = report.threshold === null ? "" : ` · threshold ${report.threshold} ${report.passed ? "met" : "NOT met"}`;
  out.push(`Score ${c("bold", `${report.score}/100`)} · ${passed} of ${applicable} evidence items${threshold}`);
  const langs = languageLine(report.stack.languages);
  const frameworks = report.stack.frameworks.map((f) => f.name).join(", ");
  out.push(printable(`Stack: ${langs || "no programming language detected"}${frameworks ? ` · ${frameworks}` : ""}`));
  if (report.config.source) out.push(c("dim", `Config: ${printable(report.config.source)}`));
  const width = Math.max(...report.skills.map((s) => s.title.length), 10);
  for (const skill of report.skills) {
    out.push("");
    const score = skill.score === null ? "n/a" : String(skill.score).padStart(3);
    out.push(`${c("bold", skill.title.padEnd(width))}  ${bar(skill.score)}  ${score}  ${c("dim", `(${skill.passed}/${skill.applicable})`)}`);
    for (const r of report.rules.filter((x) => x.skill === skill.id)) {
      if (r.status === "pass") {
        const ev = r.evidence.slice(0, 2).map(place).join(", ");
        if (r.depth === "token") {
          const share = r.weight > 0 ? Math.round((r.earned / r.weight) * 100) : 0;
          out.push(`  ${c("yellow", "~")} ${r.title} ${c("dim", `[${r.id}]`)}  ${c("yellow", "token evidence")}${ev ? `  ${c("dim", ev)}` : ""}`);
          out.push(`      token: ${printable(r.depthReason ?? "below the bar")} (earns ${share}% of its weight)`);
        } else {
          out.push(`  ${c("green", "✓")} ${r.title} ${c("dim", `[${r.id}]`)}${ev ? `  ${c("dim", ev)}` : ""}`);
        }
        if (r.summary) out.push(c("dim", `      ${printable(r.summary)}`));
      } else if (r.status === "fail") {
        out.push(`  ${c("red", "✗")} ${r.title} ${c("dim", `[${r.id}]`)}`);
        const found = r.evidence.slice(0, 3).map(place);
        if (found.length > 0) out.push(`      found: ${found.join(", ")}`);
        out.push(`      fix${r.fixFor ? ` (${printable(r.fixFor)})` : ""}: ${r.fix}`);
      } else {
        const needs = r.unmetRequires ? ` (needs ${printable(r.unmetRequires.join(", "))})` : "";
        out.push(c("dim", `  – ${r.title} [${r.id}] not applicable${needs}`));
      }
    }
  }
  if (report.role) out.push("", ...roleSectionText(report.role, options));
  if (report.plan && report.plan.length > 0) out.push("", ...planSectionText(report.plan, options));
  for (const w of report.warnings) out.push(c("dim", `warning: ${printable(w)}`));
  for (const n of report.notes) out.push(c("dim", `note: ${printable(n)}`));
  return `${out.join("\n")}\n`;
}

/** Where a stack item was found: "pom.xml:12", with the repository first in a portfolio. */
function stackPlace(e: NonNullable<StackItemFit["evidence"]>): string {
  return printable(`${e.repo ? `${e.repo}: ` : ""}${e.line ? `${e.path}:${e.line}` : e.path}`);
}

/**
 * The role section: the fit, the stack the role looks for (required first,
 * each ✓ with the file that proves it or ✗ missing), and the gaps that would
 * raise the fit most, each with its fix. Role titles, stack names and paths
 * may come from a hiring repository's config or the audited repository: all
 * go through `printable`. Shared with the portfolio report (the CLI appends it).
 */
export function roleSectionText(role: RoleFit, options: TextOptions): string[] {
  const c = (style: keyof typeof ANSI, s: string): string => (options.color ? `${ANSI[style]}${s}${ANSI.reset}` : s);
  const out: string[] = [];
  out.push(c("bold", `Role fit: ${printable(role.title)} [${printable(role.id)}] · ${role.fit}/100`));
  if (role.summary) out.push(c("dim", printable(role.summary)));
  const width = Math.max(...role.stack.map((s) => printable(s.name).length), 10);
  for (const required of [true, false]) {
    const items = role.stack.filter((s) => s.required === required);
    if (items.length === 0) continue;
    const present = items.filter((s) => s.present).length;
    out.push(`  ${required ? "Required" : "Preferred"} stack (${present}/${items.length})`);
    for (const s of items) {
      const name = printable(s.name).padEnd(width);
      if (s.present) out.push(`    ${c("green", "✓")} ${name}  ${s.evidence ? c("dim", stackPlace(s.evidence)) : ""}`.trimEnd());
      else out.push(`    ${c(required ? "red" : "yellow", "✗")} ${name}  ${c("dim", "missing")}`);
    }
  }
  if (role.gaps.length > 0) {
    out.push("  Gaps that would raise the fit most");
    for (const [i, g] of role.gaps.entries()) {
      out.push(`    ${i + 1}. ${printable(g.title)} ${c("dim", `[${printable(g.ruleId)}]`)}  ${c("bold", `+${g.gain}`)}`);
      out.push(`       fix${g.fixFor ? ` (${printable(g.fixFor)})` : ""}: ${printable(g.fix)}`);
    }
  }
  return out;
}

/** The plan for the role a candidate aims at: six two-week steps, the earliest first, each missing item with its fix. */
export function planSectionText(plan: PlanStep[], options: TextOptions): string[] {
  const c = (style: keyof typeof ANSI, s: string): string => (options.color ? `${ANSI[style]}${s}${ANSI.reset}` : s);
  const out: string[] = [c("bold", "Plan: six two-week steps")];
  for (const step of [...plan].sort((a, b) => a.step - b.step)) {
    out.push(`  ${step.step}. weeks ${printable(step.weeks)} · ${printable(step.name)}${step.items.length === 0 ? c("dim", " · nothing missing") : ""}`);
    for (const item of step.items) {
      const what = item.ruleId ? ` ${c("dim", `[${printable(item.ruleId)}]`)}` : item.stackItem ? ` ${c("dim", `[stack: ${printable(item.stackItem)}]`)}` : "";
      out.push(`     - ${printable(item.title)}${what}`);
      out.push(`       fix: ${printable(item.fix)}`);
    }
  }
  return out;
}
