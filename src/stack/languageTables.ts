import type { Language } from "linguist-languages";

/**
 * Builds the path → language tables from linguist's data. Run by
 * scripts/gen-languages.js into data/languages.json, because importing
 * linguist-languages (1,600 modules) costs more at start-up than a whole
 * audit's glob matching; a test keeps the JSON in step with the package.
 */

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

export function buildLanguageTables(languages: readonly Language[]): { byExtension: Record<string, string>; byFilename: Record<string, string> } {
  // Claims by every language type, so ".md" stays Markdown (prose) rather than GCC Machine Description.
  const claims = new Map<string, Language[]>();
  const byFilename = new Map<string, string>();
  for (const lang of languages) {
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
  return { byExtension: sortedObject(byExtension), byFilename: sortedObject(byFilename) };
}

function sortedObject(map: Map<string, string>): Record<string, string> {
  return Object.fromEntries([...map].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}


