import type { AuditFacts } from "../facts.js";
import { isManifestPath, parseManifest } from "../manifests/index.js";
import type { DeclaredDependency } from "../manifests/types.js";
import { fail, pass, unknown, unreadOf, type Outcome } from "../outcome.js";
import { compileRegex } from "../regex.js";
import type { DependencyMatcher, Ecosystem } from "../types.js";

/** Every manifest in the tree; memoised on the index. */
export function manifestPaths(facts: AuditFacts): readonly string[] {
  return facts.index.filterOnce("manifests", isManifestPath);
}

/** All declared dependencies, parsed once per audit. Undefined until every manifest is read. */
export function declaredDependencies(facts: AuditFacts): DeclaredDependency[] | undefined {
  if (facts.dependencies) return facts.dependencies;
  const paths = manifestPaths(facts);
  if (unreadOf(paths, (p) => facts.has(p))) return undefined;
  const deps: DeclaredDependency[] = [];
  for (const path of paths) {
    const text = facts.text(path);
    if (typeof text !== "string") continue;
    const { dependencies, warning } = parseManifest(path, text);
    if (warning) facts.warnings.push(`${path}: ${warning}`);
    deps.push(...dependencies);
  }
  facts.dependencies = deps;
  return deps;
}

const ECOSYSTEM_NORMALISERS: Partial<Record<Ecosystem, (n: string) => string>> = {
  pypi: (n) => n.toLowerCase().replace(/[-_.]+/g, "-"),
  go: (n) => n.toLowerCase().replace(/\/v\d+$/, ""),
};

function normalise(ecosystem: Ecosystem, name: string): string {
  return (ECOSYSTEM_NORMALISERS[ecosystem] ?? ((n: string) => n.toLowerCase()))(name);
}

/** A leaf's names, normalised once per ecosystem (rules run over thousands of declarations). */
const wantedCache = new WeakMap<object, Map<Ecosystem, Set<string>>>();

function nameMatches(dep: DeclaredDependency, m: DependencyMatcher["dependency"]): boolean {
  if (!m.names) return false;
  let perEcosystem = wantedCache.get(m);
  if (!perEcosystem) wantedCache.set(m, (perEcosystem = new Map()));
  let wanted = perEcosystem.get(dep.ecosystem);
  if (!wanted) perEcosystem.set(dep.ecosystem, (wanted = new Set(m.names.map((n) => normalise(dep.ecosystem, n)))));
  const have = normalise(dep.ecosystem, dep.name);
  if (wanted.has(have)) return true;
  // Maven/Gradle: a wanted name without a group matches the artifact alone.
  return (dep.ecosystem === "maven" || dep.ecosystem === "gradle") && wanted.has(have.slice(have.indexOf(":") + 1));
}

/** Declared dependencies matching the spec; undefined until every manifest is read. */
export function matchingDependencies(m: DependencyMatcher["dependency"], facts: AuditFacts): DeclaredDependency[] | undefined {
  const deps = declaredDependencies(facts);
  if (!deps) return undefined;
  const pattern = m.pattern ? compileRegex(m.pattern, "i") : undefined;
  return deps.filter(
    (d) =>
      (!m.ecosystems || m.ecosystems.includes(d.ecosystem)) &&
      (!m.kinds || m.kinds.includes(d.kind)) &&
      (nameMatches(d, m) || (pattern?.test(d.name) ?? false)),
  );
}

export function evaluateDependency(m: DependencyMatcher["dependency"], facts: AuditFacts): Outcome {
  const hits = matchingDependencies(m, facts);
  if (!hits) return unknown(unreadOf(manifestPaths(facts), (p) => facts.has(p))!);
  if (hits.length === 0) return fail();
  return pass(hits.map((d) => ({ path: d.path, line: d.line, snippet: d.name })));
}
