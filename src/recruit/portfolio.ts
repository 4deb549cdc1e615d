import { limit } from "../sources/github/limit.js";
import { aggregatePortfolio } from "./aggregate.js";
import { classify, reading, RecruitError } from "./errors.js";
import { fromRest, graphqlRepoMeta, restCommitCounts, restRepoMeta, type CommitCounts, type RepoMeta } from "./github.js";
import { auditWithMeta, isLogin } from "./repo.js";
import type { AuditPortfolioOptions, PortfolioAudit, RecruitOctokit, RepoAudit } from "./types.js";

import { DEFAULT_MAX_REPOS, MAX_REPOS } from "./limits.js";
export { DEFAULT_MAX_REPOS, MAX_REPOS };
/** Repositories audited at once. */
const CONCURRENCY = 3;
/** Repositories per GraphQL metadata query. */
const META_CHUNK = 20;

/** A repository as `GET /users/{user}/repos` lists it. */
export interface ListedRepo {
  name: string;
  owner: { login: string; node_id?: string };
  fork: boolean;
  archived?: boolean;
  disabled?: boolean;
  private?: boolean;
  pushed_at?: string | null;
  stargazers_count?: number;
  size?: number;
  default_branch?: string;
}

/** Public, not archived, owned by `user`. */
export function eligible(repos: readonly ListedRepo[], user: string): ListedRepo[] {
  const who = user.toLowerCase();
  return repos.filter((r) => !r.archived && !r.disabled && !r.private && r.owner.login.toLowerCase() === who);
}

/** Recently pushed first (by day), then stars, then name: the order repositories are considered in. */
export function rankRepos<T extends ListedRepo>(repos: readonly T[]): T[] {
  const day = (r: ListedRepo): string => (r.pushed_at ?? "").slice(0, 10);
  return [...repos].sort((a, b) => day(b).localeCompare(day(a)) || (b.stargazers_count ?? 0) - (a.stargazers_count ?? 0) || a.name.localeCompare(b.name));
}

interface Selected {
  meta: RepoMeta;
  counts?: CommitCounts | null;
  /** Requests already spent on this repository (REST fork check). */
  requests: number;
}

/**
 * A user's portfolio: their public, non-archived repositories, ranked, the
 * top `maxRepos` audited. Forks count only when the user has commits of their
 * own in them. Requests (counted in tests, see docs/portfolio.md): the
 * listing, then per repository its metadata, content and attribution without
 * a token, plus at most maxRepos − 1 contributors requests spent on forks
 * that turn out to hold none of the user's commits; with a token, one GraphQL
 * query carries metadata, head, CI and commit counts for up to 20
 * repositories, and each audit costs only its content.
 */
export async function auditPortfolio(octokit: RecruitOctokit, user: string, opts: AuditPortfolioOptions): Promise<PortfolioAudit> {
  const login = user.replace(/^@/, "");
  if (!isLogin(login)) throw new RecruitError("bad-target", `"@${login}" is not a GitHub user name.`);
  const max = Math.min(MAX_REPOS, Math.max(1, Math.floor(opts.maxRepos ?? DEFAULT_MAX_REPOS)));
  const auth = opts.graphql;
  let requests = 1;
  const listing = await reading({ kind: "user", user: login }, auth, async () => {
    const { data } = await octokit.request("GET /users/{username}/repos", { username: login, type: "owner", sort: "pushed", direction: "desc", per_page: 100 });
    return data as ListedRepo[];
  });
  const owned = eligible(listing, login);
  const name = owned[0]?.owner.login ?? login;
  if (owned.length === 0) {
    const why = listing.length > 0 ? " that are not archived" : "";
    throw new RecruitError("no-public-repos", `GitHub user @${login} has no public repositories${why}.`);
  }
  const skipped: PortfolioAudit["skipped"] = [];
  const ranked = rankRepos(owned).filter((r) => {
    if ((r.size ?? 1) > 0) return true;
    skipped.push({ repo: `${r.owner.login}/${r.name}`, reason: "empty" });
    return false;
  });

  const selection = auth ? await selectWithGraphql(octokit, ranked, name, max) : await selectWithRest(octokit, ranked, name, max);
  requests += selection.requests;
  skipped.push(...selection.skipped);
  if (selection.chosen.length === 0) {
    throw new RecruitError("no-public-repos", `GitHub user @${name} has no public repositories of their own to audit (${skipped.map((s) => `${s.repo}: ${s.reason}`).join("; ")}).`);
  }

  let done = 0;
  const total = selection.chosen.length;
  const auditOne = limit(CONCURRENCY, async (s: Selected): Promise<RepoAudit | undefined> => {
    const full = `${s.meta.owner}/${s.meta.repo}`;
    try {
      let meta = s.meta;
      let spent = s.requests;
      if (!auth) {
        // The listing lacks the fork parent and template origin.
        meta = await reading({ kind: "repo", owner: meta.owner, repo: meta.repo }, auth, () => restRepoMeta(octokit, meta.owner, meta.repo));
        spent++;
      }
      return await auditWithMeta(octokit, meta, { ruleSet: opts.ruleSet, graphql: auth, candidate: name, ...(opts.budget ? { budget: opts.budget } : {}), ...(opts.role ? { role: opts.role } : {}), ...(s.counts !== undefined ? { counts: s.counts } : {}), requests: spent });
    } catch (err) {
      const e = classify(err, { kind: "repo", owner: s.meta.owner, repo: s.meta.repo }, { authenticated: auth });
      // Without the API the rest of the portfolio fails too: stop and say so.
      if (e instanceof RecruitError && (e.kind === "rate-limited" || e.kind === "unreachable")) throw e;
      skipped.push({ repo: full, reason: e instanceof Error ? e.message : String(e) });
      return undefined;
    } finally {
      opts.onProgress?.(++done, total, full);
    }
  });
  const results = await Promise.allSettled(selection.chosen.map((s) => auditOne(s)));
  const failure = results.find((r): r is PromiseRejectedResult => r.status === "rejected");
  if (failure) throw failure.reason;
  const audits = results.flatMap((r) => (r.status === "fulfilled" && r.value ? [r.value] : []));
  requests += audits.reduce((n, a) => n + a.requests, 0);
  // A failed audit's requests are not known exactly; count at least its metadata read.
  requests += selection.chosen.length - audits.length;
  return aggregatePortfolio(name, audits, { skipped, listed: owned.length, requests });
}

interface Selection {
  chosen: Selected[];
  skipped: PortfolioAudit["skipped"];
  requests: number;
}

/**
 * REST: a fork costs one contributors request to learn whether the user
 * committed to it. A chosen fork's request is its attribution's; a rejected
 * one's is spent, and at most max − 1 are spent.
 */
async function selectWithRest(octokit: RecruitOctokit, ranked: ListedRepo[], user: string, max: number): Promise<Selection> {
  const out: Selection = { chosen: [], skipped: [], requests: 0 };
  let spentOnForks = 0;
  for (const r of ranked) {
    const full = `${r.owner.login}/${r.name}`;
    if (out.chosen.length >= max) break;
    const meta = fromRest(r);
    if (!r.fork) {
      out.chosen.push({ meta, requests: 0 });
      continue;
    }
    if (spentOnForks >= max - 1) {
      out.skipped.push({ repo: full, reason: "fork not checked (request budget)" });
      continue;
    }
    const counts = await reading({ kind: "repo", owner: r.owner.login, repo: r.name }, false, () => restCommitCounts(octokit, r.owner.login, r.name, user));
    // A chosen fork's contributors request is part of its attribution; a rejected one's is the selection's.
    if (counts && counts.byCandidate > 0) out.chosen.push({ meta, counts, requests: 1 });
    else {
      spentOnForks++;
      out.requests++;
      out.skipped.push({ repo: full, reason: `fork without commits by @${user}` });
    }
  }
  return out;
}

/** GraphQL: metadata, head, CI and the user's commit counts for 20 repositories per query. */
async function selectWithGraphql(octokit: RecruitOctokit, ranked: ListedRepo[], user: string, max: number): Promise<Selection> {
  const out: Selection = { chosen: [], skipped: [], requests: 0 };
  const uid = ranked[0]?.owner.node_id;
  let next = 0;
  while (next < ranked.length && out.chosen.length < max) {
    // Only as many as could still be chosen, plus the forks among them (a fork may not count).
    const chunk: ListedRepo[] = [];
    let need = max - out.chosen.length;
    while (next < ranked.length && chunk.length < META_CHUNK && need > 0) {
      const r = ranked[next++]!;
      chunk.push(r);
      if (!r.fork) need--;
    }
    out.requests++;
    const { metas } = await reading({ kind: "user", user }, true, () => graphqlRepoMeta(octokit, chunk.map((r) => ({ owner: r.owner.login, repo: r.name })), uid));
    for (const [j, r] of chunk.entries()) {
      const full = `${r.owner.login}/${r.name}`;
      const meta = metas[j];
      if (out.chosen.length >= max) break;
      if (!meta) {
        out.skipped.push({ repo: full, reason: "GitHub did not return its metadata" });
        continue;
      }
      if (!meta.headSha) {
        out.skipped.push({ repo: full, reason: "empty" });
        continue;
      }
      if (meta.fork && !(meta.commitsByCandidate && meta.commitsByCandidate > 0)) {
        out.skipped.push({ repo: full, reason: `fork without commits by @${user}` });
        continue;
      }
      out.chosen.push({ meta, requests: 0 });
    }
  }
  return out;
}
