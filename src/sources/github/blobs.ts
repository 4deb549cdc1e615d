import { looksBinary, MAX_READ_BYTES, type FileContent } from "../source.js";
import { statusOf } from "./client.js";

/** What GraphQL says about one `object(expression:)`; `{}` when the object is not a blob (a folder). */
export interface RawBlob {
  oid?: string;
  text?: string | null;
  byteSize?: number;
  isBinary?: boolean | null;
  isTruncated?: boolean;
}

/**
 * One query reading `n` blobs of one commit. Owner, name and every
 * `<sha>:<path>` expression travel as variables, so paths with quotes,
 * backslashes or non-ASCII characters need no escaping.
 */
export function blobQuery(n: number): string {
  const vars = ["$owner: String!", "$repo: String!"];
  const fields: string[] = [];
  for (let i = 0; i < n; i++) {
    vars.push(`$e${i}: String!`);
    fields.push(`f${i}: object(expression: $e${i}) { ...BlobText }`);
  }
  return (
    `query(${vars.join(", ")}) { repository(owner: $owner, name: $repo) { ${fields.join(" ")} } }\n` +
    "fragment BlobText on Blob { oid text byteSize isBinary isTruncated }"
  );
}

export function blobVariables(owner: string, repo: string, sha: string, paths: readonly string[]): Record<string, string> {
  const vars: Record<string, string> = { owner, repo };
  paths.forEach((p, i) => (vars[`e${i}`] = `${sha}:${p}`));
  return vars;
}

/**
 * Splits paths into batches of at most `maxCount` paths and, by the sizes the
 * tree listing gave, at most `maxBytes` of text (a path whose size is unknown
 * counts as 0; a single file larger than `maxBytes` gets a batch of its own).
 */
export function planBatches(
  paths: readonly string[],
  sizeOf: (path: string) => number | undefined,
  maxCount: number,
  maxBytes: number,
): string[][] {
  const batches: string[][] = [];
  let current: string[] = [];
  let bytes = 0;
  for (const p of paths) {
    const size = sizeOf(p) ?? 0;
    if (current.length > 0 && (current.length >= maxCount || bytes + size > maxBytes)) {
      batches.push(current);
      current = [];
      bytes = 0;
    }
    current.push(p);
    bytes += size;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}

/** A blob whose text GraphQL cut short; it can still be read whole through the REST blob API. */
export interface Truncated {
  path: string;
  oid?: string;
}

/** Turns one alias of the response into a file content, or says the text was truncated. */
export function interpretBlob(path: string, raw: RawBlob | null | undefined): FileContent | Truncated {
  if (raw === null || raw === undefined) return { path, skipped: "missing" };
  if (raw.byteSize === undefined) return { path, skipped: "unreadable", reason: "not a regular file" };
  if (raw.byteSize > MAX_READ_BYTES) return { path, skipped: "too-large" };
  if (raw.isBinary) return { path, skipped: "binary" };
  if (raw.isTruncated || typeof raw.text !== "string") return { path, ...(raw.oid ? { oid: raw.oid } : {}) };
  // GitHub's binary detection is not ours: apply the local sources' NUL rule too, so both agree.
  if (nulInFirst8K(raw.text)) return { path, skipped: "binary" };
  return { path, text: raw.text };
}

export function isTruncated(c: FileContent | Truncated): c is Truncated {
  return !("text" in c) && !("skipped" in c);
}

function nulInFirst8K(text: string): boolean {
  const i = text.indexOf("\0");
  return i !== -1 && Buffer.byteLength(text.slice(0, i)) < 8192;
}

/** Decodes a REST `git/blobs` response the way LocalDirectorySource reads a file. */
export function decodeRestBlob(path: string, data: { content: string; encoding: string }): FileContent {
  const bytes = data.encoding === "base64" ? Buffer.from(data.content, "base64") : Buffer.from(data.content, "utf8");
  if (bytes.length > MAX_READ_BYTES) return { path, skipped: "too-large" };
  if (looksBinary(bytes)) return { path, skipped: "binary" };
  return { path, text: new TextDecoder("utf-8", { fatal: false }).decode(bytes) };
}

/** The parts of @octokit/graphql's GraphqlResponseError this module reads. */
interface GraphqlErrorShape {
  data?: { repository?: Record<string, RawBlob | null> | null } | null;
  errors?: Array<{ message?: string; path?: ReadonlyArray<string | number> }>;
}

/**
 * The aliases of a response, from a resolved `data` or from a GraphqlResponseError
 * that still carries partial data (GitHub answers the aliases it could and lists
 * errors for the rest). Returns undefined when there is nothing to salvage.
 */
export function aliasesOf(
  result: { ok: true; data: unknown } | { ok: false; error: unknown },
): { blobs: Record<string, RawBlob | null>; errors: Map<string, string> } | undefined {
  const shape: GraphqlErrorShape = result.ok ? { data: result.data as GraphqlErrorShape["data"] } : (result.error as GraphqlErrorShape);
  const blobs = shape?.data?.repository;
  if (!blobs || typeof blobs !== "object") return undefined;
  const errors = new Map<string, string>();
  for (const e of shape.errors ?? []) {
    const alias = e.path?.[0] === "repository" ? e.path[1] : undefined;
    // An error not tied to one file (a timeout, a limit) may have left other aliases null: trust none.
    if (typeof alias !== "string") return undefined;
    errors.set(alias, e.message ?? "GraphQL error");
  }
  return { blobs, errors };
}

/** A batch that failed as a whole in a way a smaller batch may not: worth splitting once or twice. */
export function isBatchTimeout(err: unknown): boolean {
  const status = statusOf(err);
  if (status === 502 || status === 504) return true;
  const errors = (err as GraphqlErrorShape | null)?.errors;
  return Array.isArray(errors) && errors.some((e) => /timeout|timed out/i.test(e.message ?? ""));
}
