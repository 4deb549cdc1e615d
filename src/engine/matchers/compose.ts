import type { AuditFacts } from "../facts.js";
import { basename } from "../fileIndex.js";
import { fail, pass, unknown, unreadOf, type Outcome } from "../outcome.js";
import { compileRegex } from "../regex.js";
import type { ComposeMatcher, Evidence } from "../types.js";
import { yamlLib } from "../yamlLibs.js";

export function isComposePath(path: string): boolean {
  // The name ends in .yml/.yaml and holds "compose": tested on the path first, without slicing its name.
  if (!(path.endsWith(".yml") || path.endsWith(".yaml")) || !path.includes("compose")) return false;
  return /^(?:docker-)?compose(?:[.-][\w.-]+)?\.ya?ml$/.test(basename(path));
}

export interface ComposeService {
  name: string;
  keys: Set<string>;
  image?: string;
  line: number;
}

export function parseCompose(text: string): ComposeService[] {
  try {
    const { isMap, isScalar, LineCounter, parseDocument } = yamlLib();
    const lc = new LineCounter();
    const doc = parseDocument(text, { lineCounter: lc, uniqueKeys: false });
    const services = doc.get("services", true);
    if (!isMap(services)) return [];
    const out: ComposeService[] = [];
    for (const pair of services.items) {
      if (!isScalar(pair.key) || !isMap(pair.value)) continue;
      const keys = new Set<string>();
      let image: string | undefined;
      for (const p of pair.value.items) {
        if (!isScalar(p.key)) continue;
        const k = String(p.key.value);
        keys.add(k);
        if (k === "image" && isScalar(p.value)) image = String(p.value.value);
      }
      const line = pair.key.range ? lc.linePos(pair.key.range[0]).line : 1;
      out.push({ name: String(pair.key.value), keys, image, line });
    }
    return out;
  } catch {
    return [];
  }
}

export function evaluateCompose(m: ComposeMatcher["compose"], facts: AuditFacts): Outcome {
  const paths = facts.index.filterOnce("compose", isComposePath);
  const unread = unreadOf(paths, (p) => facts.has(p));
  if (unread) return unknown(unread);
  const image = m.image ? compileRegex(m.image, "i") : undefined;
  const evidence: Evidence[] = [];
  for (const path of paths) {
    for (const s of facts.parsedWhole("compose", path, parseCompose) ?? []) {
      if (m.has && !m.has.every((k) => s.keys.has(k))) continue;
      if (image && !(s.image && image.test(s.image))) continue;
      evidence.push({ path, line: s.line, snippet: s.image ? `${s.name}: ${s.image}` : s.name });
    }
  }
  return evidence.length > 0 ? pass(evidence) : fail();
}
