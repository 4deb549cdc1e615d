import { describe, expect, it } from "vitest";
import { ConfigError, DEFAULT_CONFIG, mergeConfigs, parseConfig } from "../../src/config/config.js";
import { loadBuiltinRuleSet } from "../../src/engine/ruleBundle.js";
import { auditToReport } from "../../src/pipeline.js";
import { InMemorySource } from "../../src/sources/memory.js";

const ruleSet = loadBuiltinRuleSet();
const ids = ruleSet.rules.map((r) => r.id);
const ourRole = `roles:
  - id: our-java
    title: Our Java team
    summary: Spring Boot services with Kafka between them.
    skills: { testing: 2, messaging: 2 }
    stack:
      - name: Spring Boot
        level: required
        match: { dependency: { names: [org.springframework.boot:spring-boot-starter-web] } }
    mustHave: [testing/framework]
`;

function configError(text: string): ConfigError {
  try {
    parseConfig(text, ".github/skillproof.yml", ids);
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error("no error");
}

describe("config role and roles", () => {
  it("takes a shipped role id and a hiring repository's own roles", () => {
    expect(parseConfig("role: backend-python\n", "c.yml", ids).role).toBe("backend-python");
    const cfg = parseConfig(`${ourRole}role: our-java\n`, "c.yml", ids);
    expect(cfg.role).toBe("our-java");
    expect(cfg.roles![0]).toMatchObject({ id: "our-java", mustHave: ["testing/framework"], examples: [], file: "c.yml (roles 1)" });
  });

  it("refuses an unknown role with its line and a suggestion", () => {
    const err = configError("issue: true\nrole: backend-pyton\n");
    expect(err.message).toBe('.github/skillproof.yml:2:7: role: unknown role "backend-pyton" (did you mean "backend-python"?)');
  });

  it("refuses a config role that fails the role schema or names an unknown skill, at the role's line", () => {
    expect(configError(ourRole.replace("level: required", "level: must")).message).toMatch(/^\.github\/skillproof\.yml:2:\d+: roles 1: stack\.0\.level: must be one of/);
    expect(configError(ourRole.replace("messaging: 2", "mesaging: 2")).message).toMatch(/roles 1: skills: unknown skill "mesaging" \(did you mean "messaging"\?\)/);
  });

  it("refuses regular expressions and over-limit globs in a config role (they run over candidates' repositories)", () => {
    const regex = ourRole.replace("{ dependency: { names: [org.springframework.boot:spring-boot-starter-web] } }", "{ content: { include: '**/*.java', pattern: '(a+)+b' } }");
    expect(configError(regex).message).toMatch(/roles 1: stack item "Spring Boot": "pattern" is a regular expression, which a role in a config may not use/);
    const glob = ourRole.replace("{ dependency: { names: [org.springframework.boot:spring-boot-starter-web] } }", "{ files: { include: '**/**/**/*.java' } }");
    expect(configError(glob).message).toMatch(/roles 1: stack item "Spring Boot": glob/);
  });

  it("merges role and roles key by key under _extends", () => {
    const base = parseConfig(`${ourRole}role: our-java\n`, "base.yml", ids);
    const local = parseConfig("role: backend-go\n", "local.yml", ids);
    const merged = mergeConfigs(base, local, new Set(["role"]));
    expect(merged.role).toBe("backend-go");
    expect(merged.roles![0]!.id).toBe("our-java");
  });

  it("a config role is audited by id: the report has its fit and the plan", async () => {
    const config = parseConfig(`${ourRole}role: our-java\n`, "c.yml", ids);
    const report = await auditToReport(new InMemorySource({ "pom.xml": "<project><dependencies><dependency><groupId>org.springframework.boot</groupId><artifactId>spring-boot-starter-web</artifactId></dependency></dependencies></project>" }), ruleSet, config);
    expect(report.role).toMatchObject({ id: "our-java", stack: [{ name: "Spring Boot", required: true, present: true, evidence: { path: "pom.xml" } }] });
    expect(report.plan!.length).toBeGreaterThan(0);
    const none = await auditToReport(new InMemorySource({ "a.txt": "x" }), ruleSet, DEFAULT_CONFIG);
    expect(none.role).toBeUndefined();
  });
});
