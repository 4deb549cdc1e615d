import type { Probot } from "probot";
import type { RuleSet } from "../../engine/types.js";
import type { AppOctokit } from "../github/octokit.js";
import { memoryCommandLimits, type CommandLimits } from "./limits.js";
import { commandKey, parseComment } from "./parse.js";
import { COMMENT_COMMAND_JOB, COMMENT_NOTICE_JOB, runCommentCommand, type CommandOutcome, type CommentCommandJob, type CommentNoticeJob } from "./run.js";

export {
  COMMENT_COMMAND_JOB,
  COMMENT_NOTICE_JOB,
  commentCommandJob,
  commentNoticeJob,
  runCommentCommand,
  type CommandDeps,
  type CommandOutcome,
  type CommentCommandJob,
  type CommentNoticeJob,
} from "./run.js";
export { CommandLimits, DEFAULT_COMMAND_CAPS, memoryCommandLimits, openCommandLimits, type CommandCaps } from "./limits.js";

export interface CommentCommandOptions {
  /**
   * Puts a job on the app's queue: `key` names it (unique per comment and
   * command, so a redelivered webhook does not run it twice where the queue
   * deduplicates by key), `job` is plain data. The queue later calls the
   * runner this function returns.
   */
  enqueue: (key: string, job: CommentCommandJob, meta: { deliveryId: string }) => unknown;
  /** Queues the one polite reply to a commenter over a cap (a "comment-notice" job). */
  enqueueNotice: (key: string, job: CommentNoticeJob, meta: { deliveryId: string }) => unknown;
  ruleSet: RuleSet | (() => RuleSet);
  /**
   * "Seen lately?" for comment ids, true the first time (the app's shared
   * delivery memory, in Redis with several replicas). Default: this process's.
   */
  seen?: { claim(key: string): Promise<boolean> };
  /** The caps (limits.ts); default: the default caps, counted in this process. */
  limits?: CommandLimits;
}

export type CommentCommandRunner = (job: CommentCommandJob) => Promise<CommandOutcome>;

/** A bot's comment (including this app's own replies) never runs a command: no loops. */
export function isBot(user: { login?: string; type?: string } | null | undefined): boolean {
  return user?.type === "Bot" || (user?.login ?? "").endsWith("[bot]");
}

/**
 * The job runner: authenticates as the installation named in the job — the one
 * where the command was typed — and runs the command with that client only.
 */
export function commentCommandRunner(app: Probot, ruleSet: CommentCommandOptions["ruleSet"]): CommentCommandRunner {
  const rules = typeof ruleSet === "function" ? ruleSet : () => ruleSet;
  return async (job) => {
    const octokit = (await app.auth(job.installationId)) as AppOctokit;
    const log = app.log.child({ name: "skillproof-command", repo: `${job.owner}/${job.repo}`, issue: job.issueNumber, comment: job.commentId });
    return runCommentCommand({ octokit, log, ruleSet: rules }, job);
  };
}

/** Comments handled lately, in this process: a redelivered webhook neither reacts nor enqueues twice. */
class RecentIds {
  private readonly ids = new Set<string>();
  constructor(private readonly limit: number) {}
  /** True the first time a key is claimed. */
  async claim(key: string): Promise<boolean> {
    if (this.ids.has(key)) return false;
    this.ids.add(key);
    if (this.ids.size > this.limit) this.ids.delete(this.ids.values().next().value!);
    return true;
  }
}

/**
 * `/skillproof audit …` in issue and pull request comments. The webhook
 * handler makes no GitHub request: Probot answers GitHub only after handlers
 * return, GitHub gives up after 10 seconds, and every write of the
 * installation waits in one lane. It parses the comment (pure), claims the
 * comment id (once per comment), asks the caps for a slot per job (counters
 * in memory or Redis) and enqueues. The permission reads, the 👀, the
 * refusals and every reply run in the queued job (run.ts); a commenter over a
 * cap gets one polite reply an hour, queued too. Returns the job runner.
 */
export function registerCommentCommand(app: Probot, options: CommentCommandOptions): CommentCommandRunner {
  const seen = options.seen ?? new RecentIds(10_000);
  const limits = options.limits ?? memoryCommandLimits();
  const runner = commentCommandRunner(app, options.ruleSet);
  app.on("issue_comment.created", async (context) => {
    const { comment, issue, repository, installation, sender } = context.payload;
    if (isBot(sender) || isBot(comment.user)) return;
    const parsed = parseComment(comment.body);
    if (parsed.commands.length === 0 && parsed.malformed.length === 0) return;
    if (!installation) {
      context.log.warn("skillproof: comment command without an installation, ignored");
      return;
    }
    if (!(await seen.claim(`comment-command:${comment.id}`))) {
      context.log.info({ comment: comment.id }, "skillproof: comment already handled, skipped");
      return;
    }
    const at = { owner: repository.owner.login, repo: repository.name };
    const login = comment.user?.login ?? sender.login;
    const visibility = (repository as { visibility?: string }).visibility ?? (repository.private ? "private" : "public");
    const base = { installationId: installation.id, ...at, threadVisibility: visibility, issueNumber: issue.number, commentId: comment.id, requestedBy: login };
    const notRun = { malformed: parsed.malformed, dropped: parsed.dropped };
    const owner = { installationId: installation.id, login };
    const notice = (n: CommentNoticeJob["notice"]): CommentNoticeJob => ({ installationId: installation.id, ...at, issueNumber: issue.number, requestedBy: login, notice: n });
    // One job per command, the first one carrying the comment's own answers; a comment without a valid command gets one job for its answer.
    const jobs: Array<{ key: string; enqueue: () => unknown }> =
      parsed.commands.length > 0
        ? parsed.commands.map((command, i) => {
            const job: CommentCommandJob = { ...base, command, ...(i === 0 ? { lead: notRun } : {}) };
            const key = `${COMMENT_COMMAND_JOB}:${at.owner}/${at.repo}`.toLowerCase() + `#${comment.id}:${commandKey(command)}`;
            return { key, enqueue: () => options.enqueue(key, job, { deliveryId: context.id }) };
          })
        : [(() => {
            const key = `${COMMENT_NOTICE_JOB}:${at.owner}/${at.repo}`.toLowerCase() + `#${comment.id}:not-run`;
            return { key, enqueue: () => options.enqueueNotice(key, notice({ kind: "not-run", ...notRun }), { deliveryId: context.id }) };
          })()];
    let queued = 0;
    for (const job of jobs) {
      const admission = await limits.admit(owner);
      if (!admission.admitted) {
        context.log.info({ user: login, cap: admission.cap, told: admission.tell, notQueued: jobs.length - queued }, "skillproof: comment command over a cap");
        if (admission.tell) {
          const key = `${COMMENT_NOTICE_JOB}:${installation.id}:${login}`.toLowerCase() + `#${comment.id}:limit`;
          await Promise.resolve(options.enqueueNotice(key, notice({ kind: "limit", cap: admission.cap, caps: limits.caps }), { deliveryId: context.id })).catch((err: unknown) =>
            context.log.error({ err }, "skillproof: could not queue the command-limit reply"),
          );
        }
        break;
      }
      try {
        await job.enqueue();
        queued++;
      } catch (err) {
        // Nothing will run it: the slot goes back, and the commenter may simply comment again.
        await limits.release(owner);
        context.log.error({ err, queued, job: job.key }, "skillproof: comment command could not be queued");
        return;
      }
    }
    context.log.info({ user: login, commands: parsed.commands.length, malformed: parsed.malformed.length, queued }, "skillproof: comment commands queued");
  });
  return runner;
}
