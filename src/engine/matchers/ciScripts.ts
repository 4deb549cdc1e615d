/**
 * What a CI command runs when it only calls a wrapper: a script in the
 * repository (`./scripts/test.sh`, `bin/ci`), a Makefile target (`make ci`)
 * a package.json script (`npm run ci`), a mix alias (`mix ci`) or an sbt
 * command alias (`sbt ci`). The ci matcher follows these, a
 * few levels deep, and matches its `run` regex against what they execute.
 */
import { lineAt, type AuditFacts } from "../facts.js";
import type { FileIndex } from "../fileIndex.js";
import { withoutComments } from "./comments.js";

/** One command line a wrapper executes, and where it is. */
export interface WrappedLine {
  path: string;
  line: number;
  text: string;
}

/** A reference from a command line to something that holds more commands. */
export type WrapperRef =
  | { kind: "script"; path: string }
  | { kind: "make"; path: string; targets: string[] }
  | { kind: "npm"; path: string; script: string }
  | { kind: "mix"; path: string; alias: string }
  | { kind: "sbt"; path: string; alias: string };


const SCRIPT_TOKEN =
  /(?:^|[\s;&|(`"'=])(?:(?:bash|sh|zsh|pwsh|powershell|python3?|node|ruby|php|source|\.)\s+(?:-\S+\s+)*)?((?:\.{1,2}\/)?(?:[\w.-]+\/)*[\w.-]+)(?=$|[\s;&|)`"'])/g;
const SHELL_SCRIPT = /\.(?:sh|bash|zsh|ps1|cmd|bat)$/;
const SCRIPT_FOLDER = /^(?:[\w.-]+\/)*(?:bin|scripts|script|ci|tools|\.ci|\.github\/scripts|build-scripts|dev)\/[\w.-]+$/;
const MAKE = /(?:^|[\s;&|(])make\s+((?:-[CfIoW]\s*\S+\s+|--?[\w-]+(?:=\S*)?\s+|[\w-]+=\S*\s+)*)([\w./ -]*?)\s*(?=$|[;&|)#])/;
const NPM = /(?:^|[\s;&|(])(?:npm\s+(?:run|run-script)|(?:pnpm|bun)(?:\s+run)?|yarn(?:\s+run)?)\s+(?:--?[\w-]+\s+)*([\w:.@/-]+)/g;
const MIX = /(?:^|[\s;&|(])mix\s+(?:do\s+)?([\w.-]+)/g;
const SBT = /(?:^|[\s;&|(])sbt((?:[ \t]+(?:"[^"\n]*"|'[^'\n]*'|[^\s;&|)'"]+))+)/;
/** Words after yarn/pnpm that are commands, not scripts. */
const PACKAGE_MANAGER_COMMANDS = new Set([
  "install", "add", "remove", "upgrade", "up", "dlx", "exec", "x", "create", "init", "publish", "link", "unlink",
  "config", "cache", "info", "why", "audit", "outdated", "set", "global", "workspace", "workspaces", "import", "pack",
  "rebuild", "prune", "store", "env", "list", "ls", "login", "logout", "version", "node", "bin", "dedupe", "patch",
]);

/** The wrappers a command line calls that exist in the tree. */
export function wrapperRefs(line: string, index: FileIndex): WrapperRef[] {
  const paths = index;
  const refs: WrapperRef[] = [];
  for (const m of line.matchAll(SCRIPT_TOKEN)) {
    const raw = m[1]!;
    const path = raw.replace(/^(?:\.\/)+/, "");
    // Shell scripts anywhere, and any script in a scripts folder; not the program itself (`python app.py`, `node server.js`).
    if (!SHELL_SCRIPT.test(path) && !SCRIPT_FOLDER.test(path)) continue;
    if (!path.startsWith("../") && paths.has(path)) refs.push({ kind: "script", path });
  }
  const make = MAKE.exec(line);
  if (make) {
    const dir = /(?:^|\s)-C\s*(\S+)/.exec(make[1] ?? "")?.[1]?.replace(/^\.\/|\/$/g, "");
    const file = /(?:^|\s)-f\s*(\S+)/.exec(make[1] ?? "")?.[1] ?? undefined;
    const base = dir ? `${dir}/` : "";
    const candidates = file ? [`${base}${file.replace(/^\.\//, "")}`] : ["GNUmakefile", "makefile", "Makefile"].map((n) => `${base}${n}`);
    const path = candidates.find((p) => paths.has(p));
    const targets = (make[2] ?? "").split(/\s+/).filter((t) => t && !t.includes("="));
    if (path) refs.push({ kind: "make", path, targets });
  }
  for (const m of line.matchAll(NPM)) {
    const script = m[1]!;
    if (PACKAGE_MANAGER_COMMANDS.has(script) || !paths.has("package.json")) continue;
    refs.push({ kind: "npm", path: "package.json", script });
  }
  if (paths.has("mix.exs")) for (const m of line.matchAll(MIX)) refs.push({ kind: "mix", path: "mix.exs", alias: m[1]! });
  const sbt = paths.has("build.sbt") ? SBT.exec(line) : null;
  if (sbt) {
    for (const word of sbt[1]!.split(/[\s;"']+/)) if (word && !word.startsWith("-")) refs.push({ kind: "sbt", path: "build.sbt", alias: word });
  }
  return refs;
}

interface MakeTarget {
  prerequisites: string[];
  recipe: Array<{ line: number; text: string }>;
}

/** Rules of a Makefile: targets with their prerequisites and recipe lines (comments blanked). */
export function parseMakefile(text: string): { targets: Map<string, MakeTarget>; first?: string } {
  const targets = new Map<string, MakeTarget>();
  let first: string | undefined;
  let current: MakeTarget[] = [];
  withoutComments("Makefile", text)
    .split("\n")
    .forEach((raw, i) => {
      if (raw.startsWith("\t")) {
        const t = raw.trim();
        if (t) for (const target of current) target.recipe.push({ line: i + 1, text: t.replace(/^[@+-]+/, "") });
        return;
      }
      if (raw.trim() === "") return;
      const rule = /^([^\s:=#][^:=]*?)\s*::?(?!=)\s*([^;]*?)\s*(?:;(.*))?$/.exec(raw);
      if (!rule) {
        current = [];
        return;
      }
      current = [];
      for (const name of rule[1]!.split(/\s+/)) {
        if (!name || name.includes("%") || name.includes("$")) continue;
        const target = targets.get(name) ?? { prerequisites: [], recipe: [] };
        target.prerequisites.push(...rule[2]!.split(/\s+/).filter((p) => p && !p.includes("$")));
        if (rule[3]?.trim()) target.recipe.push({ line: i + 1, text: rule[3].trim() });
        targets.set(name, target);
        current.push(target);
        if (first === undefined && !name.startsWith(".")) first = name;
      }
    });
  return { targets, first };
}

const MAX_DEPTH = 4;

/**
 * Lines executed by the wrappers that `lines` call, followed up to a few levels.
 * Returns the unread files it needs instead when a wrapper's content is not read yet.
 */
export function followWrappers(lines: readonly string[], facts: AuditFacts): { lines: WrappedLine[] } | { needs: string[] } {
  const out: WrappedLine[] = [];
  const needs = new Set<string>();
  const seen = new Set<string>();
  let frontier: WrapperRef[] = lines.flatMap((l) => wrapperRefs(l, facts.index));
  for (let depth = 0; depth < MAX_DEPTH && frontier.length > 0; depth++) {
    const next: WrapperRef[] = [];
    for (const ref of frontier) {
      const key = JSON.stringify(ref);
      if (seen.has(key)) continue;
      seen.add(key);
      const text = facts.text(ref.path);
      if (text === undefined) {
        needs.add(ref.path);
        continue;
      }
      if (text === null) continue;
      const found = linesOf(ref, text);
      out.push(...found);
      for (const f of found) next.push(...wrapperRefs(f.text, facts.index));
    }
    frontier = next;
  }
  return needs.size > 0 ? { needs: [...needs] } : { lines: out };
}

function linesOf(ref: WrapperRef, text: string): WrappedLine[] {
  if (ref.kind === "script") {
    return withoutComments(ref.path.includes(".") ? ref.path : `${ref.path}.sh`, text)
      .split("\n")
      .map((t, i) => ({ path: ref.path, line: i + 1, text: t }))
      .filter((l) => l.text.trim() !== "");
  }
  if (ref.kind === "make") {
    const { targets, first } = parseMakefile(text);
    const out: WrappedLine[] = [];
    const visited = new Set<string>();
    const visit = (name: string, depth: number) => {
      if (visited.has(name) || depth > MAX_DEPTH) return;
      visited.add(name);
      const t = targets.get(name);
      if (!t) return;
      for (const r of t.recipe) out.push({ path: ref.path, line: r.line, text: r.text });
      for (const p of t.prerequisites) visit(p, depth + 1);
    };
    for (const name of ref.targets.length > 0 ? ref.targets : first ? [first] : []) visit(name, 0);
    return out;
  }
  if (ref.kind === "mix") return mixAlias(ref.path, text, ref.alias);
  if (ref.kind === "sbt") return sbtAlias(ref.path, text, ref.alias);
  let scripts: unknown;
  try {
    scripts = (JSON.parse(text) as { scripts?: unknown }).scripts;
  } catch {
    return [];
  }
  if (typeof scripts !== "object" || scripts === null) return [];
  const body = (scripts as Record<string, unknown>)[ref.script];
  if (typeof body !== "string") return [];
  const line = text.split("\n").findIndex((l) => l.includes(`"${ref.script}"`));
  return [{ path: ref.path, line: line === -1 ? 1 : line + 1, text: body }];
}

const MIX_ALIASES = /^([ \t]*)defp?[ \t]+aliases(?:\(\))?[ \t]+do\b/m;

/**
 * The tasks a mix alias runs, as `mix <task>` lines: `ci: ["format --check-formatted", "test"]`
 * in mix.exs's aliases function. Function captures (`&setup/1`) run no task a rule could read.
 */
function mixAlias(path: string, text: string, alias: string): WrappedLine[] {
  const code = withoutComments(path, text);
  const start = MIX_ALIASES.exec(code);
  if (!start) return [];
  const end = new RegExp(`^${start[1]}end\\b`, "m").exec(code.slice(start.index + start[0].length));
  const from = start.index + start[0].length;
  const body = code.slice(from, end ? from + end.index : undefined);
  const name = alias.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const entry = new RegExp(`(?:^|[\\s,\\[])(?:${name}|"${name}"):[ \\t]*(\\[[^\\]]*\\]|"[^"\\n]*")`).exec(body);
  if (!entry) return [];
  const listStart = from + entry.index + entry[0].length - entry[1]!.length;
  const out: WrappedLine[] = [];
  for (const task of entry[1]!.matchAll(/"([^"\n]*)"/g)) {
    out.push({ path, line: lineAt(text, listStart + task.index), text: `mix ${task[1]!.trim()}` });
  }
  return out;
}

/** The commands an sbt alias runs, as `sbt <command>` lines: `addCommandAlias("ci", ";clean;coverage;test")`. */
function sbtAlias(path: string, text: string, alias: string): WrappedLine[] {
  const code = withoutComments(path, text);
  const out: WrappedLine[] = [];
  for (const m of code.matchAll(/addCommandAlias\([ \t]*"([\w.-]+)"[ \t]*,[ \t]*"([^"\n]*)"/g)) {
    if (m[1] !== alias) continue;
    const line = lineAt(text, m.index);
    for (const command of m[2]!.split(";")) if (command.trim()) out.push({ path, line, text: `sbt ${command.trim()}` });
  }
  return out;
}
