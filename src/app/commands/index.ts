import type { Probot } from "probot";
import type { RuleSet } from "../../engine/types.js";
import type { AppOctokit } from "../github/octokit.js";
import { commandKey, parseComment } from "./parse.js";
import { commenterPermission } from "./permission.js";
import { deniedReply, fitComment, notRunReply } from "./replies.js";
import { COMMENT_COMMAND_JOB, runCommentCommand, type CommandOutcome, type CommentCommandJob } from "./run.js";

export { COMMENT_COMMAND_JOB, commentCommandJob, runCommentCommand, type CommandDeps, type CommandOutcome, type CommentCommandJob } from "./run.js";

export interface CommentCommandOptions {
  /**
   * Puts a job on the app's queue: `key` names it (unique per comment and
   * command, so a redelivered webhook does not run it twice where the queue
   * deduplicates by key), `job` is plain data. The queue later calls the
   * runner this function returns.
   */
  enqueue: (key: string, job: CommentCommandJob, meta: { deliveryId: string }) => unknown;
  ruleSet: RuleSet | (() => RuleSet);
  /**
   * "Seen lately?" for comment ids, true the first time (the app's shared
   * delivery memory, in Redis with several replicas). Default: this process's.
   */
  seen?: { claim(key: string): Promise<boolean> };
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
 * handler does only what must be immediate and cheap — parse (no request),
 * the commenter's permission (1 GET), the 👀 reaction, a reply when nothing
 * can run — and enqueues each command; the audits themselves run in the
 * queue, because Probot answers GitHub only after handlers return and GitHub
 * gives up after 10 seconds. Returns the job runner for the queue.
 */
export function registerCommentCommand(app: Probot, options: CommentCommandOptions): CommentCommandRunner {
  const seen = options.seen ?? new RecentIds(10_000);
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
    const reply = (body: string) => context.octokit.rest.issues.createComment({ ...at, issue_number: issue.number, body: fitComment(body) });

    let queued = 0;
    try {
      const permission = await commenterPermission(context.octokit, at, login);
      if (!permission.allowed) {
        await reply(deniedReply(login, permission.role));
        context.log.info({ user: login, role: permission.role }, "skillproof: comment command refused (permission)");
        return;
      }
      // Queued first: with Probot's throttling every write of the process waits in one lane, and
      // the audit must not depend on the acknowledgement getting through in time.
      for (const command of parsed.commands) {
        const job: CommentCommandJob = { installationId: installation.id, ...at, issueNumber: issue.number, commentId: comment.id, requestedBy: login, command };
        const key = `${COMMENT_COMMAND_JOB}:${at.owner}/${at.repo}`.toLowerCase() + `#${comment.id}:${commandKey(command)}`;
        await options.enqueue(key, job, { deliveryId: context.id });
        queued++;
      }
      if (parsed.commands.length > 0) {
        // The acknowledgement; a failure here must not stop anything.
        await context.octokit.rest.reactions.createForIssueComment({ ...at, comment_id: comment.id, content: "eyes" }).catch((err: unknown) => {
          context.log.warn({ err }, "skillproof: could not react to the comment");
        });
      }
      if (parsed.malformed.length > 0 || parsed.dropped.length > 0) await reply(notRunReply(login, parsed.malformed, parsed.dropped));
      context.log.info({ user: login, commands: parsed.commands.length, malformed: parsed.malformed.length }, "skillproof: comment commands queued");
    } catch (err) {
      context.log.error({ err, queued }, "skillproof: comment command could not be handled");
      // Queued commands will reply themselves; only a command that never got queued needs the apology.
      if (queued < parsed.commands.length || parsed.commands.length === 0) await reply(`@${login}, sorry: your \`/skillproof\` command could not be handled just now. It has been logged; please try again later.`).catch(() => undefined);
    }
  });
  return commentCommandRunner(app, options.ruleSet);
}
