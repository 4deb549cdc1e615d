import { BADGE_BANDS, badgeColor } from "../badge.js";
import { clip, html, type Html } from "./escape.js";
import { checkedHref } from "./urls.js";

/** Where the app serves STYLESHEET. */
export const STYLESHEET_PATH = "/assets/skillproof.css";

/** What every page links to: GitHub (for permalinks) and the stylesheet. */
export interface PageLinks {
  /** e.g. "https://github.com" */
  githubUrl: string;
  /** e.g. STYLESHEET_PATH */
  css: string;
}

/**
 * The page colours. Every text colour reaches WCAG AA (4.5:1) on the
 * backgrounds it is drawn on (test/report/html/layout.test.ts measures it):
 * the status colours on the page and on code, the score bands' text on their
 * band. Status is never told by colour alone: each carries a word.
 */
export const PALETTE = {
  text: "#1f2328",
  background: "#ffffff",
  muted: "#59636e",
  link: "#0550ae",
  border: "#d1d9e0",
  codeBackground: "#f6f8fa",
  pass: "#116329",
  token: "#7a4a00",
  fail: "#b42318",
  /** Text on a score band. */
  bandText: "#000000",
} as const;

/** Score band backgrounds: the shields.io named colours the badge uses (src/report/badge.ts), so page and badge agree. */
export const BAND_BACKGROUNDS: Readonly<Record<string, string>> = {
  brightgreen: "#44cc11",
  green: "#97ca00",
  yellowgreen: "#a4a61d",
  yellow: "#dfb317",
  orange: "#fe7d37",
  red: "#e05d44",
};

const p = PALETTE;
const bands = BADGE_BANDS.map((b) => `.band-${b.color} { background: ${BAND_BACKGROUNDS[b.color] ?? "#e05d44"}; }`).join("\n");

/**
 * The pages' only stylesheet, served from the app's origin (the pages' CSP
 * allows no inline style). Phone widths: nothing may scroll sideways, so long
 * paths and snippets break anywhere and code blocks wrap.
 */
export const STYLESHEET = `:root { color-scheme: light; }
*, *::before, *::after { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; text-size-adjust: 100%; }
body { margin: 0; font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; font-size: 1rem; line-height: 1.5; color: ${p.text}; background: ${p.background}; overflow-wrap: break-word; }
/* Paths, snippets and names from a repository can be one long word: they may break anywhere, so nothing scrolls sideways. */
a, code, th, td, li, p, caption { overflow-wrap: anywhere; }
.site-header, main, .site-footer { max-width: 56rem; margin: 0 auto; padding: 0 1rem; }
.site-header { display: flex; flex-wrap: wrap; gap: 0.25rem 1.5rem; align-items: baseline; padding-top: 0.75rem; padding-bottom: 0.75rem; border-bottom: 1px solid ${p.border}; }
.brand { margin: 0; font-weight: 700; }
.site-header nav ul { display: flex; flex-wrap: wrap; gap: 0.25rem 1rem; list-style: none; margin: 0; padding: 0; }
main { padding-top: 1rem; padding-bottom: 2rem; }
.site-footer { padding-top: 1rem; padding-bottom: 2rem; border-top: 1px solid ${p.border}; color: ${p.muted}; font-size: 0.875rem; }
h1 { font-size: 1.75rem; line-height: 1.25; margin: 0.5rem 0 0.75rem; }
h2 { font-size: 1.375rem; line-height: 1.3; margin: 2rem 0 0.75rem; padding-bottom: 0.25rem; border-bottom: 1px solid ${p.border}; }
h3 { font-size: 1.125rem; line-height: 1.3; margin: 1.5rem 0 0.5rem; }
a { color: ${p.link}; text-underline-offset: 0.15em; }
a:focus-visible { outline: 2px solid ${p.link}; outline-offset: 2px; }
code, pre { font-family: ui-monospace, SFMono-Regular, "SF Mono", Menlo, Consolas, "Liberation Mono", monospace; font-size: 0.875em; }
code { background: ${p.codeBackground}; padding: 0.1em 0.3em; border-radius: 4px; }
pre { background: ${p.codeBackground}; padding: 0.75rem; border-radius: 6px; border: 1px solid ${p.border}; white-space: pre-wrap; overflow-wrap: anywhere; }
pre code { background: none; padding: 0; font-size: 1em; }
img { max-width: 100%; height: auto; }
/* Fixed: column widths come from the header cells, not from content that may break anywhere. */
table { border-collapse: collapse; width: 100%; table-layout: fixed; }
.col-skill { width: 35%; }
.col-score { width: 40%; }
.col-count { width: 25%; }
.col-proof { width: 25%; }
.col-commit { width: 25%; }
.col-date { width: 50%; }
.portfolio-skills .col-skill { width: 30%; }
.portfolio-skills .col-score { width: 35%; }
.portfolio-skills .col-proof { width: 35%; }
th { hyphens: auto; }
caption { text-align: left; color: ${p.muted}; padding-bottom: 0.25rem; }
th, td { text-align: left; vertical-align: top; padding: 0.375rem 0.5rem; border-bottom: 1px solid ${p.border}; }
thead th { border-bottom-width: 2px; }
tbody th { font-weight: 600; }
td.num, th.num { text-align: right; }
.muted { color: ${p.muted}; }
.headline { display: flex; flex-wrap: wrap; gap: 0.5rem 1rem; align-items: center; }
.score { display: inline-block; padding: 0.125rem 0.625rem; border-radius: 6px; color: ${p.bandText}; font-weight: 700; font-size: 1.75rem; line-height: 1.3; }
.score.score-small { font-size: 1rem; padding: 0 0.375rem; }
${bands}
.meter { display: flex; gap: 0.5rem; align-items: center; }
meter { flex: 1 1 auto; min-width: 3rem; width: 100%; max-width: 16rem; height: 1rem; }
.meter-value { white-space: nowrap; font-variant-numeric: tabular-nums; }
.status { font-weight: 700; }
.status-pass { color: ${p.pass}; }
.status-token { color: ${p.token}; }
.status-fail { color: ${p.fail}; }
.status-na { color: ${p.muted}; }
.rules { list-style: none; margin: 0; padding: 0; }
.rule { border-left: 4px solid ${p.border}; margin: 0.75rem 0; padding: 0.125rem 0 0.125rem 0.75rem; }
.rule p { margin: 0.25rem 0; }
.rule-pass { border-left-color: ${p.pass}; }
.rule-token { border-left-color: ${p.token}; }
.rule-fail { border-left-color: ${p.fail}; }
.rule-id { color: ${p.muted}; }
.evidence { margin: 0.25rem 0; padding-left: 1.25rem; }
.evidence li { margin: 0.125rem 0; }
.snippet { display: block; white-space: pre-wrap; margin-top: 0.125rem; color: ${p.text}; }
.plain { list-style: none; padding: 0; }
.repos { list-style: none; margin: 0; padding: 0; }
.repos > li { border-bottom: 1px solid ${p.border}; padding: 0.5rem 0 0.75rem; }
.repos h3 { margin: 0.25rem 0; }
.repos p { margin: 0.25rem 0; }
@media (max-width: 30rem) {
  h1 { font-size: 1.5rem; }
  .score { font-size: 1.5rem; }
  th, td { padding: 0.25rem 0.375rem; }
  /* A skill's name ("Infrastructure as code") needs the room more than its meter. */
  .col-skill { width: 45%; }
  .col-score { width: 30%; }
  .portfolio-skills .col-skill { width: 42%; }
  .portfolio-skills .col-score { width: 22%; }
  .portfolio-skills .col-proof { width: 36%; }
  .meter { flex-wrap: wrap; gap: 0 0.5rem; }
}
@media print {
  .site-header nav, .badge-snippet { display: none; }
  a { color: inherit; }
  .rule, tr, .repos > li { break-inside: avoid; }
  h2, h3 { break-after: avoid; }
}
`;

export interface Page {
  title: string;
  /** The stylesheet's URL (PageLinks.css). */
  css: string;
  /** A sentence for link previews. */
  description?: string;
  nav?: Array<{ href: string; label: string }>;
  main: Html;
  footer?: Html;
}

/** A whole document: landmarks, one stylesheet, no script and no inline style. */
export function renderPage(page: Page): string {
  const nav =
    page.nav && page.nav.length > 0
      ? html`<nav aria-label="Related pages"><ul>${page.nav.map((n) => html`<li><a href="${checkedHref(n.href)}">${n.label}</a></li>`)}</ul></nav>`
      : "";
  const doc = html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${clip(page.title, 200)}</title>
${page.description ? html`<meta name="description" content="${clip(page.description, 300)}">\n` : ""}<link rel="stylesheet" href="${checkedHref(page.css)}">
</head>
<body>
<header class="site-header">
<p class="brand">skillproof</p>
${nav}
</header>
<main>
${page.main}
</main>
<footer class="site-footer">
${page.footer ?? html`<p>skillproof measures the evidence of backend skills a repository shows.</p>`}
</footer>
</body>
</html>
`;
  return doc.value;
}

/** The score on its colour band, as the badge shows it. */
export function scoreChip(score: number, size: "large" | "small" = "large"): Html {
  return html`<span class="score band-${badgeColor(score)}${size === "small" ? " score-small" : ""}">${score}/100</span>`;
}

/**
 * A 0-100 meter with its value as text beside it. `name` is what it measures;
 * the meter's accessible name says it, since a cell's text alone would leave
 * the meter nameless to a screen reader.
 */
export function scoreMeter(name: string, score: number | null): Html {
  if (score === null) return html`<span class="muted">n/a</span>`;
  return html`<div class="meter"><meter min="0" max="100" low="40" high="75" optimum="100" value="${score}" aria-label="${name}: ${score} out of 100">${score}/100</meter> <span class="meter-value">${score}/100</span></div>`;
}

/** `<time>` for an ISO time, shown in UTC so the page is the same for every reader (and every test). */
export function timeTag(iso: string): Html {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return html`${clip(iso, 40)}`;
  const text = `${d.toISOString().slice(0, 10)} ${d.toISOString().slice(11, 16)} UTC`;
  return html`<time datetime="${d.toISOString()}">${text}</time>`;
}
