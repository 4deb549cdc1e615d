import { renderMarkdown } from "../report/markdown.js";
import { attributionFlag, attributionLine, insertAfterScore, portfolioJson, repoAuditJson } from "../report/portfolio.js";
import { renderPortfolioMarkdown } from "../report/portfolioMarkdown.js";
import { renderPortfolioText } from "../report/portfolioText.js";
import { printable } from "../report/printable.js";
import { inlineText } from "../report/safeMarkdown.js";
import { renderText } from "../report/text.js";
import type { PortfolioAudit, RepoAudit } from "./types.js";

export type RecruitFormat = "text" | "markdown" | "json";
export interface RenderOptions {
  /** Markdown only: hard limit in characters (GitHub comments: 65,536). */
  maxLength?: number;
  /** Text only: ANSI colours. */
  color?: boolean;
}

/** The single-repo report as the local CLI prints it, with the attribution line under the score. */
export function renderRepoAudit(a: RepoAudit, format: RecruitFormat, opts: RenderOptions = {}): string {
  if (format === "json") return `${JSON.stringify(repoAuditJson(a), null, 2)}\n`;
  if (!a.attribution) return format === "markdown" ? renderMarkdown(a.report, opts.maxLength !== undefined ? { maxLength: opts.maxLength } : {}) : renderText(a.report, { color: Boolean(opts.color) });
  const line = attributionLine(a.attribution);
  const flag = attributionFlag(a.attribution);
  if (format === "markdown") {
    const lines = [`_${inlineText(line)}_`, ...(flag ? ["", `> ⚠️ ${inlineText(flag)}`] : [])];
    const extra = lines.join("\n").length + 1;
    const md = renderMarkdown(a.report, opts.maxLength !== undefined ? { maxLength: Math.max(0, opts.maxLength - extra) } : {});
    return insertAfterScore(md, a.report.score, lines);
  }
  const dim = (s: string): string => (opts.color ? `\x1b[2m${s}\x1b[0m` : s);
  const warn = (s: string): string => (opts.color ? `\x1b[33m${s}\x1b[0m` : s);
  return insertAfterScore(renderText(a.report, { color: Boolean(opts.color) }), a.report.score, [dim(printable(line)), ...(flag ? [warn(`⚠ ${printable(flag)}`)] : [])]);
}

export function renderPortfolio(p: PortfolioAudit, format: RecruitFormat, opts: RenderOptions = {}): string {
  if (format === "json") return `${JSON.stringify(portfolioJson(p), null, 2)}\n`;
  if (format === "markdown") return renderPortfolioMarkdown(p, opts.maxLength !== undefined ? { maxLength: opts.maxLength } : {});
  return renderPortfolioText(p, { color: Boolean(opts.color) });
}
