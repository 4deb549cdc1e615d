import { parse as parseToml } from "smol-toml";
import type { Ecosystem } from "../types.js";
import type { DeclaredDependency } from "./types.js";

export type Kind = DeclaredDependency["kind"];

/** Thrown by parsers for malformed input; parseManifest turns it into a warning. */
export class ManifestError extends Error {}

/** Collects one manifest's declarations; `add` ignores empty names so parsers need not check. */
export class Collector {
  readonly dependencies: DeclaredDependency[] = [];
  constructor(
    private readonly ecosystem: Ecosystem,
    private readonly path: string,
  ) {}

  add(name: string | undefined, kind: Kind, line: number | undefined): void {
    const trimmed = name?.trim();
    if (!trimmed) return;
    const dep: DeclaredDependency = { ecosystem: this.ecosystem, name: trimmed, kind, path: this.path };
    if (line !== undefined) dep.line = line;
    this.dependencies.push(dep);
  }
}

const NAME_CHAR = /[A-Za-z0-9_-]/;

/**
 * Maps offsets to 1-based lines, and finds where a name is declared when the
 * parser (JSON, TOML) keeps no positions. Each hit is claimed, so a name
 * declared twice (peer and dev, say) gets its second line the second time.
 */
export class LineFinder {
  private readonly starts: number[] = [0];
  private readonly claimed = new Set<number>();

  constructor(readonly text: string) {
    for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) this.starts.push(i + 1);
  }

  lineAt(offset: number): number {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.starts[mid] ?? 0) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  }

  /**
   * Line of `needle` as a whole word, preferring unclaimed hits at or after
   * `from`. Given several needles (say `"name` before bare `name`), the first
   * that occurs at all wins.
   */
  find(needles: string | string[], from = 0): number | undefined {
    for (const needle of typeof needles === "string" ? [needles] : needles) {
      const line = this.findOne(needle, from);
      if (line !== undefined) return line;
    }
    return undefined;
  }

  private findOne(needle: string, from: number): number | undefined {
    if (!needle) return undefined;
    const hits: number[] = [];
    for (let i = this.text.indexOf(needle); i !== -1; i = this.text.indexOf(needle, i + 1)) {
      const before = this.text[i - 1];
      const after = this.text[i + needle.length];
      if ((before === undefined || !NAME_CHAR.test(before)) && (after === undefined || !NAME_CHAR.test(after))) hits.push(i);
    }
    const pick =
      hits.find((h) => h >= from && !this.claimed.has(h)) ?? hits.find((h) => !this.claimed.has(h)) ?? hits[0];
    if (pick === undefined) return undefined;
    this.claimed.add(pick);
    return this.lineAt(pick);
  }
}

const DEV_WORDS = new Set([
  "dev", "devel", "develop", "development", "test", "tests", "testing", "lint", "linting", "linters",
  "doc", "docs", "documentation", "typing", "types", "mypy", "ci", "qa", "style", "format", "coverage", "bench",
]);

/** Whether a group or file name (e.g. "requirements-dev.txt", ":test", "docs") names a development-only set. */
export function looksDev(name: string): boolean {
  return name
    .toLowerCase()
    .split(/[^a-z]+/)
    .some((w) => DEV_WORDS.has(w));
}

export function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === "object" && x !== null && !Array.isArray(x);
}

export function asRecord(x: unknown): Record<string, unknown> {
  return isRecord(x) ? x : {};
}

export function asArray(x: unknown): unknown[] {
  if (x === undefined || x === null) return [];
  return Array.isArray(x) ? x : [x];
}

export function asString(x: unknown): string | undefined {
  if (typeof x === "string") return x.trim();
  if (typeof x === "number") return String(x);
  return undefined;
}

/** Nested record lookup, e.g. at(doc, "tool", "poetry", "dependencies"). */
export function at(x: unknown, ...keys: string[]): unknown {
  let cur = x;
  for (const k of keys) {
    if (!isRecord(cur)) return undefined;
    cur = cur[k];
  }
  return cur;
}

/** Offset of a TOML table header like [dev-dependencies], so line search can start there. */
export function headerOffset(text: string, header: string): number {
  const m = new RegExp(`^[ \\t]*\\[${header.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\]`, "m").exec(text);
  return m ? m.index : 0;
}

/** A TOML manifest as a table; a syntax error becomes a ManifestError naming the problem. */
export function parseTomlDocument(text: string): Record<string, unknown> {
  try {
    return parseToml(text) as Record<string, unknown>;
  } catch (e) {
    throw new ManifestError(`invalid TOML: ${(e as Error).message.split("\n")[0]}`);
  }
}
