/**
 * Gradle version catalogs: a build script that writes `implementation(libs.spring.boot.starter.web)`
 * declares `org.springframework.boot:spring-boot-starter-web` through `gradle/libs.versions.toml`
 * (or a catalog created in settings.gradle(.kts) with `from(files("…"))` or inline `library(…)`).
 * This module resolves those references to coordinates, at the line and with the kind
 * (test, runtime, plugin) of the build script that uses them. Catalogs published outside the
 * repository (a BOM's generated catalog, Micronaut's `mn`) name what they hold by rule:
 * publishedCatalogs.ts reads an accessor's name there.
 */
import { asRecord, asString, parseTomlDocument, type Kind } from "./common.js";
import { blockEnd, catalogLibraryName, configurationKind, coordinates, pluginsBlockIds, stripComments } from "./gradle.js";
import {
  CATALOG_GENERATOR_PLUGIN,
  MICRONAUT_CATALOG_NAME,
  MICRONAUT_CATALOG_PLUGIN,
  MICRONAUT_PLATFORM,
  aliasSegments,
  publishedLibraryName,
  type PublishedCatalog,
} from "./publishedCatalogs.js";
import type { DeclaredDependency } from "./types.js";

/** Aliases compare with `-`, `_` and `.` as one separator, case-insensitively (Gradle's accessor mapping). */
export const normaliseAlias = (alias: string): string => alias.toLowerCase().replace(/[-_.]+/g, ".");

export interface Catalog {
  libraries: Map<string, string>;
  bundles: Map<string, string[]>;
  plugins: Map<string, string>;
  /** Set when the catalog also holds entries published outside the repository, named by a known rule. */
  published?: PublishedCatalog;
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
  /** Generated from a BOM, or created from a published catalog whose naming is known. */
  published?: PublishedCatalog;
}

const STRING = String.raw`["']([^"'\n]+)["']`;

/**
 * `dependencyResolutionManagement { versionCatalogs { … } }` of a settings script (or of a settings
 * plugin it applies), paths resolved from the settings script's folder. Also the catalogs a settings
 * plugin creates: `generate("x") { … }` of the BOM catalog generator, and `mn` of
 * io.micronaut.platform.catalog.
 */
export function parseSettingsCatalogs(settingsPath: string, text: string): DeclaredCatalog[] {
  const code = stripComments(text);
  const dir = settingsPath.includes("/") ? settingsPath.slice(0, settingsPath.lastIndexOf("/") + 1) : "";
  const out: DeclaredCatalog[] = [];
  const generator = code.includes(CATALOG_GENERATOR_PLUGIN) || code.includes("dev.aga.gradle.versioncatalogs");
  const block = /\bversionCatalogs\s*\{/g;
  for (let m = block.exec(code); m; m = block.exec(code)) {
    const open = m.index + m[0].length - 1;
    const body = code.slice(open + 1, blockEnd(code, open));
    // create("name") { … } (Kotlin and Groovy), generate("name") { … } / generator.generate("name") { … }, or name { … } (Groovy)
    const entry = new RegExp(
      String.raw`(?:\bcreate\s*\(\s*${STRING}\s*\)|(?<![\w.])(?:generator\s*\.\s*)?generate\s*\(\s*${STRING}\s*\)|(?<![\w.])([A-Za-z]\w*))\s*\{`,
      "g",
    );
    for (let e = entry.exec(body); e; e = entry.exec(body)) {
      const name = e[1] ?? e[2] ?? e[3]!;
      const start = e.index + e[0].length - 1;
      const end = blockEnd(body, start);
      const inner = body.slice(start + 1, end);
      entry.lastIndex = end;
      if (e[2] !== undefined) {
        if (generator) out.push({ name, inline: emptyCatalog(), published: { kind: "bom-generator", naming: generatorNaming(inner) } });
        continue;
      }
      const catalog: DeclaredCatalog = { name, inline: emptyCatalog() };
      const from = new RegExp(String.raw`\bfrom\s*\(\s*files\s*\(\s*${STRING}`).exec(inner);
      if (from) catalog.file = joinPath(dir, from[1]!);
      const published = new RegExp(String.raw`\bfrom\s*\(\s*${STRING}`).exec(inner);
      if (published && coordinates(published[1]!) === MICRONAUT_PLATFORM) catalog.published = { kind: "micronaut-platform" };
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
  if (settingsPluginIds(text).includes(MICRONAUT_CATALOG_PLUGIN)) {
    out.push({ name: MICRONAUT_CATALOG_NAME, inline: emptyCatalog(), published: { kind: "micronaut-platform" } });
  }
  return out;
}

/** How a generate { } block names its aliases: the generator's default unless it sets its own functions. */
function generatorNaming(block: string): "default" | "custom-prefix" | "custom" {
  if (/\b(?:aliasSuffixGenerator|libraryAliasGenerator)\b/.test(block)) return "custom";
  return /\baliasPrefixGenerator\b/.test(block) ? "custom-prefix" : "default";
}

/** Plugins a settings script applies (`plugins { id("…") }`; those under pluginManagement are only versions). */
export function settingsPluginIds(text: string): string[] {
  let code = stripComments(text);
  const management = /\bpluginManagement\s*\{/g;
  for (let m = management.exec(code); m; m = management.exec(code)) {
    const open = m.index + m[0].length - 1;
    const end = blockEnd(code, open);
    code = code.slice(0, m.index) + " ".repeat(end + 1 - m.index) + code.slice(end + 1);
  }
  return pluginsBlockIds(code).map((p) => p.id);
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
  /** The alias path as written, split at its separators (a generated catalog's names keep their case). */
  segments: string[];
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
        const kind = section === "plugin" ? "plugin" : kindBefore(line, m.index!);
        out.push({ accessor: m[1]!, section, alias: normaliseAlias(alias), segments: alias.split("."), kind, line: i + 1 });
      }
      for (const m of line.matchAll(find)) {
        const section = m[2] === "Plugin" ? "plugin" : m[2] === "Bundle" ? "bundle" : "library";
        const kind = section === "plugin" ? "plugin" : kindBefore(line, m.index!);
        out.push({ accessor: m[1]!, section, alias: normaliseAlias(m[3]!), segments: m[3]!.split(/[-_.]+/), kind, line: i + 1 });
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

/**
 * A library accessor into a catalog with published entries: the entry of that exact alias when the
 * repository declares one, else what the accessor's name tells (publishedCatalogs.ts).
 */
function resolvePublished(ref: CatalogReference, catalog: Catalog, published: PublishedCatalog): Array<{ name: string; kind: Kind }> {
  const segments = aliasSegments(ref.segments);
  const name = catalog.libraries.get(normaliseAlias(segments.join("."))) ?? publishedLibraryName(published, segments);
  return name ? [{ name, kind: ref.kind }] : [];
}

/** Declarations a build script makes through catalogs. */
export function resolveScriptCatalogs(path: string, text: string, catalogs: ReadonlyMap<string, Catalog>): DeclaredDependency[] {
  const out: DeclaredDependency[] = [];
  for (const ref of catalogReferences(text, [...catalogs.keys()])) {
    const catalog = catalogs.get(ref.accessor);
    if (!catalog) continue;
    const resolved = catalog.published && ref.section === "library" ? resolvePublished(ref, catalog, catalog.published) : resolveReference(ref, catalog);
    for (const { name, kind } of resolved) out.push({ ecosystem: "gradle", name, kind, path, line: ref.line });
  }
  return out;
}

/** What the catalogs of one build are read from; paths are relative to the tree root. */
export interface CatalogFiles {
  has(path: string): boolean;
  /** A file's text once read, else undefined. */
  text(path: string): string | undefined;
  /** A catalog TOML file, parsed once; undefined when absent, unread or malformed. */
  toml(path: string): Catalog | undefined;
  /** The catalogs a settings script declares, parsed once. */
  settings(path: string): DeclaredCatalog[];
  /** Precompiled settings plugins in the tree (`<id>.settings.gradle(.kts)`), which a settings script applies by id. */
  settingsPlugins: readonly string[];
}

/**
 * The catalogs a build rooted at `dir` (with its `settings.gradle(.kts)`) sees, by accessor name:
 * those its settings script and the settings plugins it applies declare, and
 * `gradle/libs.versions.toml` as `libs` unless the settings create `libs` themselves
 * (a generated `libs` adds to it, as the generator plugin does).
 */
export function buildCatalogs(dir: string, files: CatalogFiles): Map<string, Catalog> {
  const settings = [`${dir}settings.gradle.kts`, `${dir}settings.gradle`].find((p) => files.has(p));
  const declared = settings ? [...files.settings(settings), ...settingsPluginCatalogs(settings, settings, files, new Set())] : [];
  const catalogs = new Map<string, Catalog>();
  const into = (name: string): Catalog => {
    let catalog = catalogs.get(name);
    if (!catalog) catalogs.set(name, (catalog = emptyCatalog()));
    return catalog;
  };
  for (const c of declared) {
    const catalog = into(c.name);
    addEntries(catalog, c.file ? files.toml(c.file) : undefined);
    addEntries(catalog, c.inline);
    if (c.published) catalog.published = c.published;
  }
  const defaultFile = `${dir}gradle/libs.versions.toml`;
  const createsLibs = declared.some((c) => c.name === "libs" && c.published?.kind !== "bom-generator");
  if (!createsLibs && files.has(defaultFile)) {
    const toml = files.toml(defaultFile);
    if (toml) addEntries(into("libs"), toml);
  }
  return catalogs;
}

/** Copies entries into a catalog built for one build (parsed catalogs are shared and never changed). */
function addEntries(catalog: Catalog, from: Catalog | undefined): void {
  if (!from) return;
  for (const [k, v] of from.libraries) catalog.libraries.set(k, v);
  for (const [k, v] of from.bundles) catalog.bundles.set(k, v);
  for (const [k, v] of from.plugins) catalog.plugins.set(k, v);
}

/**
 * Catalogs declared by the precompiled settings plugins (`buildSrc/…/acme.settings.settings.gradle.kts`
 * is plugin `acme.settings`) that a settings script applies, and by those they apply in turn; their
 * paths resolve from the applying settings script's folder, as Gradle resolves them.
 */
function settingsPluginCatalogs(script: string, settings: string, files: CatalogFiles, seen: Set<string>): DeclaredCatalog[] {
  if (files.settingsPlugins.length === 0) return [];
  const text = files.text(script);
  if (text === undefined) return [];
  const out: DeclaredCatalog[] = [];
  for (const id of settingsPluginIds(text)) {
    for (const plugin of files.settingsPlugins) {
      if (seen.has(plugin)) continue;
      const pluginText = files.text(plugin);
      if (pluginText === undefined || precompiledPluginId(plugin, pluginText) !== id) continue;
      seen.add(plugin);
      out.push(...parseSettingsCatalogs(settings, pluginText), ...settingsPluginCatalogs(plugin, settings, files, seen));
    }
  }
  return out;
}

export const SETTINGS_PLUGIN = /\.settings\.gradle(?:\.kts)?$/;

/** The id of a precompiled settings plugin: its file name before `.settings.gradle(.kts)`, after a Kotlin script's package. */
function precompiledPluginId(path: string, text: string): string {
  const base = path.slice(path.lastIndexOf("/") + 1).replace(SETTINGS_PLUGIN, "");
  const pkg = path.endsWith(".kts") ? /^\s*package\s+([\w.]+)/m.exec(stripComments(text)) : null;
  return pkg ? `${pkg[1]}.${base}` : base;
}
