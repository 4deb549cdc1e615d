import { codeSpan, inlineText, wholeLinesWithin } from "../../report/safeMarkdown.js";
import type { CapName, CommandCaps } from "./limits.js";
import { formatCommand, MAX_COMMANDS_PER_COMMENT, USAGE, type AuditCommand, type Malformed } from "./parse.js";

/** GitHub rejects issue comments over 65,536 characters. */
export const MAX_COMMENT_LENGTH = 65536;

/** Who may run commands, in the words of GitHub's repository roles. */
export const ALLOWED_ROLES = ["write", "maintain", "admin"] as const;

/** `permission` may be an organization's custom role name, chosen by its admins: escaped. */
export function deniedReply(login: string, permission: string): string {
  const has = permission === "none" ? "no role" : `${inlineText(permission)} permission`;
  return `@${login}, sorry: only people with write, maintain or admin permission on this repository can run ${codeSpan("/skillproof")} commands (you have ${has}). Please ask a maintainer to run it for you.`;
}

/**
 * One reply for everything in a comment that did not run: lines not understood
 * and commands beyond the limit. A line and its problem quote the commenter's
 * own words (`unknown verb "[x](https://…)"`): the line goes in a code span,
 * the problem is escaped, so neither links nor mentions anyone.
 */
export function notRunReply(login: string, malformed: Malformed[], dropped: AuditCommand[]): string {
  const lines: string[] = [];
  for (const m of malformed) lines.push(`- ${codeSpan(m.line)}: ${inlineText(m.problem)}.`);
  if (malformed.length > 0) lines.push("", USAGE);
  if (dropped.length > 0) {
    if (lines.length > 0) lines.push("");
    lines.push(`Only the first ${MAX_COMMANDS_PER_COMMENT} commands of a comment run; not run: ${dropped.map((c) => codeSpan(formatCommand(c))).join(", ")}.`);
  }
  const head = malformed.length > 0 ? `@${login}, I could not read ${malformed.length === 1 ? "this command" : "these commands"}:` : `@${login},`;
  return [head, ...lines].join("\n");
}

/**
 * The one-sentence answer to a problem the recruiter can act on (unknown user,
 * private repository, rate limit...). The sentence may carry names the
 * commenter typed or a repository holds: escaped, so nothing in it is a link,
 * a mention or a reference.
 */
export function problemReply(login: string, command: AuditCommand, sentence: string): string {
  return `@${login}, ${codeSpan(formatCommand(command))}: ${inlineText(sentence)}`;
}

/** When a comment's own answers could not be given (the permission read failed). */
export function handlingApology(login: string): string {
  return `@${login}, sorry: your \`/skillproof\` command could not be handled just now. It has been logged; please try again later.`;
}

/** The one reply, per commenter and hour, when commands are over a cap (limits.ts). */
export function limitReply(login: string, cap: CapName, caps: CommandCaps): string {
  const limit: Record<CapName, string> = {
    commenterQueued: `${caps.commenterQueued} commands waiting or running at once per person`,
    commenterPerHour: `${caps.commenterPerHour} commands an hour per person`,
    installationQueued: `${caps.installationQueued} commands waiting or running at once for this installation`,
    installationPerHour: `${caps.installationPerHour} commands an hour for this installation`,
  };
  const when = cap === "commenterQueued" || cap === "installationQueued" ? "once the queued ones have answered" : "in the next hour";
  return `@${login}, sorry: ${codeSpan("/skillproof")} runs at most ${limit[cap]}, so your latest commands were not run. Please try again ${when}. (This note is sent once an hour.)`;
}

export function apologyReply(login: string, command: AuditCommand): string {
  return `@${login}, sorry: ${codeSpan(formatCommand(command))} failed on our side. It has been logged; please try again later.`;
}

/** The heading above a repository report in the reply. */
export function repoReplyHead(login: string, command: AuditCommand): string {
  return `@${login}, here is the result of ${codeSpan(formatCommand(command))}:\n\n`;
}

export function portfolioReply(login: string, user: string, issue: { number: number; url: string; outcome: "created" | "updated" | "unchanged" }): string {
  const verb = issue.outcome === "created" ? "is in a new issue" : "is in";
  const note = issue.outcome === "created" ? "" : issue.outcome === "updated" ? " (updated)" : " (unchanged since the last run)";
  // The candidate's name in code: a recruiter's audit must not notify the candidate.
  return `@${login}, the portfolio report of ${codeSpan(`@${user}`)} ${verb}: #${issue.number}${note}. ${issue.url}`;
}

export function shortlistReply(login: string, roleId: string, issue: { number: number; url: string; outcome: "created" | "updated" | "unchanged" }): string {
  const verb = issue.outcome === "created" ? "is in a new issue" : "is in";
  const note = issue.outcome === "created" ? "" : issue.outcome === "updated" ? " (updated)" : " (unchanged since the last run)";
  return `@${login}, the shortlist for ${codeSpan(roleId)} ${verb}: #${issue.number}${note}. ${issue.url}`;
}

/**
 * Cuts `text` to `max` characters at a line's end, and says that it was cut.
 * Renderers trim by sections; this is the last guard. Whole lines, because a
 * cut inside a code span would let the file name or ref it held render as
 * Markdown (a link, a mention); a line break never splits a surrogate pair.
 */
export function fitComment(text: string, max = MAX_COMMENT_LENGTH): string {
  if (text.length <= max) return text;
  const note = "\n\n… (trimmed to GitHub's comment limit)";
  return wholeLinesWithin(text, max - note.length).replace(/\n$/, "") + note;
}

/**
 * The last guard over a rendered report before it is posted: the renderers
 * already escape every repository string (report/safeMarkdown.ts), and this
 * keeps any `@login` that got through from notifying that person, with a
 * zero-width space after the `@` (what Renovate does): readable, not a
 * mention. `@@login` (the second `@` is a mention on GitHub) and the entity
 * spellings `&#64;`, `&#x40;` and `&commat;` (GitHub decodes them, then links
 * the `@`) are quieted too. An `@` after a letter, digit, `/` or backtick
 * (owner/repo@ref, e-mail, code) is no mention and is left alone; after `_`
 * or `*` (emphasis) it is one.
 */
export function quietMentions(text: string): string {
  return text
    .replace(/(&#0*64;|&#x0*40;|&commat;)(?=[A-Za-z0-9])/gi, "$1\u200b")
    .replace(/(^|[^A-Za-z0-9`/])@(?=[A-Za-z0-9])/g, "$1@\u200b");
}
