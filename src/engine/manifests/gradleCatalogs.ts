/**
 * Gradle version catalogs: a build script that writes `implementation(libs.spring.boot.starter.web)`
 * declares `org.springframework.boot:spring-boot-starter-web` through `gradle/libs.versions.toml`
 * (or a catalog created in settings.gradle(.kts) with `from(files("…"))` or inline `library(…)`).
 * This module resolves those references to coordinates, at the line and with the kind
 * (test, runtime, plugin) of the build script that uses them.
 */
import { asRecord, asString, parseTomlDocument, type Kind } from "./common.js";
import { blockEnd, catalogLibraryName, configurationKind, coordinates, stripComments } from "./gradle.js";
import type { DeclaredDependency } from "./types.js";

/** Aliases compare with `-`, `_` and `.` as one separator, case-insensitively (Gradle's accessor mapping). */
export const normaliseAlias = (alias: string): string => alias.toLowerCase().replace(/[-_.]+/g, ".");

export interface Catalog {
  libraries: Map<string, string>;
  bundles: Map<string, string[]>;
  plugins: Map<string, string>;
}

const emptyCatalog = (): Catalog => ({ libraries: new Map(), bundles: new Map(), plugins: new Map() });

/** Entries of a catalog TOML file; throws on malformed TOML (callers treat it as an empty catalog). */
export function parseCatalogToml(text: string): Catalog {
  const doc = parseTomlDocument(text);
  const catalog = emptyCatalog();
  for (const [alias, entry] of Object.entries(asRecord(doc.libraries))) {
    const name = catalogLibraryName(entry);
    if (name) catalog.libraries.set(normaliseAlias(alias), name);
  }
  for (const [alias, entry] of Object.entries(asRecord(doc.bundles))) {
    if (Array.isArray(entry)) catalog.bundles.set(normaliseAlias(alias), entry.filter((e): e is string => typeof e === "string").map(normaliseAlias));
  }
  for (const [alias, entry] of Object.entries(asRecord(doc.plugins))) {
    const id = typeof entry === "string" ? entry.split(":")[0] : asString(asRecord(entry).id);
    if (id) catalog.plugins.set(normaliseAlias(alias), id);
  }
  return catalog;
}

/** A catalog a settings script declares: its accessor name, and its file or inline entries. */
export interface DeclaredCatalog {
  name: string;
  /** Path relative to the tree root, when it comes `from(files(…))`. */
  file?: string;
  inline: Catalog;
}

const STRING = String.raw`["']([^"'\n]+)["']`;

/** `dependencyResolutionManagement { versionCatalogs { … } }` of a settings script, paths resolved from its folder. */
export function parseSettingsCatalogs(settingsPath: string, text: string): DeclaredCatalog[] {
  const code = stripComments(text);
  const dir = settingsPath.includes("/") ? settingsPath.slice(0, settingsPath.lastIndexOf("/") + 1) : "";
  const out: DeclaredCatalog[] = [];
  const block = /\bversionCatalogs\s*\{/g;
  for (let m = block.exec(code); m; m = block.exec(code)) {
    const open = m.index + m[0].length - 1;
    const body = code.slice(open + 1, blockEnd(code, open));
    // create("name") { … } (Kotlin and Groovy) or name { … } (Groovy)
    const entry = new RegExp(String.raw`(?:\bcreate\s*\(\s*${STRING}\s*\)|(?<![\w.])([A-Za-z]\w*))\s*\{`, "g");
    for (let e = entry.exec(body); e; e = entry.exec(body)) {
      const name = e[1] ?? e[2]!;
      const start = e.index + e[0].length - 1;
      const end = blockEnd(body, start);
      const inner = body.slice(start + 1, end);
      entry.lastIndex = end;
      const catalog: DeclaredCatalog = { name, inline: emptyCatalog() };
      const from = new RegExp(String.raw`\bfrom\s*\(\s*files\s*\(\s*${STRING}`).exec(inner);
      if (from) catalog.file = joinPath(dir, from[1]!);
      for (const lib of inner.matchAll(new RegExp(String.raw`\blibrary\s*\(\s*${STRING}\s*,\s*${STRING}(?:\s*,\s*${STRING})?`, "g"))) {
        const coords = lib[3] ? `${lib[2]}:${lib[3]}` : coordinates(lib[2]!);
        if (coords) catalog.inline.libraries.set(normaliseAlias(lib[1]!), coords);
      }
      for (const plugin of inner.matchAll(new RegExp(String.raw`\bplugin\s*\(\s*${STRING}\s*,\s*${STRING}`, "g"))) {
        catalog.inline.plugins.set(normaliseAlias(plugin[1]!), plugin[2]!);
      }
      for (const bundle of inner.matchAll(new RegExp(String.raw`\bbundle\s*\(\s*${STRING}\s*,\s*(?:listOf\s*\(|\[)([^)\]]*)`, "g"))) {
        const members = [...bundle[2]!.matchAll(/["']([^"']+)["']/g)].map((x) => normaliseAlias(x[1]!));
        catalog.inline.bundles.set(normaliseAlias(bundle[1]!), members);
      }
      out.push(catalog);
    }
  }
  return out;
}

function joinPath(dir: string, rel: string): string {
  const parts = (dir + rel).split("/");
  const out: string[] = [];
  for (const p of parts) {
    if (p === "" || p === ".") continue;
    if (p === "..") out.pop();
    else out.push(p);
  }
  return out.join("/");
}

/** One `libs.x.y` use in a build script. */
export interface CatalogReference {
  accessor: string;
  section: "library" | "bundle" | "plugin";
  /** Normalised alias path, possibly with trailing accessor calls (`.get`) still on it. */
  alias: string;
  kind: Kind;
  line: number;
}

/** References to catalogs named `accessors` in a build script (comments ignored). */
export function catalogReferences(text: string, accessors: readonly string[]): CatalogReference[] {
  if (accessors.length === 0) return [];
  const names = accessors.map((a) => a.replace(/[^\w]/g, "")).join("|");
  const ref = new RegExp(String.raw`(?<![\w.$])(${names})\.([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*)`, "g");
  const find = new RegExp(String.raw`(?<![\w.$])(${names})\.find(Library|Bundle|Plugin)\s*\(\s*["']([^"']+)["']`, "g");
  const out: CatalogReference[] = [];
  stripComments(text)
    .split("\n")
    .forEach((line, i) => {
      for (const m of line.matchAll(ref)) {
        const path = m[2]!;
        if (/^find(?:Library|Bundle|Plugin|Version)\b/.test(path) || path.startsWith("versions.")) continue;
        const section = path.startsWith("bundles.") ? "bundle" : path.startsWith("plugins.") ? "plugin" : "library";
        const alias = section === "library" ? path : path.slice(path.indexOf(".") + 1);
        out.push({ accessor: m[1]!, section, alias: normaliseAlias(alias), kind: section === "plugin" ? "plugin" : kindBefore(line, m.index!), line: i + 1 });
      }
      for (const m of line.matchAll(find)) {
        const section = m[2] === "Plugin" ? "plugin" : m[2] === "Bundle" ? "bundle" : "library";
        out.push({ accessor: m[1]!, section, alias: normaliseAlias(m[3]!), kind: section === "plugin" ? "plugin" : kindBefore(line, m.index!), line: i + 1 });
      }
    });
  return out;
}

/** The configuration a reference is passed to (`testImplementation(libs.x)`, `api platform(libs.bom)`); runtime when none is named. */
function kindBefore(line: string, at: number): Kind {
  const before = line.slice(0, at);
  const config = /([a-z][A-Za-z0-9]*)\s*\(?\s*(?:(?:platform|enforcedPlatform|testFixtures)\s*\(\s*)?$/.exec(before);
  return (config && configurationKind(config[1]!)) || "runtime";
}

/** The coordinates a reference stands for: the longest alias prefix the catalog knows (`libs.foo.get()` is `foo`). */
export function resolveReference(ref: CatalogReference, catalog: Catalog): Array<{ name: string; kind: Kind }> {
  const segments = ref.alias.split(".");
  for (let n = segments.length; n > 0; n--) {
    const alias = segments.slice(0, n).join(".");
    if (ref.section === "plugin") {
      const id = catalog.plugins.get(alias);
      if (id) return [{ name: id, kind: "plugin" }];
    } else if (ref.section === "bundle") {
      const members = catalog.bundles.get(alias);
      if (members) return members.flatMap((a) => (catalog.libraries.has(a) ? [{ name: catalog.libraries.get(a)!, kind: ref.kind }] : []));
    } else {
      const name = catalog.libraries.get(alias);
      if (name) return [{ name, kind: ref.kind }];
    }
  }
  return [];
}

/** Declarations a build script makes through catalogs. */
export function resolveScriptCatalogs(path: string, text: string, catalogs: ReadonlyMap<string, Catalog>): DeclaredDependency[] {
  const out: DeclaredDependency[] = [];
  for (const ref of catalogReferences(text, [...catalogs.keys()])) {
    const catalog = catalogs.get(ref.accessor);
    if (!catalog) continue;
    for (const { name, kind } of resolveReference(ref, catalog)) out.push({ ecosystem: "gradle", name, kind, path, line: ref.line });
  }
  return out;
}
