import { listed, plural } from "./leaves.js";
import type { DepthProbe } from "./types.js";

/** api/openapi-spec: how many paths the documents describe; a document with none is token evidence. */
export const openApiProbe: DepthProbe = {
  measure({ result, facts }) {
    const docs = [...new Set(result.evidence.map((e) => e.path))];
    let paths = 0;
    for (const doc of docs) {
      const n = facts.parsed("depth-openapi-paths", doc, countPaths);
      if (n) paths += n;
    }
    const out = {
      facts: { documents: docs.length, paths },
      summary: `${plural(paths, "path")} in ${docs.length === 1 ? docs[0] : listed([plural(docs.length, "document")])}`,
    };
    if (paths > 0) return { ...out, depth: "full" as const };
    return { ...out, depth: "token" as const, depthReason: `the OpenAPI document${docs.length === 1 ? "" : "s"} declare${docs.length === 1 ? "s" : ""} no paths` };
  },
};

/**
 * Number of entries under the top-level `paths`: JSON is parsed; YAML is
 * scanned line by line (a full YAML parse of a multi-megabyte spec costs more
 * than the whole audit), counting keys that start with "/" at the first
 * indentation under `paths:`.
 */
export function countPaths(text: string): number {
  const trimmed = text.trimStart();
  if (trimmed.startsWith("{")) {
    try {
      const doc = JSON.parse(trimmed) as { paths?: unknown };
      return typeof doc.paths === "object" && doc.paths !== null ? Object.keys(doc.paths).filter((k) => k.startsWith("/")).length : 0;
    } catch {
      return 0;
    }
  }
  const lines = text.split("\n");
  const start = lines.findIndex((l) => /^["']?paths["']?\s*:/.test(l));
  if (start === -1) return 0;
  const inline = /:\s*(\{.*)$/.exec(lines[start]!)?.[1];
  if (inline !== undefined) return (inline.match(/["']?\/[^"':\s]*["']?\s*:/g) ?? []).length;
  let indent = -1;
  let n = 0;
  for (let i = start + 1; i < lines.length; i++) {
    const line = lines[i]!;
    if (/^\s*(?:#.*)?$/.test(line)) continue;
    const lead = line.length - line.trimStart().length;
    if (lead === 0) break;
    if (indent === -1) indent = lead;
    if (lead === indent && /^\s*["']?\//.test(line)) n++;
  }
  return n;
}
