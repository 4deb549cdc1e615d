import picomatch from "picomatch";
import type { FileEntry } from "../sources/source.js";
import type { Globs } from "./types.js";

const GLOB_CHARS = /[*?[\]{}()!+@\\]/;
const GLOB_CHARS_ALL = /[*?[\]{}()!+@\\]+/;
const PM_OPTIONS: picomatch.PicomatchOptions = { dot: true };
const ON_WINDOWS = process.platform === "win32";

/**
 * picomatch's matcher for one glob or any of several, without its per-call result
 * object (thousands of paths meet each glob): the same regex, and the same answer —
 * an empty path never matches, the glob itself always does. On Windows picomatch
 * turns backslashes into slashes first, so there its own matcher is used.
 */
export function globTest(glob: string | readonly string[]): (path: string) => boolean {
  if (typeof glob !== "string") {
    const tests = glob.map((g) => globTest(g));
    return (p) => {
      for (const t of tests) if (t(p)) return true;
      return false;
    };
  }
  if (ON_WINDOWS || glob === "") return picomatch(glob, PM_OPTIONS);
  const re = picomatch.makeRe(glob, { ...PM_OPTIONS, windows: false });
  return (p) => p !== "" && (p === glob || re.test(p));
}
/** Pools above this many paths are matched folder by folder (see matchGlob). */
const SPLIT_POOL = 256;

/**
 * The audited file list, sorted by path and indexed (by file name, extension,
 * folder, and folder name) so that a glob's regex meets only the paths that
 * can match it: on a 90,000-file repository, hundreds of globs times every
 * path would dominate the audit. Results are memoised per audit.
 *
 * The indexes hold no string per path: file names are found through a hash
 * of their characters (typed arrays, not a Map keyed by 90,000 name strings),
 * and a folder's files, the tree under it, are one range of the sorted list.
 */
export class FileIndex {
  /** Sorted, so "listing order" is the same whatever the source. */
  readonly paths: readonly string[];
  /** Hash chains of file names: `nameHeads[hash]` is 1 + the first path with a name of that hash, `nameNext[i]` 1 + the next. */
  private readonly nameHeads: Int32Array;
  private readonly nameNext: Int32Array;
  private readonly byExtension = new Map<string, string[]>();
  private folderIndex: Map<string, string[]> | undefined;
  private readonly outermostCache = new Map<string, readonly string[]>();
  private readonly folderSizes = new Map<string, number>();
  private names: { text: string; starts: Int32Array } | undefined;
  private readonly cache = new Map<string, readonly string[]>();
  private readonly byOwner = new WeakMap<object, readonly string[]>();

  /** Pools above this many paths are matched folder by folder (tests set 0 to check that way on small trees). */
  private readonly splitPool: number;

  constructor(files: readonly FileEntry[] | readonly string[], options: { splitPool?: number } = {}) {
    this.splitPool = options.splitPool ?? SPLIT_POOL;
    const list: string[] = [];
    for (const f of files) list.push(typeof f === "string" ? f : f.path);
    this.paths = isSorted(list) ? list : list.sort(compare);
    const n = this.paths.length;
    let buckets = 1024;
    while (buckets < n) buckets *= 2;
    this.nameHeads = new Int32Array(buckets);
    this.nameNext = new Int32Array(n);
    const mask = buckets - 1;
    // Backwards, so that each chain lists its paths in path order.
    for (let i = n - 1; i >= 0; i--) {
      const p = this.paths[i]!;
      const start = p.lastIndexOf("/") + 1;
      const h = hashFrom(p, start) & mask;
      this.nameNext[i] = this.nameHeads[h]!;
      this.nameHeads[h] = i + 1;
    }
    for (const p of this.paths) {
      // Dot files too: picomatch's `*.env` (dot: true) matches ".env".
      const dot = p.lastIndexOf(".");
      if (dot > p.lastIndexOf("/")) push(this.byExtension, p.slice(dot + 1).toLowerCase(), p);
    }
  }

  /** The listed entries, for callers that want entry objects. */
  get files(): readonly FileEntry[] {
    return this.paths.map((path) => ({ path }));
  }

  /**
   * Whether a path is in the list: a binary search over the sorted paths, not a
   * Set (a second copy of 90,000 entries costs megabytes for a few lookups).
   */
  has(path: string): boolean {
    const i = lowerBound(this.paths, path);
    return i < this.paths.length && this.paths[i] === path;
  }

  /**
   * Paths passing a predicate, computed once per key (manifests, CI files, ...).
   * `pool`, when given, promises that every path the predicate accepts has one of
   * its file names or (lower-case) extensions: only those paths meet the predicate.
   */
  filterOnce(key: string, predicate: (path: string) => boolean, pool?: { names?: readonly string[]; extensions?: readonly string[] }): readonly string[] {
    return this.memo(`filter:${key}`, () => {
      if (!pool) return this.paths.filter(predicate);
      const parts = [...(pool.names ?? []).map((n) => this.named(n)), ...(pool.extensions ?? []).map((e) => this.byExtension.get(e) ?? [])];
      return this.union(parts.map((part) => part.filter(predicate)));
    });
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
        // Few included paths: a regex each is cheaper than listing everything the excludes match.
        (globs) => (included.length < 2000 ? globTest(globs) : setTest(new Set(globs.flatMap((g) => this.matchOne(g))))),
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
    const inc = globTest(toArray(include));
    const exc = exclude === undefined ? undefined : globTest(toArray(exclude));
    return this.union(folders.map((f) => this.prefixRange(f))).filter((p) => inc(p) && !(exc?.(p) ?? false));
  }

  private matchOne(glob: string): readonly string[] {
    return this.memo(glob, () => {
      if (glob.startsWith("!")) {
        const isMatch = globTest(glob);
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
   * the glob's regex. Folder-only and extension-only globs need no regex,
   * nor do `**\/*Test.java`-like globs (any folder, a name ending in a literal).
   */
  private matchGlob(glob: string): readonly string[] {
    return this.memo(`glob:${glob}`, () => {
      const anyInFolder = /^\*\*\/([^/]+)\/\*\*$/.exec(glob);
      if (anyInFolder && !GLOB_CHARS.test(anyInFolder[1]!)) return this.underFolder(anyInFolder[1]!);
      const underPrefix = /^([^*?[\]{}()!+@\\]+\/)\*\*$/.exec(glob);
      if (underPrefix) return this.prefixRange(underPrefix[1]!);

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
        if (!GLOB_CHARS.test(dir)) options.push(listed([this.inFolder(dir)]));
      }
      for (const seg of segments) {
        // "**" and "*" constrain nothing.
        if (seg === "" || seg === "." || seg.includes("**") || literalRuns(seg).every((r) => r === "")) continue;
        const alts = expandBraces(seg);
        options.push(folderOption(alts.every((f) => !GLOB_CHARS.test(f)) ? alts : this.folderNamesLike(seg)));
      }
      // Folders named in a row (`**/src/test/**`): the trees of the folders with that path end.
      const chain = literalChain(segments);
      if (chain) {
        const dirs = this.chainDirs(chain);
        options.push({ size: this.rangesSize(dirs), parts: () => [this.underChain(chain, dirs)] });
        if (glob === `**/${chain}/**`) return this.underChain(chain, dirs);
      }
      if (options.length === 0 && !anyName) options.push({ size: 0, parts: () => [this.namedLike(last)] });
      let best: (typeof options)[number] | undefined;
      for (const o of options) if (!best || o.size < best.size) best = o;
      // Literal name endings are a cheap test before the regex, which is the expensive part on big pools.
      const tails = anyName ? [] : names.map(literalSuffix);
      const byTail = tails.length > 0 && tails.every((t) => t.length > 1);
      // Any folder and names `*<literal>`: a literal ending with no "/" in it is the whole test.
      const tailOnly = byTail && segments.length === 1 && segments[0] === "**" && names.every((n, i) => n === `*${tails[i]}` && !tails[i]!.includes("/"));
      const isMatch = tailOnly ? undefined : globTest(glob);
      // Filter each part, then merge the (small) results: merging big parts first costs more than matching.
      const parts = best ? best.parts() : [this.paths];
      // On a big pool, a glob is its folders' part and its name's part: the folders' regex meets each
      // folder once (sorted paths keep a folder's files together), the name's only names, or none at all.
      const bySegments = isMatch !== undefined && !anyName && segments.length > 0 && segments[0] !== "" && segments[0] !== "." && !glob.includes("(");
      const split =
        bySegments && parts.reduce((n, part) => n + part.length, 0) > this.splitPool
          ? {
              isDir: dirTest(segments.join("/")),
              isName: byTail && names.every((n, i) => n === `*${tails[i]}`) ? undefined : globTest(last),
              verdicts: new Map<string, boolean>(),
            }
          : undefined;
      const keeper = (ts: readonly string[]): ((p: string) => boolean) => {
        if (ts.length === 1 && tailOnly) return (p) => p.endsWith(ts[0]!);
        if (!split) return (p) => (!byTail || ts.some((t) => p.endsWith(t))) && (isMatch === undefined || isMatch(p));
        const { isDir, isName, verdicts } = split;
        let dir = "\0";
        let dirOk = false;
        return (p) => {
          if (byTail && !ts.some((t) => p.endsWith(t))) return false;
          const cut = p.lastIndexOf("/");
          if (cut === -1) return isMatch!(p);
          if (!(cut === dir.length && p.startsWith(dir))) {
            dir = p.slice(0, cut);
            let ok = verdicts.get(dir);
            if (ok === undefined) verdicts.set(dir, (ok = isDir(dir)));
            dirOk = ok;
          }
          return dirOk && (isName === undefined || isName(p.slice(cut + 1)));
        };
      };
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

  /**
   * Paths whose file name matches a glob segment such as `*_rsa`. The names
   * are one string, one a line, built on first use: a substring search finds
   * the few names holding the segment's literal parts, and only those meet its regex.
   */
  private namedLike(segment: string): readonly string[] {
    return this.memo(`names:${segment}`, () => {
      const isName = globTest(segment);
      const runs = literalRuns(segment);
      if (runs.includes("")) return this.paths.filter((p) => isName(p.slice(p.lastIndexOf("/") + 1)));
      const { text, starts } = this.nameLines();
      const hit = new Uint8Array(this.paths.length);
      for (const run of runs) {
        for (let at = text.indexOf(run); at !== -1; ) {
          const i = upperBound(starts, at) - 1;
          hit[i] = 1;
          at = i + 1 < starts.length ? text.indexOf(run, starts[i + 1]!) : -1;
        }
      }
      const out: string[] = [];
      for (let i = 0; i < hit.length; i++) {
        if (hit[i] === 0) continue;
        const p = this.paths[i]!;
        if (isName(p.slice(p.lastIndexOf("/") + 1))) out.push(p);
      }
      return out;
    });
  }

  /** Every path's file name, one a line, with where each starts. */
  private nameLines(): { text: string; starts: Int32Array } {
    if (this.names) return this.names;
    const starts = new Int32Array(this.paths.length);
    const parts: string[] = [];
    let at = 0;
    for (let i = 0; i < this.paths.length; i++) {
      const p = this.paths[i]!;
      const name = p.slice(p.lastIndexOf("/") + 1);
      starts[i] = at;
      parts.push(name);
      at += name.length + 1;
    }
    this.names = { text: parts.join("\n"), starts };
    return this.names;
  }

  /** Paths whose file name is `name`, from its hash chain. */
  private named(name: string): readonly string[] {
    const out: string[] = [];
    for (let i = this.nameHeads[hashFrom(name, 0) & (this.nameHeads.length - 1)]!; i !== 0; i = this.nameNext[i - 1]!) {
      const p = this.paths[i - 1]!;
      if (p.endsWith(name) && (p.length === name.length || p[p.length - name.length - 1] === "/")) out.push(p);
    }
    return out;
  }

  /** Folder names matching a glob segment such as `*load*`. */
  private folderNamesLike(segment: string): readonly string[] {
    return this.memo(`folders:${segment}`, () => {
      const isName = globTest(segment);
      const runs = literalRuns(segment);
      return [...this.folders().keys()].filter((n) => runs.some((r) => n.includes(r)) && isName(n));
    });
  }

  /**
   * Folders by their own name: "a/b/c" is listed under "c" (and "a/b" under
   * "b"), in path order. The tree under a folder is one range of the sorted
   * paths, so folders need no file lists. Built on first use.
   */
  private folders(): Map<string, string[]> {
    if (this.folderIndex) return this.folderIndex;
    const byName = new Map<string, string[]>();
    // The tree under a folder is one run of the sorted paths: a folder is new where the path
    // before does not start with "<folder>/", that is where its slash lies past their common part.
    let prev = "";
    let prevDir = "";
    for (const p of this.paths) {
      const cut = p.lastIndexOf("/");
      if (cut > 0 && !(cut === prevDir.length && p.startsWith(prevDir))) {
        let shared = 0;
        const max = Math.min(cut + 1, prev.length);
        while (shared < max && p.charCodeAt(shared) === prev.charCodeAt(shared)) shared++;
        let from = p.lastIndexOf("/", shared - 1) + 1;
        for (let slash = p.indexOf("/", shared); slash !== -1 && slash <= cut; slash = p.indexOf("/", slash + 1)) {
          push(byName, p.slice(from, slash), p.slice(0, slash));
          from = slash + 1;
        }
        prevDir = p.slice(0, cut);
      }
      prev = p;
    }
    for (const dirs of byName.values()) if (!isSorted(dirs)) dirs.sort(compare);
    this.folderIndex = byName;
    return byName;
  }

  /** The folders named `name`, with a slash, without those inside another of them (whose trees hold theirs), in tree order. */
  private outermost(name: string): readonly string[] {
    let out = this.outermostCache.get(name);
    if (out === undefined) {
      const inner = `/${name}/`;
      const dirs = (this.folders().get(name) ?? []).filter((d) => !`/${d.slice(0, d.lastIndexOf("/") + 1)}`.includes(inner));
      // Their trees in path order: "a/test/" sorts after "a/test-x/", though "a/test" sorts before it.
      out = dirs.map((d) => `${d}/`).sort(compare);
      this.outermostCache.set(name, out);
    }
    return out;
  }

  /**
   * The folders whose path ends with `chain` ("src/test": src/test, a/src/test),
   * with a slash, without those inside another of them, in tree order.
   */
  private chainDirs(chain: string): readonly string[] {
    let out = this.outermostCache.get(`chain:${chain}`);
    if (out === undefined) {
      const name = chain.slice(chain.lastIndexOf("/") + 1);
      const tail = `/${chain}`;
      const dirs = (this.folders().get(name) ?? []).filter((d) => d === chain || d.endsWith(tail)).map((d) => `${d}/`);
      dirs.sort(compare);
      const kept: string[] = [];
      for (const d of dirs) if (!kept.some((o) => d.startsWith(o))) kept.push(d);
      this.outermostCache.set(`chain:${chain}`, (out = kept));
    }
    return out;
  }

  /** Paths under the given folders (each with its slash, none inside another, in tree order). */
  private underChain(chain: string, dirs: readonly string[]): readonly string[] {
    return this.memo(`chain:${chain}`, () => {
      const out: string[] = [];
      for (const d of dirs) for (let i = lowerBound(this.paths, d); i < this.paths.length && this.paths[i]!.startsWith(d); i++) out.push(this.paths[i]!);
      return out;
    });
  }

  /** How many paths lie under the given folders (each with its slash). */
  private rangesSize(dirs: readonly string[]): number {
    let n = 0;
    for (const d of dirs) n += lowerBound(this.paths, `${d.slice(0, -1)}0`) - lowerBound(this.paths, d);
    return n;
  }

  /** How many paths lie under folders of this name, without listing them. */
  private folderSize(name: string): number {
    const cached = this.folderSizes.get(name);
    if (cached !== undefined) return cached;
    let n = 0;
    for (const d of this.outermost(name)) n += lowerBound(this.paths, `${d.slice(0, -1)}0`) - lowerBound(this.paths, d);
    this.folderSizes.set(name, n);
    return n;
  }

  /** Paths under any folder named `name`, at any depth: the ranges of its outermost folders, in order. */
  private underFolder(name: string): readonly string[] {
    return this.memo(`folder:${name}`, () => {
      const out: string[] = [];
      for (const d of this.outermost(name)) {
        for (let i = lowerBound(this.paths, d); i < this.paths.length && this.paths[i]!.startsWith(d); i++) out.push(this.paths[i]!);
      }
      return out;
    });
  }

  /** The files directly in a folder ("" is the root). */
  private inFolder(dir: string): readonly string[] {
    return this.memo(`dir:${dir}`, () => {
      const prefix = dir === "" ? "" : `${dir}/`;
      return this.prefixRange(prefix).filter((p) => p.indexOf("/", prefix.length) === -1);
    });
  }

  /** Entries of the sorted paths starting with `prefix`, by binary search. */
  private prefixRange(prefix: string): string[] {
    const out: string[] = [];
    const sorted = this.paths;
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

/**
 * Whether a folder (no trailing slash) can hold a glob's files, given the glob's
 * folder part. picomatch lets a trailing `/**` match no folder after `src/**`
 * but not after `**\/*x*\/**`: so that folder part is tested without it too.
 */
function dirTest(dirGlob: string): (dir: string) => boolean {
  const full = globTest(dirGlob);
  if (!dirGlob.endsWith("/**")) return full;
  const within = dirGlob.slice(0, -3);
  const self = within === "**" || within === "" ? undefined : globTest(within);
  return (dir) => full(dir) || (self?.(dir) ?? false);
}

/**
 * The longest run of two or more literal folder segments of a glob's folder
 * part ("src/test" in `**\/src/test/**\/*.java`), or undefined.
 */
function literalChain(segments: readonly string[]): string | undefined {
  let best: string[] = [];
  let run: string[] = [];
  for (const seg of segments) {
    if (seg !== "" && seg !== "." && seg !== ".." && !GLOB_CHARS.test(seg)) run.push(seg);
    else run = [];
    if (run.length > best.length) best = [...run];
  }
  return best.length >= 2 ? best.join("/") : undefined;
}

/** Index of the first entry of an ascending list above `key`. */
function upperBound(sorted: Int32Array, key: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! <= key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** FNV-1a of a string's characters from `start` to its end. */
function hashFrom(s: string, start: number): number {
  let h = 0x811c9dc5;
  for (let i = start; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
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
 * (`**\/{test,fixtures}/**`) or "anything under this path": those are a
 * substring or prefix test per path; the rest go through the index.
 */
const setTest = (set: ReadonlySet<string>) => (p: string) => set.has(p);

function excluder(globs: readonly string[], matcherFor: (globs: string[]) => (path: string) => boolean): (path: string) => boolean {
  const inFolders: string[] = [];
  const underPrefix: string[] = [];
  const others: string[] = [];
  for (const alt of globs.flatMap((g) => expandBraces(g))) {
    const folder = /^\*\*\/([^/]+)\/\*\*$/.exec(alt);
    const prefix = /^([^*?[\]{}()!+@\\]+\/)\*\*$/.exec(alt);
    if (folder && !GLOB_CHARS.test(folder[1]!)) {
      inFolders.push(`/${folder[1]!}/`);
      underPrefix.push(`${folder[1]!}/`);
    } else if (prefix) underPrefix.push(prefix[1]!);
    else others.push(alt);
  }
  const matched = others.length > 0 ? matcherFor(others) : undefined;
  return (p) => {
    // A folder of that name anywhere: at the start (below), or between two slashes (the file name is no folder).
    for (const f of inFolders) if (p.includes(f)) return true;
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

function isSorted(list: readonly string[]): boolean {
  for (let i = 1; i < list.length; i++) if (list[i - 1]! > list[i]!) return false;
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
