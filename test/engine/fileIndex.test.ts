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

  it("answers membership for listed paths only, whatever the input order", () => {
    const index = new FileIndex([{ path: "src/b.ts" }, { path: "a.md" }, { path: "src/a.ts" }]);
    expect(["a.md", "src/a.ts", "src/b.ts"].map((p) => index.has(p))).toEqual([true, true, true]);
    expect(["", "src", "src/", "src/c.ts", "z"].some((p) => index.has(p))).toBe(false);
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

describe("FileIndex agrees with picomatch on every glob the shipped rules use", async () => {
  const picomatch = (await import("picomatch")).default;
  const { loadRuleSet } = await import("../../src/engine/loadRules.js");
  const ruleSet = loadRuleSet();
  const globs = new Set<string>();
  const paths = new Set<string>(["LICENSE", "docs/LICENSE.md", "a/b/load-tests/x.js", "src/test/java/a/FooIT.java", "x/*weird/[name].md", "x/test-x/test/y.js", "x/test/b/test/z.spec.js"]);
  const pairs: Array<{ include: string | string[]; exclude: string | string[] }> = [];
  const visit = (node: unknown, key?: string): void => {
    if (Array.isArray(node)) return node.forEach((n) => visit(n, key));
    if (typeof node === "string" && (key === "include" || key === "exclude")) globs.add(node);
    if (node && typeof node === "object") {
      const o = node as { include?: string | string[]; exclude?: string | string[] };
      if (o.include && o.exclude) pairs.push({ include: o.include, exclude: o.exclude });
      for (const [k, v] of Object.entries(node)) visit(v, k);
    }
  };
  for (const r of ruleSet.rules) {
    visit(r.match);
    for (const ex of [...r.examples.pass, ...r.examples.fail]) for (const p of Object.keys(ex.files)) paths.add(p);
  }
  // Every example path also nested one level down and under a deep folder, to exercise anchoring.
  for (const p of [...paths]) {
    paths.add(`pkg/${p}`);
    paths.add(`a/b/c/${p}`);
  }
  const all = [...paths].sort();
  const index = new FileIndex(all.map((path) => ({ path })));
  // The same tree matched folder by folder, as big pools are.
  const split = new FileIndex(all, { splitPool: 0 });
  it.each([...globs].map((g) => [g]))("%s", (glob) => {
    const isMatch = picomatch(glob, { dot: true });
    expect(index.match(glob)).toEqual(all.filter((p) => isMatch(p)));
    expect(split.match(glob)).toEqual(all.filter((p) => isMatch(p)));
  });

  it.each(pairs.map((p) => [JSON.stringify(p).slice(0, 120), p] as const))("include/exclude %s", (_name, { include, exclude }) => {
    const inc = picomatch(include, { dot: true });
    const exc = picomatch(exclude, { dot: true });
    expect(index.match(include, exclude)).toEqual(all.filter((p) => inc(p) && !exc(p)));
  });
});

describe("expandBraces across folders only", () => {
  it("expands groups holding a slash and keeps the others", () => {
    expect(expandBraces("{,docs/}{README,readme}.md", true)).toEqual(["{README,readme}.md", "docs/{README,readme}.md"]);
    expect(expandBraces("a/{x,y}/{b/,c/}z", true)).toEqual(["a/{x,y}/b/z", "a/{x,y}/c/z"]);
  });
});
