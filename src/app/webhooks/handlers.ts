import type { Context, Probot } from "probot";
import { CHECK_NAME, RERUN_ACTION } from "../publish/checkRun.js";
import { externalId, parseExternalId, type AuditRequest } from "../audit/request.js";
import type { AnyJob } from "../jobs/types.js";
import type { JobQueue } from "../queue/types.js";
import type { OnceKeys } from "../state/types.js";

export interface AppState {
  queue: JobQueue;
  /** Delivery ids already handled: a redelivered webhook is skipped. */
  deliveries: OnceKeys;
  /** "owner/repo@sha#purpose" audited lately: push and check_suite.requested for one commit audit it once. */
  recentAudits: OnceKeys;
}

type AnyContext = Context;

/**
 * A pull request whose head lives in another repository (a fork, or a fork
 * since deleted): its author controls the head's files, so its audit takes
 * the config from the base commit (see AuditRequest.pull).
 */
function isFork(pr: { head: { repo?: { id: number } | null }; base: { repo?: { id: number } | null } }): boolean {
  return pr.head.repo?.id !== pr.base.repo?.id;
}

/**
 * Webhook handlers: each reads its payload, decides what to audit and
 * enqueues it as data (the installation, the delivery, the request), then
 * returns, so GitHub gets its answer within its 10 s. All GitHub requests
 * happen in the queued jobs, which authenticate as the installation.
 */
export function registerHandlers(app: Probot, state: AppState): void {
  /** Skips a delivery seen before (GitHub redelivery, or a manual "Redeliver"), on any replica. */
  const once = <C extends AnyContext>(handler: (context: C) => Promise<void>) => async (context: C): Promise<void> => {
    if (!(await state.deliveries.claim(context.id))) {
      context.log.info({ delivery: context.id }, "skillproof: delivery already handled, skipped");
      return;
    }
    await handler(context);
  };

  const installationOf = (context: AnyContext): number | undefined => {
    const id = (context.payload as { installation?: { id?: number } }).installation?.id;
    if (typeof id !== "number") context.log.warn({ delivery: context.id }, "skillproof: event without an installation, ignored");
    return typeof id === "number" ? id : undefined;
  };

  const enqueue = async (context: AnyContext, job: AnyJob): Promise<void> => {
    const result = await state.queue.enqueue(job);
    context.log.info({ key: job.key, kind: job.kind, result }, "skillproof: job queued");
  };

  const schedule = async (context: AnyContext, req: AuditRequest, opts: { force?: boolean } = {}): Promise<void> => {
    const installationId = installationOf(context);
    if (installationId === undefined) return;
    const repoKey = `${req.owner}/${req.repo}`.toLowerCase();
    const auditKey = `${repoKey}@${req.sha}#${externalId(req)}`;
    if (!opts.force && !(await state.recentAudits.claim(auditKey))) {
      context.log.info({ audit: auditKey }, "skillproof: commit already audited lately, skipped");
      return;
    }
    // Automatic audits coalesce per repository and purpose (newest commit wins); a re-run asked for one commit stands alone.
    const purposeKey = req.purpose === "pull" ? `pull:${req.pull?.number}` : req.purpose;
    const key = opts.force || req.purpose === "commit" ? `${repoKey}#${purposeKey}@${req.sha}` : `${repoKey}#${purposeKey}`;
    await enqueue(context, { kind: "audit", key, installationId, deliveryId: context.id, input: req });
  };

  app.on(
    "push",
    once(async (context) => {
      const p = context.payload;
      const repo = p.repository;
      if (p.deleted || /^0+$/.test(p.after)) return;
      if (p.ref !== `refs/heads/${repo.default_branch}` || repo.archived) return;
      await schedule(context, {
        owner: repo.full_name.split("/")[0]!,
        repo: repo.name,
        sha: p.after,
        ref: p.ref,
        purpose: "default",
        sizeKb: repo.size,
        ...(p.head_commit?.timestamp ? { commitDate: p.head_commit.timestamp } : {}),
      });
    }),
  );

  app.on(
    ["pull_request.opened", "pull_request.synchronize", "pull_request.reopened"],
    once(async (context) => {
      const pr = context.payload.pull_request;
      const repo = context.payload.repository;
      if (repo.archived) return;
      await schedule(context, {
        owner: repo.owner.login,
        repo: repo.name,
        sha: pr.head.sha,
        ref: `refs/pull/${pr.number}/head`,
        purpose: "pull",
        pull: { number: pr.number, baseSha: pr.base.sha, ...(isFork(pr) ? { fork: true } : {}) },
        sizeKb: repo.size,
      });
    }),
  );

  app.on(
    ["check_suite.requested", "check_suite.rerequested"],
    once(async (context) => {
      const cs = context.payload.check_suite;
      const repo = context.payload.repository;
      const force = context.payload.action === "rerequested";
      const base = { owner: repo.owner.login, repo: repo.name, sha: cs.head_sha, sizeKb: repo.size };
      const pr = cs.pull_requests[0];
      if (cs.head_branch === repo.default_branch) {
        await schedule(context, { ...base, ref: `refs/heads/${cs.head_branch}`, purpose: "default", ...(cs.head_commit?.timestamp ? { commitDate: cs.head_commit.timestamp } : {}) }, { force });
      } else if (pr) {
        await schedule(context, { ...base, purpose: "pull", pull: { number: pr.number, baseSha: pr.base.sha, ...(isFork(pr) ? { fork: true } : {}) } }, { force });
      } else if (force) {
        await schedule(context, { ...base, ...(cs.head_branch ? { ref: `refs/heads/${cs.head_branch}` } : {}), purpose: "commit" }, { force });
      }
    }),
  );

  app.on(
    ["check_run.rerequested", "check_run.requested_action"],
    once(async (context) => {
      const p = context.payload;
      const cr = p.check_run;
      if (cr.name !== CHECK_NAME) return;
      if (p.action === "requested_action" && p.requested_action?.identifier !== RERUN_ACTION.identifier) return;
      const repo = p.repository;
      const branch = cr.check_suite?.head_branch ?? null;
      const what = parseExternalId(cr.external_id) ?? { purpose: branch === repo.default_branch ? ("default" as const) : ("commit" as const) };
      await schedule(context, { owner: repo.owner.login, repo: repo.name, sha: cr.head_sha, sizeKb: repo.size, ...(branch ? { ref: `refs/heads/${branch}` } : {}), ...what }, { force: true });
    }),
  );

  app.on(
    ["installation.created", "installation_repositories.added"],
    once(async (context) => {
      const installationId = installationOf(context);
      if (installationId === undefined) return;
      const p = context.payload;
      const added = "repositories_added" in p ? p.repositories_added : (p.repositories ?? []);
      for (const r of added) {
        const [owner, repo] = r.full_name.split("/") as [string, string];
        const key = `${owner}/${repo}`.toLowerCase() + "#default";
        await enqueue(context, { kind: "installation-repo", key, installationId, deliveryId: context.id, input: { owner, repo } });
      }
      context.log.info({ repositories: added.length }, "skillproof: installation audits queued");
    }),
  );
}
