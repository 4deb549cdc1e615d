import type { AuditFacts } from "../facts.js";
import type { FilesMatcher, Matcher } from "../types.js";

/**
 * The `files` checks a rule passes by on their own: reachable through `any`
 * only, so a `files` check that merely gates another (Cargo.toml in
 * `all: [Cargo.toml, #[cfg(test)] in src]`) is not counted as evidence.
 */
export function standaloneFileChecks(m: Matcher): Array<FilesMatcher["files"]> {
  if ("files" in m) return [m.files];
  if ("any" in m) return m.any.flatMap(standaloneFileChecks);
  return [];
}

/**
 * Paths the rule's standalone `files` checks match, plus the given evidence
 * paths. The index memoises each check on its object, so when the matcher has
 * already run this is a lookup, not a second glob pass over a large tree.
 */
export function filesOfRule(m: Matcher, facts: AuditFacts, evidence: readonly string[] = []): string[] {
  const out = new Set<string>();
  for (const check of standaloneFileChecks(m)) for (const p of facts.index.match(check.include, check.exclude, check)) out.add(p);
  for (const p of evidence) out.add(p);
  return [...out];
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** "a", "a and b", "a, b and c". */
export function listed(items: readonly string[]): string {
  if (items.length <= 1) return items.join("");
  return `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;
}

export function dirname(path: string): string {
  const i = path.lastIndexOf("/");
  return i === -1 ? "" : path.slice(0, i);
}
