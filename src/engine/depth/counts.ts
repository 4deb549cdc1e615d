import { filesOfRule, plural } from "./leaves.js";
import type { DepthProbe } from "./types.js";

/** A probe that counts the files a rule's own `files` checks match: cheap facts for rules measured in files. */
export function countProbe(fact: string, one: string, many?: string): DepthProbe {
  return {
    measure({ rule, result, facts }) {
      const n = filesOfRule(rule.match, facts, result.evidence.map((e) => e.path)).length;
      return { facts: { [fact]: n }, summary: plural(n, one, many) };
    },
  };
}
