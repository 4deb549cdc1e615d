import { Collector, looksDev, type Kind } from "./common.js";
import type { DeclaredDependency } from "./types.js";

const GEM = /^gem\s*\(?\s*(?:"([^"]+)"|'([^']+)')(.*)$/;
const GROUP = /^group\s*\(?\s*(.+?)\)?\s+do\b/;
// Statements that open a block closed by `end` (modifier `if`/`unless` at line end do not).
const OPENS_BLOCK = /(?:\bdo\s*(?:\|[^|]*\|)?\s*$)|^(?:if|unless|case|while|until|begin|def|class|module)\b/;

/** Symbols or strings naming groups, e.g. `:development, :test` or `[:test]`. */
function groupNames(spec: string): string[] {
  return [...spec.matchAll(/:(\w+)|["'](\w+)["']/g)].map((m) => m[1] ?? m[2] ?? "");
}

function devGroups(groups: string[]): boolean {
  return groups.length > 0 && groups.every(looksDev);
}

/** Gemfile / gems.rb: gem declarations, dev when every enclosing or inline group is a dev/test group. */
export function parseGemfile(path: string, text: string): DeclaredDependency[] {
  const out = new Collector("rubygems", path);
  // One entry per open block: true when it is a dev-only group.
  const blocks: boolean[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.replace(/(^|\s)#.*$/, "").trim();
    if (!line) return;
    if (/^end\b/.test(line)) {
      blocks.pop();
      return;
    }
    const gem = GEM.exec(line);
    if (gem) {
      const inline = /(?:group|groups)\s*(?::|=>)\s*(\[[^\]]*\]|:\w+|["']\w+["'])/.exec(gem[3] ?? "");
      const dev = blocks.includes(true) || (inline !== null && devGroups(groupNames(inline[1] ?? "")));
      const kind: Kind = dev ? "dev" : "runtime";
      out.add(gem[1] ?? gem[2], kind, i + 1);
      return;
    }
    const group = GROUP.exec(line);
    if (group) blocks.push(devGroups(groupNames(group[1] ?? "")));
    else if (OPENS_BLOCK.test(line)) blocks.push(false);
  });
  return out.dependencies;
}
