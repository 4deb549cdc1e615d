import { describe, it, expect } from "vitest";
import { detectLanguages, languageOf, mainLanguage, type LanguageShare } from "../../src/stack/index.js";

describe("detectLanguages", () => {
  it("counts files per language, largest first, with rounded shares", () => {
    const langs = detectLanguages([
      "src/main/java/App.java",
      "src/main/java/Service.java",
      "src/test/java/AppTest.java",
      "scripts/deploy.sh",
      "tools/gen.py",
      "tools/util.py",
    ]);
    expect(langs).toEqual([
      { name: "Java", files: 3, share: 0.5 },
      { name: "Python", files: 2, share: 0.333 },
      { name: "Shell", files: 1, share: 0.167 },
    ]);
  });

  it("breaks ties by name so the order is stable", () => {
    expect(detectLanguages(["b.rb", "a.go"]).map((l) => l.name)).toEqual(["Go", "Ruby"]);
  });

  it("ignores data, markup, prose and build files", () => {
    const langs = detectLanguages([
      "README.md",
      "package.json",
      "config.yml",
      "db/schema.sql",
      "public/index.html",
      "styles/site.css",
      "pom.xml",
      "Dockerfile",
      "docker/api.dockerfile",
      "Makefile",
      "build.mk",
      "LICENSE",
      "index.js",
    ]);
    expect(langs).toEqual([{ name: "JavaScript", files: 1, share: 1 }]);
  });

  it("returns an empty list when nothing is code", () => {
    expect(detectLanguages([])).toEqual([]);
    expect(detectLanguages(["README.md", "docs/guide.txt"])).toEqual([]);
  });

  it("counts exactly what it is given: filtering vendored files is the caller's job", () => {
    const langs = detectLanguages(["app.py", "node_modules/x/index.js", "vendor/y/z.js"]);
    expect(langs.map((l) => [l.name, l.files])).toEqual([
      ["JavaScript", 2],
      ["Python", 1],
    ]);
  });

  it("resolves ambiguous extensions with the preference table", () => {
    expect(languageOf("include/util.h")).toBe("C");
    expect(languageOf("Classes/View.m")).toBe("Objective-C");
    expect(languageOf("script/run.pl")).toBe("Perl");
    expect(languageOf("src/main.rs")).toBe("Rust");
    expect(languageOf("Api/Program.cs")).toBe("C#");
    expect(languageOf("public/index.php")).toBe("PHP");
    expect(languageOf("lib/app.ex")).toBe("Elixir");
    expect(languageOf("src/Lib.fs")).toBe("F#");
  });

  it("maps common backend extensions", () => {
    expect(languageOf("src/index.ts")).toBe("TypeScript");
    expect(languageOf("src/App.kt")).toBe("Kotlin");
    expect(languageOf("build.gradle.kts")).toBe("Kotlin");
    expect(languageOf("main.go")).toBe("Go");
    expect(languageOf("app/models/user.rb")).toBe("Ruby");
    expect(languageOf("src/App.java")).toBe("Java");
    expect(languageOf("web/app.mjs")).toBe("JavaScript");
    expect(languageOf("src/components/App.vue")).toBe("Vue");
  });

  it("reports grouped variants under their parent language", () => {
    expect(languageOf("web/App.tsx")).toBe("TypeScript");
    expect(languageOf("web/App.jsx")).toBe("JavaScript");
    expect(detectLanguages(["a.ts", "b.tsx"])).toEqual([{ name: "TypeScript", files: 2, share: 1 }]);
  });

  it("recognises well-known file names and compound extensions", () => {
    expect(languageOf("Gemfile")).toBe("Ruby");
    expect(languageOf("ci/Jenkinsfile")).toBe("Groovy");
    expect(languageOf("gradlew")).toBe("Shell");
    expect(languageOf("gradlew.bat")).toBe("Batchfile");
    expect(languageOf("CMakeLists.txt")).toBe("CMake");
    expect(languageOf("config.h.in")).toBe("C");
    expect(languageOf("types.d.ts")).toBe("TypeScript");
  });

  it("is case-insensitive for extensions and does not treat a leading dot as one", () => {
    expect(languageOf("LEGACY/MAIN.JAVA")).toBe("Java");
    expect(languageOf(".bashrc")).toBe("Shell");
    expect(languageOf(".gitignore")).toBeUndefined();
    expect(languageOf(".eslintrc.cjs")).toBe("JavaScript");
  });

  it("handles 100,000 paths", () => {
    const exts = [".java", ".ts", ".py", ".sh", ".md", ".json"];
    const paths = Array.from({ length: 100_000 }, (_, i) => `pkg${i % 97}/dir${i % 13}/file${i}${exts[i % exts.length]}`);
    const langs = detectLanguages(paths);
    const byName = Object.fromEntries(langs.map((l) => [l.name, l.files]));
    // 100,000 = 6 × 16,666 + 4: indices 0..3 of the cycle get one extra file.
    expect(byName).toEqual({ Java: 16_667, TypeScript: 16_667, Python: 16_667, Shell: 16_667 });
    expect(langs.every((l) => l.share === 0.25)).toBe(true);
  });
});

describe("mainLanguage", () => {
  const share = (name: string, files: number): LanguageShare => ({ name, files, share: 0 });

  it("skips glue and markup-ish languages", () => {
    expect(mainLanguage([share("Shell", 40), share("Java", 12), share("Python", 3)])).toBe("Java");
    expect(mainLanguage([share("HTML", 50), share("Batchfile", 9), share("Go", 2)])).toBe("Go");
  });

  it("picks the largest application language even if the input is unsorted", () => {
    expect(mainLanguage([share("Python", 3), share("TypeScript", 10)])).toBe("TypeScript");
  });

  it("returns undefined when there is no application language", () => {
    expect(mainLanguage([share("Shell", 4), share("HCL", 7)])).toBeUndefined();
    expect(mainLanguage([])).toBeUndefined();
  });

  it("works on detectLanguages output", () => {
    const paths = ["a.sh", "b.sh", "c.sh", "d.bash", "App.kt", "Main.kt"];
    expect(mainLanguage(detectLanguages(paths))).toBe("Kotlin");
  });
});
