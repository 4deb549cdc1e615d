import type { Attribution, PortfolioAudit, PortfolioSkill, RepoAudit } from "./types.js";

/**
 * How much a repository's evidence counts in a portfolio: in full for the
 * candidate's own work, half for a fork or a repository where they authored
 * little (below LOW_SHARE of the commits). Documented in docs/portfolio.md.
 */
export const OWN_CREDIT = 1;
export const BORROWED_CREDIT = 0.5;

export function creditOf(a: Attribution | undefined): number {
  return !a || a.ownWork ? OWN_CREDIT : BORROWED_CREDIT;
}

export function repoName(a: RepoAudit): string {
  const t = a.report.target;
  return t.kind === "github" ? `${t.owner}/${t.repo}` : t.path;
}

/**
 * Per skill, the strongest evidence across the audited repositories: the
 * highest credited skill score (ties: own work, then more passed items, then
 * the higher-ranked repository). The portfolio score is the skill-weighted
 * mean of those best credited scores over skills any repository could show.
 */
export function aggregatePortfolio(
  user: string,
  repos: RepoAudit[],
  extra: { skipped: PortfolioAudit["skipped"]; listed: number; requests: number },
): PortfolioAudit {
  const skills: PortfolioSkill[] = [];
  const first = repos[0]?.report.skills ?? [];
  let weighted = 0;
  let totalWeight = 0;
  for (const s of first) {
    let best: { score: number; repo: RepoAudit; raw: number; passed: number; applicable: number; own: boolean } | undefined;
    for (const a of repos) {
      const skill = a.report.skills.find((x) => x.id === s.id);
      if (!skill || skill.score === null) continue;
      const own = creditOf(a.attribution) === OWN_CREDIT;
      const score = Math.round(skill.score * creditOf(a.attribution));
      const better =
        !best || score > best.score || (score === best.score && ((own && !best.own) || (own === best.own && skill.passed > best.passed)));
      if (better) best = { score, repo: a, raw: skill.score, passed: skill.passed, applicable: skill.applicable, own };
    }
    // A score of 0 proves nothing: no repository is named for it.
    const proven = best && best.score > 0 ? best : undefined;
    skills.push({
      id: s.id,
      title: s.title,
      weight: s.weight,
      score: best ? best.score : null,
      repo: proven ? repoName(proven.repo) : null,
      repoScore: proven ? proven.raw : null,
      ownWork: proven ? proven.own : false,
      passed: best?.passed ?? 0,
      applicable: best?.applicable ?? 0,
    });
    if (best) {
      weighted += s.weight * best.score;
      totalWeight += s.weight;
    }
  }
  return {
    user,
    repos,
    skipped: extra.skipped,
    listed: extra.listed,
    score: totalWeight > 0 ? Math.round(weighted / totalWeight) : 0,
    skills,
    stack: stackAcross(repos),
    requests: extra.requests,
  };
}

/** Languages by classified files summed over repositories; frameworks with the repositories using them. */
function stackAcross(repos: RepoAudit[]): PortfolioAudit["stack"] {
  const files = new Map<string, number>();
  const frameworks = new Map<string, PortfolioAudit["stack"]["frameworks"][number]>();
  for (const a of repos) {
    for (const l of a.report.stack.languages) files.set(l.name, (files.get(l.name) ?? 0) + l.files);
    for (const f of a.report.stack.frameworks) {
      const entry = frameworks.get(f.name) ?? { ...f, repos: [] };
      entry.repos.push(repoName(a));
      frameworks.set(f.name, entry);
    }
  }
  const total = [...files.values()].reduce((x, y) => x + y, 0);
  const languages = [...files]
    .map(([name, n]) => ({ name, files: n, share: total > 0 ? Math.round((n / total) * 1000) / 1000 : 0 }))
    .sort((a, b) => b.files - a.files || a.name.localeCompare(b.name));
  return {
    languages,
    mainLanguage: languages[0]?.name ?? null,
    frameworks: [...frameworks.values()].sort((a, b) => b.repos.length - a.repos.length || a.name.localeCompare(b.name)),
  };
}
