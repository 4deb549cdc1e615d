import { printable } from "./printable.js";

/**
 * Repository- and user-sourced strings made safe in GitHub-flavoured Markdown.
 *
 * A file name, a snippet, a ref, a login or a repository's warning is data: it
 * must render as the characters it holds, and nothing in it may become syntax
 * (a link, emphasis, raw HTML, a table cell, a new line) or a live GitHub
 * mention or reference made by the app's bot. Every renderer of Markdown puts
 * such strings through one of these functions; rule-authored text (titles,
 * fixes, reviewed in rules/) goes through `trustedInline`/`trustedCell`, which
 * keep its Markdown but not its power to break a line or a table.
 *
 * Mentions and references: GitHub turns `@login`, `#1`, `owner/repo#1`,
 * `GH-1`, `user@sha`, `www.…`, `https://…` and e-mail addresses in text into
 * links *after* Markdown is rendered, on the HTML's text. So a backslash
 * (`\@`) or an entity (`&#64;`) does not help: both render as `@`. Two things
 * do: a code span (GitHub never autolinks inside `<code>`), and a zero-width
 * space (U+200B) right after the `@`, after the `#`, inside `GH-`, `://` and
 * `www.`, which leaves the text readable (and copyable, less one invisible
 * character) but matching none of GitHub's patterns; Renovate does the same
 * for mentions. Names that stand alone (paths, refs, config sources) go in a
 * code span; text that mixes our prose with repository values (warnings,
 * depth reasons, attribution lines) is escaped and quieted with U+200B.
 */

const ZWSP = "\u200b";

/** Breaks every pattern GitHub autolinks in text (see the module comment). */
function quiet(text: string): string {
  return text
    .replace(/@/g, `@${ZWSP}`) // @user, @org/team, @@user, owner/repo@sha, e-mail
    .replace(/#/g, `#${ZWSP}`) // #1, owner/repo#1
    .replace(/(GH)-/gi, `$1-${ZWSP}`) // GH-1
    .replace(/:(?=\/\/)/g, `:${ZWSP}`) // https://…, ftp://…
    .replace(/(www)\./gi, `$1${ZWSP}.`); // www.… (GitHub's extended autolink)
}

/**
 * ASCII punctuation that can open or close inline syntax in GFM anywhere in a
 * line (emphasis, code, links and images, tables, strikethrough, math,
 * escapes, the `#` of a heading or reference): each gets a CommonMark
 * backslash escape. `<`, `>` and `&` become entities instead, so no raw HTML
 * tag and no entity (`&#64;`) survives. `.`, `(`, `)`, `-`, `+` and `=` open
 * nothing inside a line (a link's `(` needs the `]` escaped here), so they are
 * escaped only where the text could begin a line: a list item, a setext
 * underline, an ordered list's `1.` or `1)`.
 */
const SYNTAX = /[\\`*_[\]#!|~$<>&]/g;
const LINE_START = /^(\s*)([-+=]|\d+[.)])/;
const ENTITY: Record<string, string> = { "<": "&lt;", ">": "&gt;", "&": "&amp;" };

/**
 * Inline text: renders as exactly `text` (on one line, control characters as
 * visible stand-ins), with no Markdown, HTML, mention, reference or autolink,
 * wherever it is put on a line. Safe in a table cell too (`|` is escaped).
 */
export function inlineText(text: string): string {
  const escaped = quiet(printable(text)).replace(SYNTAX, (ch) => ENTITY[ch] ?? `\\${ch}`);
  return escaped.replace(LINE_START, (_, space: string, marker: string) => `${space}${marker.slice(0, -1)}\\${marker.slice(-1)}`);
}

/**
 * A code span that holds exactly `text` and cannot be closed from inside: its
 * fence is one backtick longer than the longest run of backticks in `text`,
 * padded with a space when `text` starts or ends with a backtick (or with
 * spaces, which CommonMark would strip). Newlines and other control characters
 * become visible stand-ins, since a line break inside a span could start a
 * new block (a heading, a table row) before the span is ever parsed.
 * Not for table cells: GFM splits cells on `|` even inside code; use `inlineText`.
 */
export function codeSpan(text: string): string {
  const body = printable(text);
  if (body === "") return "` `";
  const longest = Math.max(0, ...(body.match(/`+/g) ?? []).map((run) => run.length));
  const fence = "`".repeat(longest + 1);
  const stripped = body.startsWith(" ") && body.endsWith(" ") && body.trim() !== "";
  const pad = body.startsWith("`") || body.endsWith("`") || stripped ? " " : "";
  return `${fence}${pad}${body}${pad}${fence}`;
}

/**
 * One URL path segment, RFC 3986-strict: encodeURIComponent leaves `(`, `)`,
 * `!`, `'` and `*` as they are, and an unbalanced `)` ends a Markdown link
 * destination, so those are percent-encoded too.
 */
export function urlSegment(segment: string): string {
  return encodeURIComponent(segment).replace(/[!'()*]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`);
}

const GITHUB = "https://github.com";

/** `https://github.com/<segments>`, each segment encoded: owner, repository, user. */
export function githubUrl(...segments: string[]): string {
  return [GITHUB, ...segments.map(urlSegment)].join("/");
}

/** A file (and line) of a repository at a commit; `path` is a POSIX path, encoded segment by segment. */
export function githubBlobUrl(owner: string, repo: string, sha: string, path: string, line?: number): string {
  return `${githubUrl(owner, repo, "blob", sha, ...path.split("/"))}${line ? `#L${line}` : ""}`;
}

/**
 * `[label](url)`. `label` is Markdown the caller built safely (`inlineText`,
 * `codeSpan`); `url` must come from the URL builders above, which is checked:
 * a destination with a space, `<`, `>` or a parenthesis would break out.
 */
export function markdownLink(label: string, url: string): string {
  if (!url.startsWith(`${GITHUB}/`) || /[\s()<>\\]/.test(url)) throw new Error(`unsafe link destination: ${JSON.stringify(url)}`);
  return `[${label}](${url})`;
}

/**
 * Applies `fn` to the parts of one line of Markdown outside its code spans (a
 * run of N backticks up to the next run of exactly N), leaving spans as they are.
 */
function outsideCodeSpans(markdown: string, fn: (text: string) => string): string {
  let out = "";
  let i = 0;
  const run = /`+/g;
  for (let m = run.exec(markdown); m; m = run.exec(markdown)) {
    const fence = m[0];
    const close = new RegExp(`(?<!\`)${fence}(?!\`)`, "g");
    close.lastIndex = m.index + fence.length;
    const end = close.exec(markdown);
    if (!end) continue;
    out += fn(markdown.slice(i, m.index)) + markdown.slice(m.index, end.index + fence.length);
    i = end.index + fence.length;
    run.lastIndex = i;
  }
  return out + fn(markdown.slice(i));
}

/**
 * Rule-authored Markdown (titles, why, fixes from rules/): reviewed, so its
 * code spans, emphasis and links stay, but it is kept to one line so it cannot
 * end the list item it sits in, and an npm scope in its text (`@nestjs/swagger`)
 * or a `#1` does not become a mention or reference made by the app's bot.
 */
export function trustedInline(markdown: string): string {
  const line = printable(markdown.split(/\r\n|\r|\n/).map((l) => l.trim()).filter((l) => l !== "").join(" "));
  return outsideCodeSpans(line, (text) => text.replace(/(^|[^A-Za-z0-9_])@(?=[A-Za-z0-9])/g, (m, before: string, at: number) => (inUrl(text, at) ? m : `${before}@${ZWSP}`)).replace(/#(?=\d)/g, `#${ZWSP}`));
}

/**
 * True when position `at` of `text` lies inside a URL (the run of non-space
 * characters around it holds `://`): `https://www.npmjs.com/package/@nestjs/swagger`
 * keeps its `@`, while `@Retry/@RateLimiter` in prose is quieted (GitHub
 * mentions after a `/`).
 */
function inUrl(text: string, at: number): boolean {
  const start = text.lastIndexOf(" ", at) + 1;
  const space = text.indexOf(" ", at);
  return text.slice(start, space === -1 ? text.length : space).includes("://");
}

/** Rule-authored Markdown in a table cell: as `trustedInline`, and every `|` not already escaped is escaped. */
export function trustedCell(markdown: string): string {
  return trustedInline(markdown).replace(/(?<!\\)\|/g, "\\|");
}

/**
 * The longest run of whole lines of `markdown` within `max` characters. Cutting
 * inside a line could leave a code span open, and what it held (a file name
 * such as `[x](https:/evil.example)`) would be read as Markdown after all; every
 * line the renderers write is complete on its own.
 */
export function wholeLinesWithin(markdown: string, max: number): string {
  if (markdown.length <= max) return markdown;
  return markdown.slice(0, markdown.lastIndexOf("\n", Math.max(0, max - 1)) + 1);
}

/**
 * Repository text for a surface GitHub shows as plain text (a check run's
 * title, an annotation's title and message): one line without control
 * characters, and no mention, reference or URL that GitHub or a reader's
 * tool could link (U+200B as in `inlineText`), nor a `[label](url)` pair
 * another renderer of the message (an IDE, a chat relay) would make a link of.
 */
export function plainText(text: string): string {
  return quiet(printable(text)).replace(/\]\(/g, `]${ZWSP}(`);
}

/** The first `max` UTF-16 units of `text` at most, never half of a surrogate pair (which GitHub would show as �). */
export function cutWithin(text: string, max: number): string {
  if (text.length <= max) return text;
  const last = text.charCodeAt(max - 1);
  return text.slice(0, last >= 0xd800 && last <= 0xdbff ? max - 1 : max);
}
