import { repoName } from "../recruit/aggregate.js";
import type { PortfolioAudit } from "../recruit/types.js";
import { attributionFlag, attributionLine, bestRules } from "./portfolio.js";
import { bar, languageLine } from "./model.js";
import { printable } from "./printable.js";

const ANSI = { green: "\x1b[32m", yellow: "\x1b[33m", dim: "\x1b[2m", bold: "\x1b[1m", reset: "\x1b[0m" };

/** The terminal portfolio report: score, stack, a line per repository, the strongest evidence per skill. */
export function renderPortfolioText(p: PortfolioAudit, options: { color: boolean }): string {
  const c = (style: keyof typeof ANSI, s: string): string => (options.color ? `${ANSI[style]}${s}${ANSI.reset}` : s);
  const out: string[] = [];
  out.push(c("bold", `skillproof · portfolio of @${printable(p.user)}`));
  out.push(`Portfolio score ${c("bold", `${p.score}/100`)} · ${p.repos.length} of ${p.listed} public repositories audited`);
  const langs = languageLine(p.stack.languages);
  const frameworks = p.stack.frameworks.map((f) => `${f.name} (${f.repos.length})`).join(", ");
  out.push(printable(`Stack: ${langs || "no programming language detected"}${frameworks ? ` · ${frameworks}` : ""}`));

  out.push("", c("bold", "Repositories"));
  const width = Math.max(...p.repos.map((a) => repoName(a).length), 10);
  for (const a of p.repos) {
    const stack = [a.report.stack.mainLanguage, ...a.report.stack.frameworks.slice(0, 2).map((f) => f.name)].filter(Boolean).join(", ");
    out.push(`  ${printable(repoName(a)).padEnd(width)}  ${String(a.report.score).padStart(3)}  ${printable(stack) || "–"}`);
    if (a.attribution) {
      out.push(c("dim", `  ${" ".repeat(width)}       ${printable(attributionLine(a.attribution))}`));
      const flag = attributionFlag(a.attribution);
      if (flag) out.push(c("yellow", `  ${" ".repeat(width)}       ⚠ ${printable(flag)}`));
    }
  }

  out.push("", c("bold", "Strongest evidence per skill"));
  const rules = bestRules(p);
  const sw = Math.max(...p.skills.map((s) => s.title.length), 10);
  for (const s of p.skills) {
    const score = s.score === null ? "n/a" : String(s.score).padStart(3);
    const where = s.repo ? `${printable(s.repo)}${s.ownWork ? "" : " (forked or mostly others' work: half credit)"}` : s.score === null ? "not applicable to any repository" : "no evidence in any repository";
    out.push(`${s.title.padEnd(sw)}  ${bar(s.score)}  ${score}  ${c("dim", where)}`);
    for (const r of rules.filter((x) => x.skill === s.id && x.status === "pass" && x.repo === s.repo)) {
      const ev = r.evidence.slice(0, 1).map((e) => printable(e.line ? `${e.path}:${e.line}` : e.path)).join("");
      out.push(`  ${c("green", "✓")} ${r.title}${ev ? `  ${c("dim", ev)}` : ""}`);
    }
  }
  if (p.skipped.length > 0) {
    out.push("", c("dim", printable(`Not audited: ${p.skipped.map((s) => `${s.repo} (${s.reason})`).join("; ")}`)));
  }
  return `${out.join("\n")}\n`;
}
