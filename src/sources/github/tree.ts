import type { RawTree, RawTreeEntry } from "./client.js";
import { limit } from "./limit.js";

/** Fetches one tree object, recursively or one level; the caller counts the request. */
export type FetchTree = (treeSha: string, recursive: boolean) => Promise<RawTree>;

export interface TreeBlob {
  path: string;
  sha: string;
  size?: number;
}

export interface TreeListing {
  blobs: TreeBlob[];
  /** The recursive listing came back truncated and subtrees were walked instead. */
  walked: boolean;
  /** Folders GitHub truncated even when listed one level at a time: their listing is partial. */
  partial: string[];
}

/**
 * Folders not descended into when walking a truncated tree: their files never
 * count as evidence (the engine drops them anyway) and they are where huge
 * trees usually come from, so skipping them saves requests.
 */
const SKIP_WHEN_WALKING = new Set([
  "node_modules",
  "vendor",
  ".git",
  "dist",
  "build",
  "target",
  ".venv",
  "site-packages",
  "bower_components",
]);

/** Regular files and executables; symlinks (120000) would point elsewhere, submodules are type "commit". */
function isFile(e: RawTreeEntry): boolean {
  return e.type === "blob" && e.mode !== "120000";
}

function blobsOf(tree: RawTree, prefix: string): TreeBlob[] {
  return tree.tree.filter(isFile).map((e) => ({ path: prefix + e.path, sha: e.sha, ...(e.size !== undefined ? { size: e.size } : {}) }));
}

/**
 * Lists every file under `rootSha` (a commit or tree sha). One recursive
 * request is enough unless GitHub truncates it (over 100,000 entries or 7 MB);
 * then the root is listed one level deep and each top-level folder fetched
 * recursively, descending a level at a time only into folders that are
 * themselves truncated.
 */
export async function listTree(rootSha: string, fetchTree: FetchTree, concurrency = 4): Promise<TreeListing> {
  const root = await fetchTree(rootSha, true);
  if (!root.truncated) return { blobs: blobsOf(root, ""), walked: false, partial: [] };

  const fetchLimited = limit(concurrency, fetchTree);
  const partial: string[] = [];

  const subtree = async (sha: string, prefix: string): Promise<TreeBlob[]> => {
    const t = await fetchLimited(sha, true);
    return t.truncated ? level(sha, prefix) : blobsOf(t, prefix);
  };

  const level = async (sha: string, prefix: string): Promise<TreeBlob[]> => {
    const t = await fetchLimited(sha, false);
    // One level of one folder over GitHub's limit: take what came back and say so.
    if (t.truncated) partial.push(prefix === "" ? "/" : prefix);
    const parts = await Promise.all(
      t.tree.map((e): TreeBlob[] | Promise<TreeBlob[]> => {
        if (isFile(e)) return [{ path: prefix + e.path, sha: e.sha, ...(e.size !== undefined ? { size: e.size } : {}) }];
        if (e.type === "tree" && !SKIP_WHEN_WALKING.has(e.path)) return subtree(e.sha, `${prefix}${e.path}/`);
        return [];
      }),
    );
    return parts.flat();
  };

  return { blobs: await level(rootSha, ""), walked: true, partial };
}
