import type { Logger } from "probot";
import { AuditTimeoutError } from "../../engine/budget.js";
import type { RuleSet } from "../../engine/types.js";
import { auditPortfolio, RecruitError, renderPortfolio, renderRepoAudit } from "../../recruit/index.js";
import { auditWithMeta } from "../../recruit/repo.js";
import type { AppOctokit } from "../github/octokit.js";
import { processReplyCache, reportKey, type ReplyCache } from "./cache.js";
import type { CapName, CommandCaps } from "./limits.js";
import { createHash } from "node:crypto";
import type { Role } from "../../roles/types.js";
import { portfolioFit, portfolioMarkdownWithRole, shortlistFor, writeShortlist } from "./compare.js";
import type { AuditCommand, CompareCommand, Malformed, RepoCommand } from "./parse.js";
import { commenterPermission } from "./permission.js";
import { portfolioRoom, upsertPortfolioIssue } from "../publish/portfolioIssue.js";
import { unfinishedSentence, type AuditBudget } from "../publish/timedOut.js";
import { ConfigError, findRole, hiringConfig, UnknownRoleError } from "./settings.js";
import { apologyReply, deniedReply, fitComment, handlingApology, limitReply, MAX_COMMENT_LENGTH, notRunReply, portfolioReply, problemReply, quietMentions, repoReplyHead, shortlistReply } from "./replies.js";
import { mayShow, readTargetMeta, TargetUnavailable } from "./target.js";

/** The job kinds, for a queue that dispatches jobs by kind. */
export const COMMENT_COMMAND_JOB = "comment-command";
export const COMMENT_NOTICE_JOB = "comment-notice";

/**
 * One job of a comment, as plain data (a queue may store it as JSON): where
 * the comment was typed, by whom, and what to do. The installation id is the
 * only credential reference: the job reads with that installation's token.
 * Everything that needs GitHub (the permission reads, the 👀, every reply)
 * happens in the job, never in the webhook handler.
 */
export interface CommentCommandJob {
  installationId: number;
  /** The repository where the command was typed (replies and the portfolio issue go there). */
  owner: string;
  repo: string;
  /**
   * That repository's visibility as the signed webhook gave it ("public",
   * "private", "internal"). Absent (a job queued by an older version): public,
   * the reading that shows least.
   */
  threadVisibility?: string;
  issueNumber: number;
  commentId: number;
  /** Who typed it (mentioned in the reply). */
  requestedBy: string;
  command: AuditCommand;
  /**
   * The comment's own answers, carried by its first job only: the 👀, the
   * refusal when the commenter may not run commands, and one reply naming the
   * lines not understood and the commands beyond the limit.
   */
  lead?: NotRun;
}

/** What of a comment did not run: lines not understood, commands beyond the per-comment limit. */
export interface NotRun {
  malformed: Malformed[];
  dropped: AuditCommand[];
}

/**
 * A reply that is all a comment gets, as queued work: the one polite note to
 * a commenter over a cap (at most once an hour per commenter), or the answer
 * to a comment with no valid command (after the same permission check as a
 * command: a commenter who may not run commands hears only that).
 */
export interface CommentNoticeJob {
  installationId: number;
  owner: string;
  repo: string;
  issueNumber: number;
  requestedBy: string;
  notice: { kind: "limit"; cap: CapName; caps: CommandCaps } | ({ kind: "not-run" } & NotRun);
}

export interface CommandDeps {
  /** The client of the installation where the command was typed, and nothing else. */
  octokit: AppOctokit;
  log: Logger;
  ruleSet: () => RuleSet;
  /**
   * The app's issue lock, when it has one (the queue worker's: shared across
   * replicas with Redis). Without it, portfolio-issue writes are serialised in
   * this process only.
   */
  issueLock?: { run<T>(key: string, fn: () => Promise<T>): Promise<T> };
  /** Recent reports by commit (default: this process's). */
  replyCache?: ReplyCache;
  /** The job's wall-clock budget (the worker's SKILLPROOF_AUDIT_TIMEOUT_MS): the audit stops past it, the command answers in one sentence. */
  budget?: AuditBudget;
}

export type CommandOutcome =
  | { kind: "repo-report"; length: number; score: number; cached: boolean }
  | { kind: "portfolio-issue"; issue: number; outcome: "created" | "updated" | "unchanged"; score: number }
  | { kind: "shortlist-issue"; issue: number; outcome: "created" | "updated" | "unchanged"; candidates: number }
  | { kind: "problem"; problem: RecruitError["kind"] | "config" | "timeout" | "role" }
  | { kind: "refused"; why: "permission" | "target" }
  | { kind: "answered" }
  | { kind: "failed" };

/** Characters kept free for the zero-width spaces quietMentions adds (one per mention; a report has a few dozen). */
const MENTION_ROOM = 256;

/**
 * Characters kept free for the heading above a repository report ("@login,
 * here is the result of `/skillproof audit owner/repo@ref for @user`:"), the
 * same for every asker so that a cached report fits under anyone's heading.
 */
const MAX_HEAD = 640;

/** Serialises portfolio-issue writes per repository and user: two runs of one command never both create the issue. */
const issueLocks = new Map<string, Promise<unknown>>();

async function withLock<T>(key: string, fn: () => Promise<T>): Promise<T> {
  const before = issueLocks.get(key) ?? Promise.resolve();
  const run = before.then(fn, fn);
  const settled = run.catch(() => undefined);
  issueLocks.set(key, settled);
  try {
    return await run;
  } finally {
    if (issueLocks.get(key) === settled) issueLocks.delete(key);
  }
}

/**
 * Runs one job of a comment and answers in the thread where it was typed.
 * First the commenter's permission on the thread's repository (write or
 * more); the lead job reacts 👀 and says what did not run; then the command.
 * Never throws: a problem the recruiter can act on becomes its one sentence,
 * anything else a short apology (and a log line with the error).
 */
export async function runCommentCommand(deps: CommandDeps, job: CommentCommandJob): Promise<CommandOutcome> {
  const { octokit, log } = deps;
  const at = { owner: job.owner, repo: job.repo };
  const reply = (body: string) => octokit.rest.issues.createComment({ ...at, issue_number: job.issueNumber, body: fitComment(body) });
  const c = job.command;
  try {
    const permission = await commenterPermission(octokit, at, job.requestedBy);
    if (!permission.allowed) {
      // One refusal per comment: only its lead job says it.
      if (job.lead) await reply(deniedReply(job.requestedBy, permission.role));
      log.info({ user: job.requestedBy, role: permission.role }, "skillproof: comment command refused (permission)");
      return { kind: "refused", why: "permission" };
    }
    if (job.lead) await answerComment(deps, job, job.lead, reply);
    if (c.kind === "repo") return await runRepoCommand(deps, job, c, reply);
    if (c.kind === "compare") return await runCompareCommand(deps, job, c, reply);
    // The hiring repository's config: for its portfolio.maxRepos (without --max-repos) and its own roles (with --role).
    const config = c.maxRepos === undefined || c.role !== undefined ? await hiringConfig(octokit, at, deps.ruleSet()) : undefined;
    const maxRepos = c.maxRepos ?? config?.portfolio?.maxRepos;
    // Resolved before any audit: an unknown role is one sentence and costs no read of the candidate.
    const role = c.role !== undefined ? findRole(c.role, deps.ruleSet(), config?.roles ?? []) : undefined;
    // Portfolios read only the user's public repositories (the listing's private ones are skipped): nothing private to keep.
    const portfolio = await auditPortfolio(octokit, c.user, { ruleSet: deps.ruleSet(), graphql: true, ...(maxRepos !== undefined ? { maxRepos } : {}), ...(role ? { role } : {}), ...(deps.budget ? { budget: deps.budget } : {}) });
    const room = portfolioRoom(c.user) - MENTION_ROOM;
    const markdown = quietMentions(role ? portfolioMarkdownWithRole(portfolio, portfolioFit(portfolio, role), room) : renderPortfolio(portfolio, "markdown", { maxLength: room }));
    const lockKey = `portfolio:${job.owner}/${job.repo}#${c.user}`.toLowerCase();
    const write = () => upsertPortfolioIssue(octokit, at, c.user, markdown);
    const issue = await (deps.issueLock ? deps.issueLock.run(lockKey, write) : withLock(lockKey, write));
    await reply(portfolioReply(job.requestedBy, c.user, issue));
    log.info({ command: c, requests: portfolio.requests, issue: issue.number, outcome: issue.outcome }, "skillproof: portfolio issue written");
    return { kind: "portfolio-issue", issue: issue.number, outcome: issue.outcome, score: portfolio.score };
  } catch (err) {
    // What the user can act on gets its sentence: the recruit audit's, or a config mistake in this repository (file, line, column).
    const problem =
      err instanceof RecruitError
        ? { kind: err.kind, sentence: err.message }
        : err instanceof ConfigError
          ? { kind: "config" as const, sentence: `this repository's ${err.message}` }
          : err instanceof UnknownRoleError
            ? { kind: "role" as const, sentence: err.message }
          : err instanceof AuditTimeoutError
            ? { kind: "timeout" as const, sentence: unfinishedSentence({ kind: "time", budgetMs: err.budgetMs }) }
            : undefined;
    if (problem) log.info({ command: c, kind: problem.kind }, `skillproof: command answered with a problem: ${problem.sentence}`);
    else log.error({ err, command: c }, "skillproof: comment command failed");
    try {
      await reply(problem ? problemReply(job.requestedBy, c, problem.sentence) : apologyReply(job.requestedBy, c));
    } catch (replyErr) {
      log.error({ err: replyErr }, "skillproof: could not reply to the comment command");
    }
    if (err instanceof TargetUnavailable) return { kind: "refused", why: "target" };
    return problem ? { kind: "problem", problem: problem.kind } : { kind: "failed" };
  }
}

/** The lead job's answers to the comment itself: 👀 when something will run, and one reply for what will not. */
async function answerComment(deps: CommandDeps, job: CommentCommandJob, lead: NotRun, reply: (body: string) => Promise<unknown>): Promise<void> {
  // The acknowledgement; a failure here must not stop anything.
  await deps.octokit.rest.reactions.createForIssueComment({ owner: job.owner, repo: job.repo, comment_id: job.commentId, content: "eyes" }).catch((err: unknown) => {
    deps.log.warn({ err }, "skillproof: could not react to the comment");
  });
  if (lead.malformed.length > 0 || lead.dropped.length > 0) await reply(notRunReply(job.requestedBy, lead.malformed, lead.dropped));
}

/**
 * `/skillproof audit owner/repo[@ref]`: the target's metadata, then the gate
 * (target.ts: a private target only for a reader of it, only into a private
 * thread of the same owner), and only then its content, or the last report of
 * the same commit when one is less than REPLY_CACHE_MS old.
 */
async function runRepoCommand(deps: CommandDeps, job: CommentCommandJob, c: RepoCommand, reply: (body: string) => Promise<unknown>): Promise<CommandOutcome> {
  const { octokit, log } = deps;
  // Resolved before the target is read: an unknown role is one sentence and costs no read of it.
  const role = c.role !== undefined ? await roleOf(deps, job, c.role) : undefined;
  const meta = await readTargetMeta(octokit, c);
  if (!(await mayShow(octokit, meta, { owner: job.owner, visibility: job.threadVisibility }, job.requestedBy))) {
    log.info({ command: c, private: meta.private }, "skillproof: comment command refused (target not shown in this thread)");
    throw new TargetUnavailable();
  }
  if (c.ref !== undefined && meta.refSha === undefined) {
    throw new RecruitError("not-found", `Repository ${meta.owner}/${meta.repo} has no branch, tag or commit "${c.ref}".`);
  }
  // An organization authors no commits: without a named candidate, no share is shown.
  const candidate = c.candidate ?? (meta.ownerType === "Organization" ? null : meta.owner);
  const sha = c.ref !== undefined ? meta.refSha : meta.headSha;
  const cache = deps.replyCache ?? processReplyCache;
  // A report with a role is kept under that role's definition too: two hiring repositories may define one id differently.
  const key = sha ? reportKey(job.installationId, { owner: meta.owner, repo: meta.repo, sha, candidate }) + (role ? `#role=${roleFingerprint(role)}` : "") : undefined;
  const head = repoReplyHead(job.requestedBy, c);
  let report = key ? cache.get(key) : undefined;
  const cached = report !== undefined;
  let requests = 1;
  if (report === undefined) {
    const audit = await auditWithMeta(octokit, meta, { ruleSet: deps.ruleSet(), graphql: true, candidate, ...(c.ref !== undefined ? { ref: c.ref } : {}), ...(role ? { role } : {}), requests: 1, ...(deps.budget ? { budget: deps.budget } : {}) });
    requests = audit.requests;
    report = { markdown: quietMentions(renderRepoAudit(audit, "markdown", { maxLength: MAX_COMMENT_LENGTH - MAX_HEAD - MENTION_ROOM })), score: audit.report.score };
    if (key) cache.set(key, report);
  }
  const body = fitComment(head + report.markdown);
  await reply(body);
  log.info({ command: c, requests: cached ? 1 : requests, cached, length: body.length }, "skillproof: repository audit replied");
  return { kind: "repo-report", length: body.length, score: report.score, cached };
}

/** `--role ID`: one of the hiring repository's own `roles:` (its config, one read) or a shipped role. */
async function roleOf(deps: CommandDeps, job: CommentCommandJob, id: string): Promise<Role> {
  const config = await hiringConfig(deps.octokit, { owner: job.owner, repo: job.repo }, deps.ruleSet());
  return findRole(id, deps.ruleSet(), config?.roles ?? []);
}

function roleFingerprint(role: Role): string {
  const { file: _file, ...definition } = role;
  return `${role.id}:${createHash("sha256").update(JSON.stringify(definition)).digest("hex").slice(0, 16)}`;
}

/**
 * `/skillproof compare <target>... --role ID`: each candidate audited under
 * the same rules as `/skillproof audit` (compare.ts), then the one shortlist
 * issue of the role in this repository, created or updated in place, and a
 * reply linking it. One command against the caps, whatever its candidates.
 */
async function runCompareCommand(deps: CommandDeps, job: CommentCommandJob, c: CompareCommand, reply: (body: string) => Promise<unknown>): Promise<CommandOutcome> {
  const { octokit, log } = deps;
  const at = { owner: job.owner, repo: job.repo };
  const config = await hiringConfig(octokit, at, deps.ruleSet());
  const role = findRole(c.role, deps.ruleSet(), config?.roles ?? []);
  const maxRepos = config?.portfolio?.maxRepos;
  const shortlist = await shortlistFor(
    {
      octokit,
      log,
      ruleSet: deps.ruleSet(),
      thread: { owner: job.owner, visibility: job.threadVisibility },
      requestedBy: job.requestedBy,
      ...(deps.budget ? { budget: deps.budget } : {}),
      ...(maxRepos !== undefined ? { maxRepos } : {}),
    },
    role,
    c.targets,
  );
  const lockKey = `shortlist:${job.owner}/${job.repo}#${c.role}`.toLowerCase();
  const write = () => writeShortlist(octokit, at, c.role, shortlist);
  const issue = await (deps.issueLock ? deps.issueLock.run(lockKey, write) : withLock(lockKey, write));
  await reply(shortlistReply(job.requestedBy, c.role, issue));
  log.info({ command: c, issue: issue.number, outcome: issue.outcome, failed: shortlist.candidates.filter((r) => r.error !== undefined).length }, "skillproof: shortlist issue written");
  return { kind: "shortlist-issue", issue: issue.number, outcome: issue.outcome, candidates: shortlist.candidates.length };
}

/**
 * A notice job (the webhook handler writes nothing): the limit note, or the
 * answer to a comment without a valid command once the commenter's
 * permission is known. Never throws.
 */
export async function runCommentNotice(deps: CommandDeps, job: CommentNoticeJob): Promise<CommandOutcome> {
  const at = { owner: job.owner, repo: job.repo };
  const reply = (body: string) => deps.octokit.rest.issues.createComment({ ...at, issue_number: job.issueNumber, body: fitComment(body) });
  const n = job.notice;
  try {
    if (n.kind === "limit") {
      await reply(limitReply(job.requestedBy, n.cap, n.caps));
      return { kind: "answered" };
    }
    const permission = await commenterPermission(deps.octokit, at, job.requestedBy);
    if (!permission.allowed) {
      await reply(deniedReply(job.requestedBy, permission.role));
      return { kind: "refused", why: "permission" };
    }
    await reply(notRunReply(job.requestedBy, n.malformed, n.dropped));
    return { kind: "answered" };
  } catch (err) {
    deps.log.error({ err, notice: n.kind }, "skillproof: could not answer the comment");
    if (n.kind === "not-run") await reply(handlingApology(job.requestedBy)).catch(() => undefined);
    return { kind: "failed" };
  }
}

/**
 * The same, shaped as a queue's job handler `(env, input) => Promise<void>`:
 * `env` is the worker's, with the client of `input.installationId`. It never
 * throws, so a queue never retries a command that already replied.
 */
export async function commentCommandJob(env: CommandDeps, input: CommentCommandJob): Promise<void> {
  await runCommentCommand(env, input);
}

/** A notice as a job handler; never throws. */
export async function commentNoticeJob(env: CommandDeps, input: CommentNoticeJob): Promise<void> {
  await runCommentNotice(env, input);
}

