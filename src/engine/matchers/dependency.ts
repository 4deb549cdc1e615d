import type { AuditFacts } from "../facts.js";
import { buildCatalogs, parseCatalogToml, parseSettingsCatalogs, resolveScriptCatalogs, SETTINGS_PLUGIN, type Catalog, type CatalogFiles } from "../manifests/gradleCatalogs.js";
import { isManifestPath, MANIFEST_POOL, parseManifest } from "../manifests/index.js";
import type { DeclaredDependency } from "../manifests/types.js";
import { fail, pass, unknown, type Outcome } from "../outcome.js";
import { compileRegex } from "../regex.js";
import type { DependencyMatcher, Ecosystem } from "../types.js";

/** Every manifest in the tree; memoised on the index. */
export function manifestPaths(facts: AuditFacts): readonly string[] {
  return facts.index.filterOnce("manifests", isManifestPath, MANIFEST_POOL);
}

const SETTINGS = /(?:^|\/)settings\.gradle(?:\.kts)?$/;
const GRADLE_SCRIPT = /\.gradle(?:\.kts)?$/;


/** Catalog files that settings scripts declare with `from(files(…))` (read once the settings are). */
function declaredCatalogFiles(facts: AuditFacts): string[] {
  const paths = facts.index;
  const out: string[] = [];
  for (const settings of manifestPaths(facts).filter((p) => SETTINGS.test(p))) {
    const text = facts.text(settings);
    if (typeof text !== "string") continue;
    for (const c of facts.parsed("gradle-settings", settings, (t) => parseSettingsCatalogs(settings, t)) ?? []) {
      if (c.file && paths.has(c.file)) out.push(c.file);
    }
  }
  return out;
}

/** Files that must be read before the declared dependencies are known: the manifests, then the catalogs settings name. */
export function unreadDependencySources(facts: AuditFacts): string[] {
  const manifests = manifestPaths(facts).filter((p) => !facts.has(p));
  if (manifests.length > 0) return manifests;
  return declaredCatalogFiles(facts).filter((p) => !facts.has(p));
}

/** All declared dependencies, parsed once per audit. Undefined until every manifest (and declared catalog) is read. */
export function declaredDependencies(facts: AuditFacts): DeclaredDependency[] | undefined {
  if (facts.dependencies) return facts.dependencies;
  const paths = manifestPaths(facts);
  if (unreadDependencySources(facts).length > 0) return undefined;
  const deps: DeclaredDependency[] = [];
  for (const path of paths) {
    const text = facts.text(path);
    if (typeof text !== "string") continue;
    const { dependencies, warning } = parseManifest(path, text);
    if (warning) facts.warnings.push(`${path}: ${warning}`);
    deps.push(...dependencies);
  }
  deps.push(...catalogDependencies(facts, paths));
  facts.dependencies = deps;
  return deps;
}

/**
 * `libs.x.y` in build scripts, resolved against the catalogs of the build they belong to
 * (the nearest settings script above them; `gradle/libs.versions.toml` is `libs` by default).
 */
function catalogDependencies(facts: AuditFacts, manifests: readonly string[]): DeclaredDependency[] {
  const scripts = manifests.filter((p) => GRADLE_SCRIPT.test(p) && !SETTINGS.test(p));
  if (scripts.length === 0) return [];
  const files = facts.index;
  const tomlCache = new Map<string, Catalog | undefined>();
  const toml = (path: string): Catalog | undefined => {
    if (tomlCache.has(path)) return tomlCache.get(path);
    const text = facts.text(path);
    let catalog: Catalog | undefined;
    if (typeof text === "string") {
      try {
        catalog = parseCatalogToml(text);
      } catch {
        catalog = undefined; // parseManifest already warned for *.versions.toml; others stay silent.
      }
    }
    tomlCache.set(path, catalog);
    return catalog;
  };
  const settingsPlugins = manifests.filter((p) => SETTINGS_PLUGIN.test(p));
  const catalogFiles: CatalogFiles = {
    has: (p) => files.has(p),
    text: (p) => {
      const text = facts.text(p);
      return typeof text === "string" ? text : undefined;
    },
    toml,
    settings: (p) => facts.parsed("gradle-settings", p, (t) => parseSettingsCatalogs(p, t)) ?? [],
    settingsPlugins,
  };
  const buildRoots = new Map<string, Map<string, Catalog>>();
  // Build roots: the tree root, every settings script's folder, and the folder holding a gradle/libs.versions.toml.
  const settingsDirs = [
    "",
    ...manifests.filter((p) => SETTINGS.test(p)).map((p) => p.slice(0, p.lastIndexOf("/") + 1)),
    ...manifests.filter((p) => p === "gradle/libs.versions.toml" || p.endsWith("/gradle/libs.versions.toml")).map((p) => p.slice(0, p.length - "gradle/libs.versions.toml".length)),
  ];
  for (const dir of new Set(settingsDirs)) buildRoots.set(dir, buildCatalogs(dir, catalogFiles));
  const roots = [...buildRoots.keys()].sort((a, b) => b.length - a.length);
  const out: DeclaredDependency[] = [];
  for (const script of scripts) {
    const text = facts.text(script);
    if (typeof text !== "string") continue;
    const root = roots.find((d) => script.startsWith(d))!;
    const catalogs = buildRoots.get(root)!;
    if (catalogs.size > 0) out.push(...resolveScriptCatalogs(script, text, catalogs));
  }
  return out;
}

const ECOSYSTEM_NORMALISERS: Partial<Record<Ecosystem, (n: string) => string>> = {
  pypi: (n) => n.toLowerCase().replace(/[-_.]+/g, "-"),
  go: (n) => n.toLowerCase().replace(/\/v\d+$/, ""),
};

function normalise(ecosystem: Ecosystem, name: string): string {
  return (ECOSYSTEM_NORMALISERS[ecosystem] ?? ((n: string) => n.toLowerCase()))(name);
}

/** A leaf's names, normalised once per ecosystem (rules run over thousands of declarations). */
const wantedCache = new WeakMap<object, Map<Ecosystem, string[]>>();

function wantedNames(m: DependencyMatcher["dependency"], ecosystem: Ecosystem): string[] {
  let perEcosystem = wantedCache.get(m);
  if (!perEcosystem) wantedCache.set(m, (perEcosystem = new Map()));
  let wanted = perEcosystem.get(ecosystem);
  if (!wanted) perEcosystem.set(ecosystem, (wanted = [...new Set((m.names ?? []).map((n) => normalise(ecosystem, n)))]));
  return wanted;
}

/**
 * The declared dependencies indexed once per audit: positions by ecosystem, and by
 * ecosystem and normalised name (Maven, Gradle and sbt also by the artifact alone:
 * a wanted name without a group matches it). Hundreds of dependency leaves then
 * look names up instead of each normalising every declaration again.
 */
interface DependencyIndex {
  byEcosystem: Map<Ecosystem, number[]>;
  byName: Map<string, number[]>;
  /** Each leaf's hits, memoised (the declarations never change once known). */
  hits: WeakMap<object, DeclaredDependency[]>;
}

const indexes = new WeakMap<readonly DeclaredDependency[], DependencyIndex>();

function dependencyIndex(deps: readonly DeclaredDependency[]): DependencyIndex {
  let index = indexes.get(deps);
  if (index) return index;
  index = { byEcosystem: new Map(), byName: new Map(), hits: new WeakMap() };
  for (let i = 0; i < deps.length; i++) {
    const d = deps[i]!;
    pushTo(index.byEcosystem, d.ecosystem, i);
    const have = normalise(d.ecosystem, d.name);
    pushTo(index.byName, `${d.ecosystem}\0${have}`, i);
    if (d.ecosystem === "maven" || d.ecosystem === "gradle" || d.ecosystem === "sbt") {
      const artifact = have.slice(have.indexOf(":") + 1);
      if (artifact !== have) pushTo(index.byName, `${d.ecosystem}\0${artifact}`, i);
    }
  }
  indexes.set(deps, index);
  return index;
}

function pushTo<K>(map: Map<K, number[]>, key: K, i: number): void {
  const list = map.get(key);
  if (list) list.push(i);
  else map.set(key, [i]);
}

/** Declared dependencies matching the spec, in declaration order; undefined until every manifest is read. */
export function matchingDependencies(m: DependencyMatcher["dependency"], facts: AuditFacts): DeclaredDependency[] | undefined {
  const deps = declaredDependencies(facts);
  if (!deps) return undefined;
  const index = dependencyIndex(deps);
  const cached = index.hits.get(m);
  if (cached) return cached;
  const pattern = m.pattern ? compileRegex(m.pattern, "i") : undefined;
  const found = new Set<number>();
  for (const [ecosystem, positions] of index.byEcosystem) {
    if (m.ecosystems && !m.ecosystems.includes(ecosystem)) continue;
    if (m.names) {
      for (const name of wantedNames(m, ecosystem)) for (const i of index.byName.get(`${ecosystem}\0${name}`) ?? []) found.add(i);
    }
    if (pattern) for (const i of positions) if (!found.has(i) && pattern.test(deps[i]!.name)) found.add(i);
  }
  const hits = [...found].sort((a, b) => a - b).map((i) => deps[i]!).filter((d) => !m.kinds || m.kinds.includes(d.kind));
  index.hits.set(m, hits);
  return hits;
}

export function evaluateDependency(m: DependencyMatcher["dependency"], facts: AuditFacts): Outcome {
  const hits = matchingDependencies(m, facts);
  if (!hits) return unknown(unreadDependencySources(facts));
  if (hits.length === 0) return fail();
  return pass(hits.map((d) => ({ path: d.path, line: d.line, snippet: d.name })));
}
