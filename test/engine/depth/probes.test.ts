import { describe, expect, it } from "vitest";
import { audit } from "../../../src/engine/audit.js";
import type { AuditedRule } from "../../../src/engine/depth/index.js";
import { loadRuleSet } from "../../../src/engine/loadRules.js";
import { InMemorySource } from "../../../src/sources/memory.js";

// The real catalog through the real engine: facts are what a user's audit reports.
const ruleSet = loadRuleSet();

async function run(tree: Record<string, string>) {
  const source = new InMemorySource(tree);
  const result = await audit(source, { ruleSet });
  const byId = new Map(result.results.map((r) => [r.id, r]));
  return { source, result, rule: (id: string): AuditedRule => byId.get(id)! };
}

const node = (extra: Record<string, unknown> = {}) =>
  JSON.stringify({ name: "shop", scripts: { test: "vitest run" }, devDependencies: { vitest: "^1.0.0" }, ...extra });

const ci = (on: string, run = "npm test") => `on:\n${on}\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - run: npm ci\n      - run: ${run}\n`;

describe("testing/test-files depth", () => {
  it("names one test that only asserts a constant as token evidence, and reads it in the first read", async () => {
    const { source, result, rule } = await run({
      "package.json": node(),
      "src/total.js": "export const total = (xs) => xs.reduce((a, b) => a + b, 0);\n",
      "test/sum.test.js": 'import { test, expect } from "vitest";\ntest("adds", () => {\n  expect(1 + 2).toBe(3);\n});\n',
    });
    expect(rule("testing/test-files")).toMatchObject({
      status: "pass",
      depth: "token",
      facts: { testFiles: 1 },
      depthReason: expect.stringMatching(/^only 1 test file: test\/sum\.test\.js only asserts constants \(expect\(1 \+ 2\)\.toBe\(3\)/),
    });
    expect(source.reads[0]).toContain("test/sum.test.js");
    expect(result.rounds).toBe(source.reads.length);
  });

  it("gives full depth to a test that imports the code it tests", async () => {
    const { rule } = await run({
      "package.json": node(),
      "src/total.js": "export const total = (xs) => xs.reduce((a, b) => a + b, 0);\n",
      "test/total.test.js": 'import { expect, test } from "vitest";\nimport { total } from "../src/total.js";\ntest("sums", () => {\n  expect(total([1, 2])).toBe(3);\n});\n',
    });
    expect(rule("testing/test-files")).toMatchObject({ status: "pass", depth: "full", summary: "1 test file, test-to-source ratio 1" });
    expect(rule("testing/test-files").depthReason).toBeUndefined();
  });

  it("calls Python tests that import no project module token evidence, and tests that do real ones", async () => {
    const tree = { "pyproject.toml": '[project]\nname = "shop"\n', "shop/__init__.py": "", "shop/cart.py": "def total(xs):\n    return sum(xs)\n" };
    const thin = await run({ ...tree, "tests/test_math.py": "import math\n\ndef test_sqrt():\n    assert math.sqrt(4) == 2\n" });
    expect(thin.rule("testing/test-files")).toMatchObject({ depth: "token", depthReason: "only 1 test file: tests/test_math.py imports no project code" });
    const real = await run({ ...tree, "tests/test_cart.py": "from shop.cart import total\n\ndef test_total():\n    assert total([1, 2]) == 3\n" });
    expect(real.rule("testing/test-files").depth).toBe("full");
    // A folder of modules without __init__.py is a namespace package: importing it is project code.
    const namespace = await run({ "requirements.txt": "pytest\n", "api/cart.py": "def total(xs):\n    return sum(xs)\n", "tests/test_cart.py": "from api.cart import total\n\ndef test_total():\n    assert total([1, 2]) == 3\n" });
    expect(namespace.rule("testing/test-files").depth).toBe("full");
  });

  it("counts tests against source files of the same languages", async () => {
    const tree: Record<string, string> = { "go.mod": "module example.com/shop\n" };
    for (let i = 0; i < 6; i++) tree[`cart/f${i}.go`] = "package cart\n";
    for (let i = 0; i < 3; i++) tree[`cart/f${i}_test.go`] = "package cart\n";
    const { rule } = await run(tree);
    expect(rule("testing/test-files")).toMatchObject({ depth: "full", facts: { testFiles: 3, sourceFiles: 6, testToSourceRatio: 0.5 }, summary: "3 test files, test-to-source ratio 0.5" });
  });
});

describe("testing/coverage facts", () => {
  it("reports the threshold and where it is set", async () => {
    const { rule } = await run({
      "package.json": node({ devDependencies: { vitest: "^1", "@vitest/coverage-v8": "^1" } }),
      "vitest.config.ts": 'export default {\n  test: {\n    coverage: { provider: "v8", thresholds: { lines: 80, branches: 70 } },\n  },\n};\n',
    });
    expect(rule("testing/coverage")).toMatchObject({ status: "pass", facts: { threshold: 80, thresholdIn: "vitest.config.ts:3", measuredBy: "@vitest/coverage-v8" }, summary: "threshold 80% (vitest.config.ts:3)" });
  });

  it("says measured, no threshold when none is set, and ignores a commented-out one", async () => {
    const { rule } = await run({
      "pyproject.toml": '[project]\nname = "shop"\ndependencies = []\n[project.optional-dependencies]\ntest = ["pytest-cov"]\n[tool.coverage.report]\n# fail_under = 90\n',
    });
    expect(rule("testing/coverage")).toMatchObject({ status: "pass", facts: { threshold: null }, summary: "measured, no threshold" });
  });

  it("turns a JaCoCo ratio into a percentage", async () => {
    const pom = "<project><artifactId>shop</artifactId><build><plugins><plugin><groupId>org.jacoco</groupId><artifactId>jacoco-maven-plugin</artifactId>\n<configuration><rules><rule><limits><limit><counter>LINE</counter><value>COVEREDRATIO</value>\n<minimum>0.85</minimum>\n</limit></limits></rule></rules></configuration></plugin></plugins></build></project>\n";
    const { rule } = await run({ "pom.xml": pom });
    expect(rule("testing/coverage").facts).toMatchObject({ threshold: 85, thresholdIn: "pom.xml:3" });
  });
});

describe("ci-cd depth", () => {
  it("says when the tests run, from the workflow's on:", async () => {
    const { rule } = await run({ "package.json": node(), ".github/workflows/ci.yml": ci("  push:\n    branches: [main]\n  pull_request:") });
    expect(rule("ci-cd/runs-tests")).toMatchObject({
      depth: "full",
      facts: { pullRequests: true, defaultBranch: true, pushBranches: ["main"], ciSystems: ["GitHub Actions"] },
      summary: "runs on pull requests and on pushes to main",
    });
    const manual = await run({ "package.json": node(), ".github/workflows/ci.yml": ci("  workflow_dispatch:") });
    expect(manual.rule("ci-cd/runs-tests")).toMatchObject({ facts: { pullRequests: false, defaultBranch: false }, summary: "runs only on workflow_dispatch" });
  });

  it("calls npm test over npm init's placeholder script token evidence", async () => {
    const { rule } = await run({
      "package.json": JSON.stringify({ name: "shop", scripts: { test: 'echo "Error: no test specified" && exit 1' } }),
      ".github/workflows/ci.yml": ci("  push:"),
    });
    expect(rule("ci-cd/runs-tests")).toMatchObject({ status: "pass", depth: "token", depthReason: expect.stringContaining("package.json's test script only echoes") });
  });

  it("calls a workflow whose only steps echo token evidence for the pipeline", async () => {
    const echo = "on: push\njobs:\n  hello:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - run: echo hello\n";
    const { rule } = await run({ ".github/workflows/hello.yml": echo });
    expect(rule("ci-cd/pipeline")).toMatchObject({ status: "pass", depth: "token", depthReason: "the workflows' only steps check out the code and echo" });
    const real = await run({ ".github/workflows/ci.yml": ci("  push:") });
    expect(real.rule("ci-cd/pipeline")).toMatchObject({ depth: "full", facts: { ciSystems: ["GitHub Actions"], pipelineFiles: 1, workflowSteps: 3 } });
  });
});

describe("data/migrations depth", () => {
  it("counts migrations, and calls a migration tool with none token evidence", async () => {
    const pkg = JSON.stringify({ name: "shop", dependencies: { pg: "8", "node-pg-migrate": "7" } });
    const { rule } = await run({ "package.json": pkg, "migrations/001_init.sql": "create table a(id int);", "migrations/002_b.sql": "create table b(id int);" });
    expect(rule("data/migrations")).toMatchObject({ depth: "full", facts: { migrations: 2 }, summary: expect.stringMatching(/^2 migrations/) });
    const none = await run({ "package.json": pkg });
    expect(none.rule("data/migrations")).toMatchObject({
      status: "pass",
      depth: "token",
      facts: { migrations: 0, tool: "node-pg-migrate" },
      depthReason: "a migration tool is set up (node-pg-migrate), but no migration file was found",
    });
  });
});

describe("api/openapi-spec depth", () => {
  it("counts paths in YAML and JSON documents, and calls a document with none token evidence", async () => {
    const yaml = "openapi: 3.0.3\ninfo:\n  title: Shop\n  version: '1'\npaths:\n  /orders:\n    get:\n      responses: {}\n  '/orders/{id}':\n    get:\n      responses: {}\ncomponents: {}\n";
    const { rule } = await run({ "api/openapi.yaml": yaml });
    expect(rule("api/openapi-spec")).toMatchObject({ depth: "full", facts: { documents: 1, paths: 2 }, summary: "2 paths in api/openapi.yaml" });
    const json = await run({ "openapi.json": JSON.stringify({ openapi: "3.1.0", info: { title: "x", version: "1" }, paths: { "/a": {}, "/b": {}, "/c": {} } }) });
    expect(json.rule("api/openapi-spec").facts).toMatchObject({ paths: 3 });
    const empty = await run({ "api/openapi.yaml": "openapi: 3.0.3\ninfo:\n  title: Shop\n  version: '1'\npaths: {}\n" });
    expect(empty.rule("api/openapi-spec")).toMatchObject({ status: "pass", depth: "token", facts: { paths: 0 }, depthReason: "the OpenAPI document declares no paths" });
  });
});

describe("containers/dockerfile and observability/metrics facts", () => {
  it("says whether the image has a HEALTHCHECK", async () => {
    const with_ = await run({ Dockerfile: "FROM node:20 AS build\nRUN npm ci\nFROM node:20-slim\nHEALTHCHECK CMD curl -f http://localhost:3000/health || exit 1\nCMD [\"node\", \"index.js\"]\n" });
    expect(with_.rule("containers/dockerfile")).toMatchObject({
      facts: { dockerfiles: 1, stages: 2, finalImage: "node:20-slim", healthcheck: true, healthcheckAt: "Dockerfile:4" },
      summary: "1 Dockerfile, 2 stages, final image node:20-slim; HEALTHCHECK present",
    });
    const without = await run({ Dockerfile: "FROM node:20-slim\nCMD [\"node\", \"index.js\"]\n" });
    expect(without.rule("containers/dockerfile")).toMatchObject({ facts: { healthcheck: false }, summary: "1 Dockerfile, final image node:20-slim; no HEALTHCHECK" });
  });

  it("says which library and where the metrics are exposed, from the files read", async () => {
    const { rule } = await run({
      "package.json": JSON.stringify({ name: "shop", dependencies: { express: "4", "prom-client": "15" } }),
      "src/server.js": 'const client = require("prom-client");\nconst app = require("express")();\napp.get("/metrics", async (_req, res) => res.end(await client.register.metrics()));\n',
      "src/health.js": 'app.get("/health", (_q, r) => r.send("ok"));\n',
    });
    const metrics = rule("observability/metrics");
    expect(metrics).toMatchObject({ status: "pass", facts: { library: "prom-client", declaredAt: expect.stringMatching(/^package\.json/) } });
    // The route counts only when some rule had a reason to read server.js; then it is named.
    if (metrics.facts!.endpoint !== null) expect(metrics.facts).toMatchObject({ endpoint: "/metrics", endpointAt: "src/server.js:3" });
    expect(metrics.summary).toMatch(/^prom-client \(package\.json(:\d+)?\); /);
  });
});

describe("containers/compose facts", () => {
  it("lists the services the stack starts and counts their healthchecks", async () => {
    const compose = "services:\n  app:\n    build: .\n    healthcheck:\n      test: [CMD, curl, -f, http://localhost/health]\n  db:\n    image: postgres:16\n  cache:\n    image: redis:7\n";
    const { rule } = await run({ "compose.yaml": compose });
    expect(rule("containers/compose")).toMatchObject({
      status: "pass",
      facts: { composeFiles: 1, services: ["app", "db", "cache"], healthchecks: 1 },
      summary: "3 services (app, db and cache), 1 with a healthcheck",
    });
  });
});
