import { MAX_READ_BYTES, type FileContent, type FileEntry, type Source, type Target } from "./source.js";
import {
  aliasesOf,
  blobQuery,
  blobVariables,
  decodeRestBlob,
  interpretBlob,
  isBatchTimeout,
  isTruncated,
  planBatches,
  type RawBlob,
  type Truncated,
} from "./github/blobs.js";
import { statusOf, type GitHubTreeClient, type RawTree } from "./github/client.js";
import { limit } from "./github/limit.js";
import { listTree, type TreeBlob } from "./github/tree.js";

export type { GitHubTreeClient } from "./github/client.js";

export interface GitHubTreeSourceOptions {
  /** ProbotOctokit, or any Octokit with `rest.git.getTree` and `graphql`. */
  octokit: GitHubTreeClient;
  owner: string;
  repo: string;
  /** The commit audited: every listing and read is pinned to it, so a push mid-audit changes nothing. */
  sha: string;
  /** Branch or tag the commit was reached by, shown in reports only. */
  ref?: string;
  /** Max blobs per GraphQL query (default 200: a portfolio repo's whole content round in one request). */
  batchSize?: number;
  /** Max total blob bytes per GraphQL query, by tree entry sizes (default 4 MiB: keeps the response well under GitHub's limits). */
  batchBytes?: number;
}

export const DEFAULT_BATCH_SIZE = 200;
export const DEFAULT_BATCH_BYTES = 4 * 1024 * 1024;
/** Truncated GraphQL texts re-read through the REST blob API, at most this many per audit (each costs a request). */
export const MAX_REST_BLOB_READS = 20;
/** GraphQL batches in flight at once. */
const GRAPHQL_CONCURRENCY = 2;
/** How many times a timed-out batch is halved before the error is let through. */
const MAX_SPLITS = 2;

export const TRUNCATED_TREE_NOTE = "tree truncated by GitHub: walked subtrees";

/** The commit's tree has nothing in it: GitHub answers 409 "Git Repository is empty." */
export class EmptyRepositoryError extends Error {
  readonly status = 409;
  constructor(message = "Git Repository is empty.") {
    super(message);
    this.name = "EmptyRepositoryError";
  }
}

/**
 * A commit of a GitHub repository, read through the API: one recursive tree
 * request lists it (sizes included, so oversize files are never fetched), and
 * each batch of reads is one GraphQL query with one `object(expression:)` alias
 * per file. A common audit costs 1 tree request + 1–2 GraphQL queries.
 *
 * Errors other than per-file ones (auth, rate limit, not found) propagate with
 * their Octokit `status` for the app to report.
 */
export class GitHubTreeSource implements Source {
  readonly target: Extract<Target, { kind: "github" }>;
  /** HTTP requests issued so far (tree, GraphQL, REST blob), for budgets and tests. */
  requestCount = 0;

  private readonly octokit: GitHubTreeClient;
  private readonly owner: string;
  private readonly repo: string;
  private readonly sha: string;
  private readonly batchSize: number;
  private readonly batchBytes: number;
  private readonly notesList: string[] = [];
  /** Path → blob, once listFiles ran; reads before that go to GitHub blind. */
  private listing?: Map<string, TreeBlob>;
  private listingPromise?: Promise<Map<string, TreeBlob>>;
  private restBlobReads = 0;

  constructor(opts: GitHubTreeSourceOptions) {
    this.octokit = opts.octokit;
    this.owner = opts.owner;
    this.repo = opts.repo;
    this.sha = opts.sha;
    this.batchSize = Math.max(1, opts.batchSize ?? DEFAULT_BATCH_SIZE);
    this.batchBytes = Math.max(1, opts.batchBytes ?? DEFAULT_BATCH_BYTES);
    this.target = {
      kind: "github",
      owner: opts.owner,
      repo: opts.repo,
      ...(opts.ref !== undefined ? { ref: opts.ref } : {}),
      sha: opts.sha,
      url: `https://github.com/${opts.owner}/${opts.repo}`,
    };
  }

  notes(): string[] {
    return [...this.notesList];
  }

  /** Lists the commit once; later calls (the app peeking before the audit) cost no request. */
  async listFiles(): Promise<FileEntry[]> {
    // Shared while in flight too; a failed listing is not remembered, so a retry asks again.
    this.listingPromise ??= this.fetchListing().catch((err: unknown) => {
      this.listingPromise = undefined;
      throw err;
    });
    const listing = await this.listingPromise;
    return [...listing.values()].map(({ path, size }) => (size !== undefined ? { path, size } : { path }));
  }

  private async fetchListing(): Promise<Map<string, TreeBlob>> {
    const listing = await listTree(this.sha, (treeSha, recursive) => this.getTree(treeSha, recursive));
    if (listing.walked) this.notesList.push(TRUNCATED_TREE_NOTE);
    for (const dir of listing.partial) this.notesList.push(`folder ${dir} has more entries than GitHub lists: only part of it was audited`);
    this.listing = new Map(listing.blobs.map((b) => [b.path, b]));
    return this.listing;
  }

  private async getTree(treeSha: string, recursive: boolean): Promise<RawTree> {
    this.requestCount++;
    try {
      const { data } = await this.octokit.rest.git.getTree({
        owner: this.owner,
        repo: this.repo,
        tree_sha: treeSha,
        ...(recursive ? { recursive: "1" } : {}),
      });
      return data;
    } catch (err) {
      if (statusOf(err) === 409) throw new EmptyRepositoryError((err as Error).message || undefined);
      throw err;
    }
  }

  async readFiles(paths: readonly string[]): Promise<FileContent[]> {
    const settled = new Map<string, FileContent>();
    const toFetch: string[] = [];
    for (const path of new Set(paths)) {
      const listed = this.listing?.get(path);
      if (this.listing && !listed) settled.set(path, { path, skipped: "missing" });
      else if (listed?.size !== undefined && listed.size > MAX_READ_BYTES) settled.set(path, { path, skipped: "too-large" });
      else toFetch.push(path);
    }

    const batches = planBatches(toFetch, (p) => this.listing?.get(p)?.size, this.batchSize, this.batchBytes);
    const runBatch = limit(GRAPHQL_CONCURRENCY, (batch: string[]) => this.readBatch(batch, 0));
    const truncated: Truncated[] = [];
    for (const results of await Promise.all(batches.map(runBatch))) {
      for (const r of results) {
        if (isTruncated(r)) truncated.push(r);
        else settled.set(r.path, r);
      }
    }
    // Sequential: rare, and each is a full request.
    for (const t of truncated) settled.set(t.path, await this.readWholeBlob(t));

    return paths.map((p) => settled.get(p)!);
  }

  /** One GraphQL query; a batch that times out is halved (at most MAX_SPLITS times) rather than failing the audit. */
  private async readBatch(batch: string[], splits: number): Promise<Array<FileContent | Truncated>> {
    this.requestCount++;
    let result: { ok: true; data: unknown } | { ok: false; error: unknown };
    try {
      result = { ok: true, data: await this.octokit.graphql(blobQuery(batch.length), blobVariables(this.owner, this.repo, this.sha, batch)) };
    } catch (error) {
      result = { ok: false, error };
    }
    const aliases = aliasesOf(result);
    if (!aliases) {
      if (!result.ok && batch.length > 1 && splits < MAX_SPLITS && isBatchTimeout(result.error)) {
        const half = Math.ceil(batch.length / 2);
        const [a, b] = await Promise.all([this.readBatch(batch.slice(0, half), splits + 1), this.readBatch(batch.slice(half), splits + 1)]);
        return [...a, ...b];
      }
      throw result.ok ? new Error("GraphQL response has no repository: is the app installed on it?") : result.error;
    }
    return batch.map((path, i) => {
      const error = aliases.errors.get(`f${i}`);
      if (error !== undefined) return { path, skipped: "unreadable", reason: error };
      return interpretBlob(path, aliases.blobs[`f${i}`] as RawBlob | null | undefined);
    });
  }

  /** GraphQL cuts long texts short; the REST blob API returns the whole blob (base64). */
  private async readWholeBlob(t: Truncated): Promise<FileContent> {
    const getBlob = this.octokit.rest.git.getBlob;
    const sha = this.listing?.get(t.path)?.sha ?? t.oid;
    if (!getBlob || !sha) return { path: t.path, skipped: "too-large", reason: "text truncated by GitHub" };
    if (this.restBlobReads >= MAX_REST_BLOB_READS) {
      return { path: t.path, skipped: "too-large", reason: `text truncated by GitHub; more than ${MAX_REST_BLOB_READS} such files` };
    }
    this.restBlobReads++;
    this.requestCount++;
    try {
      const { data } = await getBlob.call(this.octokit.rest.git, { owner: this.owner, repo: this.repo, file_sha: sha });
      return decodeRestBlob(t.path, data);
    } catch (err) {
      // One bad file never fails the audit; the engine turns "unreadable" into a warning.
      return { path: t.path, skipped: "unreadable", reason: `${statusOf(err) ?? ""} ${(err as Error).message}`.trim() };
    }
  }
}
