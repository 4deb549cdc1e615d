import { lineAt, lineText, type AuditFacts } from "../facts.js";
import { fail, pass, unknown, type Outcome } from "../outcome.js";
import type { ContentMatcher, Evidence } from "../types.js";
import { compileRegex } from "../regex.js";
import { withoutComments } from "./comments.js";
import { matchingDependencies, unreadDependencySources } from "./dependency.js";

export function evaluateContent(m: ContentMatcher["content"], facts: AuditFacts): Outcome {
  let paths: readonly string[];
  if (m.within) {
    const deps = matchingDependencies(m.within.dependency, facts);
    if (deps === undefined) return unknown(unreadDependencySources(facts));
    const folders = [...new Set(deps.map((d) => d.path.slice(0, d.path.lastIndexOf("/") + 1)))];
    paths = facts.index.matchUnder(folders, m.include, m.exclude);
  } else paths = facts.index.match(m.include, m.exclude, m);
  const min = m.min ?? 1;
  const minMatches = m.minMatches ?? 1;
  const regex = compileRegex(m.pattern, `gm${m.flags ?? ""}`);
  const evidence: Evidence[] = [];
  const unread: string[] = [];
  for (const path of paths) {
    const text = facts.text(path);
    if (text === undefined) {
      unread.push(path);
      continue;
    }
    if (text === null) continue;
    // Not memoised: few files are matched by more than one content rule, and a kept copy of every
    // file read costs more memory (netbeans: 3.6 MB of copies) than blanking again costs time.
    const code = m.matchComments ? text : withoutComments(path, text);
    const first = firstMatchWithCount(regex, code, minMatches);
    if (first === undefined) continue;
    const line = lineAt(text, first);
    evidence.push({ path, line, snippet: lineText(text, line) });
  }
  if (evidence.length >= min) return pass(evidence);
  if (unread.length > 0) return unknown(unread);
  return fail();
}

/** Offset of the first match when the text has at least `count` matches. */
function firstMatchWithCount(regex: RegExp, text: string, count: number): number | undefined {
  regex.lastIndex = 0;
  let first: number | undefined;
  let seen = 0;
  for (;;) {
    const m = regex.exec(text);
    if (!m) return undefined;
    if (first === undefined) first = m.index;
    if (++seen >= count) return first;
    if (m[0].length === 0) regex.lastIndex++;
  }
}
