import { GitHubTreeSource } from "../github.js";
import type { Source } from "../source.js";
import { GitHubArchiveSource } from "./archive.js";
import type { GitHubTreeClient } from "./client.js";

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

/** The read path for a repository of this size: "tarball" (archive + tree listing) or "tree" (tree + GraphQL). */
export function readPathFor(opts: Pick<OpenGitHubSourceOptions, "sizeKb" | "graphql">): "tarball" | "tree" {
  if (!opts.graphql) return "tarball";
  return opts.sizeKb !== undefined && opts.sizeKb <= TARBALL_MAX_SIZE_KB ? "tarball" : "tree";
}

export function openGitHubSource(opts: OpenGitHubSourceOptions): CountedSource {
  const at = { octokit: opts.octokit, owner: opts.owner, repo: opts.repo, sha: opts.sha, ...(opts.ref ? { ref: opts.ref } : {}) };
  if (readPathFor(opts) === "tarball") return new GitHubArchiveSource({ ...at, graphql: opts.graphql });
  return new GitHubTreeSource(at);
}
