import type { Evidence } from "../engine/types.js";
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
  for (const w of report.warnings) out.push(c("dim", `warning: ${printable(w)}`));
  for (const n of report.notes) out.push(c("dim", `note: ${printable(n)}`));
  return `${out.join("\n")}\n`;
}
