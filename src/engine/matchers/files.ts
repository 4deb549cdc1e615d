import type { AuditFacts } from "../facts.js";
import { fail, pass, unknown, type Outcome } from "../outcome.js";
import type { FilesMatcher } from "../types.js";

export function evaluateFiles(m: FilesMatcher["files"], facts: AuditFacts): Outcome {
  let paths = facts.index.match(m.include, m.exclude, m);
  if (m.minBytes !== undefined) {
    const minBytes = m.minBytes;
    // Always read, even when the listing knows sizes: every source then does the
    // same work and reports the same, and the files are small (READMEs).
    const unread = paths.filter((p) => !facts.has(p));
    if (unread.length > 0) return unknown(unread);
    paths = paths.filter((p) => {
      const text = facts.text(p);
      return typeof text === "string" && Buffer.byteLength(text) >= minBytes;
    });
  }
  return paths.length >= (m.min ?? 1) ? pass(paths.map((path) => ({ path }))) : fail();
}
