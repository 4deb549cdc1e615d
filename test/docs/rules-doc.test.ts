import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
// @ts-expect-error: a plain-JS build script without type declarations
import { DOC_FILE, RULES_DIR, renderRulesDoc } from "../../scripts/generate-rules-doc.js";

const render = renderRulesDoc as (dir?: string) => string;
const temps: string[] = [];
afterEach(() => temps.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

function rulesDir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "skillproof-rules-doc-"));
  temps.push(dir);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

const skills = `- id: testing
  title: Testing
  weight: 3
  description: Tests a reviewer can run.
- id: ci-cd
  title: CI/CD
  weight: 2
  description: A pipeline.
`;
const coverage = `id: testing/coverage
skill: testing
title: Test coverage measured
weight: 2
requires: [testing/framework]
why: Coverage shows what tests miss.
fix: >-
  Measure coverage
  in the build.
references: [https://example.com/cov]
match: { files: { include: x } }
`;

describe("docs/rules.md", () => {
  it("is what scripts/generate-rules-doc.js makes of rules/ (when this fails: run it and commit docs/rules.md)", () => {
    expect(readFileSync(DOC_FILE as string, "utf8")).toBe(render(RULES_DIR as string));
  });

  it("lists every rule with id, weight, why, fix and references under its skill, in the skills' order", () => {
    const dir = rulesDir({
      "skills.yml": skills,
      "testing/coverage.yml": coverage,
      "ci-cd/pipeline.yml": "id: ci-cd/pipeline\nskill: ci-cd\ntitle: CI pipeline\nweight: 3\nwhy: Every change is built.\nfix: Add a workflow.\nmatch: { files: { include: y } }\n",
    });
    const doc = render(dir);
    expect(doc).toContain("2 rules in 2 skills");
    expect(doc).toContain("| [CI/CD](#cicd) | 2 | 1 |");
    expect(doc.indexOf("## Testing")).toBeLessThan(doc.indexOf("## CI/CD"));
    expect(doc).toContain(
      [
        "### Test coverage measured",
        "",
        "`testing/coverage` · weight 2 · requires `testing/framework` · [rules/testing/coverage.yml](../rules/testing/coverage.yml)",
        "",
        "- **Why:** Coverage shows what tests miss.",
        "- **Fix:** Measure coverage in the build.",
        "- **References:** <https://example.com/cov>",
      ].join("\n"),
    );
    expect(doc).toMatch(/## CI\/CD\n\nA pipeline\.\n\n### CI pipeline\n/);
  });

  it("changes when a rule's text changes, so a stale file fails the check above", () => {
    const before = render(rulesDir({ "skills.yml": skills, "testing/coverage.yml": coverage }));
    const after = render(rulesDir({ "skills.yml": skills, "testing/coverage.yml": coverage.replace("in the build.", "in CI.") }));
    expect(after).not.toBe(before);
    expect(after).toContain("- **Fix:** Measure coverage in CI.");
  });

  it("--check fails on a missing or stale file and passes once regenerated (the CI step)", () => {
    const script = fileURLToPath(new URL("../../scripts/generate-rules-doc.js", import.meta.url));
    const dir = rulesDir({ "skills.yml": skills, "testing/coverage.yml": coverage });
    const doc = join(dir, "rules.md");
    const run = (...args: string[]) => spawnSync(process.execPath, [script, "--rules", dir, "--doc", doc, ...args], { encoding: "utf8" });
    const missing = run("--check");
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/rules\.md is out of date with the rules: run `node scripts\/generate-rules-doc\.js`/);
    expect(run().status).toBe(0);
    expect(run("--check").status).toBe(0);
    writeFileSync(join(dir, "testing/coverage.yml"), coverage.replace("in the build.", "in CI."));
    expect(run("--check").status).toBe(1);
    const bad = run("--nope");
    expect(bad.status).toBe(2);
    expect(bad.stderr.trim().split("\n")).toHaveLength(1);
  });

  it("refuses a rule whose skill does not exist", () => {
    const dir = rulesDir({ "skills.yml": skills, "testing/coverage.yml": coverage.replace("skill: testing", "skill: nope") });
    expect(() => render(dir)).toThrow(/unknown skill: testing\/coverage/);
  });
});
