import type { Evidence } from "../../engine/types.js";
import type { RoleFit } from "../../roles/types.js";
import type { Report } from "../model.js";
import type { HistoryPoint, StoredAudit } from "../stored.js";
import { badgeMarkdown } from "../badge.js";
import { clip, codeText, html, type Html } from "./escape.js";
import { renderPage, scoreChip, scoreMeter, timeTag, type PageLinks } from "./layout.js";
import { checkedHref, repoLinks, type RepoLinks } from "./urls.js";

export type { PageLinks } from "./layout.js";

export interface ReportPageLinks extends PageLinks {
  /** The badge's address as others embed it (absolute when the app knows its public address): the snippet's. */
  badgeSvg: string;
  /** The badge as this page shows it: a path on the page's own origin, which its Content-Security-Policy allows (default: badgeSvg). */
  badgeImage?: string;
  badgeJson: string;
  historySvg: string;
  /** The owner's portfolio page. */
  portfolio: string;
  /** This page: an absolute URL or a path. */
  self: string;
}

/** Evidence items shown per rule; the rest are counted. */
export const EVIDENCE_SHOWN = 10;
/** Characters of a snippet shown (the report caps them already; a stored report is still input). */
export const SNIPPET_MAX = 200;
/** Characters of a path shown as a link's text (the link itself keeps the whole path). */
export const PATH_MAX = 300;
/** Characters of one rule text, warning or note shown. */
export const TEXT_MAX = 1000;
/** History points listed in the table, newest first. */
export const HISTORY_ROWS = 10;
/** Warnings and notes listed each. */
export const MESSAGES_SHOWN = 20;
const LANGUAGES_SHOWN = 8;
const FRAMEWORKS_SHOWN = 30;

type Rule = Report["rules"][number];

/**
 * The public report page of one audited repository: score, skills, every
 * rule with its evidence (permalinks at the audited commit) or its fix, the
 * stack, the score history and the badge to copy. Everything the report
 * holds came from the repository or its config and is escaped (`html`).
 */
export function renderReportPage(audit: StoredAudit, history: HistoryPoint[], links: ReportPageLinks): string {
  const { report } = audit;
  const name = `${audit.owner}/${audit.repo}`;
  const gh = repoLinks(links.githubUrl, audit.owner, audit.repo, audit.commit);
  const main = html`<h1>${name}</h1>
${summary(audit, gh)}
${skillsSection(report)}
${stackSection(report, gh)}
${report.role ? roleSection(report.role, gh) : ""}
${rulesSection(report, gh)}
${historySection(name, history, gh, links)}
${badgeSection(report, links)}
${messagesSection(report)}`;
  return renderPage({
    title: `${name}: ${report.score}/100 · skillproof report`,
    description: `${name} scores ${report.score}/100 on skillproof's audit of its backend engineering evidence.`,
    css: links.css,
    nav: [{ href: links.portfolio, label: `All audited repositories of ${audit.owner}` }],
    main,
    footer: html`<p>Report by skillproof ${report.tool.version}, from ${report.files.read} files read of ${report.files.listed} in the repository at commit <code>${audit.commit.slice(0, 7)}</code>. A score measures the evidence the code shows, not the people who wrote it.</p>`,
  });
}

function summary(audit: StoredAudit, gh: RepoLinks): Html {
  const { report } = audit;
  const { passed, applicable } = report.summary;
  const threshold =
    report.threshold !== null ? html` · threshold ${report.threshold}: <strong>${report.passed ? "met" : "not met"}</strong>` : "";
  return html`<p class="headline">${scoreChip(report.score)} <span>Overall score · ${passed} of ${applicable} applicable rules passed${threshold}</span></p>
<p>Audited ${timeTag(audit.auditedAt)} at commit <a href="${gh.commit(audit.commit)}"><code>${audit.commit.slice(0, 7)}</code></a>${audit.committedAt ? html` (committed ${timeTag(audit.committedAt)})` : ""} of branch <code>${audit.defaultBranch}</code> of <a href="${gh.repo}">${audit.owner}/${audit.repo} on GitHub</a>.${audit.fork ? " This repository is a fork." : ""}</p>`;
}

function skillsSection(report: Report): Html {
  const rows = report.skills.map(
    (s) => html`<tr><th scope="row">${s.title}</th><td>${scoreMeter(s.title, s.score)}</td><td class="num">${s.passed} of ${s.applicable}</td></tr>`,
  );
  return html`<section>
<h2>Skills</h2>
<table>
<thead><tr><th scope="col" class="col-skill">Skill</th><th scope="col" class="col-score">Score</th><th scope="col" class="col-count num">Passed</th></tr></thead>
<tbody>
${rows.map((r) => html`${r}\n`)}</tbody>
</table>
</section>`;
}

function stackSection(report: Report, gh: RepoLinks): Html {
  const langs = report.stack.languages.slice(0, LANGUAGES_SHOWN);
  const frameworks = report.stack.frameworks.slice(0, FRAMEWORKS_SHOWN);
  const languageList =
    langs.length > 0
      ? html`<ul>${langs.map((l) => html`<li>${clip(l.name, 100)} ${Math.round(l.share * 100)}% <span class="muted">(${l.files} files)</span></li>`)}</ul>`
      : html`<p>No programming language detected.</p>`;
  const frameworkList =
    frameworks.length > 0
      ? html`<ul>${frameworks.map((f) => html`<li>${clip(f.name, 100)} <span class="muted">(declared in ${evidenceLink(gh, f.evidence)})</span></li>`)}</ul>${notShown(report.stack.frameworks.length - frameworks.length)}`
      : html`<p>No framework detected.</p>`;
  return html`<section>
<h2>Stack</h2>
<h3>Languages</h3>
${languageList}
<h3>Frameworks</h3>
${frameworkList}
</section>`;
}

function roleSection(role: RoleFit, gh: RepoLinks): Html {
  const ordered = [...role.stack.filter((s) => s.required), ...role.stack.filter((s) => !s.required)];
  const stack = ordered.map((s) => {
    const proof = s.present && s.evidence && !s.evidence.repo ? html` (${evidenceLink(gh, s.evidence)})` : "";
    const state = s.present ? html`<span class="status status-pass">found</span>` : html`<span class="status status-fail">missing</span>`;
    return html`<li>${clip(s.name, 100)}, ${s.required ? "required" : "preferred"}: ${state}${proof}</li>`;
  });
  const gaps =
    role.gaps.length > 0
      ? html`<p>What would raise the fit most:</p>
<ol>${role.gaps.map((g) => html`<li><strong>${clip(g.title, TEXT_MAX)}</strong> (+${g.gain}): ${g.fixFor ? html`for ${clip(g.fixFor, 200)}, ` : ""}${codeText(clip(g.fix, TEXT_MAX))}</li>`)}</ol>`
      : "";
  return html`<section>
<h2>Role fit: ${clip(role.title, 200)}</h2>
<p class="headline">${scoreChip(role.fit)} <span>Fit for the role${role.summary ? html`: ${clip(role.summary, TEXT_MAX)}` : ""}</span></p>
${stack.length > 0 ? html`<ul>${stack}</ul>` : ""}
${gaps}
</section>`;
}

function rulesSection(report: Report, gh: RepoLinks): Html {
  const skills = report.skills.map((s) => {
    const rules = report.rules.filter((r) => r.skill === s.id);
    if (rules.length === 0) return "";
    const applicable = rules.filter((r) => r.status !== "not-applicable");
    const notApplicable = rules.filter((r) => r.status === "not-applicable");
    return html`<h3>${s.title} <span class="muted">· ${s.score === null ? "n/a" : `${s.score}/100`}</span></h3>
${applicable.length > 0 ? html`<ul class="rules">\n${applicable.map((r) => html`${ruleItem(r, gh)}\n`)}</ul>` : ""}
${notApplicable.length > 0 ? html`<p><span class="status status-na">Not applicable:</span> ${notApplicable.map((r, i) => html`${i > 0 ? "; " : ""}${notApplicableItem(r)}`)}</p>` : ""}`;
  });
  return html`<section>
<h2>Evidence by skill</h2>
<p class="muted">Each rule with what passed it, linked to the file at the audited commit, or what to do to pass it.</p>
${skills}
</section>`;
}

function statusOf(r: Rule): { key: "pass" | "token" | "fail"; label: string } {
  if (r.status === "fail") return { key: "fail", label: "Failed" };
  return r.depth === "token" ? { key: "token", label: "Token evidence" } : { key: "pass", label: "Passed" };
}

function points(n: number): string {
  return String(Math.round(n * 100) / 100);
}

function ruleItem(r: Rule, gh: RepoLinks): Html {
  const status = statusOf(r);
  const head = html`<p><span class="status status-${status.key}">${status.label}:</span> <strong>${clip(r.title, TEXT_MAX)}</strong> <code class="rule-id">${clip(r.id, 200)}</code> <span class="muted">· ${points(r.earned)} of ${points(r.weight)} points</span></p>`;
  const depth = [
    r.summary ? html`<p>${codeText(clip(r.summary, TEXT_MAX))}</p>` : "",
    r.depth === "token" ? html`<p><span class="status status-token">Thin evidence:</span> ${r.depthReason ? codeText(clip(r.depthReason.replace(/\.+$/, ""), TEXT_MAX)) : "below the bar this rule measures"}.</p>` : "",
  ];
  if (r.status === "fail") {
    const found = r.evidence.length > 0 ? html`<p>Found:</p>${evidenceList(r.evidence, gh)}` : "";
    const fix = html`<p><strong>Fix${r.fixFor ? html` (for ${clip(r.fixFor, 200)})` : ""}:</strong> ${codeText(clip(r.fix, TEXT_MAX))}</p>`;
    const general = r.fixFor && r.generalFix ? html`<p class="muted">In general: ${codeText(clip(r.generalFix, TEXT_MAX))}</p>` : "";
    return html`<li class="rule rule-fail">${head}${depth}${found}<p>Why it matters: ${codeText(clip(r.why, TEXT_MAX))}</p>${fix}${general}</li>`;
  }
  return html`<li class="rule rule-${status.key}">${head}${depth}${r.evidence.length > 0 ? evidenceList(r.evidence, gh) : ""}</li>`;
}

function notApplicableItem(r: Rule): Html {
  const without = r.unmetRequires && r.unmetRequires.length > 0 ? html` <span class="muted">(needs ${r.unmetRequires.slice(0, 5).map((id, i) => html`${i > 0 ? ", " : ""}<code>${clip(id, 200)}</code>`)})</span>` : "";
  return html`${clip(r.title, TEXT_MAX)}${without}`;
}

function evidenceList(evidence: Evidence[], gh: RepoLinks): Html {
  const shown = evidence.slice(0, EVIDENCE_SHOWN);
  const rest = evidence.length - shown.length;
  return html`<ul class="evidence">${shown.map(
    (e) => html`<li>${evidenceLink(gh, e)}${e.snippet ? html` <code class="snippet">${clip(e.snippet, SNIPPET_MAX)}</code>` : ""}</li>`,
  )}${rest > 0 ? html`<li class="muted">and ${rest} more</li>` : ""}</ul>`;
}

/** A file (and line) as a permalink at the audited commit; the repository's root ("." in evidence) as plain text. */
function evidenceLink(gh: RepoLinks, e: { path: string; line?: number }): Html {
  if (e.path === "." || e.path === "") return html`<span>the repository's root</span>`;
  const label = clip(e.line ? `${e.path}:${e.line}` : e.path, PATH_MAX);
  return html`<a href="${gh.blob(e.path, e.line)}"><code>${label}</code></a>`;
}

function historySection(name: string, history: HistoryPoint[], gh: RepoLinks, links: ReportPageLinks): Html {
  if (history.length === 0) {
    return html`<section>
<h2>Score history</h2>
<p>No history yet: this is the first audit kept.</p>
</section>`;
  }
  const first = history[0]!;
  const last = history[history.length - 1]!;
  const rows = history.slice(-HISTORY_ROWS).reverse();
  const alt = `Chart of ${name}'s score over ${history.length} audit${history.length === 1 ? "" : "s"}, from ${first.score} to ${last.score}; the table lists the latest.`;
  return html`<section>
<h2>Score history</h2>
<p><img src="${checkedHref(links.historySvg)}" alt="${alt}"></p>
<table>
<caption>Latest ${rows.length} of ${history.length} audits of the default branch, newest first</caption>
<thead><tr><th scope="col" class="col-commit">Commit</th><th scope="col" class="col-date">Audited</th><th scope="col" class="col-count num">Score</th></tr></thead>
<tbody>
${rows.map((h) => html`<tr><td><a href="${gh.commit(h.commit)}"><code>${h.commit.slice(0, 7)}</code></a></td><td>${timeTag(h.date)}</td><td class="num">${h.score}</td></tr>\n`)}</tbody>
</table>
</section>`;
}

function badgeSection(report: Report, links: ReportPageLinks): Html {
  const markdown = badgeMarkdown(links.badgeSvg, links.self);
  const shields = /^https?:\/\//i.test(links.badgeJson)
    ? html`<p>Or through shields.io, styled like your other badges:</p>
<pre><code>${badgeMarkdown(`https://img.shields.io/endpoint?url=${encodeURIComponent(links.badgeJson)}`, links.self)}</code></pre>`
    : "";
  return html`<section class="badge-snippet">
<h2>Badge</h2>
<p><img src="${checkedHref(links.badgeImage ?? links.badgeSvg)}" alt="skillproof badge: ${report.score}/100"></p>
<p>Show this score in a README: copy the Markdown below. The badge follows the latest audit of the default branch and links to this page.</p>
<pre><code>${markdown}</code></pre>
${shields}
</section>`;
}

function messagesSection(report: Report): Html {
  if (report.warnings.length === 0 && report.notes.length === 0) return html``;
  const list = (items: string[]): Html =>
    html`<ul>${items.slice(0, MESSAGES_SHOWN).map((m) => html`<li>${clip(m, TEXT_MAX)}</li>`)}</ul>${notShown(items.length - MESSAGES_SHOWN)}`;
  return html`<section>
<h2>Notes and warnings</h2>
${report.notes.length > 0 ? html`<h3>Notes</h3>\n${list(report.notes)}` : ""}
${report.warnings.length > 0 ? html`<h3>Warnings</h3>\n${list(report.warnings)}` : ""}
</section>`;
}

function notShown(n: number): Html {
  return n > 0 ? html`<p class="muted">and ${n} more not shown.</p>` : html``;
}
