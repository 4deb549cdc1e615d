import type { Context, Probot } from "probot";
import type { RuleSet } from "../engine/types.js";
import { CHECK_NAME, RERUN_ACTION } from "./checkRun.js";
import { statusOf } from "./octokit.js";
import type { AuditQueue, KeyedMutex, RecentSet } from "./queue.js";
import { externalId, parseExternalId, runAudit, type AuditRequest } from "./runAudit.js";

export interface AppState {
  queue: AuditQueue;
  /** Delivery ids already handled: a redelivered webhook is skipped. */
  deliveries: RecentSet;
  /** "owner/repo@sha#purpose" audited lately: push and check_suite.requested for one commit audit it once. */
  recentAudits: RecentSet;
  issueLock: KeyedMutex;
  ruleSet: () => RuleSet;
}

type AnyContext = Context;

/**
 * Webhook handlers: each reads its payload, decides what to audit and
 * enqueues it, then returns, so GitHub gets its answer within its 10 s.
 * All GitHub requests happen in the queued jobs.
 */
export function registerHandlers(app: Probot, state: AppState): void {
  /** Skips a delivery seen before (GitHub redelivery, or a manual "Redeliver"). */
  const once = <C extends AnyContext>(handler: (context: C) => void) => async (context: C): Promise<void> => {
    if (state.deliveries.has(context.id)) {
      context.log.info({ delivery: context.id }, "skillproof: delivery already handled, skipped");
      return;
    }
    state.deliveries.add(context.id);
    handler(context);
  };

  const schedule = (context: AnyContext, req: AuditRequest, opts: { force?: boolean } = {}): void => {
    const repoKey = `${req.owner}/${req.repo}`.toLowerCase();
    const auditKey = `${repoKey}@${req.sha}#${externalId(req)}`;
    if (!opts.force && state.recentAudits.has(auditKey)) {
      context.log.info({ audit: auditKey }, "skillproof: commit already audited lately, skipped");
      return;
    }
    state.recentAudits.add(auditKey);
    // Automatic audits coalesce per repository and purpose (newest commit wins); a re-run asked for one commit stands alone.
    const purposeKey = req.purpose === "pull" ? `pull:${req.pull?.number}` : req.purpose;
    const queueKey = opts.force || req.purpose === "commit" ? `${repoKey}#${purposeKey}@${req.sha}` : `${repoKey}#${purposeKey}`;
    const result = state.queue.enqueue(queueKey, async () => {
      await runAudit({ octokit: context.octokit, log: context.log, ruleSet: state.ruleSet, issueLock: state.issueLock }, req);
    });
    context.log.info({ queueKey, sha: req.sha, result }, "skillproof: audit queued");
  };

  app.on(
    "push",
    once((context) => {
      const p = context.payload;
      const repo = p.repository;
      if (p.deleted || /^0+$/.test(p.after)) return;
      if (p.ref !== `refs/heads/${repo.default_branch}` || repo.archived) return;
      schedule(context, {
        owner: repo.full_name.split("/")[0]!,
        repo: repo.name,
        sha: p.after,
        ref: p.ref,
        purpose: "default",
        ...(p.head_commit?.timestamp ? { commitDate: p.head_commit.timestamp } : {}),
      });
    }),
  );

  app.on(
    ["pull_request.opened", "pull_request.synchronize", "pull_request.reopened"],
    once((context) => {
      const pr = context.payload.pull_request;
      const repo = context.payload.repository;
      if (repo.archived) return;
      schedule(context, {
        owner: repo.owner.login,
        repo: repo.name,
        sha: pr.head.sha,
        ref: `refs/pull/${pr.number}/head`,
        purpose: "pull",
        pull: { number: pr.number, baseSha: pr.base.sha },
      });
    }),
  );

  app.on(
    ["check_suite.requested", "check_suite.rerequested"],
    once((context) => {
      const cs = context.payload.check_suite;
      const repo = context.payload.repository;
      const force = context.payload.action === "rerequested";
      const base = { owner: repo.owner.login, repo: repo.name, sha: cs.head_sha };
      const pr = cs.pull_requests[0];
      if (cs.head_branch === repo.default_branch) {
        schedule(context, { ...base, ref: `refs/heads/${cs.head_branch}`, purpose: "default", ...(cs.head_commit?.timestamp ? { commitDate: cs.head_commit.timestamp } : {}) }, { force });
      } else if (pr) {
        schedule(context, { ...base, purpose: "pull", pull: { number: pr.number, baseSha: pr.base.sha } }, { force });
      } else if (force) {
        schedule(context, { ...base, ...(cs.head_branch ? { ref: `refs/heads/${cs.head_branch}` } : {}), purpose: "commit" }, { force });
      }
    }),
  );

  app.on(
    ["check_run.rerequested", "check_run.requested_action"],
    once((context) => {
      const p = context.payload;
      const cr = p.check_run;
      if (cr.name !== CHECK_NAME) return;
      if (p.action === "requested_action" && p.requested_action?.identifier !== RERUN_ACTION.identifier) return;
      const repo = p.repository;
      const branch = cr.check_suite?.head_branch ?? null;
      const what = parseExternalId(cr.external_id) ?? { purpose: branch === repo.default_branch ? ("default" as const) : ("commit" as const) };
      schedule(context, { owner: repo.owner.login, repo: repo.name, sha: cr.head_sha, ...(branch ? { ref: `refs/heads/${branch}` } : {}), ...what }, { force: true });
    }),
  );

  app.on(
    ["installation.created", "installation_repositories.added"],
    once((context) => {
      const p = context.payload;
      const added = "repositories_added" in p ? p.repositories_added : (p.repositories ?? []);
      for (const r of added) {
        const [owner, name] = r.full_name.split("/") as [string, string];
        // The payload's repositories lack `archived` and `default_branch`: the job looks them up (2 requests).
        state.queue.enqueue(`${owner}/${name}`.toLowerCase() + "#default", async () => {
          const req = await resolveDefaultBranch(context, owner, name);
          if (req) await runAudit({ octokit: context.octokit, log: context.log, ruleSet: state.ruleSet, issueLock: state.issueLock }, req);
        });
      }
      context.log.info({ repositories: added.length }, "skillproof: installation audits queued");
    }),
  );
}

/** The default branch's head of a newly added repository, or undefined (archived, empty, gone). */
async function resolveDefaultBranch(context: AnyContext, owner: string, repo: string): Promise<AuditRequest | undefined> {
  try {
    const { data: r } = await context.octokit.rest.repos.get({ owner, repo });
    if (r.archived) {
      context.log.info({ repo: r.full_name }, "skillproof: archived repository, not audited");
      return undefined;
    }
    const { data: branch } = await context.octokit.rest.repos.getBranch({ owner, repo, branch: r.default_branch });
    const date = branch.commit.commit.committer?.date;
    return {
      owner,
      repo,
      sha: branch.commit.sha,
      ref: `refs/heads/${r.default_branch}`,
      purpose: "default",
      ...(date ? { commitDate: date } : {}),
    };
  } catch (err) {
    // A repository without commits has no default branch yet: 404 on the branch.
    if (statusOf(err) === 404) context.log.info({ repo: `${owner}/${repo}` }, "skillproof: empty or missing repository, nothing to audit");
    else context.log.error({ err, status: statusOf(err) }, `skillproof: cannot look up ${owner}/${repo}`);
    return undefined;
  }
}
