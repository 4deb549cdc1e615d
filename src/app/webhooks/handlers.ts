import type { Context, Probot } from "probot";
import { CHECK_NAME, RERUN_ACTION } from "../publish/checkRun.js";
import { externalId, parseExternalId, visibilityOf, type AuditRequest } from "../audit/request.js";
import type { ReportStore } from "../pages/store/types.js";
import type { AnyJob } from "../jobs/types.js";
import type { JobQueue } from "../queue/types.js";
import type { OnceKeys } from "../state/types.js";

export interface AppState {
  queue: JobQueue;
  /** Delivery ids already handled: a redelivered webhook is skipped. */
  deliveries: OnceKeys;
  /** "owner/repo@sha#purpose" audited lately: push and check_suite.requested for one commit audit it once. */
  recentAudits: OnceKeys;
  /** The report pages' store: a repository made private, deleted, renamed away or uninstalled leaves it at once. */
  reports?: ReportStore;
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
        ...visibilityOf(repo),
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
      const base = { owner: repo.owner.login, repo: repo.name, sha: cs.head_sha, sizeKb: repo.size, ...visibilityOf(repo) };
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
      await schedule(context, { owner: repo.owner.login, repo: repo.name, sha: cr.head_sha, sizeKb: repo.size, ...visibilityOf(repo), ...(branch ? { ref: `refs/heads/${branch}` } : {}), ...what }, { force: true });
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

  registerPageEvents(app, state);
}

/**
 * What GitHub says that changes who may read a repository's report page.
 * Handled in the webhook itself, not queued: one store write, and a
 * repository made private must disappear before the answer, not after a queue.
 * Never skipped as a redelivery: removing twice is harmless, missing one is not.
 */
function registerPageEvents(app: Probot, state: AppState): void {
  const reports = state.reports;
  if (!reports) return;
  const act = async (context: AnyContext, what: string, owner: string, repo: string, change: (owner: string, repo: string) => Promise<void>): Promise<void> => {
    await change(owner, repo);
    context.log.info({ repo: `${owner}/${repo}`, change: what }, "skillproof: report page updated");
  };
  const nameOf = (fullName: string): [string, string] => fullName.split("/") as [string, string];

  app.on("repository.privatized", async (context) => {
    const r = context.payload.repository;
    await act(context, "hidden (made private)", r.owner.login, r.name, (o, n) => reports.hide(o, n));
  });
  app.on("repository.publicized", async (context) => {
    const r = context.payload.repository;
    await act(context, "shown again (made public)", r.owner.login, r.name, (o, n) => reports.unhide(o, n));
    // Its page appears with the next audit: the default branch's head is audited now, as for a newly added repository.
    const installationId = context.payload.installation?.id;
    if (typeof installationId === "number" && !r.archived) {
      const key = `${r.owner.login}/${r.name}`.toLowerCase() + "#default";
      await state.queue.enqueue({ kind: "installation-repo", key, installationId, deliveryId: context.id, input: { owner: r.owner.login, repo: r.name } });
    }
  });
  app.on("repository.deleted", async (context) => {
    const r = context.payload.repository;
    await act(context, "removed (deleted)", r.owner.login, r.name, (o, n) => reports.remove(o, n));
  });
  app.on("repository.renamed", async (context) => {
    const r = context.payload.repository;
    const from = context.payload.changes.repository.name.from;
    await act(context, "removed (renamed away)", r.owner.login, from, (o, n) => reports.remove(o, n));
  });
  app.on("repository.transferred", async (context) => {
    const r = context.payload.repository;
    const was = context.payload.changes.owner.from;
    const login = "user" in was && was.user ? was.user.login : "organization" in was && was.organization ? was.organization.login : undefined;
    if (login) await act(context, "removed (transferred away)", login, r.name, (o, n) => reports.remove(o, n));
  });
  app.on("installation_repositories.removed", async (context) => {
    for (const r of context.payload.repositories_removed) {
      const [owner, repo] = nameOf(r.full_name);
      await act(context, "removed (uninstalled)", owner, repo, (o, n) => reports.remove(o, n));
    }
  });
  app.on("installation.deleted", async (context) => {
    const named = (context.payload.repositories ?? []).map((r) => nameOf(r.full_name));
    // An installation on "all repositories" may not list them: every kept repository of the account goes.
    const account = context.payload.installation.account;
    const login = account && "login" in account ? account.login : undefined;
    const kept = login ? (await reports.ownerRepos(login, 10_000)).map((s): [string, string] => [s.owner, s.repo]) : [];
    const once = new Map([...named, ...kept].map(([o, r]) => [`${o}/${r}`.toLowerCase(), [o, r] as const]));
    for (const [owner, repo] of once.values()) await act(context, "removed (app uninstalled)", owner, repo, (o, n) => reports.remove(o, n));
  });
}
