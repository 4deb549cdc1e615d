import { DEFAULT_CONFIG } from "../config/config.js";
import { AuditTimeoutError } from "../engine/budget.js";
import type { RuleSet } from "../engine/types.js";
import type { Role } from "../roles/types.js";
import { auditToReport } from "../pipeline.js";
import { statusOf } from "../sources/github/client.js";
import { openGitHubSource } from "../sources/github/open.js";
import { gatherAttribution } from "./attribution.js";
import { classify, reading, RecruitError } from "./errors.js";
import { graphqlRepoMeta, restRepoMeta, type CommitCounts, type RepoMeta } from "./github.js";
import type { AuditRepositoryOptions, RecruitOctokit, RepoAudit, RepoTarget } from "./types.js";

const LOGIN = /^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$/;
const REPO_NAME = /^[A-Za-z0-9._-]{1,100}$/;

export function isLogin(s: string): boolean {
  return LOGIN.test(s);
}

export function checkRepoTarget(t: RepoTarget): void {
  if (!LOGIN.test(t.owner) || !REPO_NAME.test(t.repo) || t.repo === "." || t.repo === "..") {
    throw new RecruitError("bad-target", `"${t.owner}/${t.repo}" is not a GitHub repository name (owner/repo).`);
  }
  if (t.ref !== undefined && (t.ref === "" || /[\s~^:?*[\\]|\.\.|@\{/.test(t.ref))) {
    throw new RecruitError("bad-target", `"${t.ref}" is not a valid git ref.`);
  }
}

/**
 * One repository, audited for a recruiter: its content (through
 * openGitHubSource, the one read path), then attribution and liveness.
 * Requests: metadata 1 (GraphQL with a token: it also carries the head commit
 * and CI) + content (the read path's: tarball and tree, or tree and GraphQL
 * batches for large repositories) + attribution ≤ 2 (contributors; check runs
 * without a token). Measured in tests: 5 without a token, 4 with one.
 *
 * The candidate's own .github/skillproof.yml is not applied: a recruiter
 * compares candidates on one scale, which the audited repository must not be
 * able to change (no disabled rules, no custom weights).
 */
export async function auditRepository(octokit: RecruitOctokit, target: RepoTarget, opts: AuditRepositoryOptions): Promise<RepoAudit> {
  checkRepoTarget(target);
  if (opts.candidate !== undefined && !LOGIN.test(opts.candidate)) throw new RecruitError("bad-target", `"@${opts.candidate}" is not a GitHub user name.`);
  const subject = { kind: "repo" as const, owner: target.owner, repo: target.repo };
  const meta = await reading(subject, opts.graphql, async () => {
    if (!opts.graphql) return restRepoMeta(octokit, target.owner, target.repo);
    const { metas, errors } = await graphqlRepoMeta(octokit, [target]);
    if (!metas[0]) throw errors[0] ?? new RecruitError("not-found", `Repository ${target.owner}/${target.repo} was not found.`);
    return metas[0];
  });
  if (target.ref !== undefined && opts.graphql && meta.refSha === undefined) {
    throw new RecruitError("not-found", `Repository ${meta.owner}/${meta.repo} has no branch, tag or commit "${target.ref}".`);
  }
  // An organization authors no commits: without a named candidate, no share is shown.
  const candidate = opts.candidate ?? (meta.ownerType === "Organization" ? null : meta.owner);
  return auditWithMeta(octokit, meta, { ...opts, candidate, ...(target.ref !== undefined ? { ref: target.ref } : {}), requests: 1 });
}

/**
 * The audit once the repository's metadata is known (a portfolio has it from
 * its listing and fork checks). `counts` are the candidate's commit figures
 * when a fork check already fetched them.
 */
export async function auditWithMeta(
  octokit: RecruitOctokit,
  meta: RepoMeta,
  opts: { ruleSet: RuleSet; graphql: boolean; candidate: string | null; ref?: string; counts?: CommitCounts | null; requests: number; threshold?: number; budget?: { deadline: number; ms: number }; role?: Role },
): Promise<RepoAudit> {
  const subject = { kind: "repo" as const, owner: meta.owner, repo: meta.repo };
  let requests = opts.requests;
  const ref = opts.ref ?? meta.defaultBranch;
  // Without GraphQL the commit is not known yet: the tarball of the branch or tag says which commit it holds.
  const known = opts.ref !== undefined ? meta.refSha : meta.headSha;
  if (!known && opts.graphql && opts.ref === undefined) throw emptyRepository(meta);
  const sha = known ?? ref;
  const source = openGitHubSource({ octokit, owner: meta.owner, repo: meta.repo, sha, ref, sizeKb: meta.sizeKb, graphql: opts.graphql });
  const content = (async () => {
    try {
      return await auditToReport(source, opts.ruleSet, DEFAULT_CONFIG, {
        ...(opts.threshold !== undefined ? { threshold: opts.threshold } : {}),
        ...(opts.budget ? { deadline: opts.budget.deadline, budgetMs: opts.budget.ms } : {}),
        ...(opts.role ? { role: opts.role } : {}),
      });
    } catch (err) {
      if (err instanceof AuditTimeoutError) throw err;
      if (statusOf(err) === 409) throw emptyRepository(meta);
      if (statusOf(err) === 404 && opts.ref !== undefined) throw new RecruitError("not-found", `Repository ${meta.owner}/${meta.repo} has no branch, tag or commit "${opts.ref}".`);
      throw classify(err, subject, { authenticated: opts.graphql });
    }
  })();
  const attribution = gatherAttribution(octokit, meta, opts.candidate, { authenticated: opts.graphql, ...(opts.counts !== undefined ? { counts: opts.counts } : {}) });
  // Both settle before either error is thrown, so no request is left running unobserved.
  const [report, attr] = await Promise.allSettled([content, attribution]);
  requests += source.requestCount + (attr.status === "fulfilled" ? attr.value.requests : 0);
  if (report.status === "rejected") throw report.reason;
  if (attr.status === "rejected") throw attr.reason;
  const commit = (source as { commitSha?: string }).commitSha;
  const audited = report.value.target.kind === "github" && commit && report.value.target.sha !== commit ? { ...report.value, target: { ...report.value.target, sha: commit } } : report.value;
  return { report: audited, attribution: attr.value.attribution, requests };
}

function emptyRepository(meta: RepoMeta): RecruitError {
  return new RecruitError("not-found", `Repository ${meta.owner}/${meta.repo} is empty: there is nothing to audit.`);
}
