import type { Logger } from "probot";
import type { RuleSet } from "../../engine/types.js";
import { auditPortfolio, auditRepository, RecruitError, renderPortfolio, renderRepoAudit } from "../../recruit/index.js";
import type { AppOctokit } from "../github/octokit.js";
import type { AuditCommand } from "./parse.js";
import { portfolioRoom, upsertPortfolioIssue } from "../publish/portfolioIssue.js";
import { ConfigError, configuredMaxRepos } from "./settings.js";
import { apologyReply, fitComment, MAX_COMMENT_LENGTH, portfolioReply, problemReply, quietMentions, repoReplyHead } from "./replies.js";

/** The job kind, for a queue that dispatches jobs by kind. */
export const COMMENT_COMMAND_JOB = "comment-command";

/**
 * One command to run, as plain data (a queue may store it as JSON): where it
 * was typed, by whom, and what to audit. The installation id is the only
 * credential reference: the job reads targets with that installation's token.
 */
export interface CommentCommandJob {
  installationId: number;
  /** The repository where the command was typed (replies and the portfolio issue go there). */
  owner: string;
  repo: string;
  issueNumber: number;
  commentId: number;
  /** Who typed it (mentioned in the reply). */
  requestedBy: string;
  command: AuditCommand;
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
}

export type CommandOutcome =
  | { kind: "repo-report"; length: number; score: number }
  | { kind: "portfolio-issue"; issue: number; outcome: "created" | "updated" | "unchanged"; score: number }
  | { kind: "problem"; problem: RecruitError["kind"] | "config" }
  | { kind: "failed" };

/** Characters kept free for the zero-width spaces quietMentions adds (one per mention; a report has a few dozen). */
const MENTION_ROOM = 256;

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
 * Runs one command and answers in the thread where it was typed. Never
 * throws: a problem the recruiter can act on becomes its one sentence, anything
 * else a short apology (and a log line with the error).
 */
export async function runCommentCommand(deps: CommandDeps, job: CommentCommandJob): Promise<CommandOutcome> {
  const { octokit, log } = deps;
  const at = { owner: job.owner, repo: job.repo };
  const reply = (body: string) => octokit.rest.issues.createComment({ ...at, issue_number: job.issueNumber, body: fitComment(body) });
  try {
    const c = job.command;
    if (c.kind === "repo") {
      const audit = await auditRepository(
        octokit,
        { owner: c.owner, repo: c.repo, ...(c.ref !== undefined ? { ref: c.ref } : {}) },
        { ruleSet: deps.ruleSet(), graphql: true, ...(c.candidate !== undefined ? { candidate: c.candidate } : {}) },
      );
      const head = repoReplyHead(job.requestedBy, c);
      const body = fitComment(head + quietMentions(renderRepoAudit(audit, "markdown", { maxLength: MAX_COMMENT_LENGTH - head.length - MENTION_ROOM })));
      await reply(body);
      log.info({ command: c, requests: audit.requests, length: body.length }, "skillproof: repository audit replied");
      return { kind: "repo-report", length: body.length, score: audit.report.score };
    }
    const maxRepos = c.maxRepos ?? (await configuredMaxRepos(octokit, at, deps.ruleSet()));
    const portfolio = await auditPortfolio(octokit, c.user, { ruleSet: deps.ruleSet(), graphql: true, ...(maxRepos !== undefined ? { maxRepos } : {}) });
    const markdown = quietMentions(renderPortfolio(portfolio, "markdown", { maxLength: portfolioRoom(c.user) - MENTION_ROOM }));
    const lockKey = `portfolio:${job.owner}/${job.repo}#${c.user}`.toLowerCase();
    const write = () => upsertPortfolioIssue(octokit, at, c.user, markdown);
    const issue = await (deps.issueLock ? deps.issueLock.run(lockKey, write) : withLock(lockKey, write));
    await reply(portfolioReply(job.requestedBy, c.user, issue));
    log.info({ command: c, requests: portfolio.requests, issue: issue.number, outcome: issue.outcome }, "skillproof: portfolio issue written");
    return { kind: "portfolio-issue", issue: issue.number, outcome: issue.outcome, score: portfolio.score };
  } catch (err) {
    // What the user can act on gets its sentence: the recruit audit's, or a config mistake in this repository (file, line, column).
    const problem =
      err instanceof RecruitError ? { kind: err.kind, sentence: err.message } : err instanceof ConfigError ? { kind: "config" as const, sentence: `this repository's ${err.message}` } : undefined;
    if (problem) log.info({ command: job.command, kind: problem.kind }, `skillproof: command answered with a problem: ${problem.sentence}`);
    else log.error({ err, command: job.command }, "skillproof: comment command failed");
    try {
      await reply(problem ? problemReply(job.requestedBy, job.command, problem.sentence) : apologyReply(job.requestedBy, job.command));
    } catch (replyErr) {
      log.error({ err: replyErr }, "skillproof: could not reply to the comment command");
    }
    return problem ? { kind: "problem", problem: problem.kind } : { kind: "failed" };
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
