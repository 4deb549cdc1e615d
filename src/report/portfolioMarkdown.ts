import { repoName } from "../recruit/aggregate.js";
import type { PortfolioAudit } from "../recruit/types.js";
import { evidenceLink } from "./markdown.js";
import { bar, languageLine } from "./model.js";
import { attributionFlag, attributionLine, bestRules } from "./portfolio.js";
import { githubUrl, inlineText, markdownLink, trustedCell, trustedInline, wholeLinesWithin } from "./safeMarkdown.js";

/** Detail levels, richest first; the renderer steps down until the report fits `maxLength`. */
const LEVELS = [{ evidence: 2, rules: true }, { evidence: 1, rules: true }, { evidence: 0, rules: true }, { evidence: 0, rules: false }] as const;
type Level = (typeof LEVELS)[number];

/** The portfolio report for GitHub (an issue body): repositories table, then the strongest evidence per skill, linked. */
export function renderPortfolioMarkdown(p: PortfolioAudit, options: { maxLength?: number } = {}): string {
  const max = options.maxLength ?? Infinity;
  for (const [i, level] of LEVELS.entries()) {
    const text = render(p, level, i > 0);
    if (text.length <= max) return text;
  }
  const note = "\n\n_…report cut to fit GitHub's size limit; run `npx skillproof audit @user` for the full report._\n";
  return wholeLinesWithin(render(p, LEVELS[LEVELS.length - 1]!, true), Math.max(0, max - note.length)) + note;
}

/** "owner/repo" (names GitHub gave us) as a link to the repository. */
function repoLink(name: string): string {
  return markdownLink(inlineText(name), githubUrl(...name.split("/")));
}

function render(p: PortfolioAudit, level: Level, trimmed: boolean): string {
  const out: string[] = [];
  out.push(`## Skillproof portfolio: ${inlineText(`@${p.user}`)} · ${p.score}/100`, "");
  out.push(`**${p.score}/100** portfolio score · ${p.repos.length} of ${p.listed} public repositories audited · ${markdownLink(inlineText(`@${p.user}`), githubUrl(p.user))}`);
  const langs = languageLine(p.stack.languages);
  const frameworks = p.stack.frameworks.map((f) => `${f.name} (${f.repos.length})`).join(", ");
  out.push("", `**Stack:** ${langs ? inlineText(langs) : "no programming language detected"}${frameworks ? ` · ${inlineText(frameworks)}` : ""}`);

  out.push("", "### Repositories", "", "| Repository | Score | Stack | Attribution |", "|---|---|---|---|");
  for (const a of p.repos) {
    const stack = [a.report.stack.mainLanguage, ...a.report.stack.frameworks.slice(0, 2).map((f) => f.name)].filter(Boolean).join(", ");
    const flag = a.attribution ? attributionFlag(a.attribution) : undefined;
    const attribution = a.attribution ? `${inlineText(attributionLine(a.attribution))}${flag ? ` · ⚠️ ${inlineText(flag)}` : ""}` : "";
    out.push(`| ${repoLink(repoName(a))} | ${a.report.score} | ${stack ? inlineText(stack) : "–"} | ${attribution} |`);
  }

  out.push("", "### Strongest evidence per skill", "", "| Skill | Score | Proven in |", "|---|---|---|");
  for (const s of p.skills) {
    const where = s.repo ? `${repoLink(s.repo)}${s.ownWork ? "" : " (half credit: forked or mostly others' work)"}` : s.score === null ? "not applicable" : "no evidence yet";
    out.push(`| ${trustedCell(s.title)} | \`${bar(s.score, 10)}\` ${s.score ?? "n/a"} | ${where} |`);
  }
  if (level.rules) {
    const rules = bestRules(p);
    for (const s of p.skills) {
      const audit = p.repos.find((a) => repoName(a) === s.repo);
      const passed = rules.filter((r) => r.skill === s.id && r.status === "pass" && r.repo === s.repo);
      if (!audit || passed.length === 0) continue;
      out.push("", `**${trustedInline(s.title)}** in ${repoLink(s.repo!)}:`);
      for (const r of passed) {
        const ev = r.evidence.slice(0, level.evidence).map((e) => evidenceLink(audit.report.target, e));
        out.push(`- ✅ ${trustedInline(r.title)}${ev.length ? `: ${ev.join(", ")}` : ""}`);
      }
    }
  }
  const footer: string[] = [];
  if (p.skipped.length) footer.push(`Not audited: ${p.skipped.map((s) => `${inlineText(s.repo)} (${inlineText(s.reason)})`).join("; ")}`);
  footer.push("Portfolio score: per skill, the best score across repositories (forks and repositories the candidate authored little of count at half), weighted by skill.");
  if (trimmed) footer.push("Some evidence details were left out to fit GitHub's size limit.");
  const version = p.repos[0]?.report.tool.version;
  if (version) footer.push(`skillproof ${version}`);
  out.push("", "---", footer.map((f) => `<sub>${f}</sub>`).join("<br>"));
  return `${out.join("\n")}\n`;
}
