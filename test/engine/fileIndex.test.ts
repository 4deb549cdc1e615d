import { describe, expect, it } from "vitest";
import { expandBraces, FileIndex } from "../../src/engine/fileIndex.js";

const index = new FileIndex(
  ["Dockerfile", "api/Dockerfile", "src/a.test.ts", "src/b.ts", "README.md", "docs/readme.md", ".github/workflows/ci.yml", "x/y.spec.js"].map((path) => ({ path })),
);

describe("FileIndex", () => {
  it("matches basename globs at any depth, including the root", () => {
    expect(index.match("**/Dockerfile")).toEqual(["Dockerfile", "api/Dockerfile"]);
  });

  it("matches extension globs through the index", () => {
    expect(index.match("**/*.test.ts")).toEqual(["src/a.test.ts"]);
    expect(index.match("**/*.{test,spec}.{ts,js}")).toEqual(["src/a.test.ts", "x/y.spec.js"]);
  });

  it("is case-sensitive and includes dot folders", () => {
    expect(index.match("**/README.md")).toEqual(["README.md"]);
    expect(index.match(".github/workflows/*.yml")).toEqual([".github/workflows/ci.yml"]);
  });

  it("applies excludes and returns paths in sorted order", () => {
    expect(index.match(["**/*.md", "**/Dockerfile"], ["docs/**"])).toEqual(["Dockerfile", "README.md", "api/Dockerfile"]);
  });

  it("falls back to a full scan for globs the index cannot key", () => {
    expect(index.match("**/*ocker*")).toEqual(["Dockerfile", "api/Dockerfile"]);
  });
});

describe("expandBraces", () => {
  it("expands nested alternatives", () => {
    expect(expandBraces("a/{b,c{d,e}}.md")).toEqual(["a/b.md", "a/cd.md", "a/ce.md"]);
    expect(expandBraces("plain")).toEqual(["plain"]);
  });
});
