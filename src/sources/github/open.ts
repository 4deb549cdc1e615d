import { GitHubTreeSource } from "../github.js";
import type { Source } from "../source.js";
import { GitHubArchiveSource } from "./archive.js";
import type { GitHubTreeClient } from "./client.js";
import { GitHubTarballSource } from "./tarball.js";

/**
 * Which read path a GitHub audit takes. Every adapter (app, comment command,
 * CLI, portfolio) opens its source here, so the choice is made in one place.
 */
export interface OpenGitHubSourceOptions {
  octokit: GitHubTreeClient;
  owner: string;
  repo: string;
  /** The commit audited. */
  sha: string;
  /** Branch or tag the commit was reached by, shown in reports only. */
  ref?: string;
  /** The repository's size in KiB as GitHub reports it (push payload, repos.get), when known. */
  sizeKb?: number;
  /** false when the client has no token: GitHub's GraphQL API needs one. */
  graphql: boolean;
}

export type CountedSource = Source & { readonly requestCount: number };

/**
 * Repositories up to this size (GitHub's `size`, KiB, which counts the whole
 * history) are read from their tarball; larger ones through the tree and
 * GraphQL batches. Measured and explained in docs/read-path.md.
 */
export const TARBALL_MAX_SIZE_KB = 100 * 1024;

/**
 * The read path:
 * - "tarball-only" without a token: one request per commit, which matters at
 *   60 unauthenticated requests an hour (GraphQL is out of reach anyway);
 * - "tarball" (archive contents, tree listing, GraphQL for what the archive
 *   leaves out) for a repository known to be under the threshold;
 * - "tree" (tree + GraphQL batches) otherwise.
 */
export function readPathFor(opts: Pick<OpenGitHubSourceOptions, "sizeKb" | "graphql">): "tarball-only" | "tarball" | "tree" {
  if (!opts.graphql) return "tarball-only";
  return opts.sizeKb !== undefined && opts.sizeKb <= TARBALL_MAX_SIZE_KB ? "tarball" : "tree";
}

export function openGitHubSource(opts: OpenGitHubSourceOptions): CountedSource {
  const at = { octokit: opts.octokit, owner: opts.owner, repo: opts.repo, sha: opts.sha, ...(opts.ref ? { ref: opts.ref } : {}) };
  const path = readPathFor(opts);
  if (path === "tarball-only") return new GitHubTarballSource(at);
  if (path === "tarball") return new GitHubArchiveSource(at);
  return new GitHubTreeSource(at);
}
