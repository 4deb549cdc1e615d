import { Collector, looksDev, type Kind } from "./common.js";
import type { DeclaredDependency } from "./types.js";

// `defp deps do` (or `def deps`) opens the dependency list; its `end` closes it.
const DEPS_START = /^([ \t]*)defp?[ \t]+deps(?:\(\))?[ \t]+do\b/;
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
  let indent: string | undefined;
  lines.forEach((raw, i) => {
    const line = raw.replace(/(^|[ \t])#.*$/, "");
    if (indent === undefined) {
      const start = DEPS_START.exec(line);
      if (start) indent = start[1] ?? "";
      return;
    }
    if (new RegExp(`^${indent}end\\b`).test(line)) {
      indent = undefined;
      return;
    }
    for (const m of line.matchAll(DEP)) {
      const only = ONLY.exec(line.slice(m.index));
      const envs = only ? [...(only[1] ?? "").matchAll(/:(\w+)/g)].map((e) => e[1] ?? "") : [];
      const kind: Kind = envs.length > 0 && envs.every(looksDev) ? "dev" : "runtime";
      out.add(m[1], kind, i + 1);
    }
  });
  return out.dependencies;
}
