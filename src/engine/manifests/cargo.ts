import { Collector, LineFinder, asRecord, asString, headerOffset, type Kind, parseTomlDocument } from "./common.js";
import type { DeclaredDependency } from "./types.js";

const SECTIONS: Array<[string, Kind]> = [
  ["dependencies", "runtime"],
  ["dev-dependencies", "dev"],
  ["build-dependencies", "dev"],
];

/** Cargo.toml: [dependencies], dev and build dependencies, [workspace.dependencies] and [target.'cfg'.*] tables. */
export function parseCargoToml(path: string, text: string): DeclaredDependency[] {
  const out = new Collector("cargo", path);
  const doc = parseTomlDocument(text);
  const lines = new LineFinder(text);
  const tables = (owner: Record<string, unknown>, prefix?: string) => {
    for (const [section, kind] of SECTIONS) {
      const from = prefix === undefined ? 0 : headerOffset(text, prefix + section);
      for (const [key, spec] of Object.entries(asRecord(owner[section]))) {
        // `alias = { package = "real-crate" }` renames a crate; the package is what was chosen.
        out.add(asString(asRecord(spec).package) ?? key, kind, lines.find(key, from));
      }
    }
  };
  tables(doc, "");
  tables(asRecord(doc.workspace), "workspace.");
  // Target headers quote the cfg() expression in varying ways, so search those from the top.
  for (const target of Object.values(asRecord(doc.target))) tables(asRecord(target));
  return out.dependencies;
}
