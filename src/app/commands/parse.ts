/**
 * The `/skillproof` comment command, read from a comment's Markdown. Pure:
 * no GitHub, no I/O, so every rule about what counts as a command is tested
 * here alone.
 *
 *   /skillproof audit owner/repo[@ref] [for @user] [--role ID]
 *   /skillproof audit @username [--max-repos N] [--role ID]
 *   /skillproof compare <owner/repo|@user> <owner/repo|@user>... --role ID
 */

export const COMMAND = "/skillproof";

export const USAGE =
  "Usage: `/skillproof audit owner/repo[@ref] [for @user]` or `/skillproof audit @username [--max-repos N]` (N from 1 to 20), either with `--role ID` for a role's fit; " +
  "or `/skillproof compare owner/repo @user ... --role ID` (2 to 10 candidates) for a shortlist.";

/** Commands run per comment; the rest are named in a reply and dropped. */
export const MAX_COMMANDS_PER_COMMENT = 3;

export const MAX_REPOS_LIMIT = 20;

/** Candidates one `/skillproof compare` takes (as the CLI's compare). */
export const MIN_COMPARE = 2;
export const MAX_COMPARE = 10;

/**
 * A role id as roles/<id>.yml and a config's `roles:` spell it
 * (schemas/role.schema.json). Only an id: a comment never names a file.
 */
const ROLE_ID_RE = /^[a-z][a-z0-9-]{0,39}$/;

export function isRoleId(id: string): boolean {
  return ROLE_ID_RE.test(id);
}

export interface RepoCommand {
  kind: "repo";
  owner: string;
  repo: string;
  ref?: string;
  /** Whose share of the commits is reported (`for @user`); the owner when absent. */
  candidate?: string;
  /** The role whose fit the report adds (`--role`): a shipped role's id or one of the hiring repository's `roles:`. */
  role?: string;
}

export interface PortfolioCommand {
  kind: "portfolio";
  user: string;
  maxRepos?: number;
  role?: string;
}

/** One candidate of a shortlist: a repository (audited for its owner) or a user's portfolio. */
export type CompareTarget = { kind: "repo"; owner: string; repo: string; ref?: string } | { kind: "portfolio"; user: string };

/** `/skillproof compare <target>... --role ID`: each target audited for the role, one shortlist issue per role. */
export interface CompareCommand {
  kind: "compare";
  targets: CompareTarget[];
  role: string;
}

/** Every command a comment may hold (the name predates `compare`). */
export type AuditCommand = RepoCommand | PortfolioCommand | CompareCommand;

export interface Malformed {
  /** The command line as typed (trimmed). */
  line: string;
  /** Why it was not understood, one short phrase. */
  problem: string;
}

export interface ParsedComment {
  /** Distinct valid commands, in order, at most MAX_COMMANDS_PER_COMMENT. */
  commands: AuditCommand[];
  /** Valid commands beyond the limit, not run. */
  dropped: AuditCommand[];
  malformed: Malformed[];
}

/*
 * GitHub's naming rules. Accounts: 1–39 characters, letters, digits and
 * hyphens, not starting with a hyphen (new accounts also may not end with one
 * or double it, but older accounts did, so those are left to GitHub's 404).
 * Repositories: 1–100 characters of letters, digits, `.`, `-`, `_`, not `.` or `..`.
 */
const ACCOUNT_RE = /^[A-Za-z0-9][A-Za-z0-9-]{0,38}$/;
const REPO_RE = /^[A-Za-z0-9._-]{1,100}$/;

export function isAccountName(name: string): boolean {
  return ACCOUNT_RE.test(name);
}

export function isRepoName(name: string): boolean {
  return REPO_RE.test(name) && name !== "." && name !== "..";
}

/** git check-ref-format's rules, for a branch, tag or commit named after `@`. */
export function isRefName(ref: string): boolean {
  if (ref.length === 0 || ref.length > 255) return false;
  // eslint-disable-next-line no-control-regex -- git forbids control characters in ref names
  if (/[\x00-\x20\x7f~^:?*[\\]/.test(ref)) return false;
  if (ref.includes("..") || ref.includes("@{") || ref.includes("//")) return false;
  if (ref.startsWith("-") || ref.startsWith("/") || ref.endsWith("/") || ref.endsWith(".") || ref === "@") return false;
  return ref.split("/").every((part) => part.length > 0 && !part.startsWith(".") && !part.endsWith(".lock"));
}

/*
 * Raw HTML in a comment (CommonMark §4.6, HTML blocks). GitHub renders none of
 * it as text a reader sees as a command: a comment is invisible, `<details>`
 * is collapsed, other blocks are passed through as HTML. A command hidden
 * there would run without anyone in the thread seeing it, so none counts.
 * Kinds 1-5 end at a line holding their closing marker; 6 and 7 (block tags,
 * and any lone tag) at a blank line. Kind 7 may not interrupt a paragraph in
 * CommonMark; it is treated as starting a block anyway: being stricter here
 * only means fewer lines are taken as commands. Every pattern is anchored and
 * linear: a comment is repository-adjacent input like any other.
 */
const HTML_BLOCK_TAGS =
  "address|article|aside|base|basefont|blockquote|body|caption|center|col|colgroup|dd|details|dialog|dir|div|dl|dt|fieldset|figcaption|figure|footer|form|frame|frameset|h[1-6]|head|header|hr|html|iframe|legend|li|link|main|menu|menuitem|nav|noframes|ol|optgroup|option|p|param|search|section|summary|table|tbody|td|tfoot|th|thead|title|tr|track|ul";

interface HtmlBlockKind {
  start: RegExp;
  /** What ends the block: a marker on a line (searched from where the block starts), or a blank line. */
  end: RegExp | "blank";
}

const HTML_BLOCKS: HtmlBlockKind[] = [
  { start: /^ {0,3}<(?:script|pre|style|textarea)(?:[\s>]|$)/i, end: /<\/(?:script|pre|style|textarea)>/i },
  { start: /^ {0,3}<!--/, end: /-->/ },
  { start: /^ {0,3}<\?/, end: /\?>/ },
  { start: /^ {0,3}<![A-Za-z]/, end: />/ },
  { start: /^ {0,3}<!\[CDATA\[/, end: /\]\]>/ },
  { start: new RegExp(`^ {0,3}</?(?:${HTML_BLOCK_TAGS})(?:[\\s>]|/>|$)`, "i"), end: "blank" },
  { start: /^ {0,3}<\/?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?\/?>\s*$/, end: "blank" },
];

/** The HTML block a line opens and whether it also closes on that line, or undefined. */
function htmlBlockAt(line: string): { kind: HtmlBlockKind; closed: boolean } | undefined {
  const kind = HTML_BLOCKS.find((k) => k.start.test(line));
  if (!kind) return undefined;
  // The closing marker is looked for after the opening `<` (`<!-->` is a whole, empty comment in CommonMark 0.31).
  const closed = kind.end !== "blank" && kind.end.test(line.slice(line.indexOf("<") + 1));
  return { kind, closed };
}

/**
 * Where an HTML comment opened inside a line (inline raw HTML) is left open at
 * its end: the lines that follow are inside it until a `-->`.
 */
function opensComment(line: string): boolean {
  const open = line.lastIndexOf("<!--");
  return open >= 0 && !line.slice(open + 4).includes("-->");
}

/**
 * The lines of a comment that may hold a command: outside fenced code blocks,
 * not quoted (`> `: a reply quoting an earlier command must not run it again),
 * not indented code (4 spaces or a tab), not inside raw HTML (a comment, an
 * HTML block, a `<details>` element even past its blank lines: see above), and
 * starting with `/skillproof`.
 */
export function commandLines(body: string): string[] {
  const out: string[] = [];
  let fence: { char: string; length: number } | undefined;
  let html: HtmlBlockKind | undefined;
  let inComment = false;
  let details = 0;
  for (const raw of body.split(/\r\n|\r|\n/)) {
    const opening = /^ {0,3}(`{3,}|~{3,})/.exec(raw);
    if (fence) {
      // A fence closes with the same character, at least as long, nothing after it.
      if (opening && opening[1]![0] === fence.char && opening[1]!.length >= fence.length && raw.trim() === opening[1]) fence = undefined;
      continue;
    }
    if (inComment) {
      // A `<details>` inside a comment is no element: not counted.
      if (raw.includes("-->")) inComment = opensComment(raw.slice(raw.indexOf("-->") + 3));
      continue;
    }
    if (html) {
      if (html.end === "blank" ? raw.trim() === "" : html.end.test(raw)) html = undefined;
      details = Math.max(0, details + detailsChange(raw));
      continue;
    }
    if (opening) {
      fence = { char: opening[1]![0]!, length: opening[1]!.length };
      continue;
    }
    details = Math.max(0, details + detailsChange(raw));
    const block = htmlBlockAt(raw);
    if (block) {
      if (!block.closed) html = block.kind;
      continue;
    }
    inComment = opensComment(raw);
    if (details > 0 || inComment) continue;
    if (/^ {0,3}>/.test(raw) || /^( {4}|\t)/.test(raw)) continue;
    const line = raw.trim();
    const first = line.split(/\s+/, 1)[0]!;
    if (first.toLowerCase() === COMMAND) out.push(line);
  }
  return out;
}

/**
 * How a line changes the depth of `<details>` elements: GitHub shows their
 * content collapsed, so a command anywhere inside one is hidden from the thread.
 */
function detailsChange(line: string): number {
  const opened = line.match(/<details(?=[\s>/])/gi)?.length ?? 0;
  const closed = line.match(/<\/details\s*>/gi)?.length ?? 0;
  return opened - closed;
}

type LineResult = { command: AuditCommand } | { malformed: Malformed };

/** One command line (starting with `/skillproof`) → a command or why not. */
export function parseCommandLine(line: string): LineResult {
  const bad = (problem: string): LineResult => ({ malformed: { line, problem } });
  const words = line.split(/\s+/).slice(1);
  const verb = words.shift();
  if (!verb) return bad("no verb");
  if (verb.toLowerCase() === "compare") return parseCompare(words, bad);
  if (verb.toLowerCase() !== "audit") return bad(`unknown verb "${verb}"`);
  const target = words.shift();
  if (!target) return bad("no target");

  let candidate: string | undefined;
  let maxRepos: number | undefined;
  let role: string | undefined;
  while (words.length > 0) {
    const word = words.shift()!;
    const option = /^--max-repos(?:=(.*))?$/i.exec(word);
    const roleOption = /^--role(?:=(.*))?$/i.exec(word);
    if (option) {
      const value = option[1] ?? words.shift();
      if (maxRepos !== undefined) return bad("--max-repos given twice");
      if (value === undefined || !/^\d+$/.test(value) || Number(value) < 1 || Number(value) > MAX_REPOS_LIMIT) {
        return bad(`--max-repos needs a number from 1 to ${MAX_REPOS_LIMIT}`);
      }
      maxRepos = Number(value);
    } else if (roleOption) {
      if (role !== undefined) return bad("--role given twice");
      const r = roleValue(roleOption[1] ?? words.shift());
      if ("problem" in r) return bad(r.problem);
      role = r.role;
    } else if (word.toLowerCase() === "for") {
      const who = words.shift();
      if (candidate !== undefined) return bad("`for` given twice");
      if (!who || !who.startsWith("@") || !isAccountName(who.slice(1))) return bad("`for` needs a GitHub user, like `for @octocat`");
      candidate = who.slice(1);
    } else {
      return bad(`unexpected "${word}"`);
    }
  }
  const withRole = role !== undefined ? { role } : {};

  const t = parseTarget(target);
  if ("problem" in t) return bad(t.problem);
  if (t.target.kind === "portfolio") {
    if (candidate !== undefined) return bad("`for @user` goes with a repository; a portfolio is already the user's");
    return { command: { ...t.target, ...(maxRepos !== undefined ? { maxRepos } : {}), ...withRole } };
  }
  if (maxRepos !== undefined) return bad("--max-repos goes with @user (a portfolio)");
  return { command: { ...t.target, ...(candidate !== undefined ? { candidate } : {}), ...withRole } };
}

/** `--role`'s value: an id (lower case, as the role files spell it), never a path. */
function roleValue(value: string | undefined): { role: string } | { problem: string } {
  if (value === undefined || value === "") return { problem: "--role needs a role id, like `--role backend-java`" };
  if (!isRoleId(value.toLowerCase())) return { problem: `"${value}" is not a role id (lower-case letters, digits and hyphens, like backend-java)` };
  return { role: value.toLowerCase() };
}

/** `owner/repo[@ref]` or `@user`. */
function parseTarget(target: string): { target: CompareTarget } | { problem: string } {
  if (target.startsWith("@")) {
    const user = target.slice(1);
    if (!isAccountName(user)) return { problem: `"${target}" is not a GitHub user name` };
    return { target: { kind: "portfolio", user } };
  }
  const m = /^([^/@\s]+)\/([^/@\s]+)(?:@(.*))?$/.exec(target);
  if (!m) return { problem: `"${target}" is neither owner/repo nor @user` };
  const [, owner, typed, ref] = m as unknown as [string, string, string, string | undefined];
  // "owner/repo.git", as copied from a clone URL, names the repository "repo".
  const repo = typed.endsWith(".git") && typed.length > 4 ? typed.slice(0, -4) : typed;
  if (!isAccountName(owner)) return { problem: `"${owner}" is not a GitHub owner name` };
  if (!isRepoName(repo)) return { problem: `"${typed}" is not a GitHub repository name` };
  if (ref !== undefined && !isRefName(ref)) return { problem: `"${ref}" is not a branch, tag or commit` };
  return { target: { kind: "repo", owner, repo, ...(ref !== undefined ? { ref } : {}) } };
}

/** `compare <target> <target>... --role ID`: 2 to 10 distinct targets and a role. */
function parseCompare(words: string[], bad: (problem: string) => LineResult): LineResult {
  const targets: CompareTarget[] = [];
  const seen = new Set<string>();
  let role: string | undefined;
  while (words.length > 0) {
    const word = words.shift()!;
    const roleOption = /^--role(?:=(.*))?$/i.exec(word);
    if (roleOption) {
      if (role !== undefined) return bad("--role given twice");
      const r = roleValue(roleOption[1] ?? words.shift());
      if ("problem" in r) return bad(r.problem);
      role = r.role;
      continue;
    }
    if (word.startsWith("--")) return bad(`unexpected "${word}"`);
    const t = parseTarget(word);
    if ("problem" in t) return bad(t.problem);
    // The same candidate twice is one row.
    const key = targetKey(t.target);
    if (seen.has(key)) continue;
    seen.add(key);
    targets.push(t.target);
  }
  if (role === undefined) return bad("compare needs --role, like `--role backend-java`");
  if (targets.length < MIN_COMPARE || targets.length > MAX_COMPARE) return bad(`compare takes ${MIN_COMPARE} to ${MAX_COMPARE} different candidates (owner/repo or @user), got ${targets.length}`);
  return { command: { kind: "compare", targets, role } };
}

function targetKey(t: CompareTarget): string {
  return t.kind === "portfolio" ? `@${t.user.toLowerCase()}` : `${t.owner}/${t.repo}`.toLowerCase() + `@${t.ref ?? ""}`;
}

/** A target as typed: `owner/repo[@ref]` or `@user`. */
export function formatTarget(t: CompareTarget): string {
  return t.kind === "portfolio" ? `@${t.user}` : `${t.owner}/${t.repo}${t.ref !== undefined ? `@${t.ref}` : ""}`;
}

/** A stable, case-insensitive key: the same command twice in one comment runs once. */
export function commandKey(c: AuditCommand): string {
  const role = c.role !== undefined ? `~${c.role}` : "";
  if (c.kind === "compare") return `compare:${c.targets.map(targetKey).join(",")}${role}`;
  if (c.kind === "portfolio") return `@${c.user.toLowerCase()}#${c.maxRepos ?? ""}${role}`;
  return `${c.owner}/${c.repo}`.toLowerCase() + `@${c.ref ?? ""}#${(c.candidate ?? "").toLowerCase()}${role}`;
}

/** The command as a user would type it (for replies and logs). */
export function formatCommand(c: AuditCommand): string {
  const role = c.role !== undefined ? ` --role ${c.role}` : "";
  if (c.kind === "compare") return `${COMMAND} compare ${c.targets.map(formatTarget).join(" ")}${role}`;
  if (c.kind === "portfolio") return `${COMMAND} audit @${c.user}${c.maxRepos !== undefined ? ` --max-repos ${c.maxRepos}` : ""}${role}`;
  return `${COMMAND} audit ${c.owner}/${c.repo}${c.ref !== undefined ? `@${c.ref}` : ""}${c.candidate !== undefined ? ` for @${c.candidate}` : ""}${role}`;
}

/**
 * Every command in a comment. Several commands run each (a recruiter may
 * compare two candidates in one comment), duplicates once, and at most
 * MAX_COMMANDS_PER_COMMENT: a portfolio costs dozens of requests of the
 * installation's hourly budget, so one comment cannot spend it all.
 */
export function parseComment(body: string | null | undefined): ParsedComment {
  const result: ParsedComment = { commands: [], dropped: [], malformed: [] };
  const seen = new Set<string>();
  for (const line of commandLines(body ?? "")) {
    const r = parseCommandLine(line);
    if ("malformed" in r) {
      result.malformed.push(r.malformed);
      continue;
    }
    const key = commandKey(r.command);
    if (seen.has(key)) continue;
    seen.add(key);
    (result.commands.length < MAX_COMMANDS_PER_COMMENT ? result.commands : result.dropped).push(r.command);
  }
  return result;
}
