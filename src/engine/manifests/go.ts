import { Collector } from "./common.js";
import type { DeclaredDependency } from "./types.js";

/**
 * go.mod: `require path v1` lines and `require ( ... )` blocks. `// indirect`
 * requirements are left out: the project does not import them itself.
 */
export function parseGoMod(path: string, text: string): DeclaredDependency[] {
  const out = new Collector("go", path);
  let inBlock = false;
  text.split(/\r?\n/).forEach((raw, i) => {
    if (/\/\/\s*indirect\b/.test(raw)) return;
    const line = raw.replace(/\/\/.*$/, "").trim();
    if (inBlock) {
      if (line.startsWith(")")) inBlock = false;
      else out.add(modulePath(line), "runtime", i + 1);
      return;
    }
    const require = /^require\s+(.*)$/.exec(line);
    if (!require) return;
    const rest = require[1] ?? "";
    if (!rest.startsWith("(")) out.add(modulePath(rest), "runtime", i + 1);
    else if (rest.includes(")")) out.add(modulePath(rest.slice(1, rest.indexOf(")")).trim()), "runtime", i + 1);
    else inBlock = true;
  });
  return out.dependencies;
}

/** "github.com/x/y v1.2.3" → "github.com/x/y"; module paths may be quoted. */
function modulePath(spec: string): string | undefined {
  const m = /^(?:"([^"]+)"|`([^`]+)`|(\S+))\s+\S/.exec(spec);
  return m ? (m[1] ?? m[2] ?? m[3]) : undefined;
}
