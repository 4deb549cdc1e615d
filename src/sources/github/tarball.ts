import { Readable, Transform, type TransformCallback } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ReadableStream as WebReadableStream } from "node:stream/web";
import { createGunzip } from "node:zlib";
import tar from "tar-stream";
import { EmptyRepositoryError } from "../github.js";
import { looksBinary, MAX_READ_BYTES, type FileContent, type FileEntry, type Source, type Target } from "../source.js";
import { statusOf, type GitHubTarballClient } from "./client.js";

/**
 * Bytes of gzip accepted from GitHub. Tarballs are asked for repositories up
 * to TARBALL_MAX_SIZE_KB (100 MiB of history), whose archives measured 0.1–18
 * MB (docs/read-path.md); a stale size (GitHub reports 0 for a while after a
 * first push) or a hostile archive stops here.
 */
export const MAX_TARBALL_BYTES = 100 * 1024 * 1024;
/** Uncompressed tar bytes streamed through (a gzip bomb stops here; they are never held). */
export const MAX_TAR_BYTES = 1024 * 1024 * 1024;
/**
 * Text bytes kept in memory for reads, the only part of the archive held:
 * 25 MiB for rails/rails, 22 MiB for fastapi/fastapi. Several audits run at
 * once, so this bounds each of them well below the process's memory.
 */
export const MAX_HELD_BYTES = 64 * 1024 * 1024;

export const EXPORT_IGNORE_NOTE = "files marked export-ignore in .gitattributes are not in GitHub's archive and were not audited (with a token they are)";

/** A download (headers and body) that takes longer than this is abandoned: an audit never hangs on it. */
export const TARBALL_TIMEOUT_MS = 120_000;

/** The archive is over one of the caps above: the audit fails with this message rather than exhausting memory. */
export class TarballTooLargeError extends Error {
  constructor(what: string, limit: number) {
    const size = limit >= 1024 * 1024 ? `${Math.round(limit / (1024 * 1024))} MiB` : `${Math.round(limit / 1024)} KiB`;
    super(`the repository archive is too large to audit: ${what} over ${size}`);
    this.name = "TarballTooLargeError";
  }
}

export interface GitHubTarballSourceOptions {
  octokit: GitHubTarballClient;
  owner: string;
  repo: string;
  /** A commit sha, or a branch or tag name: `commitSha` then tells which commit the archive holds. */
  sha: string;
  /** Branch or tag the commit was reached by, shown in reports only. */
  ref?: string;
  /** Caps, for tests; defaults above. */
  limits?: Partial<{ tarballBytes: number; tarBytes: number; heldBytes: number }>;
  /** Default TARBALL_TIMEOUT_MS. */
  timeoutMs?: number;
}

type Held = { bytes: Buffer } | { skipped: "too-large" | "binary" };

interface Archive {
  files: Map<string, { size: number; held: Held }>;
  commitSha?: string;
}

/**
 * A commit of a GitHub repository read from its tarball: one
 * `GET /repos/{owner}/{repo}/tarball/{ref}` (GitHub redirects to codeload,
 * fetch follows), gunzipped and untarred as it streams in. Every regular
 * file is listed with its size; only texts up to MAX_READ_BYTES are kept,
 * so reads cost nothing more. Symlinks and submodules (git archive writes a
 * submodule as an empty folder) are left out, as GitHubTreeSource does.
 */
export class GitHubTarballSource implements Source {
  readonly target: Extract<Target, { kind: "github" }>;
  /** HTTP requests issued so far (the tarball: 1 once loaded). */
  requestCount = 0;

  private readonly octokit: GitHubTarballClient;
  private readonly owner: string;
  private readonly repo: string;
  private readonly sha: string;
  private readonly limits: { tarballBytes: number; tarBytes: number; heldBytes: number };
  private readonly timeoutMs: number;
  private archive?: Archive;
  private loading?: Promise<Archive>;

  constructor(opts: GitHubTarballSourceOptions) {
    this.octokit = opts.octokit;
    this.owner = opts.owner;
    this.repo = opts.repo;
    this.sha = opts.sha;
    this.limits = { tarballBytes: MAX_TARBALL_BYTES, tarBytes: MAX_TAR_BYTES, heldBytes: MAX_HELD_BYTES, ...opts.limits };
    this.timeoutMs = opts.timeoutMs ?? TARBALL_TIMEOUT_MS;
    this.target = {
      kind: "github",
      owner: opts.owner,
      repo: opts.repo,
      ...(opts.ref !== undefined ? { ref: opts.ref } : {}),
      sha: opts.sha,
      url: `https://github.com/${opts.owner}/${opts.repo}`,
    };
  }

  /** The commit the archive was made from (git archive's pax global header), once loaded; undefined if the archive carries none. */
  get commitSha(): string | undefined {
    return this.archive?.commitSha;
  }

  /** Downloads and unpacks the archive once; a failed load is not remembered, so a retry asks again. */
  load(): Promise<Archive> {
    this.loading ??= this.fetchArchive().then(
      (a) => (this.archive = a),
      (err: unknown) => {
        this.loading = undefined;
        throw err;
      },
    );
    return this.loading;
  }

  /**
   * Said when the archive shows `.gitattributes` export-ignore rules: git
   * archive left those paths out, and without the tree (GitHubArchiveSource
   * adds it) nothing tells which. A `.gitattributes` that ignores itself
   * cannot be seen at all.
   */
  notes(): string[] {
    for (const [path, f] of this.archive?.files ?? []) {
      if (!(path === ".gitattributes" || path.endsWith("/.gitattributes")) || !("bytes" in f.held)) continue;
      if (/(^|\s)export-ignore(\s|$)/m.test(f.held.bytes.toString("utf8"))) return [EXPORT_IGNORE_NOTE];
    }
    return [];
  }

  async listFiles(): Promise<FileEntry[]> {
    const { files } = await this.load();
    return [...files].map(([path, f]) => ({ path, size: f.size }));
  }

  async readFiles(paths: readonly string[]): Promise<FileContent[]> {
    const { files } = await this.load();
    return paths.map((path): FileContent => {
      const held = files.get(path)?.held;
      if (!held) return { path, skipped: "missing" };
      if ("skipped" in held) return { path, skipped: held.skipped };
      return { path, text: decoder.decode(held.bytes) };
    });
  }

  /**
   * A download cut short (gunzip meets the end of the stream before the gzip
   * trailer: a dropped connection mid-body) is downloaded once more before
   * the audit gives up on the repository: it is the network's fault, not the archive's.
   */
  private async fetchArchive(): Promise<Archive> {
    try {
      return await this.downloadArchive();
    } catch (err) {
      const zlib = (err as { code?: unknown; cause?: { code?: unknown } }).cause?.code ?? (err as { code?: unknown }).code;
      if (zlib !== "Z_BUF_ERROR") throw err;
      return await this.downloadArchive();
    }
  }

  private async downloadArchive(): Promise<Archive> {
    this.requestCount++;
    // One deadline for the response and the whole body: the signal aborts the stream too.
    const signal = AbortSignal.timeout(this.timeoutMs);
    let body: WebReadableStream<Uint8Array> | null;
    try {
      const res = await this.octokit.request("GET /repos/{owner}/{repo}/tarball/{ref}", {
        owner: this.owner,
        repo: this.repo,
        ref: this.sha,
        // The body as a stream: it is unpacked as it arrives, never held whole.
        request: { parseSuccessResponseBody: false, signal },
      });
      body = res.data as WebReadableStream<Uint8Array> | null;
    } catch (err) {
      if (statusOf(err) === 409) throw new EmptyRepositoryError((err as Error).message || undefined);
      if (signal.aborted) throw timedOut(this.timeoutMs);
      throw err;
    }
    if (!body) throw new Error("GitHub sent an empty tarball response");
    try {
      return await unpack(Readable.fromWeb(body), this.limits);
    } catch (err) {
      throw signal.aborted ? timedOut(this.timeoutMs) : err;
    }
  }
}

const decoder = new TextDecoder("utf-8", { fatal: false });

function timedOut(ms: number): Error {
  return new Error(`the repository archive could not be read: no complete answer from GitHub within ${ms >= 1000 ? `${Math.round(ms / 1000)} s` : `${ms} ms`}`);
}

/** Fails the stream once more than `limit` bytes went through; `peek` sees the first chunks. */
function byteCap(limit: number, what: string, peek?: (chunk: Buffer) => void): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _enc, done: TransformCallback) {
      // Once over, later chunks (already on their way) are dropped: the error is raised once.
      if (seen > limit) return done();
      seen += chunk.length;
      if (seen > limit) return done(new TarballTooLargeError(what, limit));
      peek?.(chunk);
      done(null, chunk);
    },
  });
}

/**
 * Drops git archive's top folder ("owner-repo-sha/"); undefined for the
 * folder itself and for a name git never writes: absolute (`/x`, `\x`,
 * `C:x`), with a NUL, or with an empty, `.` or `..` segment anywhere (`.`
 * and `..` also between backslashes). Such an entry can only come from a crafted archive;
 * kept, `../evil_test.py` would count as a file of the repository (and
 * `a/../../x` name a file outside it wherever paths are joined).
 */
function stripTop(name: string): string | undefined {
  if (!isPlainArchiveName(name)) return undefined;
  const slash = name.indexOf("/");
  const rest = slash === -1 ? "" : name.slice(slash + 1);
  return rest === "" ? undefined : rest;
}

function isPlainArchiveName(name: string): boolean {
  if (name.includes("\0") || /^[/\\]/.test(name) || /^[A-Za-z]:/.test(name)) return false;
  // A folder's name ends with "/": that one empty segment is allowed.
  const segments = (name.endsWith("/") ? name.slice(0, -1) : name).split("/");
  // Backslashes are legal in a git file name, but "..\\" means a parent folder wherever paths are Windows paths.
  return segments.every((s) => s !== "" && s.split("\\").every((part) => part !== "." && part !== ".."));
}

/** Streams a gzipped tar into the archive model, within the caps. */
export async function unpack(input: Readable, limits: { tarballBytes: number; tarBytes: number; heldBytes: number }): Promise<Archive> {
  const files = new Map<string, { size: number; held: Held }>();
  const header = new PaxGlobalPeek();
  const extract = tar.extract();
  // When another stage fails, pipeline destroys the extractor with that error and stops
  // listening; streamx re-emits it a tick later. The error has already reached pipeline's promise.
  extract.on("error", () => {});
  let held = 0;

  // The entry event rather than async iteration: a third less CPU on a 3,000-file archive.
  extract.on("entry", (entry, stream, next) => {
    // Same for the entry being read when a stage fails.
    stream.on("error", () => {});
    const path = stripTop(entry.name);
    const isFile = entry.type === "file" || entry.type === "contiguous-file";
    if (!path || !isFile || entry.size > MAX_READ_BYTES) {
      if (path && isFile) files.set(path, { size: entry.size, held: { skipped: "too-large" } });
      stream.on("end", () => next());
      stream.resume();
      return;
    }
    const chunks: Buffer[] = [];
    stream.on("data", (chunk: unknown) => {
      chunks.push(chunk as Buffer);
    });
    stream.on("end", () => {
      const bytes = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
      if (looksBinary(bytes)) {
        files.set(path, { size: entry.size, held: { skipped: "binary" } });
        return next();
      }
      held += bytes.length;
      if (held > limits.heldBytes) return next(new TarballTooLargeError("text files", limits.heldBytes));
      files.set(path, { size: entry.size, held: { bytes } });
      next();
    });
  });

  try {
    await pipeline(
      input,
      byteCap(limits.tarballBytes, "compressed size"),
      createGunzip(),
      byteCap(limits.tarBytes, "unpacked size", header.listener),
      extract,
    );
  } catch (err) {
    throw asArchiveError(err);
  }
  return { files, ...(header.commitSha ? { commitSha: header.commitSha } : {}) };
}

function asArchiveError(err: unknown): unknown {
  if (statusOf(err) !== undefined || err instanceof TarballTooLargeError) return err;
  const e = new Error(`the repository archive could not be read: ${(err as Error)?.message ?? String(err)}`);
  (e as Error & { cause?: unknown }).cause = err;
  return e;
}

/**
 * Reads the commit id from git archive's pax global header (the first tar
 * block, typeflag "g", record `comment=<sha>`). tar-stream applies that header
 * internally but does not expose it, so the first bytes are read here.
 */
class PaxGlobalPeek {
  commitSha?: string;
  private head = Buffer.alloc(0);
  private done = false;

  readonly listener = (chunk: Buffer): void => {
    if (this.done) return;
    this.head = Buffer.concat([this.head, chunk]);
    if (this.head.length < 512) return;
    if (this.head[156] !== 0x67 /* "g" */) return this.finish();
    const size = parseInt(this.head.subarray(124, 136).toString("latin1").replace(/\0.*$/s, "").trim(), 8);
    if (!Number.isFinite(size) || size > 64 * 1024) return this.finish();
    if (this.head.length < 512 + size) return;
    const comment = /(?:^|\n)\d+ comment=([^\n]*)\n/.exec(this.head.subarray(512, 512 + size).toString("utf8"));
    if (comment && /^[0-9a-f]{40}(?:[0-9a-f]{24})?$/.test(comment[1]!)) this.commitSha = comment[1];
    this.finish();
  };

  private finish(): void {
    this.done = true;
    this.head = Buffer.alloc(0);
  }
}
