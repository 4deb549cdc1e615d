import { GitHubTreeSource } from "../github.js";
import type { Source } from "../source.js";
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

export function openGitHubSource(opts: OpenGitHubSourceOptions): CountedSource {
  return new GitHubTreeSource({ octokit: opts.octokit, owner: opts.owner, repo: opts.repo, sha: opts.sha, ...(opts.ref ? { ref: opts.ref } : {}) });
}
