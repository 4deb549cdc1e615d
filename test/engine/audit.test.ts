import { describe, expect, it } from "vitest";
import { audit } from "../../src/engine/audit.js";
import { InMemorySource } from "../../src/sources/memory.js";
import { rule, ruleSet } from "../helpers/rules.js";

const status = async (tree: Record<string, string>, ...rules: Parameters<typeof rule>[]) => {
  const result = await audit(new InMemorySource(tree), { ruleSet: ruleSet(...rules.map((r) => rule(...r))) });
  return Object.fromEntries(result.results.map((r) => [r.id, r.status]));
};

describe("audit", () => {
  it("never counts vendored or minified files as evidence", async () => {
    const tree = { "node_modules/x/Dockerfile": "FROM a", "vendor/y/Dockerfile": "FROM a", "deps/plug/Dockerfile": "FROM a", "_build/dev/Dockerfile": "FROM a", "app.min.js": "x", "src/app.js": "x" };
    const result = await audit(new InMemorySource(tree), {
      ruleSet: ruleSet(rule("c/docker", { files: { include: "**/Dockerfile" } }), rule("c/js", { files: { include: "**/*.js" } })),
    });
    expect(result.results.map((r) => [r.id, r.status, r.evidence.map((e) => e.path)])).toEqual([
      ["c/docker", "fail", []],
      ["c/js", "pass", ["src/app.js"]],
    ]);
    expect(result.files).toEqual({ listed: 6, considered: 1, read: 0 });
  });

  it("honours ignore globs from the config", async () => {
    const source = new InMemorySource({ "examples/Dockerfile": "FROM a" });
    const result = await audit(source, { ruleSet: ruleSet(rule("c/docker", { files: { include: "**/Dockerfile" } })), ignore: ["examples/**"] });
    expect(result.results[0]!.status).toBe("fail");
  });

  it("reads content only when a cheaper check cannot decide, in at most two rounds", async () => {
    const tree: Record<string, string> = { "package.json": JSON.stringify({ dependencies: { express: "4" } }) };
    for (let i = 0; i < 100; i++) tree[`src/f${i}.java`] = "class A {}";
    const source = new InMemorySource(tree);
    const result = await audit(source, {
      ruleSet: ruleSet(
        // gated behind a dependency that is absent: the 100 Java files are never read
        rule("d/gated", { all: [{ dependency: { names: ["spring-boot-starter-data-jpa"] } }, { content: { include: "**/*.java", pattern: "@Index" } }] }),
        rule("d/express", { dependency: { names: ["express"] } }),
      ),
    });
    expect(result.results.map((r) => r.status)).toEqual(["fail", "pass"]);
    expect(source.reads).toEqual([["package.json"]]);
    expect(result.rounds).toBe(1);
  });

  it("marks a rule not-applicable when a required rule does not pass, and never reads for it", async () => {
    const source = new InMemorySource({ "schema.sql": "CREATE INDEX i ON t(c);" });
    const statuses = await audit(source, {
      ruleSet: ruleSet(
        rule("data/sql", { files: { include: "**/*.db" } }),
        rule("data/indexes", { content: { include: "**/*.sql", pattern: "CREATE INDEX" } }, { requires: ["data/sql"] }),
      ),
    });
    expect(statuses.results[1]).toMatchObject({ status: "not-applicable", unmetRequires: ["data/sql"] });
    expect(source.reads).toEqual([]);
  });

  it("gives the line of the first content match", async () => {
    const result = await audit(new InMemorySource({ "a/schema.sql": "-- x\n\ncreate index i on t(c);\n" }), {
      ruleSet: ruleSet(rule("data/indexes", { content: { include: "**/*.sql", pattern: "^create index", flags: "i" } })),
    });
    expect(result.results[0]!.evidence).toEqual([{ path: "a/schema.sql", line: 3, snippet: "create index i on t(c);" }]);
  });

  it("fails every rule on an empty tree, except that an absence proves nothing there", async () => {
    expect(await status({}, ["a/x", { files: { include: "**/x" } }], ["a/none", { not: { files: { include: "**/x" } } }])).toEqual({
      "a/x": "fail",
      "a/none": "not-applicable",
    });
    expect(await status({ y: "" }, ["a/none", { not: { files: { include: "**/x" } } }])).toEqual({ "a/none": "pass" });
  });

  it("skips binary and over-large files without failing", async () => {
    const result = await audit(new InMemorySource({ "a.txt": "secret\0binary", "b.txt": "x".repeat(1024 * 1024 + 1) }), {
      ruleSet: ruleSet(rule("a/x", { content: { include: "*.txt", pattern: "secret|x" } })),
    });
    expect(result.results[0]!.status).toBe("fail");
  });
});

describe("content within a dependency's modules", () => {
  it("reads only files under manifests that declare the dependency", async () => {
    const source = new InMemorySource({
      "api/package.json": JSON.stringify({ dependencies: { express: "4" } }),
      "api/src/health.js": 'app.get("/health")',
      "tools/mock.js": 'app.get("/health")',
    });
    const result = await audit(source, {
      ruleSet: ruleSet(rule("o/health", { content: { include: "**/*.js", pattern: "/health", within: { dependency: { names: ["express"] } } } })),
    });
    expect(result.results[0]).toMatchObject({ status: "pass", evidence: [{ path: "api/src/health.js" }] });
    expect(source.reads.flat()).not.toContain("tools/mock.js");
  });
});

describe("combinators", () => {
  const tree = { "a.txt": "alpha", "b.txt": "beta" };
  const has = (p: string) => ({ content: { include: "*.txt", pattern: p } });

  it("all, any and not combine three-valued answers", async () => {
    expect(
      await status(
        tree,
        ["t/all", { all: [has("alpha"), has("beta")] }],
        ["t/all-fail", { all: [has("alpha"), has("gamma")] }],
        ["t/any", { any: [has("gamma"), has("beta")] }],
        ["t/any-fail", { any: [has("gamma"), has("delta")] }],
        ["t/not", { not: has("gamma") }],
        ["t/not-fail", { not: has("alpha") }],
      ),
    ).toEqual({ "t/all": "pass", "t/all-fail": "fail", "t/any": "pass", "t/any-fail": "fail", "t/not": "pass", "t/not-fail": "fail" });
  });

  it("a failing `not` reports what it found as the cause", async () => {
    const result = await audit(new InMemorySource({ ".env": "TOKEN=abc\n" }), {
      ruleSet: ruleSet(rule("security/no-secrets", { not: { content: { include: "**/.env", pattern: "^\\w+=\\S+" } } })),
    });
    expect(result.results[0]).toMatchObject({ status: "fail", evidence: [{ path: ".env", line: 1 }] });
  });
});
