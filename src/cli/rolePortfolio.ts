import { repoName } from "../recruit/aggregate.js";
import { renderPortfolio, type RecruitFormat } from "../recruit/render.js";
import type { PortfolioAudit } from "../recruit/types.js";
import { roleSectionMarkdown } from "../report/markdown.js";
import { portfolioJson } from "../report/portfolio.js";
import { roleSectionText } from "../report/text.js";
import { portfolioRoleFit } from "../roles/index.js";
import type { Role, RoleFit } from "../roles/types.js";

/** A portfolio's fit for a role: each stack item from any audited repository, naming it. */
export function portfolioFit(p: PortfolioAudit, role: Role): RoleFit {
  return portfolioRoleFit(
    p.repos.map((a) => ({ repo: repoName(a), report: a.report })),
    role,
  );
}

/**
 * The portfolio report with the role section after it (text, Markdown) or
 * a `role` field (JSON). Markdown links each stack item's proof at the commit
 * of the repository it names.
 */
export function renderPortfolioWithRole(p: PortfolioAudit, fit: RoleFit, format: RecruitFormat, opts: { color: boolean }): string {
  if (format === "json") return `${JSON.stringify({ ...portfolioJson(p), role: fit }, null, 2)}\n`;
  const base = renderPortfolio(p, format, { color: opts.color });
  if (format === "markdown") {
    const targetOf = (repo: string | undefined) => p.repos.find((a) => repoName(a) === repo)?.report.target;
    // Before the footer's rule ("---"), so the footer stays last.
    const at = base.lastIndexOf("\n---\n");
    const section = `\n${roleSectionMarkdown(fit, targetOf).join("\n")}\n`;
    return at >= 0 ? `${base.slice(0, at)}${section}${base.slice(at)}` : `${base}${section}`;
  }
  return `${base}\n${roleSectionText(fit, { color: opts.color }).join("\n")}\n`;
}
