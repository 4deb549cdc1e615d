import { classify, RecruitError } from "./errors.js";
import { restCiState, restCommitCounts, type CommitCounts, type RepoMeta } from "./github.js";
import type { Attribution, CiState, RecruitOctokit } from "./types.js";

/**
 * Below this share of the default branch's commits, the report flags a
 * repository as "the candidate authored little of this", and a portfolio
 * credits its evidence as it credits a fork's (see docs/portfolio.md).
 */
export const LOW_SHARE = 0.2;

/** Pure: the attribution figures from what GitHub said. */
export function attributionOf(meta: RepoMeta, candidate: string | null, counts: CommitCounts | null, ci: CiState): Attribution {
  const commits = candidate !== null && counts && counts.total > 0 ? { ...counts, share: Math.round((counts.byCandidate / counts.total) * 1000) / 1000 } : null;
  const lowShare = commits !== null && commits.share < LOW_SHARE;
  return {
    candidate,
    forkOf: meta.fork ? (meta.forkOf ?? "unknown") : null,
    template: meta.template,
    defaultBranch: meta.defaultBranch,
    commits,
    lastPush: meta.pushedAt,
    ci,
    stars: meta.stars,
    lowShare,
    ownWork: !meta.fork && !lowShare,
  };
}

/**
 * Attribution and liveness for one repository: at most 2 requests
 * (contributors, check runs), fewer when GraphQL metadata or a portfolio's
 * fork check already answered. Rate limits and outages propagate; anything
 * else GitHub refuses here (a forbidden field, history too large) leaves that
 * figure unknown rather than failing the audit.
 */
export async function gatherAttribution(
  octokit: RecruitOctokit,
  meta: RepoMeta,
  candidate: string | null,
  opts: { authenticated: boolean; counts?: CommitCounts | null },
): Promise<{ attribution: Attribution; requests: number }> {
  let requests = 0;
  const soft = async <T>(fn: () => Promise<T>, fallback: T): Promise<T> => {
    requests++;
    try {
      return await fn();
    } catch (err) {
      const e = classify(err, { kind: "repo", owner: meta.owner, repo: meta.repo }, opts);
      if (e instanceof RecruitError && (e.kind === "rate-limited" || e.kind === "unreachable")) throw e;
      return fallback;
    }
  };
  const knownCounts =
    opts.counts !== undefined ? opts.counts : meta.commitsByCandidate !== undefined && meta.commitsTotal !== undefined ? { total: meta.commitsTotal, byCandidate: meta.commitsByCandidate } : undefined;
  const [counts, ci] = await Promise.all([
    // Without a candidate there is no share to measure.
    candidate === null ? null : knownCounts !== undefined ? knownCounts : soft(() => restCommitCounts(octokit, meta.owner, meta.repo, candidate), null),
    meta.ci !== undefined ? meta.ci : soft(() => restCiState(octokit, meta.owner, meta.repo, meta.defaultBranch), "unknown" as CiState),
  ]);
  return { attribution: attributionOf(meta, candidate, counts, ci), requests };
}
