import { describe, expect, it } from "vitest";
import { isManifestPath, parseManifest } from "../../../src/engine/manifests/index.js";

describe("isManifestPath", () => {
  it("accepts every supported manifest", () => {
    const yes = [
      "package.json",
      "web/package.json",
      "composer.json",
      "requirements.txt",
      "api/requirements-dev.txt",
      "requirements_test.txt",
      "dev-requirements.txt",
      "requirements/dev.txt",
      "backend/requirements/base.in",
      "requirements-dev.in",
      "pyproject.toml",
      "Pipfile",
      "setup.cfg",
      "setup.py",
      "pom.xml",
      "service/pom.xml",
      "build.gradle",
      "app/build.gradle.kts",
      "buildSrc/src/main/kotlin/java-conventions.gradle.kts",
      "gradle/libs.versions.toml",
      "go.mod",
      "src/Api/Api.csproj",
      "Lib.fsproj",
      "Legacy.vbproj",
      "Directory.Packages.props",
      "Directory.Build.props",
      "packages.config",
      "Gemfile",
      "Cargo.toml",
      "crates/core/Cargo.toml",
    ];
    expect(yes.filter((p) => !isManifestPath(p))).toEqual([]);
  });

  it("rejects look-alikes", () => {
    const no = [
      "package-lock.json",
      "README.txt",
      "notes.txt",
      "Makefile.in",
      "MANIFEST.in",
      "config.toml",
      "Cargo.lock",
      "go.sum",
      "Gemfile.lock",
      "src/main.kts",
      "pom.xml.bak",
      "docs/requirements.md",
      "package.json5",
    ];
    expect(no.filter(isManifestPath)).toEqual([]);
  });
});

describe("parseManifest on malformed input", () => {
  const cases: Array<[string, string]> = [
    ["package.json", '{ "dependencies": { "express": "^4" '],
    ["package.json", '"just a string"'],
    ["composer.json", "{ require: nope }"],
    ["pyproject.toml", '[project]\ndependencies = ["fastapi"\n'],
    ["Pipfile", "[packages\nrequests = '*'"],
    ["Cargo.toml", "[dependencies]\nserde = { version = \"1\""],
    ["gradle/libs.versions.toml", "[libraries]\nx = = 1"],
    ["pom.xml", "<project><dependencies><dependency></dependencies></project>"],
    ["App.csproj", '<Project Sdk="Microsoft.NET.Sdk"><ItemGroup><PackageReference Include="Serilog"></ItemGroup>'],
  ];
  for (const [path, text] of cases) {
    it(`warns for a broken ${path}`, () => {
      const result = parseManifest(path, text);
      expect(result.dependencies).toEqual([]);
      expect(result.warning).toMatch(/invalid|expected/i);
    });
  }

  it("returns nothing for paths it does not parse", () => {
    expect(parseManifest("README.md", "# hi")).toEqual({ dependencies: [] });
  });

  it("tolerates garbage in line-based formats", () => {
    for (const path of ["requirements.txt", "go.mod", "Gemfile", "build.gradle", "setup.py", "setup.cfg"]) {
      expect(() => parseManifest(path, "\u0000{{[[ ]] ))) \"unterminated\n'''")).not.toThrow();
    }
  });

  it("ignores a byte-order mark", () => {
    const result = parseManifest("package.json", '\uFEFF{ "dependencies": { "express": "^4.19.2" } }');
    expect(result.dependencies.map((d) => d.name)).toEqual(["express"]);
  });
});

describe("go.mod indirect requirements", () => {
  it("are left out", async () => {
    const { parseManifest } = await import("../../../src/engine/manifests/index.js");
    const text = "module x\n\ngo 1.22\n\nrequire (\n\tgithub.com/gin-gonic/gin v1.9.1\n\tgithub.com/lib/pq v1.10.9 // indirect\n)\n";
    expect(parseManifest("go.mod", text).dependencies.map((d) => d.name)).toEqual(["github.com/gin-gonic/gin"]);
  });
});
