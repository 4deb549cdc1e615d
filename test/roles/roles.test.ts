import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { DEFAULT_CONFIG } from "../../src/config/config.js";
import { loadBuiltinRuleSet } from "../../src/engine/ruleBundle.js";
import { auditToReport } from "../../src/pipeline.js";
import { loadBuiltinRoles, loadRolesDir, portfolioRoleFit, resolveRole, RoleError, runRoleExamples, type Role } from "../../src/roles/index.js";
import { MUST_HAVE_PENALTY, REQUIRED_STACK_PENALTY } from "../../src/roles/fit.js";
import { InMemorySource } from "../../src/sources/memory.js";

const ruleSet = loadBuiltinRuleSet();
const roles = loadBuiltinRoles();
const role = (id: string): Role => roles.byId.get(id)!;
const temps: string[] = [];
afterEach(() => temps.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

function rolesDir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "skillproof-roles-"));
  temps.push(dir);
  mkdirSync(dir, { recursive: true });
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

const minimal = `id: mini
title: A minimal role
summary: Enough of a role to test the loader.
skills: { testing: 1 }
stack:
  - name: Docker
    level: required
    match: { files: { include: '**/Dockerfile' } }
mustHave: [testing/framework]
examples:
  - files: { Dockerfile: FROM x }
    present: [Docker]
`;

/** A Spring Boot service on PostgreSQL and Redis, with tests, a Dockerfile and CI. */
const springTree: Record<string, string> = {
  "pom.xml": `<project><dependencies>
    <dependency><groupId>org.springframework.boot</groupId><artifactId>spring-boot-starter-web</artifactId></dependency>
    <dependency><groupId>org.springframework.boot</groupId><artifactId>spring-boot-starter-data-jpa</artifactId></dependency>
    <dependency><groupId>org.springframework.boot</groupId><artifactId>spring-boot-starter-data-redis</artifactId></dependency>
    <dependency><groupId>org.postgresql</groupId><artifactId>postgresql</artifactId><scope>runtime</scope></dependency>
    <dependency><groupId>org.springframework.boot</groupId><artifactId>spring-boot-starter-test</artifactId><scope>test</scope></dependency>
  </dependencies></project>`,
  "src/main/java/org/example/owner/OwnerController.java": "package org.example.owner;\n@RestController\npublic class OwnerController {}\n",
  "src/main/java/org/example/owner/Owner.java": "package org.example.owner;\n@Entity\npublic class Owner {}\n",
  "src/test/java/org/example/owner/OwnerControllerTests.java":
    "package org.example.owner;\nimport org.junit.jupiter.api.Test;\nclass OwnerControllerTests {\n  @Test void lists() { org.junit.jupiter.api.Assertions.assertEquals(2, 1 + 1); }\n}\n",
  "docker-compose.yml": "services:\n  postgres:\n    image: postgres:16\n  redis:\n    image: redis:7\n",
  "README.md": "# Owners\n\nRun it with `./mvnw spring-boot:run`.\n",
};

/** A Flask blog on SQLAlchemy with pytest. */
const flaskTree: Record<string, string> = {
  "requirements.txt": "flask==3.0.3\nflask-sqlalchemy==3.1.1\nflask-migrate==4.0.7\nflask-login==0.6.3\npytest==8.2.0\nredis==5.0.4\nrq==1.16.2\n",
  "app/__init__.py": "from flask import Flask\napp = Flask(__name__)\n",
  "app/models.py": "from app import db\nclass User(db.Model):\n    id = db.Column(db.Integer, primary_key=True)\n",
  "app/routes.py": "from app import app\n@app.route('/')\ndef index():\n    return 'hi'\n",
  "tests/test_user.py": "def test_user():\n    assert 1 + 1 == 2\n",
  "Dockerfile": "FROM python:3.12-slim\nCOPY . /app\n",
  "README.md": "# Microblog\n",
};

describe("role files", () => {
  it("ships the six roles, each checked against the rules", () => {
    expect(roles.roles.map((r) => r.id)).toEqual(["backend-dotnet", "backend-go", "backend-java", "backend-node", "backend-python", "platform"]);
    for (const r of roles.roles) expect(r.file).toBe(`roles/${r.id}.yml`);
  });

  it("every role's examples find the stack items they name and not the others", async () => {
    const outcomes = await runRoleExamples(roles);
    expect(outcomes.length).toBeGreaterThanOrEqual(roles.roles.length * 2);
    expect(outcomes.filter((o) => !o.ok)).toEqual([]);
  });

  it("an example that expects what is not there fails, naming the item", async () => {
    const r = role("platform");
    const broken = { ...r, examples: [{ files: { "README.md": "hi" }, present: ["Docker"], absent: [] }] };
    const [o] = await runRoleExamples({ roles: [broken], byId: new Map([[r.id, broken]]) });
    expect(o).toMatchObject({ role: "platform", ok: false, problems: ['"Docker" not found'] });
  });

  it.each([
    ["an id other than the file name", minimal.replace("id: mini", "id: other"), /roles\/mini\.yml: id "other" does not match its file name \(expected "mini"\)/],
    ["an unknown skill", minimal.replace("testing: 1", "testin: 1"), /skills: unknown skill "testin" \(did you mean "testing"\?\)/],
    ["an unknown must-have rule", minimal.replace("[testing/framework]", "[testing/frame]"), /mustHave: unknown rule "testing\/frame"/],
    ["a level that is neither required nor preferred", minimal.replace("level: required", "level: nice"), /stack\.0\.level: must be one of \["required","preferred"\]/],
    ["a matcher the rules do not have", minimal.replace("{ files: { include: '**/Dockerfile' } }", "{ filez: { include: x } }"), /stack\.0\.match/],
    ["an invalid regular expression", minimal.replace("{ files: { include: '**/Dockerfile' } }", "{ content: { include: x, pattern: '(' } }"), /stack\.0\.match\.content\.pattern: must match format "regex"/],
    ["an example naming an item the role lacks", minimal.replace("present: [Docker]", "present: [Kafka]"), /examples 1: "Kafka" is not a stack item/],
    ["no examples", minimal.replace(/examples:[\s\S]*$/, ""), /a shipped role needs at least one example/],
    ["a YAML syntax error", minimal.replace("skills: { testing: 1 }", "skills: { testing: 1"), /YAML syntax error at line/],
  ])("refuses %s with one line", (_what, text, message) => {
    const dir = rolesDir({ "mini.yml": text });
    let err: unknown;
    try {
      loadRolesDir(dir, ruleSet);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(RoleError);
    expect((err as Error).message).toMatch(message);
    expect((err as Error).message).not.toContain("\n");
  });

  it("resolves an id, a config role first, and a role file; refuses an unknown id with the known ones", () => {
    expect(resolveRole("backend-java", roles).id).toBe("backend-java");
    const mine = { ...role("backend-java"), title: "Our Java team" };
    expect(resolveRole("backend-java", roles, [mine]).title).toBe("Our Java team");
    const dir = rolesDir({ "mini.yml": minimal });
    expect(resolveRole(join(dir, "mini.yml"), roles).id).toBe("mini");
    expect(() => resolveRole("backend-jav", roles)).toThrow(/unknown role "backend-jav" \(did you mean "backend-java"\?/);
    expect(() => resolveRole(join(dir, "none.yml"), roles)).toThrow(/no such role file/);
  });
});

describe("fit", () => {
  const audit = (files: Record<string, string>, r?: Role) =>
    auditToReport(new InMemorySource(files), ruleSet, DEFAULT_CONFIG, r ? { role: r } : {});

  it("a Spring Boot + PostgreSQL + Redis tree fits backend-java better than backend-python, with the evidence of each item", async () => {
    const java = await audit(springTree, role("backend-java"));
    const python = await audit(springTree, role("backend-python"));
    expect(java.role!.fit).toBeGreaterThan(python.role!.fit);
    const stack = new Map(java.role!.stack.map((s) => [s.name, s]));
    expect(stack.get("Spring Boot")).toMatchObject({ required: true, present: true, evidence: { path: "pom.xml" } });
    expect(stack.get("PostgreSQL")!.present).toBe(true);
    expect(stack.get("Redis")!.present).toBe(true);
    expect(stack.get("Kafka")).toEqual({ name: "Kafka", required: false, present: false, evidence: null });
    expect(python.role!.stack.filter((s) => s.required && !s.present).map((s) => s.name)).toEqual(["Python", "Django/FastAPI/Flask"]);
    expect(Number.isInteger(java.role!.fit)).toBe(true);
  });

  it("a Flask tree fits backend-python better than backend-java", async () => {
    const python = await audit(flaskTree, role("backend-python"));
    const java = await audit(flaskTree, role("backend-java"));
    expect(python.role!.fit).toBeGreaterThan(java.role!.fit);
    expect(python.role!.stack.find((s) => s.name === "Django/FastAPI/Flask")).toMatchObject({ present: true, evidence: { path: "requirements.txt" } });
  });

  it("the score, rules and skills are the same with and without a role; role rules are not in the report", async () => {
    for (const tree of [springTree, flaskTree]) {
      const plain = await audit(tree);
      const withRole = await audit(tree, role("backend-java"));
      expect(withRole.score).toBe(plain.score);
      expect(withRole.skills).toEqual(plain.skills);
      expect(withRole.rules).toEqual(plain.rules);
      expect(withRole.summary).toEqual(plain.summary);
      expect(withRole.rules.some((r) => r.id.startsWith("role:"))).toBe(false);
      expect(plain.role).toBeUndefined();
      expect(plain.plan).toBeUndefined();
    }
  });

  it("the fit is the role-weighted skill score less the penalties (docs/roles.md)", async () => {
    const r = role("backend-java");
    const report = await audit(flaskTree, r);
    let weighted = 0;
    let total = 0;
    for (const [skill, w] of Object.entries(r.skills)) {
      const app = report.rules.filter((x) => x.skill === skill && x.status !== "not-applicable");
      const aw = app.reduce((a, x) => a + x.weight, 0);
      weighted += w * (aw > 0 ? app.reduce((a, x) => a + x.earned, 0) / aw : 0);
      total += w;
    }
    const missing = report.role!.stack.filter((s) => s.required && !s.present).length;
    const failedMust = r.mustHave.filter((id) => report.rules.find((x) => x.id === id)?.status !== "pass").length;
    const expected = Math.max(0, Math.min(100, Math.round((100 * weighted) / total - REQUIRED_STACK_PENALTY * missing - MUST_HAVE_PENALTY * failedMust)));
    expect(report.role!.fit).toBe(expected);
    expect(missing).toBe(3);
  });

  it("gaps are three failed rules, largest gain first, with the stack-aware fix", async () => {
    const report = await audit(springTree, role("backend-java"));
    const gaps = report.role!.gaps;
    expect(gaps).toHaveLength(3);
    for (const g of gaps) {
      const rule = report.rules.find((r) => r.id === g.ruleId)!;
      expect(rule.status).toBe("fail");
      expect(g.fix).toBe(rule.fix);
      expect(g.gain).toBeGreaterThan(0);
    }
    expect([...gaps].sort((a, b) => b.gain - a.gain)).toEqual(gaps);
  });

  it("a portfolio takes each stack item from any repository, naming it", async () => {
    const r = role("backend-java");
    const a = await audit(flaskTree, r);
    const b = await audit(springTree, r);
    const fit = portfolioRoleFit([{ repo: "me/blog", report: a }, { repo: "me/owners", report: b }], r);
    expect(fit.stack.find((s) => s.name === "Spring Boot")!.evidence).toMatchObject({ path: "pom.xml", repo: "me/owners" });
    expect(fit.fit).toBeGreaterThanOrEqual(b.role!.fit);
  });
});

describe("plan", () => {
  it("lists the role's missing must-haves, stack items and failed rules in the six steps, earliest first", async () => {
    const report = await auditToReport(new InMemorySource(flaskTree), ruleSet, { ...DEFAULT_CONFIG, role: "backend-python" });
    const plan = report.plan!;
    expect(report.role!.id).toBe("backend-python");
    const steps = plan.map((s) => s.step);
    expect(steps).toEqual([...steps].sort((a, b) => a - b));
    expect(new Set(steps).size).toBe(steps.length);
    for (const s of plan) {
      expect(s.items.length).toBeGreaterThan(0);
      expect(s.weeks).toBe(`${2 * s.step - 1}-${2 * s.step}`);
    }
    const all = plan.flatMap((s) => s.items);
    const data = plan.find((s) => s.name === "data")!;
    expect(data.items.map((i) => i.stackItem)).toContain("PostgreSQL");
    const delivery = plan.find((s) => s.name === "delivery")!;
    expect(delivery.items.some((i) => i.ruleId?.startsWith("ci-cd/"))).toBe(true);
    expect(all.every((i) => i.fix.length > 10)).toBe(true);
    expect(new Set(all.map((i) => i.ruleId ?? i.stackItem)).size).toBe(all.length);
  });
});
