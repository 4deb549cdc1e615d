import { cpSync, mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Ajv } from "ajv";
import nock from "nock";
import { ProbotOctokit } from "probot";
import { afterEach, describe, expect, it } from "vitest";
import { DEFAULT_CONFIG } from "../../src/config/config.js";
import { AuditFacts } from "../../src/engine/facts.js";
import { FileIndex } from "../../src/engine/fileIndex.js";
import { chooseFix } from "../../src/engine/fixes.js";
import { BUILTIN_RULES_DIR, loadRuleSet, RuleLoadError } from "../../src/engine/loadRules.js";
import type { Rule, RuleResult } from "../../src/engine/types.js";
import { auditToReport } from "../../src/pipeline.js";
import { renderMarkdown } from "../../src/report/markdown.js";
import { renderText } from "../../src/report/text.js";
import { GitHubTreeSource } from "../../src/sources/github.js";
import { InMemorySource } from "../../src/sources/memory.js";
import { renderRulesDoc } from "../../scripts/generate-rules-doc.js";
import { API, FakeRepo } from "../fixtures/github/fakeGitHub.js";
import { useNock } from "../helpers/nock.js";

const ruleSet = loadRuleSet();
const reportSchema = JSON.parse(readFileSync(new URL("../../schemas/report.schema.json", import.meta.url), "utf8"));
const validateReport = new Ajv({ strict: false }).compile(reportSchema);

const vitestTree = {
  "package.json": JSON.stringify({ name: "shop", type: "module", scripts: { test: "vitest run" }, devDependencies: { vitest: "^3.0.0", typescript: "^5.0.0" } }),
  "src/total.ts": "export const total = (xs: number[]) => xs.reduce((a, b) => a + b, 0);\n",
  "src/orders.ts": "export interface Order { id: string }\n",
  "src/total.test.ts": 'import { expect, test } from "vitest";\nimport { total } from "./total";\ntest("adds", () => expect(total([1, 2])).toBe(3));\n',
};
const mavenTree = {
  "pom.xml":
    '<project><modelVersion>4.0.0</modelVersion><groupId>com.acme</groupId><artifactId>orders</artifactId><version>1</version>\n' +
    "<dependencies><dependency><groupId>org.junit.jupiter</groupId><artifactId>junit-jupiter</artifactId><scope>test</scope></dependency></dependencies></project>\n",
  "src/main/java/com/acme/Orders.java": "package com.acme;\npublic class Orders {}\n",
  "src/test/java/com/acme/OrdersTest.java": "package com.acme;\nclass OrdersTest {}\n",
};
// Elixir: no rule has a variant for it.
// A stack no rule writes a fix for (Elixir had none before round 3; Haskell has none).
const haskellTree = {
  "package.yaml": "name: shop\ndependencies: [base]\n",
  "app/Main.hs": "module Main where\nmain :: IO ()\nmain = pure ()\n",
  "src/Shop/Orders.hs": "module Shop.Orders where\n",
};

const coverageRule = ruleSet.rules.find((r) => r.id === "testing/coverage")!;
const coverageOf = async (tree: Record<string, string>) => {
  const report = await auditToReport(new InMemorySource(tree), ruleSet, DEFAULT_CONFIG);
  return { report, rule: report.rules.find((r) => r.id === "testing/coverage")! };
};

describe("fixes that fit the stack (real catalog, the path every adapter takes)", () => {
  it("gives a TypeScript + vitest tree missing coverage the vitest fix, labelled, with the general fix kept", async () => {
    const { report, rule } = await coverageOf(vitestTree);
    expect(rule.status).toBe("fail");
    expect(rule.fix).toMatch(/^Add @vitest\/coverage-v8 .*coverage\.thresholds.*vitest\.config\.ts/);
    expect(rule.fixFor).toBe("TypeScript · vitest");
    expect(rule.generalFix).toBe(coverageRule.fix);
    expect(validateReport(report), JSON.stringify(validateReport.errors)).toBe(true);
  });

  it("gives a Java Maven tree the JaCoCo Maven fix", async () => {
    const { rule } = await coverageOf(mavenTree);
    expect(rule.status).toBe("fail");
    expect(rule.fix).toContain("jacoco-maven-plugin");
    expect(rule.fix).not.toContain("Gradle");
    expect(rule.fixFor).toBe("Maven");
  });

  it("falls back to the general fix, with no fixFor, when no variant fits the stack", async () => {
    const { report, rule } = await coverageOf(haskellTree);
    expect(rule.status).toBe("fail");
    expect(rule.fix).toBe(coverageRule.fix);
    expect(rule).not.toHaveProperty("fixFor");
    expect(rule).not.toHaveProperty("generalFix");
    expect(validateReport(report)).toBe(true);
  });

  it("leaves passing rules' fix alone", async () => {
    const withCoverage = { ...vitestTree, "vitest.config.ts": 'export default { test: { coverage: { provider: "v8", thresholds: { lines: 80 } } } };\n' };
    const report = await auditToReport(new InMemorySource(withCoverage), ruleSet, DEFAULT_CONFIG);
    for (const r of report.rules.filter((x) => x.status !== "fail")) expect(r).not.toHaveProperty("fixFor");
  });

  it("shows the chosen fix in the text and Markdown reports", async () => {
    const { report } = await coverageOf(vitestTree);
    const text = renderText(report, { color: false });
    expect(text).toContain("fix (TypeScript · vitest): Add @vitest/coverage-v8");
    expect(text).not.toContain("jacoco-maven-plugin or Gradle's jacoco plugin");
    const md = renderMarkdown(report);
    expect(md).toContain("**Fix (TypeScript · vitest):** Add @\u200bvitest/coverage-v8");
  });
});

describe("fix conditions", () => {
  const facts = (tree: Record<string, string>, main: string | undefined) => {
    const f = new AuditFacts(new FileIndex(Object.keys(tree).map((path) => ({ path, size: tree[path]!.length }))), main);
    f.store(Object.entries(tree).map(([path, text]) => ({ path, text })));
    return f;
  };
  const failed: RuleResult = { id: "x/y", skill: "x", title: "t", status: "fail", evidence: [], fix: "General fix text.", why: "because so" };
  const rule = (fixes: Rule["fixes"]): Rule => ({
    id: "x/y", skill: "x", title: "t", weight: 1, why: "because so", fix: "General fix text.", fixes,
    match: { files: { include: "nothing" } }, examples: { pass: [], fail: [] },
  });

  it("takes the first variant that holds, with a label of what matched", () => {
    const r = rule([
      { when: { dependency: { names: ["django"] } }, fix: "Django fix text." },
      { when: { all: [{ language: { main: ["Python"] } }, { files: { include: "**/pyproject.toml" } }] }, fix: "pyproject fix text." },
      { when: { language: { main: ["Python"] } }, fix: "Python fix text." },
    ]);
    const f = facts({ "pyproject.toml": '[project]\nname = "x"\ndependencies = ["flask"]\n', "app/main.py": "" }, "Python");
    expect(chooseFix(r, failed, f)).toMatchObject({ fix: "pyproject fix text.", fixFor: "Python · pyproject.toml", generalFix: "General fix text." });
  });

  it("matches `any` and prefers an explicit label", () => {
    const r = rule([{ when: { any: [{ language: { main: ["Go"] } }, { dependency: { names: ["flask"] } }] }, fix: "Flask fix text.", label: "Flask" }]);
    const f = facts({ "requirements.txt": "flask==3.0\n" }, "Python");
    expect(chooseFix(r, failed, f)).toMatchObject({ fix: "Flask fix text.", fixFor: "Flask" });
  });

  it("does not apply to passes and without a match", () => {
    const r = rule([{ when: { language: { main: ["Rust"] } }, fix: "Rust fix text." }]);
    const f = facts({ "a.py": "" }, "Python");
    expect(chooseFix(r, failed, f)).toBe(failed);
    const passed = { ...failed, status: "pass" as const };
    expect(chooseFix(r, passed, facts({ "a.rs": "" }, "Rust"))).toBe(passed);
  });
});

describe("the loader validates fixes", () => {
  let dir: string;
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const load = (fixes: string) => {
    dir = mkdtempSync(join(tmpdir(), "skillproof-fixes-"));
    cpSync(join(BUILTIN_RULES_DIR, "schema.json"), join(dir, "schema.json"));
    writeFileSync(join(dir, "skills.yml"), "- id: testing\n  title: Testing\n  weight: 1\n  description: Tests.\n");
    mkdirSync(join(dir, "testing"));
    writeFileSync(
      join(dir, "testing", "coverage.yml"),
      [
        "id: testing/coverage", "skill: testing", "title: Coverage", "weight: 1",
        "why: Coverage shows what tests miss.", "fix: Measure coverage in the build.", fixes,
        "match:", "  files:", "    include: coverage.xml",
        "examples:", "  pass:", "    - files:", "        coverage.xml: x", "  fail:", "    - files:", "        a.txt: x", "",
      ].join("\n"),
    );
    return () => loadRuleSet(dir);
  };

  it("accepts well-formed per-stack fixes", () => {
    const { rules } = load('fixes:\n  - when: { all: [{ language: { main: [Go] } }, { files: { include: "**/go.mod" } }] }\n    fix: Run go test -cover in CI.\n')();
    expect(rules[0]!.fixes).toHaveLength(1);
    // docs/rules.md lists them under the general fix, named by their condition.
    expect(renderRulesDoc(dir)).toContain("  - *Go · `**/go.mod`*: Run go test -cover in CI.");
  });

  it("rejects a variant without a condition, or with an unknown key", () => {
    expect(load("fixes:\n  - fix: Run go test -cover in CI.\n")).toThrow(/fixes\.0: must have required property 'when'/);
    expect(load("fixes:\n  - when: { language: { main: [Go] } }\n    fix: Run go test -cover in CI.\n    note: x\n")).toThrow(/fixes\.0: unknown property "note"/);
    expect(load("fixes: []\n")).toThrow(RuleLoadError);
  });

  it("rejects a condition that would need a content read", () => {
    expect(load('fixes:\n  - when: { content: { include: "**/*.go", pattern: "testing" } }\n    fix: Run go test -cover in CI.\n')).toThrow(/fixes\.0\.when: unknown property "content"/);
    expect(load('fixes:\n  - when: { all: [{ files: { include: "README.md", minBytes: 100 } }] }\n    fix: Run go test -cover in CI.\n')).toThrow(/fixes\.0\.when\.all\.0\.files: unknown property "minBytes"/);
    expect(load('fixes:\n  - when: { any: [{ ci: { run: "go test" } }] }\n    fix: Run go test -cover in CI.\n')).toThrow(RuleLoadError);
  });
});

describe("local and GitHub audits choose the same fixes", () => {
  useNock();

  it("with no extra request", async () => {
    const fake = new FakeRepo("octo-cand", "shop", vitestTree);
    nock(API).get(`/repos/octo-cand/shop/git/trees/${fake.commitSha}`).query({ recursive: "1" }).reply(200, fake.treeResponse(fake.commitSha, true));
    nock(API).post("/graphql").reply(200, (_uri, body) => fake.graphqlResponse(body)).persist();
    const octokit = new ProbotOctokit({ auth: { token: "test" }, retry: { enabled: false }, throttle: { enabled: false } });
    const gh = new GitHubTreeSource({ octokit, owner: "octo-cand", repo: "shop", sha: fake.commitSha, ref: "refs/heads/main" });
    const viaGitHub = await auditToReport(gh, ruleSet, DEFAULT_CONFIG);
    const memory = new InMemorySource(vitestTree);
    const inMemory = await auditToReport(memory, ruleSet, DEFAULT_CONFIG);
    const fixes = (r: typeof viaGitHub) => r.rules.map(({ id, fix, fixFor, generalFix }) => ({ id, fix, fixFor, generalFix }));
    expect(fixes(viaGitHub)).toEqual(fixes(inMemory));
    expect(fixes(inMemory).filter((r) => r.fixFor).length).toBeGreaterThan(3);
    expect(gh.requestCount).toBe(1 + fake.graphqlQueries.length);
    expect(fake.graphqlQueries.length).toBe(memory.reads.length);
  });
});
