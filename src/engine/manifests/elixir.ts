import { Collector, looksDev, type Kind } from "./common.js";
import type { DeclaredDependency } from "./types.js";

// `defp deps do` (or `def deps`) opens the dependency list; its `end` closes it.
const DEPS_START = /^([ \t]*)defp?[ \t]+deps(?:\(\))?[ \t]+do\b/;
// The keyword form, `defp deps, do: [...]`, runs to the list's closing bracket.
const DEPS_KEYWORD = /^[ \t]*defp?[ \t]+deps(?:\(\))?[ \t]*,[ \t]*do:/;
// One dependency tuple: `{:name, "~> 1.0", only: :test}`; the atom opens it on its own line.
const DEP = /\{[ \t]*:([a-z_][a-z0-9_]*)[ \t]*(?:,|\})/g;
const ONLY = /\bonly:[ \t]*(\[[^\]]*\]|:\w+)/;

/**
 * mix.exs: the tuples of the `deps` function. A dependency only for `:dev`
 * and `:test` (`only: [:dev, :test]`) is dev. mix.lock is not read: it lists
 * every transitive package, as package-lock.json does, not what the project chose.
 */
export function parseMixExs(path: string, text: string): DeclaredDependency[] {
  const out = new Collector("hex", path);
  const lines = text.split(/\r?\n/);
  // The `end` that closes the deps function: the `def`'s own indentation.
  let closing: RegExp | undefined;
  // Brackets still open in a keyword-form deps list; undefined outside one.
  let depth: number | undefined;
  lines.forEach((raw, i) => {
    const line = raw.replace(/(^|[ \t])#.*$/, "");
    if (closing === undefined && depth === undefined) {
      const start = DEPS_START.exec(line);
      if (start) closing = new RegExp(`^${start[1] ?? ""}end\\b`);
      else if (DEPS_KEYWORD.test(line)) {
        depth = 0;
        read(line.slice(line.indexOf("do:")), i);
      }
      return;
    }
    if (depth !== undefined) {
      read(line, i);
      return;
    }
    if (closing?.test(line)) {
      closing = undefined;
      return;
    }
    collect(line, i);
  });
  return out.dependencies;

  /** A line of the keyword form: its tuples, then whether the list closed. */
  function read(line: string, i: number): void {
    collect(line, i);
    for (const ch of line) {
      if (ch === "[") depth = (depth ?? 0) + 1;
      else if (ch === "]") depth = (depth ?? 0) - 1;
    }
    if ((depth ?? 0) <= 0) depth = undefined;
  }

  function collect(line: string, i: number): void {
    for (const m of line.matchAll(DEP)) {
      // The tuple's own options: up to its closing brace, or the end of the line when it wraps.
      const close = line.indexOf("}", m.index + 1);
      const only = ONLY.exec(line.slice(m.index, close === -1 ? undefined : close));
      const envs = only ? [...(only[1] ?? "").matchAll(/:(\w+)/g)].map((e) => e[1] ?? "") : [];
      const kind: Kind = envs.length > 0 && envs.every(looksDev) ? "dev" : "runtime";
      out.add(m[1], kind, i + 1);
    }
  }
}
