import { aggregatePortfolio, repoName } from "../../recruit/aggregate.js";
import type { Attribution, PortfolioAudit, PortfolioSkill, RepoAudit } from "../../recruit/types.js";
import { urlSegment } from "../safeMarkdown.js";
import type { StoredAudit } from "../stored.js";
import { clip, html, type Html } from "./escape.js";
import { renderPage, scoreChip, scoreMeter, timeTag, type PageLinks } from "./layout.js";
import { checkedHref, repoLinks } from "./urls.js";

export type { PageLinks } from "./layout.js";

export interface PortfolioPageLinks extends PageLinks {
  /** A repository's report page. */
  repoPage: (owner: string, repo: string) => string;
  /** A repository's badge image. */
  badgeSvg: (owner: string, repo: string) => string;
}

const LANGUAGES_SHOWN = 8;
const FRAMEWORKS_SHOWN = 30;
const FRAMEWORK_REPOS_SHOWN = 5;

/**
 * A stored fork as a recruiter audit: borrowed credit (half), like a fork in
 * `skillproof portfolio`. A stored audit records that the repository is a
 * fork but neither its parent nor the commit shares, so:
 * - `ownWork: false` is what halves the credit (creditOf reads nothing else);
 * - `lowShare: false` and `commits: null`, since no share was measured;
 * - `forkOf: "unknown"`, as src/recruit/attribution.ts writes when GitHub
 *   names no parent: null would claim it is not a fork.
 * A repository that is not a fork gets no attribution, which counts in full.
 */
export function forkAttribution(audit: StoredAudit, user: string): Attribution {
  return {
    candidate: user,
    forkOf: "unknown",
    template: null,
    defaultBranch: audit.defaultBranch,
    commits: null,
    lastPush: null,
    ci: "unknown",
    stars: 0,
    lowShare: false,
    ownWork: false,
  };
}

export function storedRepoAudit(audit: StoredAudit, user: string): RepoAudit {
  return { report: audit.report, ...(audit.fork ? { attribution: forkAttribution(audit, user) } : {}), requests: 0 };
}

const byName = (a: StoredAudit): string => `${a.owner}/${a.repo}`.toLowerCase();

/**
 * A user's portfolio page: per skill the strongest evidence across their
 * audited public repositories (src/recruit/aggregate.ts), and each
 * repository with its score and badge. Highest score first, then by name, so
 * the same audits give the same page.
 */
export function renderPortfolioPage(user: string, audits: StoredAudit[], links: PortfolioPageLinks): string {
  const ordered = [...audits].sort((a, b) => b.report.score - a.report.score || (byName(a) < byName(b) ? -1 : byName(a) > byName(b) ? 1 : 0));
  const repos = ordered.map((a) => storedRepoAudit(a, user));
  // PortfolioSkill names its repository as repoName does (from the report's target); map back to the stored audit.
  const auditOf = new Map(repos.map((r, i) => [repoName(r), ordered[i]!]));
  const portfolio = aggregatePortfolio(user, repos, { skipped: [], listed: audits.length, requests: 0 });
  const forks = ordered.filter((a) => a.fork).length;
  const profile = `${checkedHref(links.githubUrl).replace(/\/+$/, "")}/${urlSegment(user)}`;
  const main = html`<h1>Portfolio of ${user}</h1>
<p class="headline">${scoreChip(portfolio.score)} <span>Portfolio score from ${ordered.length} audited public ${ordered.length === 1 ? "repository" : "repositories"}${forks > 0 ? html`, ${forks} of them ${forks === 1 ? "a fork" : "forks"} counted at half credit` : ""}.</span></p>
<p>Each skill counts the strongest evidence any one repository shows. <a href="${profile}">${user} on GitHub</a>.</p>
${skillsSection(portfolio, auditOf, links)}
${reposSection(ordered, links)}
${stackSection(portfolio)}`;
  return renderPage({
    title: `${user}: portfolio ${portfolio.score}/100 · skillproof`,
    description: `${user}'s public repositories score ${portfolio.score}/100 on skillproof's audit of backend engineering evidence.`,
    css: links.css,
    main,
  });
}

function skillsSection(portfolio: PortfolioAudit, auditOf: Map<string, StoredAudit>, links: PortfolioPageLinks): Html {
  return html`<section>
<h2>Skills</h2>
<table class="portfolio-skills">
<thead><tr><th scope="col" class="col-skill">Skill</th><th scope="col" class="col-score">Best score</th><th scope="col" class="col-proof">Proven by</th></tr></thead>
<tbody>
${portfolio.skills.map((s) => html`<tr><th scope="row">${s.title}</th><td>${scoreMeter(s.title, s.score)}</td><td>${provenBy(s, auditOf, links)}</td></tr>\n`)}</tbody>
</table>
</section>`;
}

function provenBy(s: PortfolioSkill, auditOf: Map<string, StoredAudit>, links: PortfolioPageLinks): Html {
  const audit = s.repo ? auditOf.get(s.repo) : undefined;
  if (!audit) return html`<span class="muted">${s.score === null ? "no repository has an applicable rule" : "no evidence yet"}</span>`;
  const credit = s.ownWork ? "" : html` <span class="muted">(a fork at half credit: ${s.repoScore ?? 0}/100 there)</span>`;
  return html`<a href="${checkedHref(links.repoPage(audit.owner, audit.repo))}">${audit.owner}/${audit.repo}</a>${credit}`;
}

function reposSection(audits: StoredAudit[], links: PortfolioPageLinks): Html {
  const items = audits.map((a) => {
    const gh = repoLinks(links.githubUrl, a.owner, a.repo, a.commit);
    return html`<li>
<h3><a href="${checkedHref(links.repoPage(a.owner, a.repo))}">${a.owner}/${a.repo}</a></h3>
<p>${scoreChip(a.report.score, "small")} ${a.report.summary.passed} of ${a.report.summary.applicable} applicable rules passed${a.fork ? html` · <strong>fork</strong>, counted at half credit` : ""}</p>
<p class="muted">Audited ${timeTag(a.auditedAt)} at commit <a href="${gh.commit(a.commit)}"><code>${a.commit.slice(0, 7)}</code></a></p>
<p><img src="${checkedHref(links.badgeSvg(a.owner, a.repo))}" alt="skillproof badge of ${a.owner}/${a.repo}: ${a.report.score}/100"></p>
</li>
`;
  });
  return html`<section>
<h2>Repositories</h2>
<ul class="repos">
${items}</ul>
</section>`;
}

function stackSection(portfolio: PortfolioAudit): Html {
  const langs = portfolio.stack.languages.slice(0, LANGUAGES_SHOWN);
  const frameworks = portfolio.stack.frameworks.slice(0, FRAMEWORKS_SHOWN);
  return html`<section>
<h2>Stack</h2>
<h3>Languages</h3>
${langs.length > 0 ? html`<ul>${langs.map((l) => html`<li>${clip(l.name, 100)} ${Math.round(l.share * 100)}% <span class="muted">(${l.files} files)</span></li>`)}</ul>` : html`<p>No programming language detected.</p>`}
<h3>Frameworks</h3>
${
  frameworks.length > 0
    ? html`<ul>${frameworks.map((f) => {
        const shown = f.repos.slice(0, FRAMEWORK_REPOS_SHOWN).join(", ");
        const rest = f.repos.length - FRAMEWORK_REPOS_SHOWN;
        return html`<li>${clip(f.name, 100)} <span class="muted">(${shown}${rest > 0 ? ` and ${rest} more` : ""})</span></li>`;
      })}</ul>`
    : html`<p>No framework detected.</p>`
}
</section>`;
}
