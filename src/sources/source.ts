/**
 * Where audited files come from. The engine asks a source for the file list
 * once, then for the contents of only the files its matchers need, so the same
 * engine runs over a local directory and a GitHub tree without change.
 */

/** What was audited, as shown in reports. */
export type Target =
  | { kind: "local"; path: string }
  | { kind: "github"; owner: string; repo: string; ref?: string; sha: string; url?: string };

export interface FileEntry {
  /** POSIX path relative to the root of the audited tree, no leading "./". */
  path: string;
  /** Size in bytes when the listing knows it (GitHub trees do; local listings may not). */
  size?: number;
}

export type FileContent =
  | { path: string; text: string }
  | { path: string; skipped: "too-large" | "binary" | "unreadable" | "missing"; reason?: string };

export interface Source {
  readonly target: Target;
  /** The whole file list, once. */
  listFiles(): Promise<FileEntry[]>;
  /**
   * The same list as paths alone, for a source that knows no sizes: the
   * engine needs nothing else, and 90,000 entry objects cost megabytes.
   */
  listPaths?(): Promise<string[]>;
  /** Contents of the given paths. Never throws for a single bad file: it comes back as skipped. */
  readFiles(paths: readonly string[]): Promise<FileContent[]>;
  /** Notes the source wants shown in the report (e.g. "tree truncated, walked subtrees"). */
  notes?(): string[];
}

/** Files larger than this are never read for evidence. */
export const MAX_READ_BYTES = 1024 * 1024;

/** Heuristic shared by sources: a NUL byte in the first 8 KiB means binary. */
export function looksBinary(bytes: Uint8Array): boolean {
  const n = Math.min(bytes.length, 8192);
  for (let i = 0; i < n; i++) if (bytes[i] === 0) return true;
  return false;
}
