import picomatch from "picomatch";
import type { FileEntry } from "../sources/source.js";
import type { Globs } from "./types.js";

const GLOB_CHARS = /[*?[\]{}()!+@\\]/;
const GLOB_CHARS_ALL = /[*?[\]{}()!+@\\]+/;
const PM_OPTIONS: picomatch.PicomatchOptions = { dot: true };

/**
 * The audited file list, sorted by path and indexed (by file name, extension,
 * folder, and folder name) so that a glob's regex meets only the paths that
 * can match it: on a 90,000-file repository, hundreds of globs times every
 * path would dominate the audit. Results are memoised per audit.
 */
export class FileIndex {
  readonly files: readonly FileEntry[];
  /** Sorted, so "listing order" is the same whatever the source. */
  readonly paths: readonly string[];
  /**
   * Paths by file name. Most names occur once: those hold the path itself, not
   * a one-element array (on 90,000 files, megabytes of arrays).
   */
  private readonly byBasename = new Map<string, string | string[]>();
  private readonly byExtension = new Map<string, string[]>();
  /** Distinct file names, for globs that constrain only the name; built on first use. */
  private names: string[] | undefined;
  private dirIndex: { byDir: Map<string, string[]>; byFolderName: Map<string, string[]> } | undefined;
  private readonly cache = new Map<string, readonly string[]>();
  private readonly byOwner = new WeakMap<object, readonly string[]>();

  constructor(files: readonly FileEntry[]) {
    this.files = isSorted(files) ? files : [...files].sort((a, b) => compare(a.path, b.path));
    this.paths = this.files.map((f) => f.path);
    for (const f of this.files) {
      const base = basename(f.path);
      const same = this.byBasename.get(base);
      if (same === undefined) this.byBasename.set(base, f.path);
      else if (typeof same === "string") this.byBasename.set(base, [same, f.path]);
      else same.push(f.path);
      // Dot files too: picomatch's `*.env` (dot: true) matches ".env".
      const dot = base.lastIndexOf(".");
      if (dot >= 0) push(this.byExtension, base.slice(dot + 1).toLowerCase(), f.path);
    }
  }

  /**
   * Whether a path is in the list: a binary search over the sorted paths, not a
   * Set (a second copy of 90,000 entries costs megabytes for a few lookups).
   */
  has(path: string): boolean {
    const i = lowerBound(this.paths, path);
    return i < this.paths.length && this.paths[i] === path;
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
      const isExcluded = excluder(
        exc,
        (names) => new Set(names.flatMap((n) => this.dirs().byFolderName.get(n) ?? [])),
        // Few included paths: a regex each is cheaper than listing everything the excludes match.
        (globs) => (included.length < 2000 ? picomatch(globs, PM_OPTIONS) : setTest(new Set(globs.flatMap((g) => this.matchOne(g))))),
      );
      return included.filter((p) => !isExcluded(p));
    });
  }

  /**
   * Like `match`, but only under the given folders ("" is the whole tree):
   * a check scoped to a few modules should not pay for matching the whole tree.
   */
  matchUnder(folders: readonly string[], include: Globs, exclude?: Globs): readonly string[] {
    if (folders.includes("")) return this.match(include, exclude);
    const inc = picomatch(toArray(include), PM_OPTIONS);
    const exc = exclude === undefined ? undefined : picomatch(toArray(exclude), PM_OPTIONS);
    return this.union(folders.map((f) => this.prefixRange(this.paths, f))).filter((p) => inc(p) && !(exc?.(p) ?? false));
  }

  private matchOne(glob: string): readonly string[] {
    return this.memo(glob, () => {
      if (glob.startsWith("!")) {
        const isMatch = picomatch(glob, PM_OPTIONS);
        return this.paths.filter((p) => isMatch(p));
      }
      // Braces that span folders ({,docs/}LICENSE) are expanded; others stay per segment.
      if (/\{[^}]*\//.test(glob)) return this.union(expandBraces(glob, true).map((alt) => this.matchGlob(alt)));
      return this.matchGlob(glob);
    });
  }

  /**
   * One glob whose braces stay within segments. The pool is the smallest of
   * what its segments allow (the files with its names or extensions, those
   * under its folders, those of its fixed folder), and only the pool meets
   * the glob's regex. Folder-only and extension-only globs need no regex.
   */
  private matchGlob(glob: string): readonly string[] {
    return this.memo(`glob:${glob}`, () => {
      const anyInFolder = /^\*\*\/([^/]+)\/\*\*$/.exec(glob);
      if (anyInFolder && !GLOB_CHARS.test(anyInFolder[1]!)) return this.underFolder(anyInFolder[1]!);
      const underPrefix = /^([^*?[\]{}()!+@\\]+\/)\*\*$/.exec(glob);
      if (underPrefix) return this.prefixRange(this.paths, underPrefix[1]!);
      const anyWithExt = /^\*\*\/\*(\.[A-Za-z0-9_-]+)$/.exec(glob);
      if (anyWithExt) return (this.byExtension.get(anyWithExt[1]!.slice(1).toLowerCase()) ?? []).filter((p) => p.endsWith(anyWithExt[1]!));

      const segments = glob.split("/");
      const last = segments.pop()!;
      // Each option is a superset of the matches, in parts; its size is known before the parts are built.
      // `exts`, when set, names each part's extension (so a part is tested only against its own name endings).
      const options: Array<{ size: number; parts: () => ReadonlyArray<readonly string[]>; exts?: string[] }> = [];
      const listed = (parts: ReadonlyArray<readonly string[]>) => ({ size: parts.reduce((n, p) => n + p.length, 0), parts: () => parts });
      const folderOption = (folders: readonly string[]) => ({
        size: folders.reduce((n, f) => n + this.folderSize(f), 0),
        parts: () => folders.map((f) => this.underFolder(f)),
      });
      const names = expandBraces(last);
      const anyName = last.includes("**");
      if (names.every((n) => !GLOB_CHARS.test(n))) options.push(listed(names.map((n) => this.named(n))));
      else if (!anyName) {
        const exts = names.map((n) => /\.([A-Za-z0-9_-]+)$/.exec(n)?.[1]);
        if (exts.every((e) => e !== undefined)) {
          const distinct = [...new Set(exts.map((e) => e!.toLowerCase()))];
          options.push({ ...listed(distinct.map((e) => this.byExtension.get(e) ?? [])), exts: distinct });
        }
        const dir = segments.join("/");
        if (!GLOB_CHARS.test(dir)) options.push(listed([this.dirs().byDir.get(dir) ?? []]));
      }
      for (const seg of segments) {
        // "**" and "*" constrain nothing.
        if (seg === "" || seg === "." || seg.includes("**") || literalRuns(seg).every((r) => r === "")) continue;
        const alts = expandBraces(seg);
        options.push(folderOption(alts.every((f) => !GLOB_CHARS.test(f)) ? alts : this.folderNamesLike(seg)));
      }
      if (options.length === 0 && !anyName) options.push({ size: 0, parts: () => [this.namedLike(last)] });
      let best: (typeof options)[number] | undefined;
      for (const o of options) if (!best || o.size < best.size) best = o;
      // Literal name endings are a cheap test before the regex, which is the expensive part on big pools.
      const tails = anyName ? [] : names.map(literalSuffix);
      const byTail = tails.length > 0 && tails.every((t) => t.length > 1);
      const isMatch = picomatch(glob, PM_OPTIONS);
      const keeper = (ts: readonly string[]) => (p: string) => (!byTail || ts.some((t) => p.endsWith(t))) && isMatch(p);
      // Filter each part, then merge the (small) results: merging big parts first costs more than matching.
      const parts = best ? best.parts() : [this.paths];
      return this.union(
        parts.map((part, i) => {
          const ext = best?.exts?.[i];
          return part.filter(keeper(ext ? tails.filter((t) => t.toLowerCase().endsWith(`.${ext}`)) : tails));
        }),
      );
    });
  }

  private union(parts: ReadonlyArray<readonly string[]>): readonly string[] {
    const nonEmpty = parts.filter((p) => p.length > 0);
    if (nonEmpty.length <= 1) return nonEmpty[0] ?? [];
    return this.sorted(new Set(nonEmpty.flat()));
  }

  /** Paths whose file name matches a glob segment such as `*_rsa`: the distinct names are fewer than paths. */
  private namedLike(segment: string): readonly string[] {
    return this.memo(`names:${segment}`, () => {
      this.names ??= [...this.byBasename.keys()];
      const isName = picomatch(segment, PM_OPTIONS);
      const runs = literalRuns(segment);
      return this.union(this.names.filter((n) => runs.some((r) => n.includes(r)) && isName(n)).map((n) => this.named(n)));
    });
  }

  /** Paths whose file name is `name`. */
  private named(name: string): readonly string[] {
    const v = this.byBasename.get(name);
    return v === undefined ? [] : typeof v === "string" ? [v] : v;
  }

  /** Folder names matching a glob segment such as `*load*`. */
  private folderNamesLike(segment: string): readonly string[] {
    return this.memo(`folders:${segment}`, () => {
      const isName = picomatch(segment, PM_OPTIONS);
      const runs = literalRuns(segment);
      return [...this.dirs().byFolderName.keys()].filter((n) => runs.some((r) => n.includes(r)) && isName(n));
    });
  }

  /** How many paths lie under folders of this name, without listing them. */
  private folderSize(name: string): number {
    const { byDir, byFolderName } = this.dirs();
    return (byFolderName.get(name) ?? []).reduce((n, d) => n + byDir.get(d)!.length, 0);
  }

  /**
   * Files by folder, and folders by each name in their path. Built from the
   * distinct folders (far fewer than files), on first use.
   */
  private dirs(): { byDir: Map<string, string[]>; byFolderName: Map<string, string[]> } {
    if (this.dirIndex) return this.dirIndex;
    const byDir = new Map<string, string[]>();
    // Sorted paths keep most of a folder's files together: reuse the last folder's list.
    let lastDir: string | undefined;
    let lastList: string[] = [];
    for (const p of this.paths) {
      const cut = Math.max(p.lastIndexOf("/"), 0);
      if (lastDir === undefined || lastDir.length !== cut || !p.startsWith(lastDir)) {
        lastDir = p.slice(0, cut);
        lastList = byDir.get(lastDir) ?? [];
        if (lastList.length === 0) byDir.set(lastDir, lastList);
      }
      lastList.push(p);
    }
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
    const out: string[] = [];
    for (let i = lowerBound(sorted, prefix); i < sorted.length && sorted[i]!.startsWith(prefix); i++) out.push(sorted[i]!);
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

/** Index of the first entry of a sorted list that is not below `key`. */
export function lowerBound(sorted: readonly string[], key: string): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export function basename(path: string): string {
  return path.slice(path.lastIndexOf("/") + 1);
}

/**
 * A test for exclude globs. Most are "anything under a folder named x"
 * (`**\/{test,fixtures}/**`) or "anything under this path": those become a
 * set of excluded folders, one lookup per path; the rest go through the index.
 */
const setTest = (set: ReadonlySet<string>) => (p: string) => set.has(p);

function excluder(
  globs: readonly string[],
  foldersNamed: (names: readonly string[]) => ReadonlySet<string>,
  matcherFor: (globs: string[]) => (path: string) => boolean,
): (path: string) => boolean {
  const names: string[] = [];
  const underPrefix: string[] = [];
  const others: string[] = [];
  for (const alt of globs.flatMap((g) => expandBraces(g))) {
    const folder = /^\*\*\/([^/]+)\/\*\*$/.exec(alt);
    const prefix = /^([^*?[\]{}()!+@\\]+\/)\*\*$/.exec(alt);
    if (folder && !GLOB_CHARS.test(folder[1]!)) names.push(folder[1]!);
    else if (prefix) underPrefix.push(prefix[1]!);
    else others.push(alt);
  }
  const excludedDirs = names.length > 0 ? foldersNamed(names) : undefined;
  const matched = others.length > 0 ? matcherFor(others) : undefined;
  return (p) => {
    if (excludedDirs && excludedDirs.has(p.slice(0, Math.max(p.lastIndexOf("/"), 0)))) return true;
    for (const u of underPrefix) if (p.startsWith(u)) return true;
    return matched ? matched(p) : false;
  };
}

/** For each brace alternative of a glob segment, its longest literal run ("" when it has none). */
function literalRuns(segment: string): string[] {
  return expandBraces(segment).map((alt) => alt.split(GLOB_CHARS_ALL).reduce((a, b) => (b.length > a.length ? b : a), ""));
}

function literalSuffix(segment: string): string {
  let i = segment.length;
  while (i > 0 && !GLOB_CHARS.test(segment[i - 1]!)) i--;
  return segment.slice(i);
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

/**
 * Expands `{a,b}` alternatives (nested too); used only to pick index keys, never to match.
 * With `onlyAcrossFolders`, only groups holding a "/" are expanded: the others stay for the segment logic.
 */
export function expandBraces(glob: string, onlyAcrossFolders = false, from = 0): string[] {
  const open = glob.indexOf("{", from);
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
  if (close === -1 || commas.length === 0) return close === -1 ? [glob] : expandBraces(glob, onlyAcrossFolders, close + 1);
  if (onlyAcrossFolders && !glob.slice(open, close).includes("/")) return expandBraces(glob, onlyAcrossFolders, close + 1);
  const head = glob.slice(0, open);
  const tail = glob.slice(close + 1);
  const bounds = [open, ...commas, close];
  const out: string[] = [];
  for (let i = 0; i < bounds.length - 1; i++) {
    const alt = glob.slice(bounds[i]! + 1, bounds[i + 1]);
    out.push(...expandBraces(head + alt + tail, onlyAcrossFolders, onlyAcrossFolders ? head.length : 0));
  }
  return out;
}
