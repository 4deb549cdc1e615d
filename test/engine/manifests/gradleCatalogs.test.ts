import { describe, expect, it } from "vitest";
import { audit } from "../../../src/engine/audit.js";
import { catalogReferences, parseSettingsCatalogs } from "../../../src/engine/manifests/gradleCatalogs.js";
import { InMemorySource } from "../../../src/sources/memory.js";
import { rule, ruleSet } from "../../helpers/rules.js";

const catalog = `[versions]
boot = "3.3.0"

[libraries]
spring-boot-starter-web = { module = "org.springframework.boot:spring-boot-starter-web", version.ref = "boot" }
spring_boot_starter_test = { group = "org.springframework.boot", name = "spring-boot-starter-test" }
testcontainers-postgresql = "org.testcontainers:postgresql:1.19.8"
testcontainers-junit = "org.testcontainers:junit-jupiter:1.19.8"

[bundles]
testcontainers = ["testcontainers-postgresql", "testcontainers_junit"]

[plugins]
spring-boot = { id = "org.springframework.boot", version.ref = "boot" }
`;

/** Every dependency the engine declares, through a rule that matches any name. */
async function declaredIn(files: Record<string, string>) {
  const result = await audit(new InMemorySource(files), { ruleSet: ruleSet(rule("x/any", { dependency: { pattern: "." } })) });
  return { result, rounds: result.rounds };
}

async function names(files: Record<string, string>, pattern: string, kinds?: Array<"runtime" | "dev" | "plugin">) {
  const r = await audit(new InMemorySource(files), { ruleSet: ruleSet(rule("x/dep", { dependency: { pattern, ...(kinds ? { kinds } : {}) } })) });
  return r.results[0]!;
}

describe("Gradle version catalogs", () => {
  it("finds references with their configuration kind, ignoring comments", () => {
    const refs = catalogReferences(
      `plugins { alias(libs.plugins.spring.boot) }\ndependencies {\n  implementation(libs.spring.boot.starter.web)\n  testImplementation libs.bundles.testcontainers\n  // implementation(libs.commented)\n  api(platform(libs.boms.spring))\n}\n`,
      ["libs"],
    );
    expect(refs.map((r) => [r.section, r.alias, r.kind, r.line])).toEqual([
      ["plugin", "spring.boot", "plugin", 1],
      ["library", "spring.boot.starter.web", "runtime", 3],
      ["bundle", "testcontainers", "dev", 4],
      ["library", "boms.spring", "runtime", 6],
    ]);
  });

  it("resolves libs.* in a module's build script to coordinates at the script's line, bundles and kinds included", async () => {
    const files = {
      "settings.gradle.kts": 'include("api")',
      "gradle/libs.versions.toml": catalog,
      "api/build.gradle.kts": "dependencies {\n  implementation(libs.spring.boot.starter.web)\n  testImplementation(libs.bundles.testcontainers)\n}\n",
    };
    const web = await names(files, "^org\\.springframework\\.boot:spring-boot-starter-web$");
    expect(web.evidence).toContainEqual({ path: "api/build.gradle.kts", line: 2, snippet: "org.springframework.boot:spring-boot-starter-web" });
    const tc = await names(files, "^org\\.testcontainers:", ["dev"]);
    expect(tc.evidence.map((e) => [e.path, e.snippet])).toEqual([
      ["api/build.gradle.kts", "org.testcontainers:postgresql"],
      ["api/build.gradle.kts", "org.testcontainers:junit-jupiter"],
    ]);
  });

  it("reads a catalog that settings.gradle declares from another file, in a later round", async () => {
    const files = {
      "settings.gradle": "dependencyResolutionManagement {\n  versionCatalogs {\n    deps { from(files('gradle/deps.toml')) }\n    create('tools') { library('archunit', 'com.tngtech.archunit', 'archunit-junit5') }\n  }\n}\n",
      "gradle/deps.toml": catalog,
      "build.gradle": "dependencies {\n  implementation deps.spring.boot.starter.web\n  testImplementation tools.archunit\n}\n",
    };
    const { result } = await declaredIn(files);
    expect(result.results[0]!.status).toBe("pass");
    expect((await names(files, "spring-boot-starter-web$")).evidence[0]).toMatchObject({ path: "build.gradle", line: 2 });
    expect((await names(files, "archunit-junit5$", ["dev"])).status).toBe("pass");
  });

  it("parses settings catalogs with paths relative to the settings folder", () => {
    expect(parseSettingsCatalogs("build-logic/settings.gradle.kts", 'dependencyResolutionManagement { versionCatalogs { create("libs") { from(files("../gradle/libs.versions.toml")) } } }')).toEqual([
      { name: "libs", file: "gradle/libs.versions.toml", inline: { libraries: new Map(), bundles: new Map(), plugins: new Map() } },
    ]);
  });

  it("an unknown alias or an unreferenced catalog declares nothing at the script", async () => {
    const files = { "gradle/libs.versions.toml": catalog, "build.gradle.kts": "dependencies { implementation(libs.nothing.here) }" };
    const r = await names(files, "spring-boot-starter-web$");
    expect(r.evidence.every((e) => e.path === "gradle/libs.versions.toml")).toBe(true);
  });
});

describe("Gradle version catalogs in a sub-project without its own settings", () => {
  it("uses the nearest gradle/libs.versions.toml above the script", async () => {
    const files = { "backend/gradle/libs.versions.toml": catalog, "backend/build.gradle.kts": "dependencies {\n  implementation(libs.spring.boot.starter.web)\n}\n", "frontend/package.json": "{}" };
    const r = await names(files, "spring-boot-starter-web$");
    expect(r.evidence).toContainEqual({ path: "backend/build.gradle.kts", line: 2, snippet: "org.springframework.boot:spring-boot-starter-web" });
  });
});
