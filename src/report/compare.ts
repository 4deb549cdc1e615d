import type { Attribution } from "../recruit/types.js";
import type { RoleFit } from "../roles/types.js";
import { percent } from "./portfolio.js";
import { printable } from "./printable.js";
import { codeSpan, inlineText } from "./safeMarkdown.js";

/**
 * A shortlist: several candidates audited for one role, best fit first
 * (`skillproof compare`). The JSON form is `{ role, candidates }`; a target
 * that could not be audited is a row with its one-line error and no figures.
 */
export interface Shortlist {
  role: { id: string; title: string };
  candidates: ShortlistRow[];
}

export interface SkillMark {
  id: string;
  title: string;
  score: number;
}

export interface ShortlistRow {
  /** The target as given: a directory, owner/repo[@ref] or @user. */
  target: string;
  fit: number | null;
  score: number | null;
  requiredPresent: number | null;
  requiredTotal: number | null;
  strongest: SkillMark | null;
  weakest: SkillMark | null;
  /** Attribution flags: forks, templates, little of the candidate's own work. */
  flags: string[];
  /** Why the target could not be audited (then every figure is null). */
  error?: string;
}

/** What a candidate's audit gives the shortlist. */
export interface CandidateFigures {
  role: RoleFit;
  score: number;
  skills: ReadonlyArray<{ id: string; title: string; score: number | null; weight: number }>;
  attributions: Array<{ repo: string; attribution: Attribution }>;
}

export function candidateRow(target: string, c: CandidateFigures): ShortlistRow {
  const required = c.role.stack.filter((s) => s.required);
  const scored = c.skills.filter((s): s is typeof s & { score: number } => s.score !== null);
  // Ties go to the heavier skill: it says more about the candidate.
  const strongest = [...scored].sort((a, b) => b.score - a.score || b.weight - a.weight)[0];
  const weakest = [...scored].sort((a, b) => a.score - b.score || b.weight - a.weight)[0];
  const mark = (s: (typeof scored)[number] | undefined): SkillMark | null => (s ? { id: s.id, title: s.title, score: s.score } : null);
  return {
    target,
    fit: c.role.fit,
    score: c.score,
    requiredPresent: required.filter((s) => s.present).length,
    requiredTotal: required.length,
    strongest: mark(strongest),
    weakest: mark(weakest),
    flags: attributionFlags(c.attributions),
  };
}

export function errorRow(target: string, error: string): ShortlistRow {
  return { target, fit: null, score: null, requiredPresent: null, requiredTotal: null, strongest: null, weakest: null, flags: [], error };
}

/**
 * Short flags for a table cell: "fork of x/y", "template x/y", "little own
 * work (2%)", each naming the repository in a portfolio.
 */
export function attributionFlags(attributions: Array<{ repo: string; attribution: Attribution }>): string[] {
  const many = attributions.length > 1;
  const flags: string[] = [];
  for (const { repo, attribution: a } of attributions) {
    const where = many ? `${repo}: ` : "";
    if (a.forkOf) flags.push(`${where}fork of ${a.forkOf}`);
    if (a.template) flags.push(`${where}template ${a.template}`);
    if (a.lowShare && a.commits) flags.push(`${where}little own work (${percent(a.commits.share)})`);
  }
  return flags;
}

/** Best fit first, then the higher score; targets that failed last, in the order given. */
export function sortShortlist(rows: ShortlistRow[]): ShortlistRow[] {
  return rows
    .map((row, i) => ({ row, i }))
    .sort((a, b) => (b.row.fit ?? -1) - (a.row.fit ?? -1) || (b.row.score ?? -1) - (a.row.score ?? -1) || a.i - b.i)
    .map((x) => x.row);
}

export function renderShortlistJson(s: Shortlist): string {
  return `${JSON.stringify(s, null, 2)}\n`;
}

const skillCell = (m: SkillMark | null): string => (m ? `${m.title} ${m.score}` : "–");
const requiredCell = (r: ShortlistRow): string => (r.requiredTotal === null ? "–" : `${r.requiredPresent}/${r.requiredTotal}`);

/** The terminal table. Targets, flags and errors are user- or repository-sourced: `printable`. */
export function renderShortlistText(s: Shortlist, options: { color: boolean }): string {
  const bold = (t: string): string => (options.color ? `\x1b[1m${t}\x1b[0m` : t);
  const out: string[] = [bold(`skillproof · shortlist for ${printable(s.role.title)} [${printable(s.role.id)}]`), ""];
  const header = ["#", "Candidate", "Fit", "Score", "Required", "Strongest", "Weakest", "Flags"];
  const rows = s.candidates.map((r, i) =>
    r.error !== undefined
      ? [String(i + 1), printable(r.target), "–", "–", "–", "–", "–", `error: ${printable(r.error)}`]
      : [String(i + 1), printable(r.target), String(r.fit), String(r.score), requiredCell(r), skillCell(r.strongest), skillCell(r.weakest), printable(r.flags.join("; ")) || "–"],
  );
  const widths = header.map((h, col) => Math.max(h.length, ...rows.map((r) => r[col]!.length)));
  // The last column is not padded: flags and errors run as long as they are.
  const line = (cells: string[]): string => cells.map((c, col) => (col === cells.length - 1 ? c : c.padEnd(widths[col]!))).join("  ");
  out.push(bold(line(header)));
  for (const r of rows) out.push(line(r));
  out.push("", "Fit: the role-weighted score, less what missing required stack costs (docs/roles.md).");
  return `${out.join("\n")}\n`;
}

/** The table for GitHub: every user- or repository-sourced cell through `inlineText` (no link, mention or cell break). */
export function renderShortlistMarkdown(s: Shortlist): string {
  const out: string[] = [`## Skillproof shortlist: ${inlineText(s.role.title)}`, "", `Role ${codeSpan(s.role.id)} · ${s.candidates.length} candidates, best fit first`, ""];
  out.push("| # | Candidate | Fit | Score | Required stack | Strongest | Weakest | Flags |", "|---|---|---|---|---|---|---|---|");
  for (const [i, r] of s.candidates.entries()) {
    if (r.error !== undefined) {
      out.push(`| ${i + 1} | ${inlineText(r.target)} | – | – | – | – | – | ❌ ${inlineText(r.error)} |`);
      continue;
    }
    const flags = r.flags.length > 0 ? `⚠️ ${r.flags.map(inlineText).join("; ")}` : "–";
    out.push(`| ${i + 1} | ${inlineText(r.target)} | **${r.fit}** | ${r.score} | ${requiredCell(r)} | ${inlineText(skillCell(r.strongest))} | ${inlineText(skillCell(r.weakest))} | ${flags} |`);
  }
  out.push("", "---", "<sub>Fit: the role-weighted score, less what missing required stack costs (docs/roles.md).</sub>");
  return `${out.join("\n")}\n`;
}
