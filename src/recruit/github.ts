import { statusOf } from "../sources/github/client.js";
import type { CiState, RecruitOctokit } from "./types.js";

/**
 * Facts about a repository from GitHub's metadata, whichever API gave them:
 * REST (`GET /repos/{owner}/{repo}`, no token needed) or one GraphQL query
 * that also carries the head commit, its CI rollup and commit counts.
 */
export interface RepoMeta {
  owner: string;
  /** "Organization" for an organization's repository (its owner authors no commits). */
  ownerType?: string;
  repo: string;
  defaultBranch: string;
  forkOf: string | null;
  fork: boolean;
  template: string | null;
  pushedAt: string | null;
  sizeKb: number;
  stars: number;
  archived: boolean;
  private: boolean;
  /** The default branch's head, when the metadata carried it (GraphQL). */
  headSha?: string;
  /** The commit `ref` resolves to, when one was asked for (GraphQL). */
  refSha?: string;
  ci?: CiState;
  /** Commits on the default branch (GraphQL). */
  commitsTotal?: number;
  /** The candidate's commits on the default branch, when their node id was known (GraphQL). */
  commitsByCandidate?: number;
}

/** `GET /repos/{owner}/{repo}`: one request. */
export async function restRepoMeta(octokit: RecruitOctokit, owner: string, repo: string): Promise<RepoMeta> {
  const { data } = await octokit.request("GET /repos/{owner}/{repo}", { owner, repo });
  return fromRest(data);
}

/** A repository object as REST returns it (full from repos.get, or minimal from a listing). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function fromRest(data: any): RepoMeta {
  return {
    owner: String(data.owner?.login ?? ""),
    ...(data.owner?.type ? { ownerType: String(data.owner.type) } : {}),
    repo: String(data.name),
    defaultBranch: String(data.default_branch ?? "main"),
    fork: Boolean(data.fork),
    forkOf: data.fork ? (data.parent?.full_name ?? data.source?.full_name ?? null) : null,
    template: data.template_repository?.full_name ?? null,
    pushedAt: data.pushed_at ?? null,
    sizeKb: Number(data.size ?? 0),
    stars: Number(data.stargazers_count ?? 0),
    archived: Boolean(data.archived),
    private: Boolean(data.private),
  };
}

const META_FIELDS = `
  name owner { login __typename } isFork isArchived isPrivate stargazerCount diskUsage pushedAt
  parent { nameWithOwner } templateRepository { nameWithOwner }
  defaultBranchRef { name target { ... on Commit { oid history(first: 1) { totalCount } statusCheckRollup { state } __OWN__ } } }`;

const COMMIT_OID = `... on Commit { oid } ... on Tag { target { ... on Commit { oid } } }`;

export interface GraphqlMetaRequest {
  owner: string;
  repo: string;
  ref?: string;
}

/**
 * Metadata, head commit, CI rollup and commit counts of several repositories
 * in one GraphQL query. `candidateId` (a user's node id) adds the candidate's
 * commit count. A repository GitHub cannot resolve comes back undefined, with
 * the error in `errors`.
 */
export async function graphqlRepoMeta(
  octokit: RecruitOctokit,
  repos: readonly GraphqlMetaRequest[],
  candidateId?: string,
): Promise<{ metas: Array<RepoMeta | undefined>; errors: unknown[] }> {
  const vars: Record<string, unknown> = {};
  const decls: string[] = [];
  const fields = META_FIELDS.replace("__OWN__", candidateId ? "own: history(first: 1, author: { id: $uid }) { totalCount }" : "");
  const parts = repos.map((r, i) => {
    vars[`o${i}`] = r.owner;
    vars[`n${i}`] = r.repo;
    decls.push(`$o${i}: String!`, `$n${i}: String!`);
    let at = "";
    if (r.ref !== undefined) {
      vars[`x${i}`] = r.ref;
      decls.push(`$x${i}: String!`);
      at = ` at: object(expression: $x${i}) { ${COMMIT_OID} }`;
    }
    return `r${i}: repository(owner: $o${i}, name: $n${i}) { ${fields}${at} }`;
  });
  if (candidateId) {
    vars.uid = candidateId;
    decls.push("$uid: ID!");
  }
  const query = `query(${decls.join(", ")}) { ${parts.join("\n")} }`;
  let data: Record<string, unknown> | undefined;
  const errors: unknown[] = [];
  try {
    data = (await octokit.graphql(query, vars)) as Record<string, unknown>;
  } catch (err) {
    // A partial answer (one repository missing, one field forbidden) still carries the rest.
    const partial = (err as { data?: unknown }).data;
    if (!partial || typeof partial !== "object" || statusOf(err) !== undefined) throw err;
    data = partial as Record<string, unknown>;
    errors.push(err);
  }
  const metas = repos.map((_, i) => {
    const meta = fromGraphql(data?.[`r${i}`]);
    // A rollup GitHub refused to show (an installation without checks access) is unknown, not "no CI".
    if (meta && forbiddenField(errors[0], `r${i}`, "statusCheckRollup")) meta.ci = "unknown";
    return meta;
  });
  return { metas, errors };
}

function forbiddenField(err: unknown, alias: string, field: string): boolean {
  const list = (err as { errors?: Array<{ path?: unknown[] }> } | undefined)?.errors ?? [];
  return list.some((e) => Array.isArray(e.path) && e.path[0] === alias && e.path.includes(field));
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function fromGraphql(r: any): RepoMeta | undefined {
  if (!r) return undefined;
  const head = r.defaultBranchRef?.target;
  const at = r.at?.oid ?? r.at?.target?.oid;
  return {
    owner: String(r.owner?.login ?? ""),
    ...(r.owner?.__typename ? { ownerType: String(r.owner.__typename) } : {}),
    repo: String(r.name),
    defaultBranch: String(r.defaultBranchRef?.name ?? "main"),
    fork: Boolean(r.isFork),
    forkOf: r.isFork ? (r.parent?.nameWithOwner ?? null) : null,
    template: r.templateRepository?.nameWithOwner ?? null,
    pushedAt: r.pushedAt ?? null,
    sizeKb: Number(r.diskUsage ?? 0),
    stars: Number(r.stargazerCount ?? 0),
    archived: Boolean(r.isArchived),
    private: Boolean(r.isPrivate),
    ...(head?.oid ? { headSha: String(head.oid) } : {}),
    ...(at ? { refSha: String(at) } : {}),
    ...(head ? { ci: rollupState(head.statusCheckRollup?.state) } : {}),
    ...(typeof head?.history?.totalCount === "number" ? { commitsTotal: head.history.totalCount } : {}),
    ...(typeof head?.own?.totalCount === "number" ? { commitsByCandidate: head.own.totalCount } : {}),
  };
}

function rollupState(state: unknown): CiState {
  if (state === "SUCCESS") return "passing";
  if (state === "FAILURE" || state === "ERROR") return "failing";
  if (state === "PENDING" || state === "EXPECTED") return "pending";
  return "none";
}

/** CI on a ref from its check runs: one request (`GET .../commits/{ref}/check-runs`). */
export async function restCiState(octokit: RecruitOctokit, owner: string, repo: string, ref: string): Promise<CiState> {
  const { data } = await octokit.request("GET /repos/{owner}/{repo}/commits/{ref}/check-runs", { owner, repo, ref, per_page: 100 });
  const runs = (data?.check_runs ?? []) as Array<{ status?: string; conclusion?: string | null }>;
  if (runs.length === 0) return "none";
  if (runs.some((r) => ["failure", "timed_out", "cancelled", "action_required", "startup_failure"].includes(r.conclusion ?? ""))) return "failing";
  if (runs.some((r) => r.status !== "completed")) return "pending";
  return "passing";
}

export interface CommitCounts {
  total: number;
  byCandidate: number;
}

/**
 * Commits on the default branch per contributor, in one request (anonymous
 * authors included, first 100 contributors). null when GitHub has no figures:
 * 204 for an empty repository, 403 when the history is too large to count.
 */
export async function restCommitCounts(octokit: RecruitOctokit, owner: string, repo: string, candidate: string): Promise<CommitCounts | null> {
  let data: unknown;
  try {
    ({ data } = await octokit.request("GET /repos/{owner}/{repo}/contributors", { owner, repo, per_page: 100, anon: "1" }));
  } catch (err) {
    if (statusOf(err) === 403 && /too large/i.test((err as Error).message)) return null;
    throw err;
  }
  if (!Array.isArray(data) || data.length === 0) return null;
  const rows = data as Array<{ login?: string; contributions?: number }>;
  const who = candidate.toLowerCase();
  let total = 0;
  let byCandidate = 0;
  for (const row of rows) {
    const n = Number(row.contributions ?? 0);
    total += n;
    if (row.login?.toLowerCase() === who) byCandidate += n;
  }
  return { total, byCandidate };
}
