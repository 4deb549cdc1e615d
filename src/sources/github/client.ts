/**
 * The slice of an Octokit client this source uses, typed structurally so that
 * Probot's ProbotOctokit and a plain @octokit/core client with the REST
 * endpoint methods both fit without this module importing either.
 */

/** One entry of `GET /repos/{owner}/{repo}/git/trees/{tree_sha}` (schema `git-tree`). */
export interface RawTreeEntry {
  path: string;
  mode: string;
  /** "blob", "tree" or "commit" (a submodule). */
  type: string;
  sha: string;
  size?: number;
}

export interface RawTree {
  sha: string;
  truncated: boolean;
  tree: RawTreeEntry[];
}

/**
 * `octokit.request`, as used for the repository tarball: with
 * `request.parseSuccessResponseBody: false` Octokit resolves `data` to the
 * response body stream instead of buffering it.
 */
export interface GitHubTarballClient {
  request(
    route: "GET /repos/{owner}/{repo}/tarball/{ref}",
    params: { owner: string; repo: string; ref: string; request: { parseSuccessResponseBody: false; signal?: AbortSignal } },
  ): Promise<{ data: unknown }>;
}

export interface GitHubTreeClient extends GitHubTarballClient {
  rest: {
    git: {
      getTree(params: { owner: string; repo: string; tree_sha: string; recursive?: string }): Promise<{ data: RawTree }>;
      /**
       * Optional: used only for text blobs GraphQL returns truncated (it cuts
       * large texts well below MAX_READ_BYTES), so a 700 KB OpenAPI spec is
       * still read. Without it such files come back skipped "too-large".
       */
      getBlob?(params: { owner: string; repo: string; file_sha: string }): Promise<{
        data: { content: string; encoding: string; size?: number | null };
      }>;
    };
  };
  /** @octokit/graphql: resolves to the response's `data`, rejects with GraphqlResponseError on `errors`. */
  graphql(query: string, variables: Record<string, unknown>): Promise<unknown>;
}

/** HTTP status of an Octokit RequestError (or anything carrying one). */
export function statusOf(err: unknown): number | undefined {
  const status = (err as { status?: unknown } | null)?.status;
  return typeof status === "number" ? status : undefined;
}
