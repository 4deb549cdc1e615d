import { Collector, LineFinder, asRecord, asString, headerOffset, isRecord, type Kind, parseTomlDocument } from "./common.js";
import type { DeclaredDependency } from "./types.js";

/** Blanks out comments, keeping offsets and newlines, so commented-out dependencies are not read. */
export function stripComments(text: string): string {
  const chars = text.split("");
  let i = 0;
  const blank = (from: number, to: number) => {
    for (let k = from; k < to; k++) if (chars[k] !== "\n") chars[k] = " ";
  };
  while (i < text.length) {
    const c = text[i];
    if (c === '"' || c === "'") {
      const quote = text.startsWith(c.repeat(3), i) ? c.repeat(3) : c;
      let j = i + quote.length;
      while (j < text.length && !text.startsWith(quote, j) && (quote.length === 3 || text[j] !== "\n")) {
        j += text[j] === "\\" ? 2 : 1;
      }
      i = j + quote.length;
    } else if (text.startsWith("//", i)) {
      const end = text.indexOf("\n", i);
      blank(i, end === -1 ? text.length : end);
      i = end === -1 ? text.length : end;
    } else if (text.startsWith("/*", i)) {
      const end = text.indexOf("*/", i + 2);
      const stop = end === -1 ? text.length : end + 2;
      blank(i, stop);
      i = stop;
    } else {
      i++;
    }
  }
  return chars.join("");
}

/** Offset just past the brace matching the one at `open` (strings are not special: comments are gone and braces in strings are rare). */
export function blockEnd(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === "{") depth++;
    else if (text[i] === "}" && --depth === 0) return i;
  }
  return text.length;
}

const CONFIGURATIONS = new Set([
  "implementation", "api", "compile", "compileOnly", "compileOnlyApi", "runtime", "runtimeOnly",
  "annotationProcessor", "kapt", "ksp", "classpath", "developmentOnly", "providedCompile", "providedRuntime",
  "detektPlugins", "coreLibraryDesugaring", "lintChecks", "errorprone", "checkstyle", "pmd", "spotbugsPlugins",
]);
const CONFIGURATION_SUFFIX = /(?:Implementation|Api|CompileOnly|RuntimeOnly|AnnotationProcessor|Compile|Runtime|Kapt|Ksp)$/;

export function configurationKind(config: string): Kind | undefined {
  if (!CONFIGURATIONS.has(config) && !CONFIGURATION_SUFFIX.test(config)) return undefined;
  if (config === "classpath") return "plugin";
  return /^(?:test|androidTest|integrationTest|functionalTest)|Test|^developmentOnly$/.test(config) ? "dev" : "runtime";
}

const STRING = /^\s*(?:"([^"\n]*)"|'([^'\n]*)')/;

/** "group:artifact:version[:classifier][@ext]" → "group:artifact". */
export function coordinates(notation: string): string | undefined {
  const [group, artifact] = notation.split(":");
  return group && artifact ? `${group}:${artifact.replace(/@.*$/, "")}` : undefined;
}

/** A version catalog's `[libraries]` entry — `"g:a:v"`, `{ module = "g:a" }` or `{ group, name }` — as "group:artifact". */
export function catalogLibraryName(entry: unknown): string | undefined {
  if (typeof entry === "string") return coordinates(entry);
  if (!isRecord(entry)) return undefined;
  const group = asString(entry.group);
  const artifact = asString(entry.name);
  return asString(entry.module) ?? (group && artifact ? `${group}:${artifact}` : undefined);
}

/** Names declared by the arguments following a configuration name, e.g. `('g:a:1')`, `platform("g:a")`, `group: 'g', name: 'a'`. */
function argumentNames(args: string): string[] {
  let rest = args.replace(/^\s*\(/, "");
  rest = rest.replace(/^\s*(?:platform|enforcedPlatform|testFixtures)\s*\(/, "");
  const kotlin = /^\s*kotlin\s*\(\s*["']([^"']+)["']/.exec(rest);
  if (kotlin) return [`org.jetbrains.kotlin:kotlin-${kotlin[1]}`];

  const names: string[] = [];
  for (let m = STRING.exec(rest); m; m = STRING.exec(rest)) {
    const name = coordinates(m[1] ?? m[2] ?? "");
    if (name) names.push(name);
    rest = rest.slice(m[0].length);
    // Groovy allows `implementation 'a:b:1', 'c:d:2'`.
    if (!/^\s*,/.test(rest)) break;
    rest = rest.replace(/^\s*,/, "");
  }
  if (names.length > 0) return names;

  const group = /\bgroup\s*[:=]\s*(?:"([^"\n]*)"|'([^'\n]*)')/.exec(args);
  const name = /\bname\s*[:=]\s*(?:"([^"\n]*)"|'([^'\n]*)')/.exec(args);
  if (group && name) return [`${group[1] ?? group[2]}:${name[1] ?? name[2]}`];
  return [];
}

/** One plugins {} statement: id 'x' version 'y', id("x"), kotlin("jvm"), or a bare core plugin such as java or `java-library`. */
function pluginId(statement: string): string | undefined {
  const id = /^id\s*\(?\s*(?:"([^"\n]*)"|'([^'\n]*)')/.exec(statement);
  if (id) return id[1] ?? id[2];
  const kotlin = /^kotlin\s*\(\s*["']([^"']+)["']/.exec(statement);
  if (kotlin) return `org.jetbrains.kotlin.${kotlin[1]}`;
  const bare = /^(?:`([^`]+)`|([A-Za-z][\w-]*))$/.exec(statement);
  return bare ? (bare[1] ?? bare[2]) : undefined;
}

/** Plugin ids of the `plugins {}` blocks in comment-free code, each with the offset of its statement. */
export function pluginsBlockIds(code: string): Array<{ id: string; offset: number }> {
  const out: Array<{ id: string; offset: number }> = [];
  const pluginsBlock = /(?:^|[\s;{}])plugins\s*\{/g;
  for (let m = pluginsBlock.exec(code); m; m = pluginsBlock.exec(code)) {
    const open = m.index + m[0].length - 1;
    const end = blockEnd(code, open);
    const statement = /[^\n;]+/g;
    const body = code.slice(open + 1, end);
    for (let s = statement.exec(body); s; s = statement.exec(body)) {
      const id = pluginId(s[0].trim());
      if (id) out.push({ id, offset: open + 1 + s.index });
    }
  }
  return out;
}

/** build.gradle and build.gradle.kts (and other *.gradle scripts such as convention plugins). */
export function parseGradleScript(path: string, text: string): DeclaredDependency[] {
  const out = new Collector("gradle", path);
  const lines = new LineFinder(text);
  const code = stripComments(text);

  for (const { id, offset } of pluginsBlockIds(code)) out.add(id, "plugin", lines.lineAt(offset));

  const apply = /\bapply\s*\(?\s*plugin\s*[:=]\s*(?:"([^"\n]*)"|'([^'\n]*)')/g;
  for (let m = apply.exec(code); m; m = apply.exec(code)) out.add(m[1] ?? m[2], "plugin", lines.lineAt(m.index));

  const config = /(?<![\w.$"'`])([a-z][A-Za-z0-9]*)(?=[\s(])/g;
  code.split("\n").forEach((line, i) => {
    for (let m = config.exec(line); m; m = config.exec(line)) {
      const kind = configurationKind(m[1] ?? "");
      if (!kind) continue;
      for (const name of argumentNames(line.slice(m.index + m[0].length))) out.add(name, kind, i + 1);
    }
  });
  return out.dependencies;
}

/** Gradle version catalogs (gradle/libs.versions.toml). */
export function parseVersionCatalog(path: string, text: string): DeclaredDependency[] {
  const out = new Collector("gradle", path);
  const doc = parseTomlDocument(text);
  const lines = new LineFinder(text);

  const libraries = headerOffset(text, "libraries");
  for (const [alias, entry] of Object.entries(asRecord(doc.libraries))) {
    const name = catalogLibraryName(entry);
    out.add(name, "runtime", lines.find(alias, libraries));
  }

  const plugins = headerOffset(text, "plugins");
  for (const [alias, entry] of Object.entries(asRecord(doc.plugins))) {
    const id = typeof entry === "string" ? entry.split(":")[0] : asString(asRecord(entry).id);
    out.add(id, "plugin", lines.find(alias, plugins));
  }
  return out.dependencies;
}
