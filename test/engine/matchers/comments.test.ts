import { describe, expect, it } from "vitest";
import { commentSyntaxOf, withoutComments } from "../../../src/engine/matchers/comments.js";

/** Keeps the line structure: same length, newlines in place. */
function blank(path: string, text: string): string {
  const out = withoutComments(path, text);
  expect(out.length).toBe(text.length);
  expect(out.split("\n").length).toBe(text.split("\n").length);
  return out;
}

describe("withoutComments", () => {
  it("blanks JS/TS line and block comments but not strings or template literals", () => {
    const src = [
      'const url = "http://example.com"; // trailing',
      "// coverage: { provider: 'v8' },",
      "/* thresholds: {",
      "   lines: 80 } */ const x = `a // b",
      "still // template`;",
    ].join("\n");
    const out = blank("vitest.config.ts", src);
    expect(out).toContain('"http://example.com"');
    expect(out).not.toContain("trailing");
    expect(out).not.toContain("coverage");
    expect(out).not.toContain("thresholds");
    expect(out).toContain("const x = `a // b");
    expect(out).toContain("still // template`");
  });

  it("blanks YAML and shell comments after whitespace only", () => {
    const src = 'script:\n  # - npm test\n  - echo "#not a comment" # but this is\n  - echo $# a#b\n';
    const out = blank(".gitlab-ci.yml", src);
    expect(out).not.toContain("npm test");
    expect(out).toContain('"#not a comment"');
    expect(out).not.toContain("but this is");
    expect(out).toContain("$# a#b");
  });

  it("knows Python strings, triple-quoted strings and # comments", () => {
    const out = blank("app/models.py", 'x = "#1"  # index=True\ns = """\n# not a comment\n"""\n');
    expect(out).toContain('"#1"');
    expect(out).not.toContain("index=True");
    expect(out).toContain("# not a comment");
  });

  it("blanks XML and Markdown comments, keeps Markdown headings and unterminated <!--", () => {
    expect(blank("pom.xml", "<a/>\n<!-- <plugin>jacoco</plugin>\n-->\n<b/>")).not.toContain("jacoco");
    const md = blank("README.md", "# Title\n<!-- hidden -->\n## Usage\n<!-- open");
    expect(md).toContain("# Title");
    expect(md).toContain("## Usage");
    expect(md).not.toContain("hidden");
    expect(md).toContain("<!-- open");
  });

  it("SQL -- and /* */, with quotes", () => {
    const out = blank("db/init.sql", "-- create index a on b(c);\nselect '--x' /* create index */ from t;");
    expect(out).not.toContain("create index a");
    expect(out).toContain("'--x'");
    expect(out).not.toContain("/* create index */");
  });

  it("comments only at line start in Dockerfiles, .properties and INI files", () => {
    expect(blank("Dockerfile", "# syntax=x\nRUN echo a # b\n")).toContain("RUN echo a # b");
    expect(blank("src/main/resources/application.properties", "#management.endpoints=health\nurl=http://a#b")).not.toContain("management");
    expect(blank("setup.cfg", "[coverage:run]\n; branch = True\nomit = a#b")).toContain("omit = a#b");
  });

  it("PHP # comments but not #[attributes]", () => {
    const out = blank("src/Entity/User.php", "#[ORM\\Index(columns: ['email'])]\n# ORM\\Index old\n");
    expect(out).toContain("#[ORM\\Index");
    expect(out).not.toContain("old");
  });

  it("leaves unknown formats and comment-free text untouched", () => {
    expect(commentSyntaxOf("notes.txt")).toBeUndefined();
    const text = "const a = 1;\n";
    expect(withoutComments("a.ts", text)).toBe(text);
  });

  it("HCL, TOML and Gradle", () => {
    expect(blank("main.tf", "# global_secondary_index {\n// x\n/* y */ a = 1").trim()).toBe("a = 1");
    expect(blank("pyproject.toml", '[tool.x]\n# [tool.coverage.report]\na = "#"')).not.toContain("tool.coverage");
    expect(blank("build.gradle.kts", 'plugins {\n  // jacoco\n  java\n}')).not.toContain("jacoco");
  });

  it("Elixir # comments, keeping \"#{}\" interpolation; sbt // comments", () => {
    const ex = blank("lib/shop/repo.ex", '# use Oban\nLogger.info("id #{id}") # done\n');
    expect(ex).not.toContain("Oban");
    expect(ex).not.toContain("done");
    expect(ex).toContain('Logger.info("id #{id}")');
    expect(blank("build.sbt", '// coverageEnabled := true\nname := "x"')).not.toContain("coverage");
  });
});
