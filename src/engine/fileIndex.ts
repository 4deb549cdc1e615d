import picomatch from "picomatch";
import type { FileEntry } from "../sources/source.js";
import type { Globs } from "./types.js";

const GLOB_CHARS = /[*?[\]{}()!+@\\]/;
const PM_OPTIONS: picomatch.PicomatchOptions = { dot: true };

/**
 * The audited file list, sorted by path and indexed so that a glob tests only
 * the paths that can match it: on a 90,000-file repository, hundreds of globs
 * times every path would dominate the audit. For each brace alternative of a
 * glob the index narrows to a literal file name, or to the smaller of the
 * paths under its rarest literal folder and the paths with its extension
 * (then by the file name's literal ends); else it tests the glob's last
 * segment against the distinct file names. Results are memoised per audit.
 */
export class FileIndex {
  readonly files: readonly FileEntry[];
  /** Sorted, so "listing order" is the same whatever the source. */
  readonly paths: readonly string[];
  private readonly byBasename = new Map<string, string[]>();
  private readonly byExtension = new Map<string, string[]>();
  /** Distinct file names, sorted, for prefix ranges and segment scans. */
  private readonly basenames: string[];
  private readonly sizes = new Map<string, number>();
  private readonly cache = new Map<string, readonly string[]>();
  private folders: Map<string, string[]> | undefined;

  constructor(files: readonly FileEntry[]) {
    this.files = isSorted(files) ? files : [...files].sort((a, b) => compare(a.path, b.path));
    this.paths = this.files.map((f) => f.path);
    for (const f of this.files) {
      if (f.size !== undefined) this.sizes.set(f.path, f.size);
      const base = basename(f.path);
      push(this.byBasename, base, f.path);
      const dot = base.lastIndexOf(".");
      if (dot > 0) push(this.byExtension, base.slice(dot + 1).toLowerCase(), f.path);
    }
    this.basenames = [...this.byBasename.keys()].sort(compare);
  }

  size(path: string): number | undefined {
    return this.sizes.get(path);
  }

  /** Paths passing a predicate, computed once per key (manifests, CI files, ...). */
  filterOnce(key: string, predicate: (path: string) => boolean): readonly string[] {
    return this.memo(`filter:${key}`, () => this.paths.filter(predicate));
  }

  /** Paths matching any of `include` and none of `exclude`, in path order. */
  match(include: Globs, exclude?: Globs): readonly string[] {
    const inc = toArray(include);
    const exc = exclude === undefined ? [] : toArray(exclude);
    if (inc.length === 1 && exc.length === 0) return this.matchOne(inc[0]!);
    return this.memo(JSON.stringify([inc, exc]), () => {
      const included = inc.length === 1 ? [...this.matchOne(inc[0]!)] : this.sorted(new Set(inc.flatMap((g) => this.matchOne(g))));
      if (exc.length === 0) return included;
      const isExcluded = picomatch(exc, PM_OPTIONS);
      return included.filter((p) => !isExcluded(p));
    });
  }

  private matchOne(glob: string): readonly string[] {
    return this.memo(glob, () => {
      // The commonest glob needs no regex: every file with that extension, exactly.
      const anyWithExt = /^\*\*\/\*(\.[A-Za-z0-9_-]+)$/.exec(glob);
      if (anyWithExt) return this.narrow(glob).filter((p) => p.endsWith(anyWithExt[1]!));
      const isMatch = picomatch(glob, PM_OPTIONS);
      return this.candidates(glob).filter((p) => isMatch(p));
    });
  }

  /** A superset of the paths a glob can match. */
  private candidates(glob: string): readonly string[] {
    const parts = expandBraces(glob).map((g) => this.narrow(g));
    if (parts.length === 1) return parts[0]!;
    if (parts.some((p) => p === this.paths)) return this.paths;
    return this.sorted(new Set(parts.flat()));
  }

  private narrow(glob: string): readonly string[] {
    if (glob.startsWith("!")) return this.paths;
    const segments = glob.split("/");
    const last = segments.pop()!;
    if (!GLOB_CHARS.test(last)) return this.byBasename.get(last) ?? [];
    // A literal folder segment in a glob must equal a folder of the path: start from the rarest.
    const folders = segments.filter((seg) => !GLOB_CHARS.test(seg) && seg !== "" && seg !== ".");
    let pool: readonly string[] | undefined;
    for (const folder of folders) {
      const withFolder = this.folderIndex().get(folder) ?? [];
      if (!pool || withFolder.length < pool.length) pool = withFolder;
    }
    const ext = /\.([A-Za-z0-9_-]+)$/.exec(last);
    const byExt = ext ? (this.byExtension.get(ext[1]!.toLowerCase()) ?? []) : undefined;
    if (!pool || (byExt && byExt.length < pool.length)) pool = byExt;
    if (!pool) {
      if (last.includes("**")) return this.paths;
      const head = literalPrefix(last);
      const tail = literalSuffix(last);
      const names = head.length >= 2 ? this.prefixRange(this.basenames, head) : this.basenames;
      const isName = picomatch(last, PM_OPTIONS);
      return names.filter((n) => n.endsWith(tail) && isName(n)).flatMap((n) => this.byBasename.get(n)!);
    }
    if (last.includes("**")) return pool;
    // Cheap string tests before picomatch's full-path regex, the expensive part on big pools.
    const head = literalPrefix(last);
    const tail = literalSuffix(last);
    if (!head && !tail) return pool;
    return pool.filter((p) => {
      const name = p.slice(p.lastIndexOf("/") + 1);
      return name.startsWith(head) && name.endsWith(tail);
    });
  }

  /** Folder name → paths under a folder of that name, built on first use. */
  private folderIndex(): Map<string, string[]> {
    if (this.folders) return this.folders;
    const index = new Map<string, string[]>();
    for (const p of this.paths) {
      let start = 0;
      let seenHere: string[] | undefined;
      for (let slash = p.indexOf("/"); slash !== -1; slash = p.indexOf("/", start)) {
        const folder = p.slice(start, slash);
        start = slash + 1;
        // A path lists once per folder name even when the name repeats (src/main/src).
        if (seenHere?.includes(folder)) continue;
        (seenHere ??= []).push(folder);
        push(index, folder, p);
      }
    }
    this.folders = index;
    return index;
  }

  /** Entries of a sorted list starting with `prefix`, by binary search. */
  private prefixRange(sorted: readonly string[], prefix: string): string[] {
    let lo = 0;
    let hi = sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (sorted[mid]! < prefix) lo = mid + 1;
      else hi = mid;
    }
    const out: string[] = [];
    for (let i = lo; i < sorted.length && sorted[i]!.startsWith(prefix); i++) out.push(sorted[i]!);
    return out;
  }

  private sorted(set: Set<string>): string[] {
    // A large union is cheaper to filter from the sorted list than to sort.
    if (set.size > this.paths.length / 8) return this.paths.filter((p) => set.has(p));
    return [...set].sort(compare);
  }

  private memo(key: string, compute: () => readonly string[]): readonly string[] {
    let result = this.cache.get(key);
    if (!result) {
      result = compute();
      this.cache.set(key, result);
    }
    return result;
  }
}

export function basename(path: string): string {
  return path.slice(path.lastIndexOf("/") + 1);
}

function literalSuffix(segment: string): string {
  let i = segment.length;
  while (i > 0 && !GLOB_CHARS.test(segment[i - 1]!)) i--;
  return segment.slice(i);
}

function literalPrefix(glob: string): string {
  const i = glob.search(GLOB_CHARS);
  return i === -1 ? glob : glob.slice(0, i);
}

function isSorted(files: readonly FileEntry[]): boolean {
  for (let i = 1; i < files.length; i++) if (files[i - 1]!.path > files[i]!.path) return false;
  return true;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function push(map: Map<string, string[]>, key: string, value: string): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function toArray(g: Globs): string[] {
  return typeof g === "string" ? [g] : g;
}

/** Expands `{a,b}` alternatives (nested too); used only to pick index keys, never to match. */
export function expandBraces(glob: string): string[] {
  const open = glob.indexOf("{");
  if (open === -1) return [glob];
  let depth = 0;
  const commas: number[] = [];
  let close = -1;
  for (let i = open; i < glob.length; i++) {
    const c = glob[i];
    if (c === "{") depth++;
    else if (c === "}") {
      depth--;
      if (depth === 0) {
        close = i;
        break;
      }
    } else if (c === "," && depth === 1) commas.push(i);
  }
  if (close === -1 || commas.length === 0) return [glob];
  const head = glob.slice(0, open);
  const tail = glob.slice(close + 1);
  const bounds = [open, ...commas, close];
  const out: string[] = [];
  for (let i = 0; i < bounds.length - 1; i++) {
    const alt = glob.slice(bounds[i]! + 1, bounds[i + 1]);
    out.push(...expandBraces(head + alt + tail));
  }
  return out;
}
