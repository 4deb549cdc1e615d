import {
  Collector,
  LineFinder,
  asArray,
  asRecord,
  at,
  headerOffset,
  looksDev,
  type Kind,
  parseTomlDocument,
} from "./common.js";
import type { DeclaredDependency } from "./types.js";

const REQUIREMENT = /^([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)\s*(?:\[[^\]]*\])?\s*(.*)$/s;
const ARCHIVE = /\.(?:whl|zip|tar\.gz|tgz|tar\.bz2|egg)$/i;

/** The project name of a PEP 508 requirement ("pkg[extra]>=1; marker"), or undefined if it is not one. */
export function requirementName(spec: string): string | undefined {
  const m = REQUIREMENT.exec(spec.trim());
  if (!m || ARCHIVE.test(m[1] ?? "")) return undefined;
  const rest = m[2] ?? "";
  // Whatever follows the name must be a version, marker, direct reference or old-style "(>=1)".
  return rest === "" || /^[<>=!~;@(,]/.test(rest) ? m[1] : undefined;
}

function basename(path: string): string {
  return path.slice(path.lastIndexOf("/") + 1);
}

export function parseRequirementsTxt(path: string, text: string): DeclaredDependency[] {
  const out = new Collector("pypi", path);
  const kind: Kind = looksDev(basename(path)) ? "dev" : "runtime";
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const start = i;
    let line = lines[i] ?? "";
    // A trailing backslash continues the requirement (typically onto --hash lines).
    while (line.endsWith("\\") && i + 1 < lines.length) line = line.slice(0, -1) + " " + (lines[++i] ?? "");
    // pip treats "#" at line start or after whitespace as a comment; "--hash" etc. are per-line options.
    const spec = line.replace(/(^|\s)#.*$/, "").replace(/\s+--[a-z].*$/, "").trim();
    if (!spec || spec.startsWith("-")) continue;
    if (pulledInByOthers(lines, i + 1)) continue;
    out.add(requirementName(spec), kind, start + 1);
  }
  return out.dependencies;
}

/**
 * pip-compile and `uv export` list every transitive package with a `# via`
 * block naming what pulled it in; only those pulled in by a requirements file
 * (`-r requirements.in`) are the project's own choice. Without a block, the
 * requirement is the author's.
 */
function pulledInByOthers(lines: readonly string[], from: number): boolean {
  const via: string[] = [];
  for (let j = from; j < lines.length; j++) {
    const m = /^\s+#\s*(via\b)?\s*(.*)$/.exec(lines[j] ?? "");
    if (!m) break;
    if (j === from && !m[1]) return false;
    if (m[2]) via.push(m[2].trim());
  }
  return via.length > 0 && !via.some((v) => /^-[rc]\s|^-r|requirements|pyproject\.toml|setup\.(?:py|cfg)/.test(v));
}

export function parsePyproject(path: string, text: string): DeclaredDependency[] {
  const out = new Collector("pypi", path);
  const doc = parseTomlDocument(text);
  const lines = new LineFinder(text);

  const specs = (list: unknown, kind: Kind, header: string) => {
    const from = headerOffset(text, header);
    for (const spec of asArray(list)) {
      // PEP 735 groups may hold {include-group = "..."} tables; those name no package.
      if (typeof spec !== "string") continue;
      const name = requirementName(spec);
      // Specs are quoted strings; preferring the quoted form skips mentions in descriptions.
      if (name) out.add(name, kind, lines.find([`"${name}`, `'${name}`, name], from));
    }
  };
  const keys = (table: unknown, kind: Kind, header: string) => {
    const from = headerOffset(text, header);
    for (const name of Object.keys(asRecord(table))) {
      if (name.toLowerCase() !== "python") out.add(name, kind, lines.find(name, from));
    }
  };

  specs(at(doc, "project", "dependencies"), "runtime", "project");
  for (const [group, list] of Object.entries(asRecord(at(doc, "project", "optional-dependencies")))) {
    specs(list, looksDev(group) ? "dev" : "runtime", "project.optional-dependencies");
  }
  for (const list of Object.values(asRecord(doc["dependency-groups"]))) specs(list, "dev", "dependency-groups");

  keys(at(doc, "tool", "poetry", "dependencies"), "runtime", "tool.poetry.dependencies");
  keys(at(doc, "tool", "poetry", "dev-dependencies"), "dev", "tool.poetry.dev-dependencies");
  for (const [group, table] of Object.entries(asRecord(at(doc, "tool", "poetry", "group")))) {
    // Poetry's implicit "main" group is the runtime set.
    keys(at(table, "dependencies"), group === "main" ? "runtime" : "dev", `tool.poetry.group.${group}.dependencies`);
  }

  for (const list of Object.values(asRecord(at(doc, "tool", "pdm", "dev-dependencies")))) {
    specs(list, "dev", "tool.pdm.dev-dependencies");
  }
  specs(at(doc, "tool", "uv", "dev-dependencies"), "dev", "tool.uv");
  return out.dependencies;
}

export function parsePipfile(path: string, text: string): DeclaredDependency[] {
  const out = new Collector("pypi", path);
  const doc = parseTomlDocument(text);
  const lines = new LineFinder(text);
  for (const [section, kind] of [["packages", "runtime"], ["dev-packages", "dev"]] as const) {
    const from = headerOffset(text, section);
    for (const name of Object.keys(asRecord(doc[section]))) out.add(name, kind, lines.find(name, from));
  }
  return out.dependencies;
}

interface IniValue {
  section: string;
  key: string;
  /** Each non-empty value line (the first line's inline value, then indented continuations) with its 1-based line. */
  values: Array<{ text: string; line: number }>;
}

/** Just enough configparser: sections, key = value / key: value, indented continuation lines. */
function readIni(text: string): IniValue[] {
  const entries: IniValue[] = [];
  let section = "";
  let current: IniValue | undefined;
  text.split(/\r?\n/).forEach((raw, i) => {
    const trimmed = raw.trim();
    if (!trimmed || trimmed.startsWith("#") || trimmed.startsWith(";")) return;
    if (/^\s/.test(raw) && current) {
      current.values.push({ text: trimmed, line: i + 1 });
      return;
    }
    const header = /^\[([^\]]+)\]/.exec(trimmed);
    if (header) {
      section = (header[1] ?? "").trim();
      current = undefined;
      return;
    }
    const kv = /^([^=:]+?)\s*[=:]\s*(.*)$/.exec(trimmed);
    if (!kv) return;
    current = { section, key: (kv[1] ?? "").trim(), values: [] };
    if (kv[2]) current.values.push({ text: kv[2], line: i + 1 });
    entries.push(current);
  });
  return entries;
}

export function parseSetupCfg(path: string, text: string): DeclaredDependency[] {
  const out = new Collector("pypi", path);
  for (const entry of readIni(text)) {
    let kind: Kind | undefined;
    if (entry.section === "options" && entry.key === "install_requires") kind = "runtime";
    else if (entry.section === "options" && entry.key === "tests_require") kind = "dev";
    else if (entry.section === "options.extras_require") kind = looksDev(entry.key) ? "dev" : "runtime";
    if (!kind) continue;
    for (const v of entry.values) out.add(requirementName(v.text.replace(/\s#.*$/, "")), kind, v.line);
  }
  return out.dependencies;
}

interface PyString {
  value: string;
  offset: number;
  /** Dict key ("dev": [...]) or keyword argument (dev=[...]) directly inside the scanned container. */
  key?: boolean;
}

/**
 * String literals inside the bracketed Python expression opening at `open`,
 * skipping comments and honouring nesting; enough for setup() arguments.
 */
function scanPyStrings(text: string, open: number): PyString[] {
  const found: PyString[] = [];
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const c = text[i] ?? "";
    if (c === "#") {
      const nl = text.indexOf("\n", i);
      i = nl === -1 ? text.length : nl;
    } else if ("([{".includes(c)) {
      depth++;
    } else if (")]}".includes(c)) {
      if (--depth === 0) break;
    } else if (c === '"' || c === "'") {
      const quote = text.startsWith(c.repeat(3), i) ? c.repeat(3) : c;
      let j = i + quote.length;
      while (j < text.length && !text.startsWith(quote, j)) j += text[j] === "\\" ? 2 : 1;
      const after = /^\s*:/.test(text.slice(j + quote.length, j + quote.length + 20));
      found.push({ value: text.slice(i + quote.length, j), offset: i + quote.length, key: depth === 1 && after });
      i = j + quote.length - 1;
    } else if (depth === 1 && /[A-Za-z_]/.test(c) && !/[\w.]/.test(text[i - 1] ?? "")) {
      const kw = /^([A-Za-z_]\w*)\s*=(?!=)/.exec(text.slice(i, i + 80));
      if (kw) found.push({ value: kw[1] ?? "", offset: i, key: true });
      const word = /^\w+/.exec(text.slice(i, i + 80));
      i += (word?.[0].length ?? 1) - 1;
    }
  }
  return found;
}

/** Offset of the container holding a setup() argument, following `install_requires=REQUIRES` to its assignment. */
function argumentContainer(text: string, valueStart: number): number | undefined {
  const rest = text.slice(valueStart, valueStart + 200);
  const direct = /^(?:dict\s*)?[[{(]/.exec(rest);
  if (direct) return valueStart + direct[0].length - 1;
  const ident = /^([A-Za-z_]\w*)\s*(?:[,)\n]|$)/.exec(rest);
  if (!ident) return undefined;
  const assign = new RegExp(`^${ident[1]}\\s*=\\s*(?:dict\\s*)?[[{(]`, "m").exec(text);
  return assign ? assign.index + assign[0].length - 1 : undefined;
}

export function parseSetupPy(path: string, text: string): DeclaredDependency[] {
  const out = new Collector("pypi", path);
  const lines = new LineFinder(text);
  const arg = /\b(install_requires|tests_require|extras_require)['"]?\s*[=:]\s*/g;
  for (let m = arg.exec(text); m; m = arg.exec(text)) {
    const open = argumentContainer(text, m.index + m[0].length);
    if (open === undefined) continue;
    const which = m[1];
    let kind: Kind = which === "tests_require" ? "dev" : "runtime";
    for (const s of scanPyStrings(text, open)) {
      if (which === "extras_require" && s.key) {
        kind = looksDev(s.value) ? "dev" : "runtime";
        continue;
      }
      if (s.key) continue;
      out.add(requirementName(s.value), kind, lines.lineAt(s.offset));
    }
  }
  return out.dependencies;
}
