import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
// @ts-expect-error: a plain-JS build script without type declarations
import { DOC_FILE, REQUIRED_SKILLS, ROWS, cellFor, loadRules, renderFrameworksDoc } from "../../scripts/generate-frameworks-doc.js";
// @ts-expect-error: a plain-JS build script without type declarations
import { RULES_DIR } from "../../scripts/generate-rules-doc.js";
import { FRAMEWORK_NAMES } from "../../src/stack/frameworks.js";

interface Example {
  frameworks?: string[];
  idiom?: string;
}
interface RuleDoc {
  id: string;
  skill: string;
  examples: { pass: Example[]; fail: Example[] };
}
interface Row {
  row: string;
  frameworks: string[];
}

const render = renderFrameworksDoc as (dir?: string) => string;
const shipped = (loadRules as (dir?: string) => { rules: RuleDoc[] })().rules;
const rows = ROWS as Row[];
const temps: string[] = [];
afterEach(() => temps.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

function rulesDir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "skillproof-frameworks-doc-"));
  temps.push(dir);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

const skills = `- id: security
  title: Security
  weight: 2
  description: Safe defaults.
- id: docs
  title: Documentation
  weight: 1
  description: Docs.
`;
const limiter = `id: security/rate-limit
skill: security
title: Rate limiting
weight: 1
why: Abuse protection.
fix: Add a rate limiter.
frameworks:
  notApplicable:
    Next.js: a static site has no server of its own
match: { files: { include: x } }
examples:
  pass:
    - frameworks: [Laravel]
      idiom: "\`RateLimiter::for\` + \`throttle:\` middleware"
      files: { x: "" }
    - frameworks: [Gin]
      idiom: gin-contrib limiter | tollbooth
      files: { x: "" }
  fail:
    - frameworks: [Laravel]
      files: { y: "" }
`;
const license = `id: docs/license
skill: docs
title: License
weight: 1
why: Reuse.
fix: Add a LICENSE.
frameworks: { any: a LICENSE file }
match: { files: { include: LICENSE } }
examples: { pass: [{ files: { LICENSE: MIT } }], fail: [{ files: { x: "" } }] }
`;

describe("docs/frameworks.md", () => {
  it("is what scripts/generate-frameworks-doc.js makes of rules/ (when this fails: run it and commit docs/frameworks.md)", () => {
    expect(readFileSync(DOC_FILE as string, "utf8")).toBe(render(RULES_DIR as string));
  });

  it("has one row for every framework the stack detector names, and the rule schema knows each", () => {
    const inRows = rows.flatMap((r) => r.frameworks).sort();
    expect(inRows).toEqual([...FRAMEWORK_NAMES].sort());
    const schema = JSON.parse(readFileSync(join(RULES_DIR as string, "schema.json"), "utf8"));
    expect([...schema.definitions.frameworkName.enum].sort()).toEqual(inRows);
  });

  it("names the idiom of every pass example that claims frameworks", () => {
    const unnamed = shipped.flatMap((r) => r.examples.pass.filter((e) => e.frameworks && !e.idiom).map(() => r.id));
    expect(unnamed).toEqual([]);
  });

  it("credits an idiom to a framework row only with a near-miss fail example of the same row in the rule", () => {
    const missing: string[] = [];
    const inRow = (e: Example, row: Row) => (e.frameworks ?? []).some((f) => row.frameworks.includes(f));
    for (const rule of shipped) {
      for (const row of rows) {
        if (rule.examples.pass.some((e) => inRow(e, row)) && !rule.examples.fail.some((e) => inRow(e, row))) missing.push(`${rule.id}: ${row.row}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it("has no 'not yet' for the testing, data, api, security and observability rules", () => {
    const todo: string[] = [];
    for (const rule of shipped.filter((r) => (REQUIRED_SKILLS as string[]).includes(r.skill))) {
      for (const row of rows) if (cellFor(rule, row).kind === "not yet") todo.push(`${rule.id} × ${row.row}`);
    }
    expect(todo).toEqual([]);
  });

  it("names idioms per row (a grouped row takes any member's), n/a with its reason, any, and counts the to-dos", () => {
    const doc = render(rulesDir({ "skills.yml": skills, "security/rate-limit.yml": limiter, "docs/license.yml": license }));
    expect(doc).toContain("| Framework | [rate-limit](../rules/security/rate-limit.yml) |");
    expect(doc).toContain("| Laravel | `RateLimiter::for` + `throttle:` middleware |");
    expect(doc).toContain("| Gin · Echo · Fiber · Chi | gin-contrib limiter \\| tollbooth |");
    expect(doc).toContain("| Next.js | n/a |");
    expect(doc).toContain("- `security/rate-limit`, *n/a* for Next.js: a static site has no server of its own");
    expect(doc).toContain("| Phoenix | *not yet* |");
    expect(doc).toContain("| Phoenix | any |");
    expect(doc).toContain("- `docs/license`, *any*: a LICENSE file, whatever the framework.");
    expect(doc).toContain(`Cells still *not yet*: Security ${rows.length - 3}.`);
  });

  it("--check fails on a stale file and passes once regenerated (the CI step)", () => {
    const script = fileURLToPath(new URL("../../scripts/generate-frameworks-doc.js", import.meta.url));
    const dir = rulesDir({ "skills.yml": skills, "security/rate-limit.yml": limiter });
    const doc = join(dir, "frameworks.md");
    const run = (...args: string[]) => spawnSync(process.execPath, [script, "--rules", dir, "--doc", doc, ...args], { encoding: "utf8" });
    const missing = run("--check");
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/frameworks\.md is out of date with the rules: run `node scripts\/generate-frameworks-doc\.js`/);
    expect(run().status).toBe(0);
    expect(run("--check").status).toBe(0);
    writeFileSync(join(dir, "security/rate-limit.yml"), limiter.replace("tollbooth", "ulule/limiter"));
    expect(run("--check").status).toBe(1);
  });
});
