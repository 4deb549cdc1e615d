/**
 * Manifest parsing, the way the audit does it: `parseManifest` per file, and
 * a Gradle build whose scripts name a version catalog resolved through
 * `declaredDependencies` (settings, catalog, module scripts).
 */
import { bench, describe } from "vitest";
import type { FileContent } from "../src/sources/source.js";
import { AuditFacts } from "../src/engine/facts.js";
import { FileIndex } from "../src/engine/fileIndex.js";
import { parseManifest } from "../src/engine/manifests/index.js";
import { declaredDependencies } from "../src/engine/matchers/dependency.js";
import { gradleModuleScript, packageJson, pomXml, pyproject, settingsGradle, versionCatalog } from "./contents.js";

const manifests = [
  { path: "package.json", text: packageJson(120), label: "package.json, 240 dependencies" },
  { path: "pom.xml", text: pomXml(120), label: "pom.xml, 121 dependencies" },
  { path: "pyproject.toml", text: pyproject(120), label: "pyproject.toml, PEP 621 + Poetry groups, ~160 dependencies" },
];
for (const m of manifests) {
  if (parseManifest(m.path, m.text).dependencies.length === 0) throw new Error(`bench input ${m.path} parses to nothing`);
}

const MODULES = 40;
const LIBS = 200;
const gradleTree: FileContent[] = [
  { path: "settings.gradle.kts", text: settingsGradle(MODULES) },
  { path: "gradle/libs.versions.toml", text: versionCatalog(LIBS) },
  { path: "build.gradle.kts", text: gradleModuleScript(0, LIBS) },
  ...Array.from({ length: MODULES }, (_, i) => ({ path: `module-${i}/build.gradle.kts`, text: gradleModuleScript(i, LIBS) })),
];
const gradleIndex = new FileIndex(gradleTree.map((f) => ({ path: f.path })));
const gradleDeps = () => {
  const facts = new AuditFacts(gradleIndex, "Kotlin");
  facts.store(gradleTree);
  return declaredDependencies(facts) ?? [];
};
const resolved = gradleDeps().length;

describe("manifest parsing", () => {
  for (const m of manifests) {
    bench(`parseManifest: ${m.label}`, () => {
      parseManifest(m.path, m.text);
    }, { time: 600 });
  }
  bench(`declaredDependencies: Gradle build, ${MODULES + 1} scripts + ${LIBS}-library catalog (${resolved} dependencies)`, () => {
    gradleDeps();
  }, { time: 1000 });
});
