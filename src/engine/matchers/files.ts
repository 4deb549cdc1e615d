import type { AuditFacts } from "../facts.js";
import { fail, pass, unknown, type Outcome } from "../outcome.js";
import type { FilesMatcher } from "../types.js";

export function evaluateFiles(m: FilesMatcher["files"], facts: AuditFacts): Outcome {
  let paths = facts.index.match(m.include, m.exclude, m);
  if (m.minBytes !== undefined) {
    const minBytes = m.minBytes;
    // Sizes come from the listing when it has them; otherwise the file must be read.
    const unsized = paths.filter((p) => facts.index.size(p) === undefined && !facts.has(p));
    if (unsized.length > 0) return unknown(unsized);
    paths = paths.filter((p) => {
      const size = facts.index.size(p);
      if (size !== undefined) return size >= minBytes;
      const text = facts.text(p);
      return typeof text === "string" && Buffer.byteLength(text) >= minBytes;
    });
  }
  return paths.length >= (m.min ?? 1) ? pass(paths.map((path) => ({ path }))) : fail();
}
