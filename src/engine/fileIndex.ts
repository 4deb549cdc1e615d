import picomatch from "picomatch";
import type { FileEntry } from "../sources/source.js";
import type { Globs } from "./types.js";

const GLOB_CHARS = /[*?[\]{}()!+@\\]/;
const GLOB_CHARS_ALL = /[*?[\]{}()!+@\\]+/;
const PM_OPTIONS: picomatch.PicomatchOptions = { dot: true };

/**
 * The audited file list, sorted by path and indexed so that a glob tests only
 * the paths that can match it: on a 90,000-file repository, hundreds of globs
 * times every path would dominate the audit. For each brace alternative of a
 * glob the index narrows to a literal file name, to the files of a fixed
 * folder, or to the smallest of: the files with its extension, those under
 * one of its literal folders, those under its literal leading path; then filters by
 * cheap string tests (the name's literal ends, the glob's literal folders)
 * before any regex runs. A glob that constrains only the file name is tested
 * against the distinct names. Results are memoised per audit.
 */
export class FileIndex {
  readonly files: readonly FileEntry[];
  /** Sorted, so "listing order" is the same whatever the source. */
  readonly paths: readonly string[];
  private readonly byBasename = new Map<string, string[]>();
  private readonly byExtension = new Map<string, string[]>();
  /** Distinct file names, for globs that constrain only the name; built on first use. */
  private names: string[] | undefined;
  private dirIndex: { byDir: Map<string, string[]>; byFolderName: Map<string, string[]> } | undefined;
  private readonly sizes = new Map<string, number>();
  private readonly cache = new Map<string, readonly string[]>();
  private readonly byOwner = new WeakMap<object, readonly string[]>();

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
  }

  size(path: string): number | undefined {
    return this.sizes.get(path);
  }

  /** Paths passing a predicate, computed once per key (manifests, CI files, ...). */
  filterOnce(key: string, predicate: (path: string) => boolean): readonly string[] {
    return this.memo(`filter:${key}`, () => this.paths.filter(predicate));
  }

  /**
   * Paths matching any of `include` and none of `exclude`, in path order.
   * Matchers call this on every evaluation round, so the answer is memoised
   * on the matcher object itself (rules are loaded once, then never change).
   */
  match(include: Globs, exclude?: Globs, owner?: object): readonly string[] {
    if (owner) {
      let result = this.byOwner.get(owner);
      if (!result) {
        result = this.match(include, exclude);
        this.byOwner.set(owner, result);
      }
      return result;
    }
    const inc = toArray(include);
    const exc = exclude === undefined ? [] : toArray(exclude);
    if (inc.length === 1 && exc.length === 0) return this.matchOne(inc[0]!);
    return this.memo(JSON.stringify([inc, exc]), () => {
      const included = inc.length === 1 ? this.matchOne(inc[0]!) : this.union(inc.map((g) => this.matchOne(g)));
      if (exc.length === 0 || included.length === 0) return included;
      const isExcluded = excluder(exc);
      return included.filter((p) => !isExcluded(p));
    });
  }

  private matchOne(glob: string): readonly string[] {
    return this.memo(glob, () => {
      const alternatives = expandBraces(glob);
      if (alternatives.length === 1) return this.matchAlternative(glob);
      return this.union(alternatives.map((alt) => this.matchAlternative(alt)));
    });
  }

  /** One brace-free glob. Folder-only globs are answered from the index without a regex. */
  private matchAlternative(glob: string): readonly string[] {
    return this.memo(`alt:${glob}`, () => {
      const anyInFolder = /^\*\*\/([^/]+)\/\*\*$/.exec(glob);
      if (anyInFolder && !GLOB_CHARS.test(anyInFolder[1]!)) return this.underFolder(anyInFolder[1]!);
      const underPrefix = /^([^*?[\]{}()!+@\\]+\/)\*\*$/.exec(glob);
      if (underPrefix) return this.prefixRange(this.paths, underPrefix[1]!);
      // The commonest glob needs no regex: every file with that extension, exactly.
      const anyWithExt = /^\*\*\/\*(\.[A-Za-z0-9_-]+)$/.exec(glob);
      if (anyWithExt) return this.narrow(glob).filter((p) => p.endsWith(anyWithExt[1]!));
      const isMatch = picomatch(glob, PM_OPTIONS);
      return this.narrow(glob).filter((p) => isMatch(p));
    });
  }

  private union(parts: ReadonlyArray<readonly string[]>): readonly string[] {
    const nonEmpty = parts.filter((p) => p.length > 0);
    if (nonEmpty.length <= 1) return nonEmpty[0] ?? [];
    return this.sorted(new Set(nonEmpty.flat()));
  }

  private narrow(glob: string): readonly string[] {
    if (glob.startsWith("!")) return this.paths;
    const segments = glob.split("/");
    const last = segments.pop()!;
    if (!GLOB_CHARS.test(last)) return this.byBasename.get(last) ?? [];
    const anyName = last.includes("**");
    const head = anyName ? "" : literalPrefix(last);
    const tail = anyName ? "" : literalSuffix(last);
    const dir = segments.join("/");
    const folders = segments.filter((seg) => !GLOB_CHARS.test(seg) && seg !== "" && seg !== ".");
    let pool: readonly string[] | undefined;
    if (!anyName && !GLOB_CHARS.test(dir)) {
      pool = this.dirs().byDir.get(dir) ?? []; // a fixed folder: its files only
    } else {
      const ext = /\.([A-Za-z0-9_-]+)$/.exec(last);
      const candidates: Array<readonly string[]> = [];
      if (ext) candidates.push(this.byExtension.get(ext[1]!.toLowerCase()) ?? []);
      for (const f of folders) candidates.push(this.underFolder(f));
      const dirPrefix = literalPrefix(glob);
      if (dirPrefix.includes("/")) candidates.push(this.prefixRange(this.paths, dirPrefix.slice(0, dirPrefix.lastIndexOf("/") + 1)));
      for (const c of candidates) if (!pool || c.length < pool.length) pool = c;
    }
    if (!pool && !anyName) {
      // Only the file name is constrained: test the distinct names, not every path.
      this.names ??= [...this.byBasename.keys()];
      const isName = picomatch(last, PM_OPTIONS);
      const mid = longestLiteral(last);
      return this.names
        .filter((n) => n.startsWith(head) && n.endsWith(tail) && n.includes(mid) && isName(n))
        .flatMap((n) => this.byBasename.get(n)!);
    }
    pool ??= this.paths;
    if (!head && !tail && folders.length === 0) return pool;
    // Cheap, allocation-free string tests before picomatch's full-path regex,
    // which is the expensive part on big pools. A literal folder of the glob
    // must be a folder of the path.
    const within = folders.map((f) => [`${f}/`, `/${f}/`] as const);
    return pool.filter((p) => {
      if (tail && !p.endsWith(tail)) return false;
      if (head && !p.startsWith(head, p.lastIndexOf("/") + 1)) return false;
      return within.every(([atStart, inside]) => p.startsWith(atStart) || p.includes(inside));
    });
  }

  /**
   * Files by folder, and folders by each name in their path. Built from the
   * distinct folders (far fewer than files), on first use.
   */
  private dirs(): { byDir: Map<string, string[]>; byFolderName: Map<string, string[]> } {
    if (this.dirIndex) return this.dirIndex;
    const byDir = new Map<string, string[]>();
    for (const p of this.paths) push(byDir, p.slice(0, Math.max(p.lastIndexOf("/"), 0)), p);
    const byFolderName = new Map<string, string[]>();
    for (const dir of byDir.keys()) {
      if (dir === "") continue;
      for (const name of new Set(dir.split("/"))) push(byFolderName, name, dir);
    }
    this.dirIndex = { byDir, byFolderName };
    return this.dirIndex;
  }

  /** Paths under any folder named `name`, at any depth. */
  private underFolder(name: string): readonly string[] {
    return this.memo(`folder:${name}`, () => {
      const { byDir, byFolderName } = this.dirs();
      const dirs = byFolderName.get(name) ?? [];
      return dirs.length === 1 ? byDir.get(dirs[0]!)! : this.sorted(new Set(dirs.flatMap((d) => byDir.get(d)!)));
    });
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

/**
 * A test for exclude globs. Most are "anything under a folder named x"
 * (`**\/{test,fixtures}/**`) or "anything under this path": plain string
 * tests answer those; only the rest pay for a regex.
 */
function excluder(globs: readonly string[]): (path: string) => boolean {
  const inFolder: string[] = [];
  const underPrefix: string[] = [];
  const others: string[] = [];
  for (const alt of globs.flatMap(expandBraces)) {
    const folder = /^\*\*\/([^/]+)\/\*\*$/.exec(alt);
    const prefix = /^([^*?[\]{}()!+@\\]+\/)\*\*$/.exec(alt);
    if (folder && !GLOB_CHARS.test(folder[1]!)) inFolder.push(`${folder[1]}/`, `/${folder[1]}/`);
    else if (prefix) underPrefix.push(prefix[1]!);
    else others.push(alt);
  }
  const regex = others.length > 0 ? picomatch(others, PM_OPTIONS) : undefined;
  return (p) => {
    for (let i = 0; i < inFolder.length; i += 2) if (p.startsWith(inFolder[i]!) || p.includes(inFolder[i + 1]!)) return true;
    for (const u of underPrefix) if (p.startsWith(u)) return true;
    return regex ? regex(p) : false;
  };
}

/** The longest run of literal characters in a glob segment ("" when none). */
function longestLiteral(segment: string): string {
  return segment.split(GLOB_CHARS_ALL).reduce((a, b) => (b.length > a.length ? b : a), "");
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
