import * as linguist from "linguist-languages";
import type { Language } from "linguist-languages";

export interface LanguageShare {
  name: string;
  files: number;
  /** Fraction of all classified files, 0..1, rounded to 3 decimals. */
  share: number;
}

/** Build files, not the languages the code is written in. */
const EXCLUDED = new Set(["Dockerfile", "Makefile"]);

/** Linguist calls single-file components "markup", but they hold the application's code. */
const EXTRA_LANGUAGES = new Set(["Vue", "Svelte"]);

/**
 * Extensions claimed by several languages. Linguist settles these by reading
 * the content; we only have paths, so pick what a backend repository most
 * likely means. `null` drops the extension: too ambiguous, or SQL dialects,
 * which linguist lists as programming although SQL itself is data.
 */
const PREFERRED: Record<string, string | null> = {
  ".h": "C",
  ".m": "Objective-C",
  ".pl": "Perl",
  ".pm": "Perl",
  ".t": "Perl",
  ".rs": "Rust",
  ".cs": "C#",
  ".php": "PHP",
  ".es": "JavaScript",
  ".fs": "F#",
  ".ml": "OCaml",
  ".sc": "Scala",
  ".cake": "C#",
  ".hh": "C++",
  ".cp": "C++",
  ".r": "R",
  ".v": "Verilog",
  ".pp": "Puppet",
  ".pro": "QMake",
  ".bb": "BitBake",
  ".star": "Starlark",
  ".scm": "Scheme",
  ".cgi": null,
  ".fcgi": null,
  ".inc": null,
  ".sql": null,
  ".spec": null,
  ".cls": null,
  ".trigger": null,
};

/** Linguist groups variants under a parent (TSX → TypeScript, fish → Shell); report the parent. */
function reportedName(lang: Language): string {
  return lang.group ?? lang.name;
}

function counts(lang: Language): boolean {
  return (lang.type === "programming" || EXTRA_LANGUAGES.has(lang.name)) && !EXCLUDED.has(lang.name);
}

/** The language an ambiguous extension most likely means, or undefined if there is no clear winner. */
function resolve(ext: string, claimants: readonly Language[]): Language | undefined {
  const names = new Set(claimants.map(reportedName));
  if (names.size === 1) return claimants[0];
  // The language whose primary extension it is, e.g. ".ts" is TypeScript before Qt's XML translations.
  const primary = claimants.filter((l) => l.extensions?.[0]?.toLowerCase() === ext);
  return primary.length === 1 ? primary[0] : undefined;
}

function buildMaps(): { byExtension: Map<string, string>; byFilename: Map<string, string> } {
  // Claims by every language type, so ".md" stays Markdown (prose) rather than GCC Machine Description.
  const claims = new Map<string, Language[]>();
  const byFilename = new Map<string, string>();
  for (const lang of Object.values(linguist) as Language[]) {
    for (const ext of lang.extensions ?? []) {
      const key = ext.toLowerCase();
      const list = claims.get(key);
      if (list) list.push(lang);
      else claims.set(key, [lang]);
    }
    if (counts(lang)) for (const name of lang.filenames ?? []) byFilename.set(name, reportedName(lang));
  }

  const byExtension = new Map<string, string>();
  for (const [ext, claimants] of claims) {
    const preferred = PREFERRED[ext];
    if (preferred !== undefined) {
      if (preferred !== null) byExtension.set(ext, preferred);
      continue;
    }
    const lang = resolve(ext, claimants);
    if (lang && counts(lang)) byExtension.set(ext, reportedName(lang));
  }
  return { byExtension, byFilename };
}

const { byExtension, byFilename } = buildMaps();

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
