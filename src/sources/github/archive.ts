import { GitHubTreeSource } from "../github.js";
import type { FileContent, FileEntry, Source, Target } from "../source.js";
import type { GitHubTreeClient } from "./client.js";
import { GitHubTarballSource } from "./tarball.js";

export interface GitHubArchiveSourceOptions {
  octokit: GitHubTreeClient;
  owner: string;
  repo: string;
  /** A commit sha; a branch or tag name is resolved through the tarball first. */
  sha: string;
  ref?: string;
}

const COMMIT_SHA = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;

/**
 * A commit read from its tarball (one REST GET, outside the throttling lane)
 * and listed by its recursive tree (one more GET, made at the same time).
 * Needs a token: what the archive cannot supply is read through GraphQL.
 *
 * Why the tree too: GitHub builds archives with `git archive`, which leaves
 * out every path a `.gitattributes` marks `export-ignore` (PHP packages
 * commonly drop tests/, .github/ and the .gitattributes file itself). The
 * tree is the commit as a reviewer and the CLI see it, so it decides what
 * exists; the archive supplies the contents. A file the archive left out is
 * read through GraphQL like GitHubTreeSource reads it, and an archive that
 * cannot be used (over the caps, or a failed download) hands every read to
 * the tree source, so the report never depends on which path was taken.
 */
export class GitHubArchiveSource implements Source {
  readonly target: Extract<Target, { kind: "github" }>;

  private readonly opts: GitHubArchiveSourceOptions;
  private readonly tarball: GitHubTarballSource;
  private tree?: GitHubTreeSource;
  private listing?: Map<string, FileEntry>;
  private useTarball = false;
  private preparing?: Promise<Map<string, FileEntry>>;

  constructor(opts: GitHubArchiveSourceOptions) {
    this.opts = opts;
    this.tarball = new GitHubTarballSource({ octokit: opts.octokit, owner: opts.owner, repo: opts.repo, sha: opts.sha, ...(opts.ref ? { ref: opts.ref } : {}) });
    this.target = this.tarball.target;
  }

  /** Tree listings, GraphQL reads and the tarball, for budgets and tests. */
  get requestCount(): number {
    return this.tarball.requestCount + (this.tree?.requestCount ?? 0);
  }

  /** The commit audited: the sha given, or the one the archive of a branch or tag turned out to hold. */
  get commitSha(): string | undefined {
    return COMMIT_SHA.test(this.opts.sha) ? this.opts.sha : this.tarball.commitSha;
  }

  notes(): string[] {
    return this.tree?.notes() ?? [];
  }

  async listFiles(): Promise<FileEntry[]> {
    return [...(await this.prepare()).values()];
  }

  async readFiles(paths: readonly string[]): Promise<FileContent[]> {
    const listing = await this.prepare();
    if (!this.useTarball) return this.tree!.readFiles(paths);

    const fromArchive = new Map((await this.tarball.readFiles(paths)).map((c) => [c.path, c]));
    const leftOut = [...new Set(paths)].filter((p) => listing.has(p) && isMissing(fromArchive.get(p)));
    const fromTree = new Map<string, FileContent>();
    if (leftOut.length > 0) for (const c of await this.tree!.readFiles(leftOut)) fromTree.set(c.path, c);
    return paths.map((path): FileContent => {
      if (!listing.has(path)) return { path, skipped: "missing" };
      return fromTree.get(path) ?? fromArchive.get(path)!;
    });
  }

  /** Lists once (shared while in flight); a failure is not remembered, so a retry asks again. */
  private prepare(): Promise<Map<string, FileEntry>> {
    this.preparing ??= this.fetchBoth().catch((err: unknown) => {
      this.preparing = undefined;
      throw err;
    });
    return this.preparing;
  }

  private async fetchBoth(): Promise<Map<string, FileEntry>> {
    const archive = this.tarball.load().then(
      () => undefined,
      (err: unknown) => err ?? new Error("tarball failed"),
    );
    // A branch name could move between two requests: list the commit the archive holds.
    const pinned = COMMIT_SHA.test(this.opts.sha) ? this.opts.sha : ((await archive) === undefined ? this.tarball.commitSha : undefined);
    this.tree ??= new GitHubTreeSource({
      octokit: this.opts.octokit,
      owner: this.opts.owner,
      repo: this.opts.repo,
      sha: pinned ?? this.opts.sha,
      ...(this.opts.ref ? { ref: this.opts.ref } : {}),
    });
    // The tree's errors (empty repository, 403, 404, 5xx) are the audit's errors, as on the tree path.
    const [files, archiveError] = await Promise.all([this.tree.listFiles(), archive]);
    this.useTarball = archiveError === undefined;
    this.listing = new Map(files.map((f) => [f.path, f]));
    return this.listing;
  }
}

function isMissing(c: FileContent | undefined): boolean {
  return !c || ("skipped" in c && c.skipped === "missing");
}
