import { describe, expect, it } from "vitest";
import { audit } from "../../../src/engine/audit.js";
import { catalogReferences, parseSettingsCatalogs, settingsPluginIds } from "../../../src/engine/manifests/gradleCatalogs.js";
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

const bomToml = `[versions]
springBoot = "3.3.0"

[libraries]
springBootDependencies = { group = "org.springframework.boot", name = "spring-boot-dependencies", version.ref = "springBoot" }
mapstruct-core = "org.mapstruct:mapstruct:1.6.3"

[plugins]
spring-boot = { id = "org.springframework.boot", version.ref = "springBoot" }
`;

const generatorSettings = `import dev.aga.gradle.versioncatalogs.Generator.generate

plugins {
    id("dev.aga.gradle.version-catalog-generator") version("4.2.2")
}

dependencyResolutionManagement {
    versionCatalogs {
        generate("libs") {
            fromToml("springBootDependencies")
        }
    }
}
include("service")
`;

/** Every gradle declaration of a build script, as "line kind name". */
async function declaredAt(files: Record<string, string>, path: string) {
  const r = await names(files, ".");
  return r.evidence.filter((e) => e.path === path).map((e) => `${e.line} ${e.snippet}`);
}

describe("catalogs published outside the repository", () => {
  it("parses generate { } of the BOM catalog generator, with its naming, only when the plugin is there", () => {
    expect(parseSettingsCatalogs("settings.gradle.kts", generatorSettings)).toEqual([
      { name: "libs", inline: { libraries: new Map(), bundles: new Map(), plugins: new Map() }, published: { kind: "bom-generator", naming: "default" } },
    ]);
    const groovy = "plugins { id 'dev.aga.gradle.version-catalog-generator' version '4.2.2' }\ndependencyResolutionManagement {\n  versionCatalogs {\n    generator.generate('awsLibs') {\n      it.using { it.aliasPrefixGenerator = NO_PREFIX }\n    }\n  }\n}\n";
    expect(parseSettingsCatalogs("settings.gradle", groovy).map((c) => [c.name, c.published])).toEqual([["awsLibs", { kind: "bom-generator", naming: "custom-prefix" }]]);
    expect(parseSettingsCatalogs("settings.gradle.kts", generatorSettings.replace(/^plugins[^}]*}/m, "").replace(/^import.*$/m, ""))).toEqual([]);
  });

  it("knows Micronaut's platform catalog by its coordinates or by the settings plugin, not by pluginManagement", () => {
    const created = 'val micronautVersion: String by settings\ndependencyResolutionManagement { versionCatalogs { create("mn") { from("io.micronaut.platform:micronaut-platform:$micronautVersion") } } }';
    expect(parseSettingsCatalogs("settings.gradle.kts", created).map((c) => [c.name, c.published])).toEqual([["mn", { kind: "micronaut-platform" }]]);
    const other = 'dependencyResolutionManagement { versionCatalogs { create("acme") { from("com.acme:catalog:1.0") } } }';
    expect(parseSettingsCatalogs("settings.gradle.kts", other).map((c) => [c.name, c.published])).toEqual([["acme", undefined]]);
    const plugin = 'pluginManagement { plugins { id("io.micronaut.platform.catalog") version "4.5.0" } }\nplugins { id("io.micronaut.platform.catalog") }';
    expect(settingsPluginIds(plugin)).toEqual(["io.micronaut.platform.catalog"]);
    expect(parseSettingsCatalogs("settings.gradle.kts", plugin).map((c) => c.name)).toEqual(["mn"]);
    expect(parseSettingsCatalogs("settings.gradle.kts", 'pluginManagement { plugins { id("io.micronaut.platform.catalog") version "4.5.0" } }')).toEqual([]);
  });

  it("names a generated catalog's accessors after the BOM's artifacts; the repository's catalog still resolves", async () => {
    const files = {
      "settings.gradle.kts": generatorSettings,
      "gradle/libs.versions.toml": bomToml,
      "service/build.gradle.kts": [
        "plugins { alias(libs.plugins.spring.boot) }",
        "dependencies {",
        "    implementation(libs.spring.springBootStarterWeb)",
        "    implementation(libs.mapstruct.core)",
        "    compileOnly(libs.projectlombok.lombok)",
        "    testImplementation(libs.spring.springBootStarterTest)",
        "}",
      ].join("\n"),
    };
    const at = async (pattern: string) => (await names(files, pattern)).evidence.filter((e) => e.path === "service/build.gradle.kts").map((e) => `${e.line} ${e.snippet}`);
    expect(await at("^org\\.springframework\\.boot:")).toEqual(["3 org.springframework.boot:spring-boot-starter-web", "6 org.springframework.boot:spring-boot-starter-test"]);
    expect(await at("^org\\.mapstruct:")).toEqual(["4 org.mapstruct:mapstruct"]);
    expect(await at("^lombok$")).toEqual(["5 lombok"]);
    expect((await names(files, "^org\\.springframework\\.boot:spring-boot-starter-test$", ["dev"])).status).toBe("pass");
  });

  it("names mn.micronaut.* after Micronaut's artifacts, whether the settings or a settings plugin they apply create mn", async () => {
    const script = "dependencies {\n    implementation(mn.micronaut.http.client)\n    compileOnly(mn.lombok)\n    testImplementation(mn.micronaut.test.junit5)\n}\n";
    const expected = ["2 io.micronaut:micronaut-http-client", "4 io.micronaut.test:micronaut-test-junit5"];
    const created = { "settings.gradle.kts": 'dependencyResolutionManagement { versionCatalogs { create("mn") { from("io.micronaut.platform:micronaut-platform:4.6.0") } } }', "build.gradle.kts": script };
    expect(await declaredAt(created, "build.gradle.kts")).toEqual(expected);
    const viaPlugin = {
      "settings.gradle.kts": 'pluginManagement { includeBuild("gradle/plugins") }\nplugins { id("acme.settings") }\ninclude("app")',
      "gradle/plugins/settings.gradle.kts": 'rootProject.name = "plugins"',
      "gradle/plugins/src/main/kotlin/acme.settings.settings.gradle.kts": 'plugins {\n    id("io.micronaut.platform.catalog")\n}\n',
      "app/build.gradle.kts": script,
    };
    expect(await declaredAt(viaPlugin, "app/build.gradle.kts")).toEqual(expected);
  });

  it("an accessor missing from an ordinary or unknown published catalog declares nothing", async () => {
    const files = {
      "settings.gradle.kts": 'dependencyResolutionManagement { versionCatalogs { create("acme") { from("com.acme:catalog:1.0") } } }',
      "gradle/libs.versions.toml": bomToml,
      "build.gradle.kts": "dependencies {\n    implementation(libs.spring.springBootStarterWeb)\n    implementation(acme.micronaut.http.client)\n    implementation(mn.micronaut.http.client)\n}\n",
    };
    expect(await declaredAt(files, "build.gradle.kts")).toEqual([]);
  });
});
