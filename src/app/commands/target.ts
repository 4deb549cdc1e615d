import { classify, RecruitError } from "../../recruit/errors.js";
import { graphqlRepoMeta, type RepoMeta } from "../../recruit/github.js";
import { checkRepoTarget, isLogin } from "../../recruit/repo.js";
import type { AppOctokit } from "../github/octokit.js";
import type { RepoCommand } from "./parse.js";
import { readerPermission } from "./permission.js";

/**
 * The one answer for a repository that cannot be audited in this thread,
 * whether it does not exist, cannot be read by the installation, cannot be
 * read by the asker, or is private and the thread is not: the same words in
 * every case, so the reply is no oracle for a private repository's existence.
 */
export const UNAVAILABLE =
  "this repository was not found, or it cannot be audited here: a private repository is audited only for people who can read it, and reported only in a private repository of the same owner.";

/** Thrown for every refusal of a target (see UNAVAILABLE). */
export class TargetUnavailable extends RecruitError {
  constructor() {
    super("not-found", UNAVAILABLE);
  }
}

/** The thread where the command was typed, as the (signed) webhook described it. */
export interface Thread {
  owner: string;
  /** "public", "private" or "internal"; anything else or absent counts as public. */
  visibility: string | undefined;
}

/**
 * May a report of `meta` be shown to `login` in `thread`? The rule:
 * - a public target: yes, to anyone (GitHub shows it to anyone already);
 * - a private or internal target (GraphQL's isPrivate is true for both):
 *   only when the thread's repository is private (not public, not internal:
 *   an internal repository is readable by the whole enterprise) AND has the
 *   same owner as the target AND the asker can read the target
 *   (GET /repos/{target}/collaborators/{login}/permission: read or more).
 * So a private report is posted only where its owner already keeps private
 * things, asked for by someone who could read it anyway. The thread check
 * costs nothing and is made first; the permission read is the only request.
 */
export async function mayShow(octokit: AppOctokit, meta: RepoMeta, thread: Thread, login: string): Promise<boolean> {
  if (!meta.private) return true;
  if (thread.visibility !== "private") return false;
  if (thread.owner.toLowerCase() !== meta.owner.toLowerCase()) return false;
  return readerPermission(octokit, { owner: meta.owner, repo: meta.repo }, login);
}

/**
 * The target's metadata (one GraphQL query: visibility, owner, head or the
 * commit `ref` names), read before anything of its content and shown to
 * nobody. Any answer that says "not there" (missing, not readable by the
 * installation, forbidden) becomes TargetUnavailable; the name checks and
 * rate-limit or network troubles keep their own sentences, which say nothing
 * about the target.
 */
export async function readTargetMeta(octokit: AppOctokit, command: RepoCommand): Promise<RepoMeta> {
  checkRepoTarget(command);
  if (command.candidate !== undefined && !isLogin(command.candidate)) throw new RecruitError("bad-target", `"@${command.candidate}" is not a GitHub user name.`);
  const subject = { kind: "repo" as const, owner: command.owner, repo: command.repo };
  let meta: RepoMeta | undefined;
  let failure: unknown;
  try {
    const { metas, errors } = await graphqlRepoMeta(octokit, [{ owner: command.owner, repo: command.repo, ...(command.ref !== undefined ? { ref: command.ref } : {}) }]);
    meta = metas[0];
    failure = errors[0];
  } catch (err) {
    failure = err;
  }
  if (meta) return meta;
  const e = failure === undefined ? new TargetUnavailable() : classify(failure, subject, { authenticated: true });
  if (e instanceof RecruitError && (e.kind === "not-found" || e.kind === "private")) throw new TargetUnavailable();
  throw e;
}
