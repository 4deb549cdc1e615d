import type { Evidence } from "../engine/types.js";
import type { PlanStep, RoleFit } from "../roles/types.js";
import type { Target } from "../sources/source.js";
import { bar, languageLine, targetLabel, type Report } from "./model.js";
import { codeSpan, githubBlobUrl, inlineText, markdownLink, trustedCell, trustedInline, wholeLinesWithin } from "./safeMarkdown.js";

export interface MarkdownOptions {
  /** Hard limit in characters (check-run summary 65,535; issue body 65,536). */
  maxLength?: number;
  /** Heading level of the title (the check run has its own title). */
  heading?: boolean;
  /** Open with a Mermaid bar chart of the skill scores (GitHub renders it in issues and comments). */
  chart?: boolean;
}

/** Detail levels, richest first; the renderer steps down until the report fits. */
const LEVELS = [
  { evidence: 3, snippets: true, why: true },
  { evidence: 2, snippets: false, why: true },
  { evidence: 1, snippets: false, why: false },
  { evidence: 0, snippets: false, why: false },
] as const;
type Level = (typeof LEVELS)[number];

/**
 * The report for GitHub: the check-run summary and the report issue body.
 * Evidence links point at the audited commit. When the report would exceed
 * `maxLength`, it drops the least important parts first (snippets, extra
 * evidence, explanations) and says so, rather than fail.
 */
export function renderMarkdown(report: Report, options: MarkdownOptions = {}): string {
  const max = options.maxLength ?? Infinity;
  for (const [i, level] of LEVELS.entries()) {
    const text = render(report, level, options, i > 0);
    if (text.length <= max) return text;
  }
  const note = "\n\n_…report cut to fit GitHub's size limit; run `npx skillproof audit` for the full report._\n";
  return wholeLinesWithin(render(report, LEVELS[LEVELS.length - 1]!, options, true), max - note.length) + note;
}

function share(r: Report["rules"][number]): number {
  return r.weight > 0 ? Math.round((r.earned / r.weight) * 100) : 0;
}

/**
 * A horizontal Mermaid bar chart (`xychart-beta`) of the skill scores: bars
 * read well for 0-100 values across ~16 skills, and skill names stay legible
 * on the category axis. Skills with no applicable rule have no score and are
 * left out of the chart (the table shows them as n/a).
 */
export function skillChart(report: Report): string[] {
  const scored = report.skills.filter((s): s is typeof s & { score: number } => s.score !== null);
  if (scored.length === 0) return [];
  // Skill titles are rule-authored; quotes and backticks would end the label or the fence.
  const label = (t: string): string => `"${t.replace(/["\\`]/g, "").replace(/\s+/g, " ").trim()}"`;
  return [
    "```mermaid",
    "xychart-beta horizontal",
    `  title "Skill scores (overall ${report.score}/100)"`,
    `  x-axis [${scored.map((s) => label(s.title)).join(", ")}]`,
    '  y-axis "Score" 0 --> 100',
    `  bar [${scored.map((s) => s.score).join(", ")}]`,
    "```",
  ];
}

/**
 * A piece of evidence: its path (and line) in a code span, linked to the file
 * at the audited commit when the target is on GitHub. Shared with the portfolio.
 */
export function evidenceLink(target: Target, e: Evidence): string {
  const label = codeSpan(e.line ? `${e.path}:${e.line}` : e.path);
  if (target.kind !== "github" || e.path === ".") return label;
  return markdownLink(label, githubBlobUrl(target.owner, target.repo, target.sha, e.path, e.line));
}

function render(report: Report, level: Level, options: MarkdownOptions, trimmed: boolean): string {
  const out: string[] = [];
  const { passed, applicable } = report.summary;
  if (options.heading !== false) out.push(`## Skillproof report: ${report.score}/100`, "");
  out.push(`**${report.score}/100** · ${passed} of ${applicable} evidence items · ${codeSpan(targetLabel(report.target))}`);
  if (report.threshold !== null) out.push(`Threshold ${report.threshold}: **${report.passed ? "met" : "not met"}**`);
  const langs = languageLine(report.stack.languages);
  const frameworks = report.stack.frameworks.map((f) => f.name).join(", ");
  out.push("", `**Stack:** ${langs ? inlineText(langs) : "no programming language detected"}${frameworks ? ` · ${inlineText(frameworks)}` : ""}`);
  if (options.chart) out.push("", ...skillChart(report));
  out.push("", "| Skill | Score | Evidence |", "|---|---|---|");
  for (const s of report.skills) {
    out.push(`| ${trustedCell(s.title)} | \`${bar(s.score, 10)}\` ${s.score ?? "n/a"} | ${s.passed}/${s.applicable} |`);
  }
  for (const s of report.skills) {
    const rules = report.rules.filter((r) => r.skill === s.id);
    out.push("", `### ${trustedInline(s.title)} · ${s.score ?? "n/a"}/100`, "");
    for (const r of rules) {
      const title = trustedInline(r.title);
      const id = codeSpan(r.id);
      if (r.status === "pass") {
        const ev = r.evidence.slice(0, level.evidence).map((e) => evidenceLink(report.target, e) + (level.snippets && e.snippet ? ` — ${codeSpan(e.snippet)}` : ""));
        const summary = r.summary ? inlineText(r.summary) : "";
        if (r.depth === "token") {
          out.push(`- ⚠️ **${title}** (${id}): **token evidence** — ${r.depthReason ? inlineText(r.depthReason) : "below the bar"} (earns ${share(r)}% of its weight)`);
          const details = [summary, ev.join(", ")].filter((x) => x !== "").join(" · ");
          if (details) out.push(`  - ${details}`);
        } else {
          const details = [summary, ev.join(", ")].filter((x) => x !== "").join(" · ");
          out.push(`- ✅ **${title}** (${id})${details ? `: ${details}` : ""}`);
        }
      } else if (r.status === "fail") {
        out.push(`- ❌ **${title}** (${id})`);
        const found = r.evidence.slice(0, Math.max(level.evidence, 1)).map((e) => evidenceLink(report.target, e));
        if (found.length > 0) out.push(`  - Found: ${found.join(", ")}`);
        if (level.why) out.push(`  - Why it matters: ${trustedInline(r.why)}`);
        out.push(`  - **Fix${r.fixFor ? ` (${inlineText(r.fixFor)})` : ""}:** ${trustedInline(r.fix)}`);
      } else {
        const without = r.unmetRequires ? ` without ${r.unmetRequires.map(codeSpan).join(", ")}` : "";
        out.push(`- ➖ ${title} (${id}): not applicable${without}`);
      }
    }
  }
  if (report.role) out.push("", ...roleSectionMarkdown(report.role, () => report.target));
  if (report.plan && report.plan.length > 0) out.push("", ...planSectionMarkdown(report.plan));
  const footer: string[] = [];
  if (report.config.source) footer.push(`Config: ${codeSpan(report.config.source)}`);
  if (report.config.disable.length) footer.push(`Disabled rules: ${report.config.disable.map(codeSpan).join(", ")}`);
  for (const n of report.notes) footer.push(`Note: ${inlineText(n)}`);
  if (report.warnings.length) footer.push(`${report.warnings.length} warning(s): ${report.warnings.slice(0, 5).map(inlineText).join("; ")}`);
  if (trimmed) footer.push("Some evidence details were left out to fit GitHub's size limit.");
  footer.push(`skillproof ${report.tool.version}`);
  out.push("", "---", footer.map((f) => `<sub>${f}</sub>`).join("<br>"));
  return `${out.join("\n")}\n`;
}

/**
 * The role section in Markdown: fit, the stack found (each item's proof
 * linked at the audited commit) and missing, and the top gaps with their fix.
 * `targetOf` gives the audited target an evidence's repository names (a
 * portfolio's; one report has one). A role may come from a hiring
 * repository's config, so its title, summary and stack names are
 * `inlineText`; gap fixes come from the rules (`trustedInline`).
 */
export function roleSectionMarkdown(role: RoleFit, targetOf: (repo: string | undefined) => Target | undefined): string[] {
  const out: string[] = [];
  out.push(`### Role fit: ${inlineText(role.title)} · ${role.fit}/100`, "");
  out.push(`${codeSpan(role.id)}${role.summary ? ` · ${inlineText(role.summary)}` : ""}`, "");
  const portfolio = role.stack.some((s) => s.evidence?.repo !== undefined);
  out.push(`| Stack | Needed | Found | Proof${portfolio ? " | Repository" : ""} |`, `|---|---|---|---${portfolio ? "|---" : ""}|`);
  const ordered = [...role.stack.filter((s) => s.required), ...role.stack.filter((s) => !s.required)];
  for (const s of ordered) {
    const e = s.evidence;
    const target = e ? targetOf(e.repo) : undefined;
    const proof = s.present && e ? (target ? evidenceLink(target, { path: e.path, ...(e.line ? { line: e.line } : {}) }) : codeSpan(e.line ? `${e.path}:${e.line}` : e.path)) : "–";
    const repo = portfolio ? ` | ${e?.repo && s.present ? inlineText(e.repo) : "–"}` : "";
    // GFM splits a row on `|` even inside a code span: escaped, it shows as `|`.
    out.push(`| ${inlineText(s.name)} | ${s.required ? "required" : "preferred"} | ${s.present ? "✅" : "❌ missing"} | ${proof.replace(/\|/g, "\\|")}${repo} |`);
  }
  if (role.gaps.length > 0) {
    out.push("", "**Gaps that would raise the fit most:**", "");
    for (const [i, g] of role.gaps.entries()) {
      out.push(`${i + 1}. **${inlineText(g.title)}** (${codeSpan(g.ruleId)}): +${g.gain}`);
      out.push(`   - **Fix${g.fixFor ? ` (${inlineText(g.fixFor)})` : ""}:** ${trustedInline(g.fix)}`);
    }
  }
  return out;
}

/**
 * The plan: six two-week steps, earliest first. Items that come from a rule
 * carry its reviewed fix (`trustedInline`); items for a missing stack item
 * carry the role's text, which a config may define (`inlineText`).
 */
export function planSectionMarkdown(plan: PlanStep[]): string[] {
  const out: string[] = ["### Plan: six two-week steps"];
  for (const step of [...plan].sort((a, b) => a.step - b.step)) {
    out.push("", `**${step.step}. Weeks ${inlineText(step.weeks)} · ${inlineText(step.name)}**${step.items.length === 0 ? " · nothing missing" : ""}`);
    if (step.items.length > 0) out.push("");
    for (const item of step.items) {
      const what = item.ruleId ? ` (${codeSpan(item.ruleId)})` : item.stackItem ? ` (stack: ${inlineText(item.stackItem)})` : "";
      const fix = item.ruleId ? trustedInline(item.fix) : inlineText(item.fix);
      out.push(`- ${inlineText(item.title)}${what}: ${fix}`);
    }
  }
  return out;
}
