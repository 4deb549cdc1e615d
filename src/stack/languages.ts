import { readFileSync } from "node:fs";

export interface LanguageShare {
  name: string;
  files: number;
  /** Fraction of all classified files, 0..1, rounded to 3 decimals. */
  share: number;
}

/** Generated from linguist-languages by scripts/gen-languages.js (see languageTables.ts). */
export const LANGUAGE_TABLES_FILE = new URL("../../data/languages.json", import.meta.url);
const tables = JSON.parse(readFileSync(LANGUAGE_TABLES_FILE, "utf8")) as { byExtension: Record<string, string>; byFilename: Record<string, string> };
const byExtension = new Map(Object.entries(tables.byExtension));
const byFilename = new Map(Object.entries(tables.byFilename));


/** The reported language of one POSIX path, or undefined when it is not code. */
export function languageOf(path: string): string | undefined {
  const base = path.slice(path.lastIndexOf("/") + 1);
  const named = byFilename.get(base);
  if (named !== undefined) return named;
  // Longest suffix first so ".h.in" beats ".in"; a leading dot marks a hidden file, not an extension.
  for (let dot = base.indexOf(".", 1); dot !== -1; dot = base.indexOf(".", dot + 1)) {
    const lang = byExtension.get(base.slice(dot).toLowerCase());
    if (lang !== undefined) return lang;
  }
  return undefined;
}

/**
 * Programming languages by number of files, largest first (ties by name).
 * `paths` is the already filtered tree; vendored files are the caller's business.
 */
export function detectLanguages(paths: readonly string[]): LanguageShare[] {
  const counts = new Map<string, number>();
  let total = 0;
  for (const path of paths) {
    const lang = languageOf(path);
    if (lang === undefined) continue;
    counts.set(lang, (counts.get(lang) ?? 0) + 1);
    total++;
  }
  return [...counts]
    .map(([name, files]) => ({ name, files, share: Math.round((files / total) * 1000) / 1000 }))
    .sort((a, b) => b.files - a.files || a.name.localeCompare(b.name));
}

/** Languages an application is written in, as opposed to glue (Shell, Batchfile), config or build scripts. */
const APPLICATION_LANGUAGES = new Set([
  "Java", "Kotlin", "Scala", "Groovy", "Clojure",
  "Python", "JavaScript", "TypeScript", "Go",
  "C#", "F#", "Visual Basic .NET",
  "Ruby", "PHP", "Rust", "C", "C++", "Objective-C", "Swift", "Dart",
  "Elixir", "Erlang", "Gleam", "Haskell", "OCaml", "Crystal", "Nim", "Zig", "D",
  "Perl", "Lua", "R", "Julia",
]);

/** The largest application language, so a Java service with many shell scripts still reads as Java. */
export function mainLanguage(langs: readonly LanguageShare[]): string | undefined {
  let best: LanguageShare | undefined;
  for (const lang of langs) {
    if (APPLICATION_LANGUAGES.has(lang.name) && (!best || lang.files > best.files)) best = lang;
  }
  return best?.name;
}
