import type { AuditFacts } from "../facts.js";
import { basename } from "../fileIndex.js";
import { fail, pass, unknown, unreadOf, type Outcome } from "../outcome.js";
import { compileRegex } from "../regex.js";
import type { DockerfileMatcher, Evidence } from "../types.js";

export interface Instruction {
  keyword: string;
  args: string;
  line: number;
}

/** Suffixes that make "Dockerfile.x" a document or script about Docker rather than a Dockerfile. */
const NOT_A_DOCKERFILE = /\.(?:ya?ml|json|md|markdown|rst|txt|adoc|html?|xml|toml|ini|lock|log|sh|bash|ps1|py|js|mjs|ts|go|java|rb|php|rs|cs|png|jpe?g|svg|gif|dockerignore)$/i;

export function isDockerfilePath(path: string): boolean {
  // Both name patterns hold "ockerfile" or "ontainerfile": a substring test spares slicing every path's name.
  if (!path.includes("ockerfile") && !path.includes("ontainerfile")) return false;
  // A VS Code dev container packages the editor's environment, not the service.
  if (path.startsWith(".devcontainer/") || path.includes("/.devcontainer/")) return false;
  const base = basename(path);
  const named = /^(?:Dockerfile|Containerfile|dockerfile|containerfile)(?:[.-].+)?$/.test(base) || /\.(?:dockerfile|Dockerfile|containerfile)$/.test(base);
  return named && !NOT_A_DOCKERFILE.test(base);
}

/** Instructions with continuation lines joined and comments dropped, each with its first line. */
export function parseDockerfile(text: string): Instruction[] {
  const out: Instruction[] = [];
  const lines = text.split(/\r?\n/);
  let current: Instruction | undefined;
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!;
    const trimmed = raw.trim();
    if (!current && (trimmed === "" || trimmed.startsWith("#"))) continue;
    if (current && trimmed.startsWith("#")) continue;
    const continues = /\\\s*$/.test(raw);
    const body = continues ? trimmed.replace(/\\\s*$/, "").trimEnd() : trimmed;
    if (current) current.args += ` ${body}`;
    else {
      const m = /^(\w+)\s*(.*)$/.exec(body);
      if (!m) continue;
      current = { keyword: m[1]!.toUpperCase(), args: m[2]!, line: i + 1 };
    }
    if (!continues) {
      current.args = current.args.trim();
      out.push(current);
      current = undefined;
    }
  }
  if (current) out.push(current);
  return out;
}

/** The final build stage: instructions after the last FROM. */
function finalStage(instructions: Instruction[]): Instruction[] {
  let start = -1;
  instructions.forEach((ins, i) => {
    if (ins.keyword === "FROM") start = i;
  });
  return start === -1 ? [] : instructions.slice(start);
}

const ROOT_USERS = /^(?:root|0|ContainerAdministrator)(?::.*)?$/i;

export function evaluateDockerfile(m: DockerfileMatcher["dockerfile"], facts: AuditFacts): Outcome {
  const paths = facts.index.filterOnce("dockerfiles", isDockerfilePath);
  const unread = unreadOf(paths, (p) => facts.has(p));
  if (unread) return unknown(unread);
  const evidence: Evidence[] = [];
  for (const path of paths) {
    const ins = facts.parsed("dockerfile", path, parseDockerfile);
    if (!ins) continue;
    const hit = checkDockerfile(m, ins);
    if (hit) evidence.push({ path, line: hit.line, snippet: `${hit.keyword} ${hit.args}`.slice(0, 160) });
  }
  return evidence.length > 0 ? pass(evidence) : fail();
}

/** The instruction that proves the point, or undefined. Every given condition must hold in the same Dockerfile. */
function checkDockerfile(m: DockerfileMatcher["dockerfile"], ins: Instruction[]): Instruction | undefined {
  let proof: Instruction | undefined;
  if (m.minStages !== undefined) {
    const froms = ins.filter((i) => i.keyword === "FROM");
    if (froms.length < m.minStages) return undefined;
    proof = froms[m.minStages - 1];
  }
  const stage = finalStage(ins);
  if (m.finalStageNonRoot) {
    const users = stage.filter((i) => i.keyword === "USER");
    const last = users[users.length - 1];
    if (!last || ROOT_USERS.test(last.args.trim())) return undefined;
    proof = last;
  }
  if (m.instruction !== undefined) {
    const args = m.argsPattern ? compileRegex(m.argsPattern, "i") : undefined;
    const found = stage.find(
      (i) => i.keyword === m.instruction && !/^NONE\b/i.test(i.args) && (!args || args.test(i.args)),
    );
    if (!found) return undefined;
    proof = found;
  }
  return proof;
}
