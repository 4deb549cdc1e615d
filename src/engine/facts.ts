import type { FileContent } from "../sources/source.js";
import type { FileIndex } from "./fileIndex.js";
import type { DeclaredDependency } from "./manifests/types.js";

/** Lines longer than this are cut before any regex sees them (minified code, data blobs). */
export const MAX_LINE_CHARS = 2000;

/**
 * What the engine knows about the audited tree so far: the file list and the
 * contents read in earlier rounds. Matchers ask it; when a content is not read
 * yet they report which paths they need instead of an answer.
 */
export class AuditFacts {
  private readonly texts = new Map<string, string | null>();
  /** The whole text of files whose lines were cut in `texts` (rare: generated or minified-looking files). */
  private readonly uncut = new Map<string, string>();
  private parsedCache = new Map<string, unknown>();
  readonly warnings: string[] = [];

  constructor(
    readonly index: FileIndex,
    /** Main programming language, from stack detection. */
    readonly mainLanguage: string | undefined,
  ) {}

  /** undefined: not read yet; null: read but unusable (binary, too large, unreadable). */
  text(path: string): string | null | undefined {
    return this.texts.get(path);
  }

  has(path: string): boolean {
    return this.texts.has(path);
  }

  /** Every text read so far, in read order (facts behind a pass look here, never at unread files). */
  *readTexts(): IterableIterator<[string, string]> {
    for (const [path, text] of this.texts) if (typeof text === "string") yield [path, text];
  }

  store(contents: readonly FileContent[]): void {
    for (const c of contents) {
      if ("text" in c) {
        const capped = capLines(c.text);
        this.texts.set(c.path, capped);
        // Structured formats break when a line is cut (a quoted key left open): their parsers get the whole text.
        if (capped.length !== c.text.length - (c.text.charCodeAt(0) === 0xfeff ? 1 : 0)) this.uncut.set(c.path, stripBom(c.text));
      }
      else {
        this.texts.set(c.path, null);
        if (c.skipped === "unreadable") this.warnings.push(`skipped ${c.path}: ${c.reason ?? "unreadable"}`);
      }
    }
  }

  /** Memoises a per-file parse (manifests, workflows, Dockerfiles) across rules. */
  parsed<T>(kind: string, path: string, parse: (text: string) => T): T | undefined {
    return this.parse(kind, path, parse, false);
  }

  /**
   * The same for YAML and JSON parsers, which get the file with its long lines whole: a line cut at
   * MAX_LINE_CHARS can leave a string open and lose the whole document. What they return must cap
   * the text it hands to regexes again (see capLines).
   */
  parsedWhole<T>(kind: string, path: string, parse: (text: string) => T): T | undefined {
    return this.parse(kind, path, parse, true);
  }

  private parse<T>(kind: string, path: string, parse: (text: string) => T, whole: boolean): T | undefined {
    const key = `${kind}\0${path}`;
    if (this.parsedCache.has(key)) return this.parsedCache.get(key) as T;
    const text = (whole ? this.uncut.get(path) : undefined) ?? this.texts.get(path);
    if (typeof text !== "string") return undefined;
    const value = parse(text);
    this.parsedCache.set(key, value);
    return value;
  }

  dependencies?: DeclaredDependency[];
}

function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** The text with every line cut at MAX_LINE_CHARS, so no regex sees a longer one. */
export function capLines(text: string): string {
  const clean = stripBom(text);
  if (clean.length <= MAX_LINE_CHARS) return clean;
  if (!hasLongLine(clean)) return clean;
  return clean
    .split("\n")
    .map((l) => (l.length > MAX_LINE_CHARS ? l.slice(0, MAX_LINE_CHARS) : l))
    .join("\n");
}

function hasLongLine(text: string): boolean {
  let start = 0;
  for (;;) {
    const nl = text.indexOf("\n", start);
    const end = nl === -1 ? text.length : nl;
    if (end - start > MAX_LINE_CHARS) return true;
    if (nl === -1) return false;
    start = nl + 1;
  }
}

/** 1-based line number of a character offset. */
export function lineAt(text: string, offset: number): number {
  let line = 1;
  let i = text.indexOf("\n");
  while (i !== -1 && i < offset) {
    line++;
    i = text.indexOf("\n", i + 1);
  }
  return line;
}

/** The trimmed line at a 1-based line number, capped for display. */
export function lineText(text: string, line: number): string {
  let start = 0;
  for (let n = 1; n < line; n++) {
    const i = text.indexOf("\n", start);
    if (i === -1) return "";
    start = i + 1;
  }
  const end = text.indexOf("\n", start);
  const raw = text.slice(start, end === -1 ? undefined : end).trim();
  return raw.length > 160 ? `${raw.slice(0, 157)}...` : raw;
}
