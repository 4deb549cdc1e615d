import type { AuditFacts } from "../facts.js";
import { fail, type Outcome } from "../outcome.js";
import type { LanguageMatcher } from "../types.js";

export function evaluateLanguage(m: LanguageMatcher["language"], facts: AuditFacts): Outcome {
  const main = facts.mainLanguage;
  if (main && m.main.some((l) => l.toLowerCase() === main.toLowerCase())) {
    // No file proves a language on its own; the stack section shows the shares.
    return { state: "known", ok: true, pro: [{ path: ".", snippet: `main language: ${main}` }], con: [] };
  }
  return fail();
}
