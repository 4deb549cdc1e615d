import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runRuleExamples } from "../../src/engine/examples.js";
import { BUILTIN_RULES_DIR, loadRuleSet, RuleLoadError } from "../../src/engine/loadRules.js";

const ruleSet = loadRuleSet();
const outcomes = await runRuleExamples(ruleSet);

describe("the shipped rules", () => {
  it("load and validate", () => {
    expect(ruleSet.rules.length).toBeGreaterThanOrEqual(52);
  });

  // A rule maintainer's PR tests itself: every example of every rule runs here.
  describe.each(ruleSet.rules.map((r) => [r.id] as const))("%s", (id) => {
    it.each(outcomes.filter((o) => o.ruleId === id).map((o) => [`${o.kind} example ${o.index + 1}${o.description ? `: ${o.description}` : ""}`, o] as const))(
      "%s",
      (_name, o) => {
        expect(o.actual).toBe(o.kind);
        expect(o.undetected ?? [], "frameworks the example claims but its tree does not declare").toEqual([]);
      },
    );
  });
});

describe("loadRuleSet rejects bad rules, naming the file", () => {
  const withRule = (relPath: string, yaml: string): string => {
    const dir = mkdtempSync(join(tmpdir(), "skillproof-rules-"));
    cpSync(join(BUILTIN_RULES_DIR, "schema.json"), join(dir, "schema.json"));
    cpSync(join(BUILTIN_RULES_DIR, "skills.yml"), join(dir, "skills.yml"));
    mkdirSync(join(dir, relPath.split("/")[0]!), { recursive: true });
    writeFileSync(join(dir, relPath), yaml);
    return dir;
  };
  const valid = (id: string) => `id: ${id}
skill: ${id.split("/")[0]}
title: A rule
weight: 1
why: Because it matters a lot.
fix: Add the thing that proves it.
match:
  files:
    include: "**/x"
examples:
  pass:
    - files: { x: "" }
  fail:
    - files: { y: "" }
`;

  it("accepts a valid rule", () => {
    expect(loadRuleSet(withRule("testing/x.yml", valid("testing/x"))).rules.map((r) => r.id)).toEqual(["testing/x"]);
  });

  it("validates each rules folder against its own schema.json, not the first one loaded in the process", () => {
    const strict = withRule("testing/x.yml", valid("testing/x"));
    const schema = JSON.parse(readFileSync(join(strict, "schema.json"), "utf8"));
    schema.properties.colour = { type: "string" };
    writeFileSync(join(strict, "schema.json"), JSON.stringify(schema));
    writeFileSync(join(strict, "testing/x.yml"), `${valid("testing/x")}colour: red\n`);
    expect(() => loadRuleSet(withRule("testing/x.yml", `${valid("testing/x")}colour: red\n`))).toThrow(/unknown property "colour"/);
    expect(loadRuleSet(strict).rules.map((r) => r.id)).toEqual(["testing/x"]);
  });

  it("rejects an id that does not match the path", () => {
    expect(() => loadRuleSet(withRule("testing/x.yml", valid("testing/y")))).toThrow(/testing\/x\.yml: id "testing\/y" does not match its path/);
  });

  it("rejects a schema violation with its place", () => {
    expect(() => loadRuleSet(withRule("testing/x.yml", valid("testing/x").replace("weight: 1", "weight: -1")))).toThrow(RuleLoadError);
    expect(() => loadRuleSet(withRule("testing/x.yml", `${valid("testing/x")}colour: red\n`))).toThrow(/unknown property "colour"/);
  });

  it("rejects a bad regex and a YAML syntax error", () => {
    const badRegex = valid("testing/x").replace('files:\n    include: "**/x"', 'content:\n    include: "**/x"\n    pattern: "(unclosed"');
    expect(() => loadRuleSet(withRule("testing/x.yml", badRegex))).toThrow(/testing\/x\.yml: .*regex/i);
    expect(() => loadRuleSet(withRule("testing/x.yml", "id: [unclosed\n"))).toThrow(/testing\/x\.yml: YAML syntax error at line/);
  });

  it("rejects an unknown skill and an unknown required rule", () => {
    expect(() => loadRuleSet(withRule("cooking/x.yml", valid("cooking/x")))).toThrow(/unknown skill "cooking"/);
    const req = valid("testing/x").replace("weight: 1", "weight: 1\nrequires: [testing/nope]");
    expect(() => loadRuleSet(withRule("testing/x.yml", req))).toThrow(/requires unknown rule "testing\/nope"/);
    const any = valid("testing/x").replace("weight: 1", "weight: 1\nrequiresAny: [testing/nope, testing/x2]");
    expect(() => loadRuleSet(withRule("testing/x.yml", any))).toThrow(/requiresAny unknown rule "testing\/nope"/);
    const self = valid("testing/x").replace("weight: 1", "weight: 1\nrequiresAny: [testing/x, testing/nope]");
    expect(() => loadRuleSet(withRule("testing/x.yml", self))).toThrow(/requiresAny itself/);
  });
});
