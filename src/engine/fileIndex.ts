import picomatch from "picomatch";
import type { FileEntry } from "../sources/source.js";
import type { Globs } from "./types.js";

const GLOB_CHARS = /[*?[\]{}()!+@]/;
const PM_OPTIONS: picomatch.PicomatchOptions = { dot: true };

/**
 * The audited file list, indexed by basename and extension so that a glob
 * like `**\/*.test.ts` tests only `.ts` files instead of the whole tree: on a
 * 90,000-file repository, hundreds of globs times every path would dominate
 * the audit. Glob results are memoised per audit.
 */
export class FileIndex {
  readonly files: readonly FileEntry[];
  readonly paths: readonly string[];
  private readonly byBasename = new Map<string, string[]>();
  private readonly byExtension = new Map<string, string[]>();
  private readonly sizes = new Map<string, number>();
  private readonly position = new Map<string, number>();
  private readonly globCache = new Map<string, readonly string[]>();

  constructor(files: readonly FileEntry[]) {
    this.files = files;
    this.paths = files.map((f) => f.path);
    files.forEach((f, i) => this.position.set(f.path, i));
    for (const f of files) {
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
    const cacheKey = `filter:${key}`;
    let result = this.globCache.get(cacheKey);
    if (!result) {
      result = this.paths.filter(predicate);
      this.globCache.set(cacheKey, result);
    }
    return result;
  }

  /** Paths matching any of `include` and none of `exclude`, in listing order. */
  match(include: Globs, exclude?: Globs): readonly string[] {
    const inc = toArray(include);
    const exc = exclude === undefined ? [] : toArray(exclude);
    const key = JSON.stringify([inc, exc]);
    const cached = this.globCache.get(key);
    if (cached) return cached;
    let result: readonly string[];
    if (inc.length === 1 && exc.length === 0) {
      result = this.matchOne(inc[0]!);
    } else {
      const included = new Set<string>();
      for (const g of inc) for (const p of this.matchOne(g)) included.add(p);
      const isExcluded = exc.length > 0 ? picomatch(exc, PM_OPTIONS) : () => false;
      result = this.inListingOrder([...included].filter((p) => !isExcluded(p)));
    }
    this.globCache.set(key, result);
    return result;
  }

  private matchOne(glob: string): readonly string[] {
    const cached = this.globCache.get(glob);
    if (cached) return cached;
    const isMatch = picomatch(glob, PM_OPTIONS);
    const candidates = this.candidates(glob);
    const result = candidates.filter((p) => isMatch(p));
    this.globCache.set(glob, result);
    return result;
  }

  /** A superset of the paths a glob can match, from the index when its last segment allows. */
  private candidates(glob: string): readonly string[] {
    const keys = new Set<string>();
    for (const expanded of expandBraces(glob)) {
      const last = expanded.slice(expanded.lastIndexOf("/") + 1);
      if (!GLOB_CHARS.test(last)) {
        keys.add(`b:${last}`);
        continue;
      }
      const ext = /\.([A-Za-z0-9_-]+)$/.exec(last);
      if (ext && !GLOB_CHARS.test(ext[1]!)) {
        keys.add(`e:${ext[1]!.toLowerCase()}`);
        continue;
      }
      return this.paths;
    }
    if (keys.size === 1) {
      const [k] = keys;
      return this.lookup(k!);
    }
    const seen = new Set<string>();
    for (const k of keys) for (const p of this.lookup(k)) seen.add(p);
    return this.inListingOrder([...seen]);
  }

  /** Evidence must come out in the same order whatever the source, so results follow the listing. */
  private inListingOrder(paths: string[]): string[] {
    return paths.sort((a, b) => this.position.get(a)! - this.position.get(b)!);
  }

  private lookup(key: string): readonly string[] {
    const map = key.startsWith("b:") ? this.byBasename : this.byExtension;
    return map.get(key.slice(2)) ?? [];
  }
}

export function basename(path: string): string {
  return path.slice(path.lastIndexOf("/") + 1);
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
