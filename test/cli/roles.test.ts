import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Ajv } from "ajv";
import { describe, expect, it } from "vitest";
import { inspectMarkdown } from "../helpers/githubMarkdown.js";

// The CLI as a recruiter runs it: the built bin, spawned (npm test builds first).
const root = join(dirname(fileURLToPath(import.meta.url)), "../..");
const bin = join(root, "bin/skillproof.js");
const validateReport = new Ajv({ strict: false }).compile(JSON.parse(readFileSync(join(root, "schemas/report.schema.json"), "utf8")));

function cli(args: string[]) {
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: "utf8", env: { ...process.env, NO_COLOR: "" } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function tree(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "skillproof-role-"));
  for (const [p, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, p)), { recursive: true });
    writeFileSync(join(dir, p), content);
  }
  return dir;
}

/** A Spring Boot service on PostgreSQL, with Redis in compose. */
const javaService = {
  "pom.xml": `<project>
  <parent><groupId>org.springframework.boot</groupId><artifactId>spring-boot-starter-parent</artifactId><version>3.3.0</version></parent>
  <groupId>com.example</groupId><artifactId>orders</artifactId><version>1.0.0</version>
  <dependencies>
    <dependency><groupId>org.springframework.boot</groupId><artifactId>spring-boot-starter-web</artifactId></dependency>
    <dependency><groupId>org.springframework.boot</groupId><artifactId>spring-boot-starter-data-jpa</artifactId></dependency>
    <dependency><groupId>org.postgresql</groupId><artifactId>postgresql</artifactId></dependency>
    <dependency><groupId>org.springframework.boot</groupId><artifactId>spring-boot-starter-test</artifactId><scope>test</scope></dependency>
  </dependencies>
</project>
`,
  "src/main/java/com/example/orders/OrdersApplication.java": "package com.example.orders;\n@SpringBootApplication\npublic class OrdersApplication { public static void main(String[] a) {} }\n",
  "src/main/java/com/example/orders/OrderController.java": "package com.example.orders;\n@RestController\nclass OrderController {}\n",
  "src/test/java/com/example/orders/OrderControllerTest.java": "package com.example.orders;\nclass OrderControllerTest { @Test void lists() {} }\n",
  "docker-compose.yml": "services:\n  db:\n    image: postgres:16\n  cache:\n    image: redis:7\n",
};

/** A Flask application on PostgreSQL. */
const pythonService = {
  "requirements.txt": "flask==3.0.0\nflask-sqlalchemy==3.1.1\npsycopg2-binary==2.9.9\npytest==8.0.0\n",
  "app/__init__.py": "from flask import Flask\napp = Flask(__name__)\n",
  "app/routes.py": "from app import app\n@app.route('/')\ndef index():\n    return 'ok'\n",
  "app/models.py": "from flask_sqlalchemy import SQLAlchemy\ndb = SQLAlchemy()\n",
  "tests/test_routes.py": "def test_index():\n    assert True\n",
  "docker-compose.yml": "services:\n  db:\n    image: postgres:16\n",
};

interface StackItem {
  name: string;
  required: boolean;
  present: boolean;
  evidence: { path: string } | null;
}

describe("skillproof audit --role", () => {
  it("text: the fit, the stack found with the file that proves it and missing, the gaps, and the plan", () => {
    const r = cli(["audit", tree(javaService), "--role", "backend-java"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Role fit: .+ \[backend-java\] · \d+\/100/);
    expect(r.stdout).toMatch(/✓ Spring Boot\s+pom\.xml/);
    expect(r.stdout).toMatch(/Required stack \(\d+\/\d+\)/);
    expect(r.stdout).toMatch(/✗ \S.*missing/);
    expect(r.stdout).toMatch(/Gaps that would raise the fit most\n\s+1\. .+ \+\d+/);
    expect(r.stdout).toContain("Plan: six two-week steps");
  });

  it("json: role { id, title, fit, stack, gaps } and plan, earliest step first, valid against the schema", () => {
    const r = cli(["audit", tree(javaService), "--role", "backend-java", "--format", "json"]);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(validateReport(report), JSON.stringify(validateReport.errors)).toBe(true);
    expect(report.role).toMatchObject({ id: "backend-java" });
    expect(Number.isInteger(report.role.fit) && report.role.fit >= 0 && report.role.fit <= 100).toBe(true);
    const stack = report.role.stack as StackItem[];
    expect(stack.find((s) => s.name === "Spring Boot")).toMatchObject({ required: true, present: true, evidence: { path: "pom.xml" } });
    expect(stack.find((s) => s.name === "PostgreSQL")).toMatchObject({ present: true });
    expect(stack.filter((s) => !s.present).every((s) => s.evidence === null)).toBe(true);
    expect(report.role.gaps.length).toBeLessThanOrEqual(3);
    const steps = (report.plan as Array<{ step: number }>).map((s) => s.step);
    expect(steps).toEqual([...steps].sort((a, b) => a - b));
  });

  it("markdown: the role section with no foreign link, image or live mention", () => {
    const r = cli(["audit", tree(javaService), "--role", "backend-java", "--format", "markdown"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/### Role fit: .+ · \d+\/100/);
    expect(r.stdout).toMatch(/\| Spring Boot \| required \| ✅ \| `pom\.xml(:\d+)?` \|/);
    // The role and its stack (names and paths): the gaps' and plan's fixes are the rules' reviewed text, checked with the rules.
    const section = r.stdout.slice(r.stdout.indexOf("### Role fit"), r.stdout.indexOf("**Gaps"));
    expect(section).toContain("| Stack | Needed | Found | Proof |");
    expect(inspectMarkdown(section).problems).toEqual([]);
  });

  it("a bad role id is one line on stderr, exit 2, no report", () => {
    const r = cli(["audit", tree(javaService), "--role", "backend-cobol"]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(/^skillproof: .*unknown role "backend-cobol".*\n$/);
  });
});

describe("skillproof compare", () => {
  const java = tree(javaService);
  const python = tree(pythonService);

  it("ranks the Java service first for backend-java and the Python one first for backend-python", () => {
    const forJava = cli(["compare", python, java, "--role", "backend-java", "--format", "json"]);
    expect(forJava.code).toBe(0);
    const j = JSON.parse(forJava.stdout);
    expect(j.role).toMatchObject({ id: "backend-java" });
    expect(j.candidates.map((c: { target: string }) => c.target)).toEqual([java, python]);
    expect(j.candidates[0].fit).toBeGreaterThan(j.candidates[1].fit);
    expect(j.candidates[0]).toMatchObject({ requiredTotal: expect.any(Number), requiredPresent: expect.any(Number), flags: [] });
    expect(j.candidates[0].strongest).toMatchObject({ id: expect.any(String), score: expect.any(Number) });

    const forPython = cli(["compare", java, python, "--role", "backend-python", "--format", "json"]);
    expect(forPython.code).toBe(0);
    const p = JSON.parse(forPython.stdout);
    expect(p.candidates.map((c: { target: string }) => c.target)).toEqual([python, java]);
    expect(p.candidates[0].fit).toBeGreaterThan(p.candidates[1].fit);
  });

  it("text and markdown: one row per candidate, best first; a missing target is a row with its error", () => {
    const missing = join(tmpdir(), "skillproof-no-such-dir", "x");
    const text = cli(["compare", python, missing, java, "--role", "backend-java"]);
    expect(text.code).toBe(0);
    const rows = text.stdout.split("\n").filter((l) => /^\d+\s/.test(l));
    expect(rows).toHaveLength(3);
    expect(rows[0]).toContain(java);
    expect(rows[1]).toContain(python);
    expect(rows[2]).toMatch(/error: no such directory/);

    const md = cli(["compare", python, java, "--role", "backend-java", "--format", "markdown"]);
    expect(md.code).toBe(0);
    expect(md.stdout).toMatch(/^## Skillproof shortlist: /);
    expect(md.stdout.split("\n").filter((l) => /^\| \d /.test(l))).toHaveLength(2);
    expect(inspectMarkdown(md.stdout).problems).toEqual([]);
  });

  it("bad input: one target, no --role, a bad role id: one line, exit 2", () => {
    for (const args of [["compare", java, "--role", "backend-java"], ["compare", java, python], ["compare", java, python, "--role", "nope"]]) {
      const r = cli(args);
      expect(r.code, args.join(" ")).toBe(2);
      expect(r.stdout).toBe("");
      expect(r.stderr).toMatch(/^skillproof: [^\n]+\n$/);
    }
  });
});

describe("skillproof roles", () => {
  it("roles test runs every role's examples and passes", () => {
    const r = cli(["roles", "test"]);
    expect(r.stderr).toBe("");
    expect(r.stdout).toMatch(/^\d+ passed, 0 failed \(\d+ examples of \d+ roles\)$/m);
    expect(r.stdout).toMatch(/^✓ backend-java: /m);
    expect(r.code).toBe(0);
  });

  it("roles lists the shipped roles", () => {
    const r = cli(["roles"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^backend-java\s+\S/m);
  });
});
