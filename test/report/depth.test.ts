import { readFileSync } from "node:fs";
import { Ajv } from "ajv";
import { describe, expect, it } from "vitest";
import { DEFAULT_CONFIG } from "../../src/config/config.js";
import { loadRuleSet } from "../../src/engine/loadRules.js";
import { auditToReport } from "../../src/pipeline.js";
import { renderJson } from "../../src/report/json.js";
import { renderMarkdown } from "../../src/report/markdown.js";
import { renderText } from "../../src/report/text.js";
import { InMemorySource } from "../../src/sources/memory.js";

const ruleSet = loadRuleSet();
const schema = JSON.parse(readFileSync(new URL("../../schemas/report.schema.json", import.meta.url), "utf8"));
const validate = new Ajv({ strict: false }).compile(schema);

const base = {
  "package.json": JSON.stringify({ name: "shop", scripts: { test: "vitest run" }, devDependencies: { vitest: "^1.0.0" } }),
  "src/total.js": "export const total = (xs) => xs.reduce((a, b) => a + b, 0);\n",
  ".github/workflows/ci.yml": "on:\n  push:\n    branches: [main]\n  pull_request:\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - run: npm ci\n      - run: npm test\n",
};
// The same repository, once with a test that only asserts a constant and once with a real one.
const tokenTree = { ...base, "test/sum.test.js": 'import { test, expect } from "vitest";\ntest("adds", () => {\n  expect(1 + 2).toBe(3);\n});\n' };
const realTree = {
  ...base,
  "test/total.test.js": 'import { expect, test } from "vitest";\nimport { total } from "../src/total.js";\ntest("sums", () => {\n  expect(total([1, 2])).toBe(3);\n});\n',
};

const reportOf = (tree: Record<string, string>) => auditToReport(new InMemorySource(tree), ruleSet, DEFAULT_CONFIG);
const REASON = "only 1 test file: test/sum.test.js only asserts constants (expect(1 + 2).toBe(3))";

describe("depth in every report format", () => {
  it("shows a test that asserts a constant as token evidence in JSON, and scores it below a real suite", async () => {
    const token = await reportOf(tokenTree);
    const real = await reportOf(realTree);
    const json = JSON.parse(renderJson(token));
    expect(validate(json), JSON.stringify(validate.errors)).toBe(true);
    expect(validate(JSON.parse(renderJson(real))), JSON.stringify(validate.errors)).toBe(true);
    const tests = json.rules.find((r: { id: string }) => r.id === "testing/test-files");
    expect(tests).toMatchObject({ status: "pass", depth: "token", depthReason: REASON, facts: { testFiles: 1 }, summary: "1 test file, test-to-source ratio 1" });
    expect(tests.earned).toBeLessThan(tests.weight);
    expect(tests.earned).toBeGreaterThan(0);
    expect(real.rules.find((r) => r.id === "testing/test-files")).toMatchObject({ depth: "full", earned: tests.weight });
    expect(json.rules.find((r: { id: string }) => r.id === "ci-cd/runs-tests")).toMatchObject({ summary: "runs on pull requests and on pushes to main", facts: { pullRequests: true, defaultBranch: true } });
    expect(token.summary.passed).toBe(real.summary.passed);
    expect(token.score).toBeLessThan(real.score);
    expect(token.skills.find((s) => s.id === "testing")!.score!).toBeLessThan(real.skills.find((s) => s.id === "testing")!.score!);
  });

  it("names token evidence and its reason in the text report, and prints the facts under a pass", async () => {
    const text = renderText(await reportOf(tokenTree), { color: false });
    expect(text).toContain(`~ Automated test files [testing/test-files]  token evidence`);
    expect(text).toContain(`      token: ${REASON} (earns 25% of its weight)`);
    expect(text).toMatch(/✓ CI runs the test suite \[ci-cd\/runs-tests\].*\n {6}runs on pull requests and on pushes to main\n/);
    expect(renderText(await reportOf(realTree), { color: false })).toMatch(/✓ Automated test files \[testing\/test-files\].*\n {6}1 test file, test-to-source ratio 1\n/);
  });

  it("names token evidence and its reason in Markdown, with the summary on every pass", async () => {
    const md = renderMarkdown(await reportOf(tokenTree));
    expect(md).toContain(`- ⚠️ **Automated test files** (\`testing/test-files\`): **token evidence** — ${REASON} (earns 25% of its weight)`);
    expect(md).toMatch(/- ✅ \*\*CI runs the test suite\*\* \(`ci-cd\/runs-tests`\): runs on pull requests and on pushes to main · `\.github\/workflows\/ci\.yml:11`/);
    expect(md).not.toContain("xychart-beta");
  });
});

describe("renderMarkdown chart option", () => {
  it("opens with a Mermaid bar chart of the skill scores, then the table, then the details", async () => {
    const report = await reportOf(realTree);
    const md = renderMarkdown(report, { chart: true });
    const chart = md.indexOf("```mermaid\nxychart-beta horizontal\n");
    const table = md.indexOf("| Skill | Score | Evidence |");
    const details = md.indexOf("\n### ");
    expect(chart).toBeGreaterThan(0);
    expect(chart).toBeLessThan(table);
    expect(table).toBeLessThan(details);
    const block = md.slice(chart, md.indexOf("```\n", chart + 3) + 4);
    const scored = report.skills.filter((s) => s.score !== null);
    expect(block).toContain(`x-axis [${scored.map((s) => `"${s.title}"`).join(", ")}]`);
    expect(block).toContain('y-axis "Score" 0 --> 100');
    expect(block).toContain(`bar [${scored.map((s) => s.score).join(", ")}]`);
    expect(block).toContain(`title "Skill scores (overall ${report.score}/100)"`);
  });

  it("keeps the chart when the report is cut to fit a size limit", async () => {
    const full = renderMarkdown(await reportOf(realTree), { chart: true });
    const cut = renderMarkdown(await reportOf(realTree), { chart: true, maxLength: Math.floor(full.length * 0.6) });
    expect(cut.length).toBeLessThanOrEqual(Math.floor(full.length * 0.6));
    expect(cut).toContain("```mermaid\nxychart-beta");
  });
});
